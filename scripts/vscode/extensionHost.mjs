// @ts-check
/**
 * The tests' extension host, as code-server's log tells of it. One that dies abnormally never
 * reports the tests' end: fail fast (after a grace period in which codeAutomationExit may still
 * come); one that exits normally right after the run is waited for, since the web workbench
 * reports 0 when it died instead.
 */
import { InfraError, log } from './util.mjs';

/**
 * @param {import('./clock.mjs').Clock} clock
 */
export function watchExtensionHost(clock) {
  /** @type {NodeJS.Timeout | undefined} */
  let crashTimer;
  /** @type {string | undefined} */
  let crashedDuringTests;
  /** @type {() => void} */
  let extHostExitSeen = () => {};
  /** Resolves when code-server logs that the tests' extension host exited. */
  const exited = new Promise((resolve) => {
    extHostExitSeen = () => resolve(undefined);
  });
  const extHostCrashed = (/** @type {string} */ how) => {
    log(`the extension host exited abnormally (${how})`);
    if (clock.phase() === 'extension tests') crashedDuringTests = how;
    if (!crashTimer && clock.phase() === 'extension tests') {
      crashTimer = setTimeout(() => clock.fire(new InfraError(`the extension host exited abnormally (${how}) during the tests`)), 10_000);
    }
  };
  return {
    exited,
    /** How it died during the tests, if it did. */
    crashedDuringTests: () => crashedDuringTests,
    clear: () => clearTimeout(crashTimer),
    /** Reads one line of code-server's output. @param {string} l */
    onLine(l) {
      const m = /Extension Host Process exited with code: (\S+), signal: (\S+)\./.exec(l);
      if (m) {
        if (m[1] !== '0' || m[2] !== 'null') extHostCrashed(`code ${m[1]}, signal ${m[2]}`);
        if (clock.phase() === 'extension tests') extHostExitSeen();
      }
    },
  };
}
