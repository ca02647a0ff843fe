// One build script for every bundle. `node esbuild.js [--production] [--watch] [--no-tests]`
// (--no-tests: the extension, the server and the checker without the test bundles, as
// `npm start` builds them).
// Type checking is separate: `npm run typecheck` (tsc, strict).
const esbuild = require('esbuild');
const path = require('path');
const fs = require('fs');

const production = process.argv.includes('--production');

/**
 * `virtual:card-validators`: the card schema's validators (one per top-level field), and
 * `virtual:config-validator`: the team configuration's, compiled by ajv at build time into plain
 * JS, so the server does not compile a schema at start-up.
 */
const cardValidatorsPlugin = {
  name: 'card-validators',
  setup(build) {
    build.onResolve({ filter: /^virtual:(card-validators|config-validator)$/ }, (args) => ({ path: args.path.slice('virtual:'.length), namespace: 'card-validators' }));
    build.onLoad({ filter: /.*/, namespace: 'card-validators' }, (args) => {
      const Ajv2020 = require('ajv/dist/2020').default;
      const standaloneCode = require('ajv/dist/standalone').default;
      const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, code: { source: true } });
      // `virtual:config-validator`: the team configuration file's validator, `config`.
      const file = args.path === 'config-validator' ? 'trl-cards.config.schema.json' : 'trl-card.schema.json';
      const schemaPath = path.join(__dirname, 'schemas', file);
      const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
      ajv.addSchema(schema);
      const refs = {};
      if (args.path === 'config-validator') refs.config = schema.$id;
      else for (const key of Object.keys(schema.properties)) refs[key] = `${schema.$id}#/properties/${key}`;
      return { contents: standaloneCode(ajv, refs), loader: 'js', resolveDir: __dirname, watchFiles: [schemaPath] };
    });
  },
};
const watch = process.argv.includes('--watch');

/**
 * The validators' `ucs2length` (ajv's runtime, `minLength`) from server/src/text/ucs2length.ts:
 * the same count without a loop over every character.
 */
const ajvRuntimePlugin = {
  name: 'ajv-runtime',
  setup(build) {
    build.onResolve({ filter: /^ajv\/dist\/runtime\/ucs2length$/ }, () => ({ path: path.join(__dirname, 'server', 'src', 'text', 'ucs2length.ts') }));
  },
};

/**
 * `yaml` from its ES-module build (the one its `exports` give every platform but Node; the
 * same code, with `console` for its debug logs and `atob` for `!!binary`): bundled as ES
 * modules, its functions are called directly, not through the getters esbuild puts around a
 * CommonJS module's exports, which cost a few percent of a cold check (every `isMap`, every
 * node's constructor).
 */
const yamlEsmPlugin = {
  name: 'yaml-esm',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: require.resolve('yaml/package.json').replace(/package\.json$/, 'browser/index.js') }));
  },
};

/**
 * yaml's `mapIncludes` (the composer's test for a repeated key, which looks through every
 * earlier key of the mapping: quadratic in its keys) from server/src/card/yamlMapIncludes.ts:
 * the same answers in amortised constant time.
 */
const yamlMapIncludesPlugin = {
  name: 'yaml-map-includes',
  setup(build) {
    const yamlDir = path.dirname(require.resolve('yaml/package.json')) + path.sep;
    build.onResolve({ filter: /^\.\/util-map-includes\.js$/ }, (args) =>
      args.importer.startsWith(yamlDir) ? { path: path.join(__dirname, 'server', 'src', 'card', 'yamlMapIncludes.ts') } : undefined,
    );
  },
};

/**
 * The charts (ECharts, about 1.5 MB) in a bundle of their own, dist/charts.js: the checker and
 * the server load it only when a chart is drawn (`import()` of services/portfolioCharts), so
 * neither compiles ECharts on every start (and the checker's worker threads not at all).
 * The test bundles keep it inside.
 */
const chartsApartPlugin = {
  name: 'charts-apart',
  setup(build) {
    build.onResolve({ filter: /\/services\/portfolioCharts$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './charts.js', external: true } : undefined));
  },
};

