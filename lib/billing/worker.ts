import "server-only";
import { getConfig } from "@/lib/config";
import { log } from "@/lib/log";
import { checkBudgetAlerts } from "./budgets";
import { expireCredits, postUsageCharges } from "./ledger";
import { runAutoRecharge } from "./payments";
import { advanceTiers } from "./tiers";
import { invalidateSpend } from "./spend-guard";

// The billing loop, one per process: posts usage to the ledger, writes off expired credit,
// raises budget alerts, recharges and advances tiers. Every step is idempotent and safe to run
// on several instances at once (unique keys, an advisory lock for posting, conditional updates).

const g = globalThis as unknown as { __gatehouseBilling?: { timer: NodeJS.Timeout | null; running: Promise<void> | null } };

export async function runBillingOnce(now = new Date()) {
  await postUsageCharges({ now });
  const expired = await expireCredits(now);
  await checkBudgetAlerts(now);
  const recharged = await runAutoRecharge(now);
  await advanceTiers({ now, orgIds: recharged.length ? recharged.map((r) => r.orgId) : undefined });
  if (expired) invalidateSpend();
}

export function startBillingWorker() {
  const s = (g.__gatehouseBilling ??= { timer: null, running: null });
  if (s.timer) return;
  const interval = getConfig().BILLING_INTERVAL_MS;
  const tick = () => {
    if (s.running) return;
    s.running = runBillingOnce()
      .catch((err) => log.error("billing run failed", { error: (err as Error).message }))
      .finally(() => {
        s.running = null;
      });
  };
  s.timer = setInterval(tick, interval);
  s.timer.unref();
  // The first run catches up on anything left from before a restart.
  setTimeout(tick, 1_000).unref();
}

/** Stops the loop and waits for a run in progress (graceful shutdown). */
export async function stopBillingWorker() {
  const s = g.__gatehouseBilling;
  if (!s) return;
  if (s.timer) clearInterval(s.timer);
  s.timer = null;
  await s.running;
}
