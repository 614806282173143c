import "server-only";
import { rateLimiterErrors } from "@/lib/limits/rate-limiter";
import { localModelStats } from "@/lib/providers/local";
import { usageStats } from "@/lib/usage/recorder";
import { registerGauge } from "./metrics";

/** Gauges whose values live in other modules, read at each scrape. */
export function registerRuntimeGauges() {
  registerGauge("gatehouse_local_queue_depth", "Requests waiting per local model", () => localModelStats().queueDepth);
  registerGauge("gatehouse_local_active", "Generations running per local model", () => localModelStats().active);
  registerGauge("gatehouse_usage_buffered_events", "Usage events not yet written", () => usageStats().buffered);
  registerGauge("gatehouse_usage_dropped_events", "Usage events dropped because the buffer was full", () => usageStats().dropped);
  registerGauge("gatehouse_rate_limiter_errors", "Rate-limiter backend errors (requests were admitted)", () => rateLimiterErrors());
}
