// What a server did that it should not (an error logged, stderr, an unknown request, an index
// that never said it was ready), noted once each for the report.
import { log } from './stats.mjs';

export class Anomalies {
  constructor() {
    this.list = [];
    this.seen = new Map();
  }
  add(server, where, message, repro) {
    const key = `${server}|${where}|${message}`;
    const hit = this.seen.get(key);
    if (hit) {
      hit.count++;
      return;
    }
    const a = { server, where, message, repro, count: 1 };
    this.seen.set(key, a);
    this.list.push(a);
    log(`ANOMALY ${server} @ ${where}: ${message}`);
  }
}

export function collectLogs(srv, anomalies, where) {
  for (const m of srv.errorLogs()) anomalies.add(srv.name, where, `error in the server log: ${m.message.split('\n')[0].slice(0, 300)}`);
  const stderr = srv.stderr.join('').split('\n').filter((l) => l.trim() && !(srv.def.mustLog && l.includes(srv.def.mustLog)));
  if (stderr.length) anomalies.add(srv.name, where, `wrote to stderr: ${stderr.slice(0, 3).join(' | ').slice(0, 300)}`);
  if (srv.events.unknownRequests.length) anomalies.add(srv.name, where, `sent requests the client does not know: ${[...new Set(srv.events.unknownRequests)].join(', ')}`);
}

/** Readiness (the server's "workspace indexed" log): wait for it, or note once that it never came. */
export function readiness(o, anomalies, name) {
  return {
    timeoutMs: o.indexTimeout * 1000,
    onNotReady: () => {
      if (o.noReady) return;
      o.noReady = true; // do not wait again in this run
      anomalies.add(name, 'workspace index', `the server did not log that its workspace index was complete within ${o.indexTimeout} s (expected a window/logMessage matching the "ready" pattern in scripts/bench/servers.mjs); results are taken without waiting for it from here on`);
    },
  };
}

export function withReady(def, o) {
  return o.noReady ? { ...def, readyLog: undefined } : def;
}
