// mocha's spec reporter, plus one plain closing line "N passed, N failed" that CI logs can read.
const Mocha = require('mocha');

class SpecWithTotals extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const s = runner.stats || {};
      const skipped = s.pending ? `, ${s.pending} skipped` : '';
      console.log(`unit: ${s.passes || 0} passed, ${s.failures || 0} failed${skipped}`);
    });
  }
}

module.exports = SpecWithTotals;
