// Bundled by scripts/bench/portfolio.mjs (esbuild): times the index and the portfolio in one process.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { performance } from 'perf_hooks';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { factsOf } from '../../server/src/workspace/scan';
import { computePortfolio } from '../../server/src/workspace/portfolio';

const [dir, runs = '5'] = process.argv.slice(2);
const files: string[] = [];
const walk = (d: string) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const full = path.join(d, e.name);
    if (e.isDirectory()) walk(full);
    else if (e.name.endsWith('.trl.yaml')) files.push(full);
  }
};
walk(dir);
const texts = files.map((f) => [pathToFileURL(f).toString(), fs.readFileSync(f, 'utf8')] as const);
const t0 = performance.now();
const index = new WorkspaceIndex();
for (const [uri, text] of texts) index.set(factsOf(uri, text));
index.complete = true;
const indexMs = performance.now() - t0;
const portfolioMs: number[] = [];
let technologies = 0;
for (let i = 0; i < Number(runs); i++) {
  const t = performance.now();
  const p = computePortfolio(index, { today: '2026-11-15' });
  portfolioMs.push(performance.now() - t);
  technologies = p.summary.technologies;
}
process.stdout.write(JSON.stringify({ cards: texts.length, technologies, indexMs, portfolioMs, heapMB: process.memoryUsage().heapUsed / 1048576 }) + '\n');
