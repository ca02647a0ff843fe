/**
 * The card's JSON Schema (schemas/trl-card.schema.json): compiled once per CardSchema, and
 * walked by path for completions and hovers.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as compiled from 'virtual:card-validators';
import schemaJson from '../../schemas/trl-card.schema.json';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  pattern?: string;
  additionalProperties?: boolean;
  [k: string]: unknown;
}

export const CARD_SCHEMA = schemaJson as unknown as JsonSchema & { $id: string; $defs: Record<string, JsonSchema> };

/** Follows a local `$ref` (`#/$defs/x`) to its target. */
export function deref(schema: JsonSchema | undefined): JsonSchema | undefined {
  let s = schema;
  for (let hops = 0; s?.$ref && hops < 10; hops++) {
    const name = s.$ref.replace(/^#\/\$defs\//, '');
    const target: JsonSchema | undefined = Object.hasOwn(CARD_SCHEMA.$defs, name) ? CARD_SCHEMA.$defs[name] : undefined;
    // Keep the referring schema's own description when it has one.
    s = target
      ? { ...target, ...(s.description ? { description: s.description, markdownDescription: s.markdownDescription } : {}), $ref: target.$ref }
      : undefined;
  }
  return s;
}

/** The schema at a path of keys and item indexes (numbers, or '*' for "any item"). */
export function schemaAt(path: readonly (string | number)[]): JsonSchema | undefined {
  let s: JsonSchema | undefined = CARD_SCHEMA;
  for (const seg of path) {
    s = deref(s);
    if (!s) return undefined;
    if (typeof seg === 'number' || seg === '*') s = s.items;
    // Own properties only: `constructor` or `toString` is not a field of the card.
    else s = s.properties && Object.hasOwn(s.properties, seg) ? s.properties[seg] : undefined;
  }
  return deref(s);
}

export function typeOf(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  if (schema.enum) return 'enum';
  return Array.isArray(schema.type) ? schema.type[0] : schema.type;
}

export type Validator = ValidateFunction;
export type SchemaError = ErrorObject;

/**
 * The validator of each top-level field's value. They are compiled from the schema at build
 * time (esbuild.js, ajv standalone), so nothing is compiled at run time.
 */
export class CardValidators {
  /** The validator for the value of top-level key `key`, or undefined for an unknown key. */
  forKey(key: string): ValidateFunction | undefined {
    return Object.prototype.hasOwnProperty.call(compiled, key) ? (compiled as Record<string, ValidateFunction>)[key] : undefined;
  }
}
