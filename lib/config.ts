import "server-only";
import path from "node:path";
import { z } from "zod";

// Every setting Gatehouse reads from the environment, validated once at start-up.
// Names are part of the public contract (documented in README and .env.example).

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), {
    message: "must be a postgres:// or postgresql:// URL (leave unset for the embedded database)",
  });

export const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATA_DIR: z.string().trim().min(1).default("./data"),
    DATABASE_URL: optionalString.pipe(postgresUrl.optional()),
    AUTH_SECRET: optionalString.pipe(
      z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
    ),
    SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(300).max(365 * 24 * 3600).default(30 * 24 * 3600),
    BOOTSTRAP_ADMIN_EMAIL: optionalString.pipe(z.email("must be an email address").optional()),
    BOOTSTRAP_ADMIN_PASSWORD: optionalString.pipe(
      z.string().min(10, "must be at least 10 characters").optional(),
    ),
    BOOTSTRAP_API_KEY: optionalString.pipe(
      z
        .string()
        .regex(/^sk-[A-Za-z0-9_-]{20,200}$/, "must look like an API key: sk- followed by 20-200 letters, digits, - or _")
        .optional(),
    ),
    KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    SMTP_URL: optionalString,
    SMTP_FROM: optionalString,
    GITHUB_CLIENT_ID: optionalString,
    GITHUB_CLIENT_SECRET: optionalString,
    GOOGLE_CLIENT_ID: optionalString,
    GOOGLE_CLIENT_SECRET: optionalString,
    OIDC_ISSUER: optionalString.pipe(z.url("must be the issuer URL").optional()),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_NAME: optionalString,
    // ---- the /v1 API ----
    REDIS_URL: optionalString.pipe(
      z.string().regex(/^rediss?:\/\/.+/, "must be a redis:// or rediss:// URL (leave unset for in-memory limits)").optional(),
    ),
    LOCAL_MODEL_DIR: optionalString,
    LOCAL_MODEL_THREADS: z.coerce.number().int().min(1).max(256).optional(),
    /** Loaded local models are unloaded after this long without requests. */
    LOCAL_MODEL_IDLE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
    /** Keep loaded local models within this many MB (by GGUF size); unset = no limit. */
    LOCAL_MODEL_MEMORY_MB: z.coerce.number().int().min(1).optional(),
    /** Requests waiting per local model before new ones get 503. */
    LOCAL_MODEL_QUEUE_SIZE: z.coerce.number().int().min(1).max(10_000).default(32),
    UPSTREAM_BASE_URL: optionalString.pipe(z.url("must be the upstream's base URL, e.g. https://api.openai.com/v1").optional()),
    UPSTREAM_API_KEY: optionalString,
    /** Comma list of model ids served by the upstream; `alias=upstream-id` renames one. */
    UPSTREAM_MODELS: optionalString,
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(600_000),
    UPSTREAM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    /** Let image URLs point at private, loopback and link-local addresses (default: refused). */
    ALLOW_PRIVATE_IMAGE_URLS: z
      .enum(["true", "false", "1", "0", ""])
      .optional()
      .transform((v) => v === "true" || v === "1"),
    /** Let budget-alert webhooks point at private, loopback and link-local addresses (default: refused). */
    ALLOW_PRIVATE_WEBHOOK_URLS: z
      .enum(["true", "false", "1", "0", ""])
      .optional()
      .transform((v) => v === "true" || v === "1"),
    /** The largest file /v1/files accepts (bytes); OpenAI's limit is 512 MB. */
    FILES_MAX_BYTES: z.coerce.number().int().min(1).max(100 * 1024 ** 3).default(512 * 1024 ** 2),
    /** How often usage is posted to the credit ledger and budget alerts are checked. */
    BILLING_INTERVAL_MS: z.coerce.number().int().min(200).max(3_600_000).default(15_000),
    /** Accounts one network address may create per hour (sign-up form). */
    SIGN_UPS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(20),
    /** Fine-tuning jobs one instance trains at once (0 = this instance trains none). */
    FINE_TUNING_CONCURRENCY: z.coerce.number().int().min(0).max(16).default(1),
    /** Threads a local training job computes with (default: the cores, less one for the server, at least 1). */
    FINE_TUNING_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  })
  .superRefine((env, ctx) => {
    const pairs: [keyof typeof env, keyof typeof env][] = [
      ["BOOTSTRAP_ADMIN_EMAIL", "BOOTSTRAP_ADMIN_PASSWORD"],
      ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"],
      ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"],
      ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"],
    ];
    for (const [a, b] of pairs) {
      if (!!env[a] !== !!env[b]) {
        ctx.addIssue({ code: "custom", path: [env[a] ? b : a], message: `is required when ${env[a] ? a : b} is set` });
      }
    }
    if (env.BOOTSTRAP_API_KEY && !env.BOOTSTRAP_ADMIN_EMAIL) {
      ctx.addIssue({ code: "custom", path: ["BOOTSTRAP_ADMIN_EMAIL"], message: "is required when BOOTSTRAP_API_KEY is set" });
    }
    if (env.UPSTREAM_MODELS && !env.UPSTREAM_BASE_URL) {
      ctx.addIssue({ code: "custom", path: ["UPSTREAM_BASE_URL"], message: "is required when UPSTREAM_MODELS is set" });
    }
    if (env.OIDC_CLIENT_ID && !env.OIDC_ISSUER) {
      ctx.addIssue({ code: "custom", path: ["OIDC_ISSUER"], message: "is required when OIDC_CLIENT_ID is set" });
    }
  });

export type AppConfig = z.infer<typeof envSchema> & { dataDir: string };

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment; throws ConfigError listing every problem, one line each. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`),
    );
  }
  return { ...result.data, dataDir: path.resolve(result.data.DATA_DIR) };
}

const globalForConfig = globalThis as unknown as { __gatehouseConfig?: AppConfig };

export function getConfig(): AppConfig {
  return (globalForConfig.__gatehouseConfig ??= parseConfig(process.env));
}
