/** `trlCards/portfolio` and `trlCards/portfolioChanged` over real LSP: a temp workspace on disk, indexed by the server. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { PORTFOLIO_CHANGED_NOTIFICATION, PORTFOLIO_REQUEST, type PortfolioResponse } from '../../protocol/portfolioMessages';
import { startServer, type TestClient } from './lspClient';

const FILES: Record<string, string> = {
  'sys.trl.yaml': 'technology: System\nid: SYS\nlevel: 3\ncomponents: [PART, ./gone.trl.yaml]\n',
  'part.trl.yaml': 'technology: Part\nid: PART\nlevel: 2\nowners:\n  rnd:\n    owner: Ann\nhistory:\n  - { level: 1, date: 2025-01-01, decision: graduate }\n  - { level: 2, date: 2025-03-01, decision: hold }\n',
};

describe('portfolio over LSP', () => {
  let dir: string;
  let client: TestClient;
  let changes = 0;
  let onChange: (() => void) | undefined;
  const uri = (rel: string) => pathToFileURL(path.join(dir, rel)).toString();
  const ask = (charts = false) => client.connection.sendRequest<PortfolioResponse>(PORTFOLIO_REQUEST.method, { charts });
  const changed = () => new Promise<void>((resolve) => (onChange = resolve));
  const write = async (rel: string, text: string) => {
    fs.writeFileSync(path.join(dir, rel), text);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(rel), type: 2 }] });
  };

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'trl-portfolio-')));
    for (const [rel, t] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, rel), t);
    client = await startServer({ workspace: { workspaceFolders: true } }, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
    client.connection.onNotification(PORTFOLIO_CHANGED_NOTIFICATION.method, () => {
      changes++;
      onChange?.();
    });
    await client.logged(/Indexed 2 cards/);
  });
  after(async () => {
    assert.strictEqual(await client.close(), 0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers with the portfolio of the index, the system tree, and charts only when asked', async () => {
    const r = await ask();
    assert.strictEqual(r.complete, true);
    assert.deepStrictEqual(r.portfolio.technologies.map((t) => [t.key, t.level]), [['PART', 2], ['SYS', 3]]);
    assert.deepStrictEqual(r.components, { SYS: ['PART'] }, 'a component naming no card is left out');
    assert.strictEqual(r.portfolio.technologies.find((t) => t.key === 'SYS')!.limitedBy?.id, 'PART');
    assert.strictEqual(r.charts, undefined);
    const withCharts = await ask(true);
    assert.strictEqual(withCharts.charts?.length, 3);
    for (const c of withCharts.charts!) assert.match(c.svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.strictEqual(changes, 0, 'nothing changed yet');
  });

  it('says the portfolio changed when a level changes on disk, and when only portfolio facts change', async () => {
    let next = changed();
    await write('part.trl.yaml', FILES['part.trl.yaml'].replace('level: 2\n', 'level: 4\n'));
    await next;
    assert.strictEqual((await ask()).portfolio.technologies.find((t) => t.key === 'PART')!.level, 4);
    // The owner is no fact the cross-card rules read, but the portfolio shows it.
    next = changed();
    await write('part.trl.yaml', FILES['part.trl.yaml'].replace('level: 2\n', 'level: 4\n').replace('owner: Ann', 'owner: Bo'));
    await next;
    assert.strictEqual((await ask()).portfolio.technologies.find((t) => t.key === 'PART')!.owner, 'Bo');
  });
});
