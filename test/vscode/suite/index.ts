/**
 * Entry of the tests that run inside a real VS Code extension host (desktop through
 * @vscode/test-electron, or code-server's web workbench). Exports `run()`, as VS Code expects.
 */
import Mocha from 'mocha';

/** Reports through console.log, which both runners forward, one line per event. */
class LineReporter {
  constructor(runner: Mocha.Runner) {
    let passes = 0;
    let failures = 0;
    runner.on('pass', (test) => {
      passes++;
      console.log(`  ✔ ${test.fullTitle()} (${test.duration ?? 0}ms)`);
    });
    runner.on('fail', (test, err: Error) => {
      failures++;
      console.log(`  ✘ ${test.fullTitle()}\n${err.stack ?? err.message}`);
    });
    runner.on('end', () => console.log(`vscode: ${passes} passed, ${failures} failed`));
  }
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, reporter: LineReporter as unknown as string });
  // TRL_TEST_GREP: run only the tests whose title matches (while working on one of them).
  if (process.env.TRL_TEST_GREP) mocha.grep(process.env.TRL_TEST_GREP);
  mocha.suite.emit('pre-require', globalThis, 'vscode-suite', mocha);
  // Required after pre-require, so the files see mocha's globals. In Restricted Mode (a second
  // run, TRL_CARDS_TEST_TRUST=restricted) only what must hold without trust.
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded after pre-require, not hoisted as imports are */
  if (process.env.TRL_CARDS_TEST_TRUST === 'restricted') {
    require('./links.test');
  } else {
    require('./extension.test');
    require('./markdown.test');
    require('./fixes-navigation.test');
    require('./preview.test');
    require('./newcard-snippets.test');
    require('./typing.test');
    require('./portfolio.test');
    require('./readiness.test');
    require('./links.test');
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
