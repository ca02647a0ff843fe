/** The checker on level transitions: `history` within a card, `previous-level` across cards. */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const CODES = ['level-skipped', 'history-order', 'history-mismatch', 'history-start', 'previous-level'];

interface Row {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

function check(args: string[], cwd: string): { code: number | null; rows: Row[]; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, rows: r.stdout ? (JSON.parse(r.stdout) as Row[]) : [], err: r.stderr };
}

/** [file, line, severity, code] of the transition rows. */
const ours = (rows: Row[]) => rows.filter((r) => CODES.includes(r.code)).map((r) => [r.file, r.line, r.severity, r.code]);

function card(level: number, entries: [number, string, string?][], extra = ''): string {
  let text = `technology: T\nlevel: ${level}\n${extra}history:\n`;
  for (const [l, d, decision] of entries) text += `  - level: ${l}\n    date: ${d}\n${decision ? `    decision: ${decision}\n` : ''}`;
  return text;
}

describe('trl-cards check: level transitions', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-transitions-'));
    fs.mkdirSync(path.join(dir, 'history'));
    const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, 'history', name), text);
    write('skip.trl.yaml', card(2, [[0, '2020-01-01', 'graduate'], [2, '2020-03-01']]));
    write('order.trl.yaml', card(1, [[0, '2020-05-01', 'graduate'], [1, '2020-03-01']]));
    write('mismatch.trl.yaml', card(3, [[0, '2020-01-01', 'graduate'], [1, '2020-02-01', 'hold']]));
    write('start.trl.yaml', card(5, [[4, '2020-01-01', 'graduate'], [5, '2020-02-01']]));
    write('cycle.trl.yaml', card(4, [[0, '2020-01-01'], [1, '2020-02-01'], [2, '2020-03-01'], [3, '2020-04-01'], [4, '2020-05-01', 'revert'], [3, '2020-06-01'], [4, '2020-07-01']]));
    write('graduated.trl.yaml', card(1, [[0, '2020-01-01', 'graduate']]));
    write('half-typed.trl.yaml', 'technology: T\nlevel: 2\nhistory:\n  - level: 0\n    date: 2020-01-01\n  - level:\n  - level: 2\n    date: 2020-03-01\n  - level: 7\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports skips, dates out of order, and first and last entries against entered_at and level', () => {
    const r = check(['history'], dir);
    assert.strictEqual(r.code, 1, r.err);
    const at = (name: string) => path.join('history', name);
    assert.deepStrictEqual(ours(r.rows), [
      [at('mismatch.trl.yaml'), 7, 'warning', 'history-mismatch'],
      [at('order.trl.yaml'), 8, 'error', 'history-order'],
      [at('skip.trl.yaml'), 7, 'error', 'level-skipped'],
      [at('start.trl.yaml'), 4, 'warning', 'history-start'],
    ]);
    const skip = r.rows.find((x) => x.code === 'level-skipped')!;
    assert.strictEqual(skip.column, 12);
    assert.match(skip.message, /from TRL 0 to TRL 2/);
  });

  it('gives none of these for a cycle back, a graduate last entry, or half-typed entries', () => {
    const r = check(['history/cycle.trl.yaml', 'history/graduated.trl.yaml', 'history/half-typed.trl.yaml'], dir);
    assert.deepStrictEqual(ours(r.rows), []);
  });

  it('reports previous cards that skip levels or lie above, reading them from disk', () => {
    const cards = path.join(dir, 'cards');
    fs.mkdirSync(cards);
    fs.writeFileSync(path.join(cards, 't.level-1.trl.yaml'), 'technology: T\nlevel: 1\n');
    fs.writeFileSync(path.join(cards, 't.level-5.trl.yaml'), 'technology: T\nlevel: 5\n');
    fs.writeFileSync(path.join(cards, 'gap.trl.yaml'), 'technology: T\nlevel: 4\nprevious:\n  - ./t.level-1.trl.yaml\n');
    fs.writeFileSync(path.join(cards, 'above.trl.yaml'), 'technology: T\nlevel: 4\nprevious:\n  - ./t.level-5.trl.yaml\n');
    // The same links, explained: entered at 1, the levels between reviewed, and a revert from 5.
    fs.writeFileSync(path.join(cards, 'recorded.trl.yaml'), card(4, [[1, '2020-01-01'], [2, '2020-02-01'], [3, '2020-03-01'], [4, '2020-04-01'], [5, '2020-05-01', 'revert']], 'entered_at: 1\nprevious:\n  - ./t.level-1.trl.yaml\n  - ./t.level-5.trl.yaml\n'));
    const r = check(['cards/gap.trl.yaml', 'cards/above.trl.yaml', 'cards/recorded.trl.yaml'], dir);
    assert.deepStrictEqual(ours(r.rows), [
      [path.join('cards', 'gap.trl.yaml'), 4, 'warning', 'previous-level'],
      [path.join('cards', 'above.trl.yaml'), 4, 'warning', 'previous-level'],
    ]);
    assert.match(r.rows.find((x) => x.file.endsWith('gap.trl.yaml') && x.code === 'previous-level')!.message, /Link the TRL 2 and 3 cards in `previous`, or record the path in `history`/);
  });

  it('gives the same transition problems in worker threads as in one thread', () => {
    const many = path.join(dir, 'many');
    fs.mkdirSync(many);
    for (let i = 0; i < 70; i++) {
      const name = `c${String(i).padStart(2, '0')}.trl.yaml`;
      // Each card links the one before; every fifth skips a level in its history.
      const prev = i > 0 ? `previous: [./c${String(i - 1).padStart(2, '0')}.trl.yaml]\n` : '';
      const level = i % 3;
      fs.writeFileSync(path.join(many, name), i % 5 === 0 ? card(2, [[0, '2020-01-01', 'graduate'], [2, '2020-02-01']], prev) : `technology: T\nlevel: ${level}\n${prev}`);
    }
    const one = check(['--jobs', '1', 'many'], dir);
    const two = check(['--jobs', '2', 'many'], dir);
    assert.deepStrictEqual(two.rows, one.rows);
    const found = ours(one.rows).map((x) => x[3]);
    assert.ok(found.includes('level-skipped') && found.includes('previous-level'), JSON.stringify(found));
  });
});
