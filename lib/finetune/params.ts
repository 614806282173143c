import crypto from "node:crypto";
import { describeType } from "@/lib/openai/schemas";
import { invalidRequest } from "@/lib/openai/errors";

// POST /v1/fine_tuning/jobs parameters, checked as OpenAI checks them, and "auto"
// hyperparameters resolved from the size of the training data.

export type Auto<T> = T | "auto";
export type Hyperparameters = { n_epochs: Auto<number>; batch_size: Auto<number>; learning_rate_multiplier: Auto<number> };
export type ResolvedHyperparameters = { n_epochs: number; batch_size: number; learning_rate_multiplier: number };

export type CreateJobParams = {
  model: string;
  trainingFile: string;
  validationFile: string | null;
  suffix: string | null;
  seed: number;
  hyperparameters: Hyperparameters;
  metadata: Record<string, string> | null;
};

const KEYS = new Set(["model", "training_file", "validation_file", "suffix", "seed", "hyperparameters", "method", "metadata", "integrations"]);
const HYPER_KEYS = new Set(["n_epochs", "batch_size", "learning_rate_multiplier"]);
export const MAX_SUFFIX = 64;
export const LIMITS = {
  n_epochs: { min: 1, max: 50, integer: true },
  batch_size: { min: 1, max: 256, integer: true },
  learning_rate_multiplier: { min: 0.0001, max: 10, integer: false },
} as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function readString(body: Record<string, unknown>, key: string, required: boolean): string | null {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw invalidRequest(`Missing required parameter: '${key}'.`, key);
    return null;
  }
  if (typeof v !== "string") throw invalidRequest(`Invalid type for '${key}': expected a string, but got ${describeType(v)} instead.`, key, "invalid_type");
  if (required && !v.trim()) throw invalidRequest(`Invalid '${key}': empty string. Expected a non-empty string.`, key, "empty_string");
  return v;
}

function readHyperparameters(value: unknown, path: string): Hyperparameters {
  const out: Hyperparameters = { n_epochs: "auto", batch_size: "auto", learning_rate_multiplier: "auto" };
  if (value === undefined || value === null) return out;
  if (!isObject(value)) throw invalidRequest(`Invalid type for '${path}': expected an object, but got ${describeType(value)} instead.`, path, "invalid_type");
  for (const key of Object.keys(value)) {
    if (!HYPER_KEYS.has(key)) throw invalidRequest(`Unrecognized hyperparameter: '${path}.${key.slice(0, 60)}'. Supported: n_epochs, batch_size, learning_rate_multiplier.`, `${path}.${key.slice(0, 60)}`, "unknown_parameter");
  }
  for (const key of HYPER_KEYS as Set<keyof Hyperparameters>) {
    const v = value[key];
    if (v === undefined || v === null || v === "auto") continue;
    const limit = LIMITS[key];
    const expected = `'auto' or ${limit.integer ? "an integer" : "a number"} from ${limit.min} to ${limit.max}`;
    if (typeof v !== "number" || !Number.isFinite(v) || (limit.integer && !Number.isInteger(v)) || v < limit.min || v > limit.max) {
      throw invalidRequest(`Invalid '${path}.${key}': expected ${expected}, got ${JSON.stringify(v)?.slice(0, 40) ?? describeType(v)}.`, `${path}.${key}`, "invalid_value");
    }
    out[key] = v;
  }
  return out;
}

