import "server-only";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

// Prometheus metrics of the /v1 surface, one registry per process (kept on globalThis so
// development reloads do not register twice). Served by /metrics.

type Metrics = {
  registry: Registry;
  requests: Counter<"endpoint" | "status">;
  latency: Histogram<"endpoint">;
  tokens: Counter<"model" | "kind">;
  rateLimited: Counter<"model" | "kind">;
  providerErrors: Counter<"provider" | "status">;
  ttft: Histogram<"model">;
};

const g = globalThis as unknown as { __gatehouseMetrics?: Metrics };

export function metrics(): Metrics {
  if (g.__gatehouseMetrics) return g.__gatehouseMetrics;
  const registry = new Registry();
  const m: Metrics = {
    registry,
    requests: new Counter({ name: "gatehouse_requests_total", help: "API requests by endpoint and status", labelNames: ["endpoint", "status"], registers: [registry] }),
    latency: new Histogram({
      name: "gatehouse_request_duration_seconds",
      help: "Time to the response head (streams: to the first byte)",
      labelNames: ["endpoint"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    tokens: new Counter({ name: "gatehouse_tokens_total", help: "Tokens metered, by model and kind (prompt, completion)", labelNames: ["model", "kind"], registers: [registry] }),
    rateLimited: new Counter({ name: "gatehouse_rate_limited_total", help: "Requests refused by rate limits", labelNames: ["model", "kind"], registers: [registry] }),
    providerErrors: new Counter({ name: "gatehouse_provider_errors_total", help: "Errors answered by model providers", labelNames: ["provider", "status"], registers: [registry] }),
    ttft: new Histogram({
      name: "gatehouse_time_to_first_token_seconds",
      help: "Time to the first streamed token",
      labelNames: ["model"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
  return (g.__gatehouseMetrics = m);
}

export function observeRequest(endpoint: string, status: number, ms: number) {
  const m = metrics();
  m.requests.inc({ endpoint, status: String(status) });
  m.latency.observe({ endpoint }, ms / 1000);
}

/** Gauges read at scrape time from their owners (queues, buffers, limiter). */
export function registerGauge(name: string, help: string, collect: () => number | Record<string, number>) {
  const m = metrics();
  if (m.registry.getSingleMetric(name)) return;
  new Gauge({
    name,
    help,
    labelNames: ["key"],
    registers: [m.registry],
    collect() {
      const v = collect();
      if (typeof v === "number") this.set(v);
      else {
        this.reset();
        for (const [k, n] of Object.entries(v)) this.set({ key: k }, n);
      }
    },
  });
}
