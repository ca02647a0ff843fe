/**
 * `trlCards/cardPreview` over real LSP: a preview that names the answer it holds gets only what
 * changed since it, and applying that gives the model a fresh request gets; an answer the
 * server does not hold (another card, an unknown or an older server's name) gets the whole model.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { EXPORT_CARD_REQUEST, type ExportCardResponse } from '../../protocol/messages';
import { CARD_PREVIEW_REQUEST, type CardPreview, type CardPreviewParams, type CardPreviewResponse } from '../../protocol/preview';
import { applyPreviewDelta, isPreviewDelta, type CardPreviewDelta } from '../../protocol/previewDelta';
import { ROOT } from '../helpers';
import { startServer, type TestClient } from './lspClient';

const TEXT = fs.readFileSync(path.join(ROOT, 'examples', 'solar-array', 'solar-array.level-7.trl.yaml'), 'utf8');
const URI = 'file:///preview-test/solar.trl.yaml';
const OTHER = 'file:///preview-test/other.trl.yaml';

describe('the card preview over LSP', () => {
  let client: TestClient;
  let version = 1;
  const ask = (params: CardPreviewParams) => client.connection.sendRequest<CardPreviewResponse>(CARD_PREVIEW_REQUEST.method, params);
  const full = async (params: CardPreviewParams): Promise<CardPreview> => {
    const r = await ask(params);
    assert.ok(!('error' in r) && !isPreviewDelta(r), `a whole model: ${JSON.stringify(r).slice(0, 200)}`);
    assert.strictEqual(typeof r.answer, 'string');
    return r;
  };
  const delta = async (params: CardPreviewParams): Promise<CardPreviewDelta> => {
    const r = await ask(params);
    assert.ok(isPreviewDelta(r), `a delta: ${JSON.stringify(r).slice(0, 200)}`);
    return r;
  };
  let current = TEXT;
  const edit = (from: string, to: string) => {
    const at = current.indexOf(from);
    assert.ok(at >= 0, from);
    const before = current.slice(0, at).split('\n');
    current = current.slice(0, at) + to + current.slice(at + from.length);
    const start = { line: before.length - 1, character: before[before.length - 1].length };
    const end = { line: start.line, character: start.character + from.length };
    assert.ok(!from.includes('\n'));
    return client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: ++version }, contentChanges: [{ range: { start, end }, text: to }] });
  };
  const withoutAnswer = ({ answer: _, ...m }: CardPreview) => m;

  before(async () => {
    client = await startServer({ textDocument: { publishDiagnostics: {} } });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'trl-card', version, text: TEXT } });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: OTHER, languageId: 'trl-card', version: 1, text: 'technology: Other\nid: OTHER\nlevel: 1\n' } });
  });
  after(async () => {
    assert.strictEqual(await client.close(), 0);
  });

  it('answers an edit with what changed since the answer the preview holds; applied, it is the whole model', async () => {
    const first = await full({ uri: URI });
    const p = /p_failure: (0\.\d+)/.exec(TEXT)!;
    await edit(p[0], 'p_failure: 0.99');
    const d = await delta({ uri: URI, base: first.answer });
    assert.strictEqual(d.base, first.answer);
    assert.notStrictEqual(d.answer, first.answer);
    assert.strictEqual(d.set.version, version, 'the edited version');
    assert.ok(d.rows && d.rows.put.length === 1, `one row changed: ${JSON.stringify(d.rows)}`);
    const applied = applyPreviewDelta(first, d);
    assert.strictEqual(applied.answer, d.answer);
    const fresh = await full({ uri: URI });
    assert.deepStrictEqual(withoutAnswer(applied), withoutAnswer(fresh));
    // A delta of a delta: from the answer just applied.
    await edit('p_failure: 0.99', p[0]);
    const again = await delta({ uri: URI, base: fresh.answer });
    assert.deepStrictEqual(withoutAnswer(applyPreviewDelta(fresh, again)), withoutAnswer(await full({ uri: URI })));
  });

  it('answers with the whole model for an answer it does not hold, or one of another card', async () => {
    const other = await full({ uri: OTHER });
    await full({ uri: URI, base: other.answer });
    await full({ uri: URI, base: 'no-such-server:1' });
    await full({ uri: URI, base: 42 as unknown as string });
  });

  it('keeps the last few answers only', async () => {
    const old = await full({ uri: URI });
    for (let i = 0; i < 8; i++) await full({ uri: URI });
    await full({ uri: URI, base: old.answer });
  });

  it('answers a card that is neither open nor a card file with an error, never a delta', async () => {
    const r = await ask({ uri: 'file:///preview-test/not-open.txt', base: 'x:1' });
    assert.ok('error' in r);
  });
});

describe('the changes since a previous card the reviewer chooses, over LSP', () => {
  let dir: string;
  let client: TestClient;
  const cardUri = () => pathToFileURL(path.join(dir, 'solar-array.level-7.trl.yaml')).toString();
  const changesOf = async (compareWith?: string): Promise<CardPreview['changes']> => {
    const r = await client.connection.sendRequest<CardPreviewResponse>(CARD_PREVIEW_REQUEST.method, {
      uri: cardUri(),
      ...(compareWith !== undefined ? { compareWith } : {}),
    });
    assert.ok(!('error' in r) && !isPreviewDelta(r));
    return r.changes;
  };

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'trl-compare-')));
    fs.cpSync(path.join(ROOT, 'examples', 'solar-array'), dir, { recursive: true });
    client = await startServer({ workspace: { workspaceFolders: true } }, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
    await client.logged(/Indexed \d+ cards/);
    const text = fs.readFileSync(path.join(dir, 'solar-array.level-7.trl.yaml'), 'utf8');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: cardUri(), languageId: 'trl-card', version: 1, text } });
  });
  after(async () => {
    assert.strictEqual(await client.close(), 0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('compares with the last level\'s card, or with the one of `previous` the preview asks for', async () => {
    assert.strictEqual((await changesOf())?.previous.written, './solar-array.level-6.trl.yaml');
    const older = await changesOf('./solar-array.level-2.trl.yaml');
    assert.deepStrictEqual([older?.previous.written, older?.previous.level], ['./solar-array.level-2.trl.yaml', 2]);
    assert.ok(older!.changed.some((f) => f.path === 'technology'), 'level 2 had another name');
    // Not an entry of `previous`: the default.
    assert.strictEqual((await changesOf('./components/optimiser.trl.yaml'))?.previous.written, './solar-array.level-6.trl.yaml');
    // The export takes the same choice.
    const md = await client.connection.sendRequest<ExportCardResponse>(EXPORT_CARD_REQUEST.method, { uri: cardUri(), format: 'md', compareWith: './solar-array.level-2.trl.yaml' });
    assert.ok('text' in md && md.text.includes('Compared with [./solar-array.level-2.trl.yaml](<./solar-array.level-2.trl.yaml>) (TRL 2).'), JSON.stringify(md).slice(0, 300));
  });
});
