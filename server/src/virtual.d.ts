/** Generated at build time by esbuild.js from schemas/trl-card.schema.json (ajv standalone). */
declare module 'virtual:card-validators' {
  import type { ValidateFunction } from 'ajv';
  const validators: Record<string, ValidateFunction>;
  export = validators;
}

/** Generated at build time by esbuild.js from schemas/trl-cards.config.schema.json. */
declare module 'virtual:config-validator' {
  import type { ValidateFunction } from 'ajv';
  export const config: ValidateFunction;
}

/** Generated at build time by esbuild.js from package.json (packageInfo). */
declare module 'virtual:package' {
  /** The package's version. */
  export const version: string;
  /** docs/rules.md on the web, in the repository package.json names; undefined when it names none. */
  export const rulesUrl: string | undefined;
}

/** Stylesheets imported as text (esbuild's `text` loader): the preview's CSS, inlined in the HTML export. */
declare module '*.css' {
  const css: string;
  export default css;
}
