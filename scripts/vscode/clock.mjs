// @ts-check
/**
 * The run's clock: its phases and their durations, one deadline that every await races against
 * (started once code-server is installed), and Ctrl+C / SIGTERM, which fire it.
 */
import { TimeoutError, fmt } from './util.mjs';

/**
 * @typedef {object} Clock
 * @property {() => string} phase                 the phase now
 * @property {() => number} phaseStart            when it began (ms)
 * @property {(phase: string) => void} enter      ends the phase now and begins the next
 * @property {() => void} start                   starts the deadline
 * @property {<T>(p: Promise<T>) => Promise<T>} race  `p`, or the deadline's error first
 * @property {(e: Error) => void} fire            fails every race now
 * @property {() => boolean} interrupted          whether a signal fired it
 * @property {() => void} clear                 clears the deadline's timer
 * @property {() => Record<string, number>} stop  removes the signal handlers; the phases' durations
 */

/**
 * @param {number} timeoutS
 * @returns {Clock}
 */
export function startClock(timeoutS) {
  const t0 = Date.now();
  /** @type {Record<string, number>} */
  const timings = {};
  let phase = 'install';
  let phaseStart = t0;

  // One deadline for the whole run; every await races against it.
  /** @type {(e: Error) => void} */
  let fire = () => {};
  /** @type {Promise<never>} */
  const deadline = new Promise((_, reject) => {
    fire = reject;
  });
  deadline.catch(() => {});
  // The clock starts once code-server is installed (a first install has its own limit).
  /** @type {NodeJS.Timeout | undefined} */
  let deadlineTimer;

  // Ctrl+C / SIGTERM: clean up, then exit.
  let interrupted = false;
  const onSignal = (/** @type {NodeJS.Signals} */ sig) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    fire(new Error(`interrupted by ${sig} in phase "${phase}"`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  return {
    phase: () => phase,
    phaseStart: () => phaseStart,
    enter(p) {
      timings[phase] = Date.now() - phaseStart;
      phase = p;
      phaseStart = Date.now();
    },
    start() {
      deadlineTimer = setTimeout(() => {
        fire(new TimeoutError(`timed out after ${timeoutS} s (--timeout / $TEST_VSCODE_TIMEOUT, counted after the install) in phase "${phase}" (${fmt(Date.now() - phaseStart)} in that phase)`));
      }, timeoutS * 1000);
    },
    race: (p) => Promise.race([p, deadline]),
    fire: (e) => fire(e),
    interrupted: () => interrupted,
    clear: () => clearTimeout(deadlineTimer),
    stop() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      timings[phase] = Date.now() - phaseStart;
      return timings;
    },
  };
}