/**
 * What the tools know of their own package, from package.json at build time: the version, and
 * the web address of the rules reference — docs/rules.md in the repository package.json names
 * (`repository`, read by npm's hosted-git-info: GitHub, GitLab, Bitbucket, sourcehut), or none
 * when it names none there. SARIF's help links then are left out rather than point at a file on
 * the machine that ran the check.
 * @param {{ version: string, repository?: string | { url?: string, directory?: string } }} pkg
 */
function packageInfo(pkg) {
  const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const hosted = repository ? require('hosted-git-info').fromUrl(repository) : undefined;
  const directory = typeof pkg.repository === 'object' && pkg.repository.directory ? `${pkg.repository.directory.replace(/\/+$/, '')}/` : '';
  return { version: pkg.version, rulesUrl: hosted ? hosted.browse(`${directory}docs/rules.md`) : undefined };
}

/** `virtual:package`: `version` and `rulesUrl` (packageInfo) of this package.json. */
const packagePlugin = {
  name: 'package',
  setup(build) {
    build.onResolve({ filter: /^virtual:package$/ }, () => ({ path: 'package', namespace: 'package-info' }));
    build.onLoad({ filter: /.*/, namespace: 'package-info' }, () => {
      const file = path.join(__dirname, 'package.json');
      const info = packageInfo(JSON.parse(fs.readFileSync(file, 'utf8')));
      return { contents: `export const version = ${JSON.stringify(info.version)};\nexport const rulesUrl = ${JSON.stringify(info.rulesUrl)};\n`, loader: 'js', watchFiles: [file] };
    });
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [cardValidatorsPlugin, ajvRuntimePlugin, yamlEsmPlugin, packagePlugin, yamlMapIncludesPlugin],
  // The preview's stylesheet, inlined into exported HTML.
  loader: { '.css': 'text' },
};

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  // The VS Code client. `vscode` is provided by the extension host.
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The language server, runnable standalone (package bin `trl-cards-language-server`, stdio by default).
  { ...common, plugins: [cardValidatorsPlugin, ajvRuntimePlugin, yamlEsmPlugin, packagePlugin, yamlMapIncludesPlugin, chartsApartPlugin], entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  // The command-line checker (package bin `trl-cards`).
  { ...common, plugins: [cardValidatorsPlugin, ajvRuntimePlugin, yamlEsmPlugin, packagePlugin, yamlMapIncludesPlugin, chartsApartPlugin], entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The charts, loaded by both when a chart is drawn (see chartsApartPlugin).
  { ...common, entryPoints: ['server/src/services/portfolioCharts.ts'], outfile: 'dist/charts.js' },
  // The card preview's and the portfolio dashboard's page scripts (webview/, DOM only) and
  // stylesheets: dist/media is the one folder the webviews may load from (localResourceRoots).
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    plugins: [],
    entryPoints: ['webview/preview.ts', 'webview/preview.css', 'webview/portfolio.ts', 'webview/portfolio.css'],
    outdir: 'dist/media',
    loader: { '.css': 'css' },
  },
];

/** Every `*.test.ts` below a folder, for bundling one test file each. */
function testFiles(dir) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) out.push(...testFiles(full));
    else if (d.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

if (!production && !process.argv.includes('--no-tests')) {
  // Unit, protocol, checker and fuzz tests, run by mocha in Node (see .mocharc.json), and the
  // package tests (npm run test:package).
  const unit = ['test/unit', 'test/protocol', 'test/cli', 'test/fuzz', 'test/package'].flatMap(testFiles);
  if (unit.length) targets.push({ ...common, entryPoints: unit, outdir: 'dist/test', outbase: 'test', external: ['mocha'] });
  // Tests that run inside the VS Code extension host (bundled with mocha).
  targets.push({
    ...common,
    entryPoints: ['test/vscode/suite/index.ts'],
    outfile: 'dist/test/vscode/index.js',
    external: ['vscode', 'mocha'],
  });
}

async function main() {
  fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
  if (watch) {
    const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching…');
    return;
  }
  await Promise.all(targets.filter((t) => fs.existsSync(t.entryPoints[0])).map((t) => esbuild.build(t)));
  fs.chmodSync(path.join(__dirname, 'dist', 'cli.js'), 0o755);
  fs.chmodSync(path.join(__dirname, 'dist', 'server.js'), 0o755);
}

module.exports = { cardValidatorsPlugin, packageInfo };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
