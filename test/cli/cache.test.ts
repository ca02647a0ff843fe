/**
 * `--cache` against a card edited while it is checked, a damaged cache, and links planted at
 * the cache's names. An edit "while it is checked" and a link planted "just before the write" are
 * made by a script preloaded into the checker's process (`--require`), which changes the file
 * system at that moment and nothing in the checker.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { COMPLETE, posix, run, tempDir, type JsonRow } from './checker';

/** COMPLETE with a level that does not exist. */
const BAD_LEVEL = COMPLETE.replace('level: 0', 'level: 12');

describe('trl-cards check --cache: what it reads and writes', () => {
  let t: ReturnType<typeof tempDir>;
  const at = (rel: string) => path.join(t.dir, rel);
  /** Runs the checker with `script` preloaded, and the environment it reads. */
  const withScript = (args: string[], script: string, env: Record<string, string>) => {
    fs.writeFileSync(at('preload.js'), script);
    return run(args, t.dir, [], { NODE_OPTIONS: `--require ${at('preload.js')}`, ...env });
  };
  beforeEach(function () {
    if (!posix) this.skip();
    t = tempDir('trl-cache-');
  });
  afterEach(() => t?.remove());

  it('checks the bytes it hashed: a card edited between two reads cannot keep the other text\'s problems', () => {
    t.write('cards/card.trl.yaml', COMPLETE);
    const card = at('cards/card.trl.yaml');
    // Once the checker has read the card and closed it, the card is edited (as an editor saving it would).
    const editAfterFirstRead = `
      const fs = require('fs');
      const { CARD, OTHER } = process.env;
      const openSync = fs.openSync, closeSync = fs.closeSync;
      const fds = new Set();
      let done = false;
      fs.openSync = function (p, ...rest) {
        const fd = openSync.call(this, p, ...rest);
        if (!done && String(p) === CARD) fds.add(fd);
        return fd;
      };
      fs.closeSync = function (fd) {
        closeSync.call(this, fd);
        if (fds.delete(fd) && !done) {
          done = true;
          fs.writeFileSync(CARD, OTHER);
        }
      };
    `;
    const first = withScript(['check', '--cache', '--format', 'json', 'cards'], editAfterFirstRead, { CARD: card, OTHER: BAD_LEVEL });
    assert.strictEqual(fs.readFileSync(card, 'utf8'), BAD_LEVEL, 'the edit was made');
    assert.strictEqual(first.code, 0, 'the text it read and hashed was clean: ' + first.out);
    assert.deepStrictEqual(JSON.parse(first.out), []);
    // Edited back: the cache holds the clean text's result under the clean text's hash.
    fs.writeFileSync(card, COMPLETE);
    const second = run(['check', '--cache', '--format', 'json', 'cards'], t.dir);
    assert.match(second.err, /cache: 1 of 1 card unchanged/);
    assert.strictEqual(second.code, 0, second.out);
    assert.deepStrictEqual(JSON.parse(second.out), []);
    // And the edited text, checked, has its own problem.
    fs.writeFileSync(card, BAD_LEVEL);
    const third = run(['check', '--cache', '--format', 'json', 'cards'], t.dir);
    assert.strictEqual(third.code, 1);
    assert.ok((JSON.parse(third.out) as JsonRow[]).some((r) => r.code === 'invalid-level'), third.out);
  });

  it('says once that a cache with a malformed entry is not used, and writes it anew', () => {
    t.write('a.trl.yaml', COMPLETE);
    t.write('b.trl.yaml', 'technology: x\nlevel: 1\n');
    const first = run(['check', '--cache', '--format', 'json', '.'], t.dir);
    assert.strictEqual(first.code, 1);
    const cache = at('.trl-cards-cache');
    const data = JSON.parse(fs.readFileSync(cache, 'utf8'));
    const a = pathToFileURL(at('a.trl.yaml')).toString();
    assert.ok(data.entries[a], Object.keys(data.entries).join(', '));
    // Valid JSON, the right key, an entry of the wrong shape: what a hand edit or a merge leaves.
    // The first stopped every run with exit 2 ("internal error"), and the cache was never written again.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a cache entry as a hand edit leaves it: any shape
    const damages = [(e: any) => (e.refs.previous = [{ value: 'x', start: 0, end: 1 }]), (e: any) => delete e.facts.components, (e: any) => (e.rows = [null]), (e: any) => (e.positions = 'x'), (e: any) => (e.facts.uri = 'file:///elsewhere.trl.yaml'), (e: any) => (e.refs.previous = 5)];
    for (const damage of damages) {
      const broken = structuredClone(data);
      damage(broken.entries[a]);
      fs.writeFileSync(cache, JSON.stringify(broken));
      const r = run(['check', '--cache', '--format', 'json', '.'], t.dir);
      assert.strictEqual(r.code, 1, r.err);
      assert.deepStrictEqual(r.out, first.out, 'the same problems, checked again');
      assert.strictEqual(r.err.match(/not used/g)?.length, 1, r.err);
      assert.match(r.err, /^trl-cards: \.trl-cards-cache: the cache file is not used \(it has a malformed entry\); it is written anew\.$/m);
      assert.match(r.err, /cache: 0 of 2 cards unchanged/);
      const again = run(['check', '--cache', '--format', 'json', '.'], t.dir);
      assert.doesNotMatch(again.err, /not used/, 'written anew');
      assert.match(again.err, /cache: 2 of 2 cards unchanged/);
      assert.strictEqual(again.out, first.out);
    }
  });

  it('creates its temporary file exclusively: a link planted at its name is not written through', () => {
    t.write('a.trl.yaml', COMPLETE);
    t.write('victim.txt', 'keep me\n');
    // Just before the checker writes a file in its folder (the temporary cache), a link to the victim appears at that name.
    const plantLink = `
      const fs = require('fs');
      const path = require('path');
      const { DIR, VICTIM } = process.env;
      const writeFileSync = fs.writeFileSync;
      fs.writeFileSync = function (file, ...rest) {
        if (typeof file === 'string' && path.dirname(file) === DIR && file.endsWith('.tmp')) fs.symlinkSync(VICTIM, file);
        return writeFileSync.call(this, file, ...rest);
      };
    `;
    const r = withScript(['check', '--cache', '.'], plantLink, { DIR: t.dir, VICTIM: at('victim.txt') });
    assert.strictEqual(fs.readFileSync(at('victim.txt'), 'utf8'), 'keep me\n', 'the victim is untouched');
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.err, /cache: 0 of 1 card unchanged \(not checked again\), 1 checked; \.trl-cards-cache: not written: /);
  });

  it('never follows the cache path through a link, nor replaces the link: the cache is not used, its target untouched', () => {
    t.write('a.trl.yaml', COMPLETE);
    t.write('elsewhere/victim.json', '{"keep":"me"}');
    // A link to a folder: followed, the cache would be written into that folder.
    fs.symlinkSync(at('elsewhere'), at('.trl-cards-cache'));
    let r = run(['check', '--cache', '.'], t.dir);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.err, /\.trl-cards-cache: the cache file is not used \(it is a symbolic link, which the checker does not follow\); it is not overwritten: name a cache file of its own with --cache-location\./);
    assert.match(r.err, /\.trl-cards-cache: not written: the file there is not a trl-cards cache, and is left as it is\./);
    assert.deepStrictEqual(fs.readdirSync(at('elsewhere')), ['victim.json'], 'nothing written there');
    assert.ok(fs.lstatSync(at('.trl-cards-cache')).isSymbolicLink(), 'the link is kept');
    // A link to a file: not read (its text is not taken as a cache), and kept.
    fs.rmSync(at('.trl-cards-cache'));
    fs.symlinkSync(at('elsewhere/victim.json'), at('.trl-cards-cache'));
    r = run(['check', '--cache', '.'], t.dir);
    assert.match(r.err, /it is a symbolic link, which the checker does not follow/);
    assert.strictEqual(fs.readFileSync(at('elsewhere/victim.json'), 'utf8'), '{"keep":"me"}');
    assert.ok(fs.lstatSync(at('.trl-cards-cache')).isSymbolicLink());
  });

  it('never overwrites a file that is not a trl-cards cache: a card named by --cache-location is left as it is', () => {
    t.write('a.trl.yaml', COMPLETE);
    const precious = 'technology: Y\nlevel: 0\n# precious card\n';
    t.write('precious.trl.yaml', precious);
    t.write('notes.json', '{"keep": "me"}');
    for (const file of ['precious.trl.yaml', 'notes.json']) {
      const r = run(['check', `--cache-location=${file}`, 'a.trl.yaml'], t.dir);
      assert.strictEqual(r.code, 0, r.err);
      assert.match(r.err, new RegExp(`${file.replace('.', '\\.')}: the cache file is not used \\(it is (?:not valid JSON|not a trl-cards cache)\\); it is not overwritten`));
    }
    assert.strictEqual(fs.readFileSync(at('precious.trl.yaml'), 'utf8'), precious);
    assert.strictEqual(fs.readFileSync(at('notes.json'), 'utf8'), '{"keep": "me"}');
    // An empty file is not a cache either (a card being written, a .gitkeep); a cache cut short is.
    t.write('empty.trl.yaml', '');
    assert.match(run(['check', '--cache-location=empty.trl.yaml', 'a.trl.yaml'], t.dir).err, /empty\.trl\.yaml: the cache file is not used \(it is an empty file\); it is not overwritten/);
    assert.strictEqual(fs.readFileSync(at('empty.trl.yaml'), 'utf8'), '');
    t.write('cut', '{"trlCardsCache":1,"key":"x","entr');
    assert.match(run(['check', '--cache-location=cut', 'a.trl.yaml'], t.dir).err, /cut: the cache file is not used \(it is not valid JSON\); it is written anew/);
    assert.match(fs.readFileSync(at('cut'), 'utf8'), /^\{"trlCardsCache":1,"key":"[^"]+","entries":\{/);
  });
});
