/**
 * The server's sub-systems (server/src/host/) without a connection, on a fake runtime: files in
 * a Map, timers run by hand. Each test names the mistake it catches.
 */
import * as assert from 'assert';
import { pathToFileURL } from 'url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/languageService';
import type { CardPreview } from '../../protocol/preview';
import { applyPreviewDelta, type CardPreviewDelta } from '../../protocol/previewDelta';
import { ConfigurationStore } from '../../server/src/host/configuration';
import { IndexKeeper } from '../../server/src/host/indexing';
import { OpenCards } from '../../server/src/host/openCards';
import { PortfolioNotifier } from '../../server/src/host/portfolioNotifier';
import { PreviewAnswers } from '../../server/src/host/previewAnswers';
import { PreviousCards } from '../../server/src/host/previousCards';
import { DiagnosticsScheduler } from '../../server/src/host/push';
import type { CardFiles, Disposable, Timers } from '../../server/src/host/runtime';
import type { ReadResult } from '../../server/src/workspace/read';
import { cardFacts } from '../../server/src/workspace/index';

const service = getLanguageService();
const uriOf = (file: string) => pathToFileURL(file).toString();
const noLog = () => undefined;

/** Timers run by hand: `turn()` runs what is due now (immediates), `elapse()` the timeouts too. */
class FakeTimers implements Timers {
  immediates: (() => void)[] = [];
  timeouts: (() => void)[] = [];
  setImmediate(callback: () => void): Disposable {
    const run = () => callback();
    this.immediates.push(run);
    return { dispose: () => (this.immediates = this.immediates.filter((f) => f !== run)) };
  }
  setTimeout(callback: () => void): Disposable {
    const run = () => callback();
    this.timeouts.push(run);
    return { dispose: () => (this.timeouts = this.timeouts.filter((f) => f !== run)) };
  }
  turn(): void {
    const due = this.immediates;
    this.immediates = [];
    due.forEach((f) => f());
  }
  elapse(): void {
    const due = this.timeouts;
    this.timeouts = [];
    due.forEach((f) => f());
  }
}

/**
 * Card files in memory, by path: `links` maps a path to where it really is (a symbolic link);
 * `reads` counts the reads of each path; a file's stamp is its text's version.
 */
class FakeFiles implements CardFiles {
  files = new Map<string, string>();
  links = new Map<string, string>();
  stamps = new Map<string, number>();
  reads = new Map<string, number>();
  write(file: string, text: string): void {
    this.files.set(file, text);
    this.stamps.set(file, (this.stamps.get(file) ?? 0) + 1);
  }
  async *list(root: string, onDirectory?: (dir: string) => void): AsyncIterable<{ file: string; listed: boolean }> {
    onDirectory?.(root);
    for (const file of [...this.files.keys()].sort()) if (file.startsWith(root + '/')) yield { file, listed: !this.links.has(file) };
  }
  async read(file: string): Promise<ReadResult> {
    this.reads.set(file, (this.reads.get(file) ?? 0) + 1);
    const text = this.files.get(file);
    return text === undefined ? { error: 'no such file or directory', missing: true } : { text };
  }
  async realPath(file: string): Promise<string | undefined> {
    return this.links.get(file) ?? (this.files.has(file) ? file : undefined);
  }
  realRoots(roots: readonly string[]): string[] {
    return [...roots];
  }
  async stamp(file: string): Promise<string | undefined> {
    return this.stamps.has(file) && this.files.has(file) ? String(this.stamps.get(file)) : undefined;
  }
  watch(): { add: () => boolean; close: () => void } {
    return { add: () => true, close: () => undefined };
  }
}

const card = (id: string, level: number, extra = '') => `technology: ${id}\nid: ${id}\nlevel: ${level}\n${extra}`;

