// The two servers the benchmark compares, configured as an editor would run them.
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspServer, ServerError } from './lsp.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));

/**
 * @param {{ serverJs: string, timeout: number, staleTimeout: number, yamlLs?: boolean }} o
 * @param {string} rootUri  workspace folder URI
 */
export function serverDefs(o, rootUri) {
  const schemaUrl = pathToFileURL(path.join(ROOT, 'schemas', 'trl-card.schema.json')).href;
  const ylsDir = path.dirname(require.resolve('yaml-language-server/package.json'));
  const yamlSettings = {
    validate: true,
    hover: true,
    completion: true,
    schemas: { [schemaUrl]: '*.trl.yaml' },
    // The catalog of schemastore.org would be fetched over the network (none here, and not
    // what we compare); Kubernetes CRD store likewise. Neither applies to *.trl.yaml files.
    schemaStore: { enable: false },
    kubernetesCRDStore: { enable: false },
  };
  const ourSettings = { validate: { enable: true }, rules: {}, trace: { server: 'off' } };
  const common = { rootUri, timeoutMs: o.timeout * 1000, staleTimeoutMs: o.staleTimeout * 1000 };
  /** @type {import('./lsp.mjs').ServerDef[]} */
  const defs = [
    {
      name: 'ours',
      label: 'TRL Cards server',
      ...common,
      args: [o.serverJs, '--stdio'],
      languageId: 'trl-card',
      pull: true,
      // The server indexes the workspace folder in the background (for the cross-card rules)
      // and logs this line when done; the benchmark waits for it where it needs settled results.
      readyLog: /^Indexed \d+ cards? in the workspace/,
      // What the extension's client sends (client/src/extension.ts).
      initializationOptions: { rulesBaseUrl: pathToFileURL(path.join(ROOT, 'docs', 'rules.md')).href, settings: ourSettings },
      configuration: (section) => (section === 'trlCards' ? ourSettings : null),
    },
  ];
  if (o.yamlLs) {
    defs.push({
      name: 'yaml-ls',
      label: 'yaml-language-server',
      ...common,
      args: ['-r', path.join(HERE, 'yaml-ls-no-debounce.cjs'), path.join(ylsDir, 'bin', 'yaml-language-server'), '--stdio'],
      env: { BENCH_YAML_LS_DIR: ylsDir },
      languageId: 'yaml',
      pull: true, // announced as VS Code does; yaml-language-server does not offer pull, so it pushes
      configuration: (section) => {
        if (section === 'yaml') return yamlSettings;
        if (section === 'http') return { proxy: '', proxyStrictSSL: false };
        if (section === '[yaml]' || section === 'editor') return {};
        return null;
      },
      mustLog: '[bench] yaml-language-server validation debounce removed',
    });
  }
  return defs;
}

export async function startServer(def) {
  const srv = new LspServer(def);
  srv.def = def;
  await srv.start();
  if (def.mustLog && !srv.stderr.join('').includes(def.mustLog)) {
    throw new ServerError(`${def.name}: the preload did not report removing the validation debounce; refusing to measure a debounced server.${srv.tail()}`);
  }
  return srv;
}


/**
 * Waits until the server is settled (its "ready" log, if it has one) and returns the diagnostics
 * an editor then shows for `uri`. A server that never logs it is reported through `onNotReady`.
 */
export async function settled(srv, uri, timeoutMs, onNotReady) {
  const ready = await srv.waitReady(timeoutMs);
  if (!ready.ok && onNotReady) onNotReady();
  return srv.current(uri);
}

/**
 * The consistency reference: the diagnostics of `text` opened at `uri` in a fresh process of
 * `def` (same workspace folder), once that server is settled.
 */
export async function freshDiagnostics(def, uri, text, timeoutMs, onNotReady) {
  const srv = await startServer(def);
  try {
    const opened = await srv.open(uri, text);
    if (!def.readyLog) return opened.diagnostics;
    return await settled(srv, uri, timeoutMs, onNotReady);
  } finally {
    await srv.stop();
  }
}
