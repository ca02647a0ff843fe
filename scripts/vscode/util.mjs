// @ts-check
/** Small utilities of the in-VS-Code runner: its log, durations, lines of a stream, and the kinds of failure. */


/** @param {string} msg */
export function log(msg) {
  process.stdout.write(`[test-vscode] ${msg}\n`);
}

/** @param {number} ms */
export function fmt(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Keeps the last `max` lines of a stream of text. */
export class Tail {
  /** @param {number} max */
  constructor(max) {
    this.max = max;
    /** @type {string[]} */
    this.lines = [];
  }
  /** @param {string} line */
  push(line) {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  toString() {
    return this.lines.join('\n');
  }
}

/**
 * Splits a readable stream into lines.
 * @param {NodeJS.ReadableStream} stream
 * @param {(line: string) => void} onLine
 */
export function onLines(stream, onLine) {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (/** @type {string} */ chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i).replace(/\r$/, ''));
      buf = buf.slice(i + 1);
    }
  });
  stream.on('end', () => {
    if (buf) onLine(buf);
    buf = '';
  });
}

// install

/**
 * Strips ANSI colour codes (mocha may colour its output).
 * @param {string} s
 */
export function stripAnsi(s) {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}

export class InfraError extends Error {}

export class TimeoutError extends Error {}
