// The push check: a server that pushes diagnostics sends one set per change, for the latest text.
import { pathToFileURL } from 'node:url';
import { bigCard } from './cards.mjs';
import { serverDefs, startServer } from './servers.mjs';
import { collectLogs, readiness, withReady } from './anomalies.mjs';
import { sameSet, writeCardFolder } from './size.mjs';
import { fmtInt } from './stats.mjs';

export async function pushCheck(n, dir, o, anomalies) {
  const card = bigCard(n, { variant: 99 });
  const { folder, uri } = writeCardFolder(dir, `push-${n}`, `push-${n}.trl.yaml`, card, n);
  const def = serverDefs(o, pathToFileURL(folder).href)[0];
  const srv = await startServer({ ...withReady(def, o), name: 'ours (push mode)', pull: false });
  const where = `push mode, ${fmtInt(n)} requirements`;
  try {
    // Settled first (workspace indexed), so that the pushes measured are those of the edits.
    const rd = readiness(o, anomalies, def.name);
    if (!(await srv.waitReady(rd.timeoutMs)).ok) rd.onNotReady();
    if (srv.pullMode) throw new Error('the server uses pull diagnostics although the client did not announce them');
    const open = await srv.open(uri, card.text);
    const base = open.diagnostics;
    const L = card.edit.line;
    const edits = [];
    let ok = true;
    for (let i = 0; i < 3; i++) {
      const b = await srv.edit(uri, card.edit, 1, card.edit.to, (d) => d.some((x) => x.range.start.line <= L && x.range.end.line >= L), 'the edit 0.2 → 2.2');
      const r = await srv.edit(uri, card.edit, 1, card.edit.from, (d) => sameSet(d, base), 'the revert');
      for (const x of [b, r]) {
        if (x.ok) edits.push(x.ms);
        else ok = false;
        if (x.staleAnswers) anomalies.add(srv.name, where, `${x.staleAnswers} publishDiagnostics did not reflect the latest edit`);
      }
      if (!b.ok || !r.ok) anomalies.add(srv.name, where, `in push mode the published diagnostics did not follow the edit p_failure 0.2 → 2.2 and back`);
    }
    collectLogs(srv, anomalies, where);
    return { n, open: open.ms, edits, ok };
  } finally {
    await srv.stop();
  }
}
