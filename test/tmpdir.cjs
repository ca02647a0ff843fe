// Loaded by mocha (`--require`, .mocharc.json) before any test: the run gets a temporary folder
// of its own, given as TMPDIR to os.tmpdir() and to every process the tests start, and the run
// fails if a test left anything in it (each test removes what it writes). The folder goes
// either way, so a run never leaves files behind in the system's temporary folder.
const fs = require('fs');
const os = require('os');
const path = require('path');

const own = fs.mkdtempSync(path.join(os.tmpdir(), 'trl-tests-'));
// Searchable by other users, as the system's folder is: some tests run the checker as one.
fs.chmodSync(own, 0o755);
process.env.TMPDIR = own;

exports.mochaGlobalTeardown = function () {
  const left = fs.readdirSync(own);
  fs.rmSync(own, { recursive: true, force: true });
  if (left.length) throw new Error(`the tests left ${left.length} file${left.length === 1 ? '' : 's'} in the temporary folder: ${left.join(', ')}. A test removes what it writes (in a finally or an after hook).`);
};
