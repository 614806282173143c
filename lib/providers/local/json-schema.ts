import type { GbnfJsonSchema } from "node-llama-cpp";

// Turns a client's JSON Schema into the subset node-llama-cpp compiles to a grammar, so that what
// the model generates always parses and validates. Keywords that assert something the grammar
// cannot enforce (patterns, numeric bounds, negation...) are refused with a 400 rather than
// silently ignored: a client relying on them would otherwise get invalid output. Annotations and
// unknown keywords are ignored, as JSON Schema validators do.

export class UnsupportedSchemaError extends Error {
  constructor(
    public readonly path: string,
    message: string,
  ) {
    super(`${message} (at ${path || "the schema root"})`);
    this.name = "UnsupportedSchemaError";
  }
}

const UNSUPPORTED = [
  "pattern",
  "patternProperties",
  "propertyNames",
  "not",
  "if",
  "then",
  "else",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "contains",
  "minContains",
  "maxContains",
  "dependencies",
  "dependentRequired",
  "dependentSchemas",
  "unevaluatedProperties",
  "unevaluatedItems",
];

const PRIMITIVE_TYPES = ["string", "number", "integer", "boolean", "null"] as const;
type Primitive = (typeof PRIMITIVE_TYPES)[number];
const GRAMMAR_FORMATS = new Set(["date-time", "date", "time"]);

/** Any JSON value: what an empty schema (or `true`) allows. */
const ANY_VALUE: GbnfJsonSchema = {
  oneOf: [{ type: ["string", "number", "boolean", "null"] }, { type: "object", additionalProperties: true }, { type: "array" }],
};

type Json = Record<string, unknown>;

/**
 * Converts several schemas that end up in one grammar. `$defs`/`definitions` of each are hoisted
 * to the root of the combined schema under a per-schema prefix, so names never collide.
 */
export class SchemaConverter {
  readonly defs: Record<string, GbnfJsonSchema> = {};

  convert(schema: unknown, prefix: string): GbnfJsonSchema {
    const root = isObject(schema) ? schema : {};
    const sources = { ...asObject(root.definitions), ...asObject(root.$defs) };
    return new SingleSchema(this.defs, sources, prefix).convert(schema, "");
  }

  /** Adds the hoisted definitions to the combined root schema. */
  withDefs(root: GbnfJsonSchema): GbnfJsonSchema {
    return Object.keys(this.defs).length === 0 ? root : ({ ...root, $defs: this.defs } as GbnfJsonSchema);
  }
}

const MAX_SCHEMA_DEPTH = 64;

class SingleSchema {
  constructor(
    private readonly defs: Record<string, GbnfJsonSchema>,
    private readonly sources: Json,
    private readonly prefix: string,
  ) {}

  convert(schema: unknown, path: string): GbnfJsonSchema {
    // Every nesting level adds two path segments; a bound keeps recursion (here and in the
    // grammar compiler) far from the stack limit.
    if (path.split("/").length > MAX_SCHEMA_DEPTH * 2) {
      throw new UnsupportedSchemaError(path.slice(0, 80) + "…", `schemas nested more than ${MAX_SCHEMA_DEPTH} levels deep are not supported`);
    }
    if (schema === true) return ANY_VALUE;
    if (schema === false) throw new UnsupportedSchemaError(path, "`false` schemas allow no value");
    if (!isObject(schema)) throw new UnsupportedSchemaError(path, "a schema must be an object");

    for (const key of UNSUPPORTED) {
      if (key in schema) throw new UnsupportedSchemaError(path, `\`${key}\` is not supported by local models`);
    }
    if (schema.uniqueItems === true) throw new UnsupportedSchemaError(path, "`uniqueItems` is not supported by local models");

    const description = typeof schema.description === "string" ? { description: schema.description } : {};

    if (typeof schema.$ref === "string") return { $ref: this.ref(schema.$ref, path), ...description } as GbnfJsonSchema;

    if ("const" in schema) {
      if (!isPrimitiveValue(schema.const)) throw new UnsupportedSchemaError(path, "`const` must be a string, number, boolean or null");
      return { const: schema.const, ...description };
    }
    if ("enum" in schema) {
      if (!Array.isArray(schema.enum) || schema.enum.length === 0 || !schema.enum.every(isPrimitiveValue)) {
        throw new UnsupportedSchemaError(path, "`enum` must list strings, numbers, booleans or null");
      }
      return { enum: schema.enum, ...description };
    }

    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives !== undefined) {
      const key = schema.anyOf !== undefined ? "anyOf" : "oneOf";
      if (schema.anyOf !== undefined && schema.oneOf !== undefined) throw new UnsupportedSchemaError(path, "`anyOf` together with `oneOf` is not supported");
      if (hasAssertions(schema, [key])) throw new UnsupportedSchemaError(path, `\`${key}\` next to other constraints is not supported`);
      if (!Array.isArray(alternatives) || alternatives.length === 0) throw new UnsupportedSchemaError(path, `\`${key}\` must be a non-empty array`);
      // Generating one alternative satisfies anyOf; for oneOf it assumes disjoint alternatives.
      return { oneOf: alternatives.map((s, i) => this.convert(s, `${path}/${key}/${i}`)), ...description };
    }
    if (schema.allOf !== undefined) {
      if (!Array.isArray(schema.allOf) || schema.allOf.length !== 1 || hasAssertions(schema, ["allOf"])) {
        throw new UnsupportedSchemaError(path, "`allOf` is only supported with a single schema");
      }
      return this.convert(schema.allOf[0], `${path}/allOf/0`);
    }