/** Validates a create-job body; the files and the model are checked against the project afterwards. */
export function parseCreateJob(body: unknown): CreateJobParams {
  if (!isObject(body)) throw invalidRequest("The request body must be a JSON object.");
  for (const key of Object.keys(body)) {
    if (!KEYS.has(key)) throw invalidRequest(`Unrecognized request argument supplied: ${key.slice(0, 100)}`, key.slice(0, 100), "unknown_parameter");
  }
  const model = readString(body, "model", true)!;
  const trainingFile = readString(body, "training_file", true)!;
  const validationFile = readString(body, "validation_file", false);
  const suffix = readString(body, "suffix", false);
  if (suffix !== null && (suffix.length > MAX_SUFFIX || !/^[A-Za-z0-9_-]*$/.test(suffix))) {
    throw invalidRequest(`Invalid 'suffix': up to ${MAX_SUFFIX} letters, digits, '-' or '_' (it becomes part of the model name).`, "suffix", "invalid_value");
  }

  let seed: number;
  if (body.seed === undefined || body.seed === null) seed = crypto.randomInt(0, 2 ** 31 - 1);
  else if (typeof body.seed !== "number" || !Number.isInteger(body.seed) || body.seed < 0 || body.seed > 2 ** 31 - 1) {
    throw invalidRequest(`Invalid 'seed': expected an integer from 0 to 2147483647, got ${JSON.stringify(body.seed)?.slice(0, 40)}.`, "seed", "invalid_value");
  } else seed = body.seed;

  let hyperparameters = readHyperparameters(body.hyperparameters, "hyperparameters");
  if (body.method !== undefined && body.method !== null) {
    const method = body.method;
    if (!isObject(method)) throw invalidRequest(`Invalid type for 'method': expected an object, but got ${describeType(method)} instead.`, "method", "invalid_type");
    if (method.type !== "supervised") {
      const type = typeof method.type === "string" ? method.type.slice(0, 40) : describeType(method.type);
      throw invalidRequest(`Invalid 'method.type': '${type}'. Gatehouse trains with the 'supervised' method.`, "method.type", "invalid_value");
    }
    if (body.hyperparameters !== undefined && body.hyperparameters !== null) {
      throw invalidRequest("Give hyperparameters either in 'hyperparameters' or in 'method.supervised.hyperparameters', not both.", "hyperparameters");
    }
    const supervised = method.supervised;
    if (supervised !== undefined && supervised !== null && !isObject(supervised)) {
      throw invalidRequest(`Invalid type for 'method.supervised': expected an object, but got ${describeType(supervised)} instead.`, "method.supervised", "invalid_type");
    }
    hyperparameters = readHyperparameters(isObject(supervised) ? supervised.hyperparameters : undefined, "method.supervised.hyperparameters");
  }

  let metadata: Record<string, string> | null = null;
  if (body.metadata !== undefined && body.metadata !== null) {
    const m = body.metadata;
    if (!isObject(m)) throw invalidRequest(`Invalid type for 'metadata': expected an object, but got ${describeType(m)} instead.`, "metadata", "invalid_type");
    const entries = Object.entries(m);
    if (entries.length > 16) throw invalidRequest("Invalid 'metadata': at most 16 keys.", "metadata", "invalid_value");
    for (const [k, v] of entries) {
      if (k.length > 64) throw invalidRequest("Invalid 'metadata': keys are at most 64 characters.", "metadata", "invalid_value");
      if (typeof v !== "string" || v.length > 512) throw invalidRequest(`Invalid 'metadata.${k}': values are strings of at most 512 characters.`, `metadata.${k}`, "invalid_value");
    }
    metadata = m as Record<string, string>;
  }
  if (body.integrations !== undefined && body.integrations !== null && !(Array.isArray(body.integrations) && body.integrations.length === 0)) {
    throw invalidRequest("Integrations are not available in Gatehouse.", "integrations", "invalid_value");
  }
  return { model, trainingFile, validationFile, suffix, seed, hyperparameters, metadata };
}

/** Local training's learning rate at multiplier 1 (AdamW). */
export const LOCAL_BASE_LEARNING_RATE = 5e-4;

/**
 * "auto" from the data, after OpenAI's published defaults: 3 epochs, more for small sets (at
 * least ~100 examples seen) and fewer for large ones (at most ~25,000); batch size about 0.2%
 * of the examples; learning-rate multiplier 2 for small sets, 1 otherwise.
 */
export function resolveHyperparameters(h: Hyperparameters, examples: number): ResolvedHyperparameters {
  const n = Math.max(1, examples);
  const epochs = n * 3 < 100 ? Math.min(25, Math.ceil(100 / n)) : n * 3 > 25_000 ? Math.max(1, Math.floor(25_000 / n)) : 3;
  return {
    n_epochs: h.n_epochs === "auto" ? epochs : h.n_epochs,
    batch_size: h.batch_size === "auto" ? Math.max(1, Math.min(256, Math.round(n * 0.002))) : h.batch_size,
    learning_rate_multiplier: h.learning_rate_multiplier === "auto" ? (n < 1000 ? 2 : 1) : h.learning_rate_multiplier,
  };
}
