/** Generated at build time by esbuild.js from schemas/trl-card.schema.json (ajv standalone). */
declare module 'virtual:card-validators' {
  import type { ValidateFunction } from 'ajv';
  const validators: Record<string, ValidateFunction>;
  export = validators;
}
