// `node scripts/bench/parse-once.cjs FILE…`: the floor for a full parse. Loads the `yaml`
// package, reads each file, then times one `parseDocument` call per file in this fresh process
// (the first call pays for yaml's own JIT warm-up, as a freshly started server would).
// Prints one JSON line: { ms: [..per file], errors: [..per file] }. Process start and
// `require('yaml')` are not included.
'use strict';
const fs = require('fs');
const path = require('path');
// eslint-disable-next-line no-redeclare -- the same object as the global, named where it comes from
const { performance } = require('perf_hooks');

const root = path.resolve(__dirname, '..', '..');
const { parseDocument } = require(require.resolve('yaml', { paths: [root] }));
const files = process.argv.slice(2);
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const ms = [];
const errors = [];
for (const text of texts) {
  const t0 = performance.now();
  const doc = parseDocument(text);
  ms.push(performance.now() - t0);
  errors.push(doc.errors.length);
}
process.stdout.write(JSON.stringify({ ms, errors }) + '\n');
