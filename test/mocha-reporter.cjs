// mocha's spec reporter, plus: under each skipped test, why it was skipped (mocha's
// `this.skip()` takes no reason: tests skip through `skipBecause` in test/helpers.ts, which
// keeps the reason on the test or its suite); then one plain closing line
// "<label>: N passed, N failed, N skipped" that CI logs can read, and each reason once.
// `--reporter-option label=…` names the run (default: unit).
const Mocha = require('mocha');

/** Why a pending test was skipped: its own reason, else its nearest suite's. */
function reasonOf(test) {
  for (let r = test; r; r = r.parent) if (r.skipReason) return r.skipReason;
  return 'no reason given (skip with skipBecause from test/helpers.ts)';
}

class SpecWithTotals extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const label = (options && options.reporterOption && options.reporterOption.label) || 'unit';
    const reasons = new Map();
    runner.on('pending', (test) => {
      const reason = reasonOf(test);
      reasons.set(reason, (reasons.get(reason) || 0) + 1);
      Mocha.reporters.Base.consoleLog(Mocha.reporters.Base.color('pending', `        skipped: ${reason}`));
    });
    runner.once('end', () => {
      const s = runner.stats || {};
      const skipped = s.pending ? `, ${s.pending} skipped` : '';
      console.log(`${label}: ${s.passes || 0} passed, ${s.failures || 0} failed${skipped}`);
      for (const [reason, n] of reasons) console.log(`  ${n} skipped: ${reason}`);
    });
  }
}

module.exports = SpecWithTotals;