    const type = schema.type ?? inferType(schema);
    if (type === undefined) return ANY_VALUE;
    if (Array.isArray(type)) {
      if (type.length === 0 || !type.every((t) => typeof t === "string")) throw new UnsupportedSchemaError(path, "`type` must be a string or an array of strings");
      if (type.length === 1) return this.convert({ ...schema, type: type[0] }, path);
      if (type.every(isPrimitiveType) && !hasAssertions(schema, ["type"])) return { type: type as Primitive[], ...description };
      return { oneOf: type.map((t) => this.convert({ ...schema, type: t }, path)), ...description };
    }

    switch (type) {
      case "string": {
        if (typeof schema.format === "string" && GRAMMAR_FORMATS.has(schema.format)) {
          return { type: "string", format: schema.format as "date-time" | "date" | "time", ...description };
        }
        // Other formats (email, uri...) are annotations by default in JSON Schema: not asserted.
        return {
          type: "string",
          ...(isCount(schema.minLength) ? { minLength: schema.minLength } : {}),
          ...(isCount(schema.maxLength) ? { maxLength: schema.maxLength } : {}),
          ...description,
        };
      }
      case "number":
      case "integer":
      case "boolean":
      case "null":
        return { type: type as Primitive, ...description };
      case "object":
        return this.object(schema, path, description);
      case "array":
        return this.array(schema, path, description);
      default:
        throw new UnsupportedSchemaError(path, `unknown type \`${String(type)}\``);
    }
  }

  private object(schema: Json, path: string, description: { description?: string }): GbnfJsonSchema {
    const properties: Record<string, GbnfJsonSchema> = {};
    const source = asObject(schema.properties);
    for (const [name, sub] of Object.entries(source)) properties[name] = this.convert(sub, `${path}/properties/${name}`);
    // The grammar writes every listed property, so `required` holds as long as it names only them.
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        if (typeof name !== "string" || !(name in properties)) {
          throw new UnsupportedSchemaError(path, `required property \`${String(name)}\` must be listed in \`properties\``);
        }
      }
    }
    const extra = schema.additionalProperties;
    // Unset means "allowed" in JSON Schema; generating none is valid and keeps output short.
    const additionalProperties: boolean | GbnfJsonSchema =
      extra === undefined || extra === false ? false : extra === true ? true : this.convert(extra, `${path}/additionalProperties`);
    return {
      type: "object",
      properties,
      additionalProperties,
      ...(isCount(schema.minProperties) ? { minProperties: schema.minProperties } : {}),
      ...(isCount(schema.maxProperties) ? { maxProperties: schema.maxProperties } : {}),
      ...description,
    };
  }

  private array(schema: Json, path: string, description: { description?: string }): GbnfJsonSchema {
    if (schema.items === false) throw new UnsupportedSchemaError(path, "`items: false` is not supported");
    const prefixItems = Array.isArray(schema.prefixItems)
      ? schema.prefixItems.map((s, i) => this.convert(s, `${path}/prefixItems/${i}`))
      : undefined;
    const array: Record<string, unknown> = { type: "array", ...description };
    if (schema.items !== undefined && schema.items !== true) array.items = this.convert(schema.items, `${path}/items`);
    if (prefixItems) array.prefixItems = prefixItems;
    if (isCount(schema.minItems)) array.minItems = schema.minItems;
    if (isCount(schema.maxItems)) array.maxItems = schema.maxItems;
    return array as GbnfJsonSchema;
  }

  private ref(ref: string, path: string): string {
    const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
    if (!match) throw new UnsupportedSchemaError(path, `only \`#/$defs/...\` references are supported, not \`${ref}\``);
    const name = decodeURIComponent(match[2].replace(/~1/g, "/").replace(/~0/g, "~"));
    if (!(name in this.sources)) throw new UnsupportedSchemaError(path, `\`${ref}\` is not defined`);
    const hoisted = `${this.prefix}${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
    if (!(hoisted in this.defs)) {
      // Placeholder first: a recursive definition refers to itself while being converted.
      this.defs[hoisted] = ANY_VALUE;
      this.defs[hoisted] = this.convert(this.sources[name], `#/$defs/${name}`);
    }
    return `#/$defs/${hoisted}`;
  }
}

/** Whether the schema's root can only be a JSON object (what tool arguments must be). */
export function isObjectSchema(schema: GbnfJsonSchema): boolean {
  return "type" in schema && schema.type === "object";
}

const ANNOTATIONS = new Set(["description", "title", "default", "examples", "$comment", "$schema", "$id", "deprecated", "readOnly", "writeOnly", "$defs", "definitions", "strict"]);

function hasAssertions(schema: Json, except: string[]): boolean {
  return Object.keys(schema).some((k) => !except.includes(k) && !ANNOTATIONS.has(k) && KNOWN_ASSERTIONS.has(k));
}

const KNOWN_ASSERTIONS = new Set([
  "type", "enum", "const", "properties", "required", "additionalProperties", "minProperties", "maxProperties",
  "items", "prefixItems", "minItems", "maxItems", "minLength", "maxLength", "format", "anyOf", "oneOf", "allOf", "$ref",
]);

function inferType(schema: Json): string | undefined {
  if ("properties" in schema || "additionalProperties" in schema || "required" in schema) return "object";
  if ("items" in schema || "prefixItems" in schema) return "array";
  return undefined;
}

function isPrimitiveType(t: unknown): t is Primitive {
  return (PRIMITIVE_TYPES as readonly unknown[]).includes(t);
}

function isPrimitiveValue(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function asObject(v: unknown): Json {
  return isObject(v) ? v : {};
}