describe('host: push scheduling (push mode)', () => {
  function scheduler() {
    const timers = new FakeTimers();
    const sent: { uri: string; version?: number; diagnostics: Diagnostic[] }[] = [];
    let version = 1;
    let refreshes = 0;
    const push = new DiagnosticsScheduler(
      timers,
      {
        current: (uri) => (uri.endsWith('closed.trl.yaml') ? undefined : { version, diagnostics: () => [] }),
        cards: () => ['file:///a.trl.yaml', 'file:///b.trl.yaml'],
        configurations: () => [],
        send: (params) => void sent.push(params),
        refresh: () => void refreshes++,
      },
      noLog,
    );
    return { push, timers, sent, setVersion: (v: number) => (version = v), refreshes: () => refreshes };
  }

  it('several changes to a card in one turn give one push, of its latest version', () => {
    const { push, timers, sent, setVersion } = scheduler();
    push.schedule('file:///a.trl.yaml');
    setVersion(2);
    push.schedule('file:///a.trl.yaml');
    setVersion(3);
    push.schedule('file:///a.trl.yaml');
    assert.strictEqual(sent.length, 0, 'nothing before the turn ends');
    timers.turn();
    assert.deepStrictEqual(sent, [{ uri: 'file:///a.trl.yaml', version: 3, diagnostics: [] }]);
  });

  it('a card closed before its push gets only its problems cleared', () => {
    const { push, timers, sent } = scheduler();
    push.schedule('file:///a.trl.yaml');
    push.closed('file:///a.trl.yaml');
    timers.turn();
    assert.deepStrictEqual(sent, [{ uri: 'file:///a.trl.yaml', diagnostics: [] }]);
  });

  it('dependents named twice are pushed once each; a pulling client is asked to refresh instead', () => {
    const { push, timers, sent, refreshes } = scheduler();
    push.recheck(['file:///a.trl.yaml', 'file:///b.trl.yaml', 'file:///a.trl.yaml']);
    timers.turn();
    assert.deepStrictEqual(sent.map((s) => s.uri), ['file:///a.trl.yaml', 'file:///b.trl.yaml']);
    push.pull = true;
    push.recheck(['file:///a.trl.yaml']);
    push.recheck([]);
    push.schedule('file:///a.trl.yaml');
    timers.turn();
    assert.strictEqual(sent.length, 2, 'no push to a pulling client');
    assert.strictEqual(refreshes(), 1);
  });
});

describe('host: index reconciliation', () => {
  function makeKeeper(files: FakeFiles, open: string[] = [], maxCards?: number) {
    const timers = new FakeTimers();
    const keeper = new IndexKeeper({
      files,
      timer: timers,
      open: { has: (uri) => open.includes(uri), all: () => [] },
      log: noLog,
      ...(maxCards !== undefined ? { maxCards } : {}),
    });
    keeper.setFolders([uriOf('/ws')]);
    // The scan yields a turn between files: run the turns as it asks for them.
    const pump = setInterval(() => timers.turn(), 0);
    return { keeper, done: () => clearInterval(pump) };
  }

  it('a watcher event for a card whose real path is outside the workspace folders does not index it', async () => {
    const files = new FakeFiles();
    files.write('/ws/in.trl.yaml', card('IN', 3));
    files.write('/ws/out.trl.yaml', card('OUT', 3));
    files.write('/elsewhere/secret.trl.yaml', card('SECRET', 3));
    files.links.set('/ws/out.trl.yaml', '/elsewhere/secret.trl.yaml');
    const { keeper, done } = makeKeeper(files);
    try {
      await keeper.filesChanged([
        { uri: uriOf('/ws/in.trl.yaml'), type: 2 },
        { uri: uriOf('/ws/out.trl.yaml'), type: 2 },
      ]);
      assert.strictEqual(keeper.index.byUri(uriOf('/ws/in.trl.yaml'))?.id, 'IN');
      assert.strictEqual(keeper.index.byUri(uriOf('/ws/out.trl.yaml')), undefined);
      assert.ok(!files.reads.has('/ws/out.trl.yaml'), 'never read');
    } finally {
      done();
    }
  });

  it('the scan indexes cards but open ones and links out of bounds, then marks the index complete', async () => {
    const files = new FakeFiles();
    files.write('/ws/a.trl.yaml', card('A', 2));
    files.write('/ws/b.trl.yaml', card('B', 3));
    files.write('/ws/link.trl.yaml', card('L', 3));
    files.links.set('/ws/link.trl.yaml', '/outside/l.trl.yaml');
    const { keeper, done } = makeKeeper(files, [uriOf('/ws/b.trl.yaml')]);
    try {
      const { count, complete } = await keeper.scan();
      assert.deepStrictEqual([count, complete, keeper.index.complete], [1, true, true]);
      assert.deepStrictEqual([...keeper.index.cards()].map((f) => f.id), ['A']);
    } finally {
      done();
    }
  });

  it('past the card limit the index stays incomplete', async () => {
    const files = new FakeFiles();
    for (const n of [1, 2, 3]) files.write(`/ws/c${n}.trl.yaml`, card(`C${n}`, 2));
    const { keeper, done } = makeKeeper(files, [], 2);
    try {
      const { complete } = await keeper.scan();
      assert.strictEqual(complete, false);
      assert.strictEqual(keeper.index.complete, false);
      assert.strictEqual(keeper.index.size, 2);
    } finally {
      done();
    }
  });

  it('a deleted card leaves the index; a closed card is read from disk again', async () => {
    const files = new FakeFiles();
    files.write('/ws/a.trl.yaml', card('A', 2));
    const { keeper, done } = makeKeeper(files);
    try {
      await keeper.filesChanged([{ uri: uriOf('/ws/a.trl.yaml'), type: 2 }]);
      files.write('/ws/a.trl.yaml', card('A2', 2));
      await keeper.closed(uriOf('/ws/a.trl.yaml'));
      assert.strictEqual(keeper.index.byUri(uriOf('/ws/a.trl.yaml'))?.id, 'A2');
      await keeper.filesChanged([{ uri: uriOf('/ws/a.trl.yaml'), type: 3 }]);
      assert.strictEqual(keeper.index.size, 0);
    } finally {
      done();
    }
  });
});

