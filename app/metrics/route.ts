import { metrics } from "@/lib/gateway/metrics";
import { registerRuntimeGauges } from "@/lib/gateway/gauges";

// Prometheus scrape endpoint. Holds counts only: no keys, prompts or other secrets.
export const dynamic = "force-dynamic";

export async function GET() {
  registerRuntimeGauges();
  const registry = metrics().registry;
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
}
