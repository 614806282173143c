import "server-only";
import { ConfigError, getConfig } from "@/lib/config";
import { closeDatabase, getDatabase } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { ensureBootstrap } from "@/lib/bootstrap";
import { getAuthSecret } from "@/lib/auth/secret";
import { log } from "@/lib/log";
import { syncCatalog } from "@/lib/models/catalog";
import { flushUsage } from "@/lib/usage/recorder";
import { closeSpendGuard } from "@/lib/billing/spend-guard";
import { drain } from "@/lib/gateway/lifecycle";
import { unloadAllLocalModels } from "@/lib/providers/local";
import { startBillingWorker, stopBillingWorker } from "@/lib/billing/worker";
import { postUsageCharges } from "@/lib/billing/ledger";
import { startFineTuningWorker, stopFineTuningWorker } from "@/lib/finetune/worker";

const SHUTDOWN_GRACE_MS = 30_000;

type BootState = { ready: boolean; error?: string };
const g = globalThis as unknown as { __gatehouseBoot?: BootState };
export function bootState(): BootState {
  return (g.__gatehouseBoot ??= { ready: false });
}

/**
 * Start-up, once per server process (from instrumentation.ts): validate configuration (exit
 * with a clear message when it is wrong), then migrate and bootstrap. If the database is not
 * reachable yet, keep retrying in the background while /healthz answers 503.
 */
export async function boot() {
  let config;
  try {
    config = getConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`\nGatehouse cannot start. ${err.message}\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw err;
  }
  // Take the origin from the Host header unless NEXTAUTH_URL pins it (self-hosted default).
  process.env.AUTH_TRUST_HOST ??= "true";
  getAuthSecret();

  // Graceful shutdown (server.mjs, i.e. npm start, sets NEXT_MANUAL_SIG_HANDLE so this runs instead of Next's
  // own handler): refuse new API requests, let running ones (streams included) finish, write
  // buffered usage, exit. Without it, Next exits on its own and buffered usage is flushed on a timer only.
  if (process.env.NEXT_MANUAL_SIG_HANDLE) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        log.info("shutting down", { signal });
        // Training stops at once (it resumes from its last checkpoint at the next start).
        const training = stopFineTuningWorker().catch((err) => log.error("stopping fine-tuning failed", { error: (err as Error).message }));
        void drain(SHUTDOWN_GRACE_MS)
          .then(() => training)
          .then(() => Promise.all([flushUsage(), unloadAllLocalModels(), stopBillingWorker()]))
          // Tells the other instances (through Redis) that this one has nothing in flight any more.
          .then(() => closeSpendGuard())
          // Post what was just written, so the ledger is current when the process is gone.
          .then(() => postUsageCharges())
          .catch((err) => log.error("usage flush at shutdown failed", { error: (err as Error).message }))
          // The embedded database shuts down cleanly (no recovery at the next start).
          .then(() => closeDatabase())
          .catch((err) => log.error("closing the database at shutdown failed", { error: (err as Error).message }))
          .finally(() => process.exit(0));
      });
    }
  }

  const state = bootState();
  const attempt = async (n: number): Promise<void> => {
    try {
      const database = await getDatabase();
      const { applied } = await migrate(database.sql);
      const boot = await ensureBootstrap(config);
      await syncCatalog();
      state.ready = true;
      state.error = undefined;
      startBillingWorker();
      startFineTuningWorker();
      log.info("ready", { database: database.kind, migrationsApplied: applied, bootstrap: boot ? "ensured" : "off" });
    } catch (err) {
      state.error = (err as Error).message;
      const wait = Math.min(30, 2 ** Math.min(n, 5));
      log.error("start-up failed; retrying", { error: state.error, retryInSeconds: wait });
      setTimeout(() => void attempt(n + 1), wait * 1000).unref();
    }
  };
  await attempt(0);
}