describe('host: previous cards from disk', () => {
  it('a previous card is read once while unchanged, and again once its file changed', async () => {
    const files = new FakeFiles();
    files.write('/ws/a.trl.yaml', card('A', 3));
    const keeper = new IndexKeeper({ files, timer: new FakeTimers(), open: { has: () => false, all: () => [] }, log: noLog });
    keeper.setFolders([uriOf('/ws')]);
    await keeper.indexFile(uriOf('/ws/a.trl.yaml'));
    keeper.index.complete = true;
    const cards = new OpenCards(service, files, noLog);
    const current = cards.opened(uriOf('/ws/b.trl.yaml'), 'trl-card', 1, card('A', 4, 'previous:\n  - a.trl.yaml\n'));
    const previous = new PreviousCards({ files, parse: (t) => service.parse(t), index: keeper.index, open: cards, log: noLog });
    const levelOf = async () => ((await previous.of(current))?.data as { level?: number } | undefined)?.level;
    assert.strictEqual(await levelOf(), 3);
    assert.strictEqual(await levelOf(), 3);
    assert.strictEqual(files.reads.get('/ws/a.trl.yaml'), 2, 'read once to index, once for the preview');
    files.write('/ws/a.trl.yaml', card('A', 2));
    assert.strictEqual(await levelOf(), 2, 'the changed file is read again');
    // Open in the editor: its live text, not the disk.
    cards.opened(uriOf('/ws/a.trl.yaml'), 'trl-card', 1, card('A', 1));
    assert.strictEqual(await levelOf(), 1);
  });
});

describe('host: preview answers', () => {
  const model = (text: string, uri = 'file:///ws/a.trl.yaml'): CardPreview => {
    const cards = new OpenCards(service, new FakeFiles(), noLog);
    const d = cards.opened(uri, 'trl-card', 1, text);
    return JSON.parse(JSON.stringify(service.preview(d, d.card, 1, {}))) as CardPreview;
  };

  it('names each answer; a known base of the same card gets what changed, applied it gives the full answer', () => {
    const answers = new PreviewAnswers('p', noLog, 2);
    const first = answers.answer(model(card('A', 3, 'tldr: one\n')), undefined) as CardPreview;
    assert.strictEqual(first.answer, 'p:1');
    const second = model(card('A', 3, 'tldr: two\n'));
    const delta = answers.answer(second, 'p:1') as CardPreviewDelta;
    assert.strictEqual(delta.delta, true, 'a delta, not the full answer');
    assert.strictEqual(delta.base, 'p:1');
    assert.deepStrictEqual(applyPreviewDelta(first, JSON.parse(JSON.stringify(delta))), { ...second, answer: 'p:2' });
  });

  it('an unknown base, one of another card, or one past the last kept gets the full answer', () => {
    const answers = new PreviewAnswers('p', noLog, 2);
    const full = (answer: ReturnType<PreviewAnswers['answer']>, name: string, why: string) => {
      assert.ok(!('delta' in answer), `${why}: the full answer`);
      assert.strictEqual((answer as CardPreview).answer, name);
    };
    answers.answer(model(card('A', 3)), undefined); // p:1
    full(answers.answer(model(card('B', 3), 'file:///ws/b.trl.yaml'), 'p:1'), 'p:2', 'another card');
    full(answers.answer(model(card('A', 3)), 'nope'), 'p:3', 'an unknown base');
    full(answers.answer(model(card('A', 4)), 'p:1'), 'p:4', 'a base no longer kept (only the last 2)');
    assert.ok('delta' in answers.answer(model(card('A', 4)), 'p:4'), 'the last one kept');
  });
});

