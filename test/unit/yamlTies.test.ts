/**
 * The fast path's and the build's ties to yaml's internals (card/yamlTies.ts, esbuild.js): each
 * assumption is checked by name, so that a yaml upgrade that breaks one fails here saying which
 * (see docs/architecture.md, "Upgrading yaml"), rather than turning the fast path off quietly.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { yamlAssumptions } from '../../server/src/card/yamlTies';
import { fastParse } from '../../server/src/card/fastParse';
import { ROOT } from '../helpers';

const YAML_DIR = path.join(ROOT, 'node_modules', 'yaml');

describe("the ties to yaml's internals", () => {
  it('yaml is the major version the ties were written for (2)', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(YAML_DIR, 'package.json'), 'utf8')) as { version: string }).version;
    assert.strictEqual(version.split('.')[0], '2', `yaml ${version}: read "Upgrading yaml" in docs/architecture.md, then check every tie below`);
  });

  for (const a of yamlAssumptions()) {
    it(a.name, () => assert.ok(a.holds, `yaml no longer does this: ${a.name}. The fast path (card/fastParse.ts) is off until card/yamlTies.ts is brought up to date.`));
  }

  it('the fast path is on: a plain card is parsed by it', () => {
    assert.ok(fastParse('technology: T\nlevel: 0\n'), 'fastParse gave up on the simplest card: a tie above broke');
  });

  it("the build's replacements find what they replace in yaml's package (esbuild.js)", () => {
    // yamlEsmPlugin bundles yaml's ES-module build.
    assert.ok(fs.existsSync(path.join(YAML_DIR, 'browser', 'index.js')), 'yaml/browser/index.js is gone: esbuild.js yamlEsmPlugin');
    // yamlMapIncludesPlugin replaces the composer's './util-map-includes.js' with card/yamlMapIncludes.ts.
    const includes = path.join(YAML_DIR, 'browser', 'dist', 'compose', 'util-map-includes.js');
    assert.ok(fs.existsSync(includes), `${path.relative(ROOT, includes)} is gone: esbuild.js yamlMapIncludesPlugin no longer replaces anything`);
    assert.match(fs.readFileSync(includes, 'utf8'), /function mapIncludes\(ctx, items, search\)/, 'mapIncludes has another signature: card/yamlMapIncludes.ts');
    const composer = fs.readdirSync(path.join(YAML_DIR, 'browser', 'dist', 'compose')).map((f) => fs.readFileSync(path.join(YAML_DIR, 'browser', 'dist', 'compose', f), 'utf8'));
    assert.ok(composer.some((t) => t.includes("from './util-map-includes.js'")), "yaml's composer no longer imports './util-map-includes.js'");
  });
});