describe('host: the portfolio notifier', () => {
  const facts = (level: number) => cardFacts('file:///ws/a.trl.yaml', service.parse(card('A', level)));

  it('says nothing until asked; then once per burst of changes, and nothing for a change it does not show', () => {
    const timers = new FakeTimers();
    let told = 0;
    const notifier = new PortfolioNotifier(timers, () => void told++);
    notifier.factsChanged(facts(2), facts(3));
    assert.strictEqual(timers.timeouts.length, 0, 'not asked yet');
    notifier.asked = true;
    notifier.factsChanged(facts(3), facts(3));
    assert.strictEqual(timers.timeouts.length, 0, 'same portfolio facts');
    notifier.factsChanged(facts(3), facts(4));
    notifier.factsChanged(facts(4), undefined);
    notifier.scanDone();
    timers.elapse();
    assert.strictEqual(told, 1);
    assert.ok(notifier.scanned);
  });
});

describe('host: the configuration store', () => {
  it('a card gets its own folder’s team configuration (the longest root), the open file over the disk', async () => {
    const files = new FakeFiles();
    files.write('/ws/trl-cards.config.yaml', 'rules:\n  risk-mismatch: off\n');
    files.write('/ws/sub/trl-cards.config.yaml', 'rules:\n  risk-mismatch: warning\n');
    const store = new ConfigurationStore(files, noLog, () => '2026-01-02');
    store.setRoots(['/ws/sub', '/ws']); // the longest root wins, in any order
    assert.strictEqual(await store.loadAll(), true);
    const rule = (uri: string) => store.settingsFor(uri).config?.rules?.['risk-mismatch'];
    assert.strictEqual(rule(uriOf('/ws/a.trl.yaml')), 'off');
    assert.strictEqual(rule(uriOf('/ws/sub/b.trl.yaml')), 'warning');
    assert.strictEqual(rule(uriOf('/ws/subway/c.trl.yaml')), 'off', 'a sibling folder sharing a prefix is not below /ws/sub');
    assert.strictEqual(store.settingsFor(uriOf('/ws/a.trl.yaml')).today, '2026-01-02');
    // Open in the editor with other text: that text counts; closed, the disk again.
    const uri = uriOf('/ws/trl-cards.config.yaml');
    const { TextDocument } = await import('vscode-languageserver-textdocument');
    assert.strictEqual(store.edited(TextDocument.create(uri, 'yaml', 1, 'rules:\n  risk-mismatch: error\n')), true);
    assert.strictEqual(rule(uriOf('/ws/a.trl.yaml')), 'error');
    assert.strictEqual(await store.close(uri), true);
    assert.strictEqual(rule(uriOf('/ws/a.trl.yaml')), 'off');
    assert.strictEqual(store.close(uri), false, 'not open any more');
  });
});

describe('host: open cards', () => {
  it('applies a full text then a range edit in order, and keeps the outline for the current version only', () => {
    const cards = new OpenCards(service, new FakeFiles(), noLog);
    const uri = 'file:///ws/a.trl.yaml';
    cards.opened(uri, 'trl-card', 1, card('A', 3));
    const d = cards.changed(uri, 2, [{ text: card('B', 3) }, { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } }, text: 'C' }])!;
    assert.strictEqual(d.getText(), card('B', 3).replace('id: B', 'id: C'));
    let computed = 0;
    const outline = () => cards.symbols(d, () => (computed++, []));
    outline();
    outline();
    cards.changed(uri, 3, [{ range: { start: { line: 2, character: 7 }, end: { line: 2, character: 8 } }, text: '4' }]);
    outline();
    assert.strictEqual(computed, 2);
    assert.ok(cards.closed(uri));
    assert.strictEqual(cards.get(uri), undefined);
  });
});
