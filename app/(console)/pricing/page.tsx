import type { Metadata } from "next";
import { Boxes } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { sortModels, type PricingModel, type PricingSort } from "@/components/billing/pricing";
import { PricingTable } from "@/components/billing/pricing-table";
import { BillingSection } from "@/components/billing/section";
import { requireUser } from "@/lib/auth/session";
import { listCatalogModels } from "@/lib/models/catalog";

export const metadata: Metadata = { title: "Pricing" };

type SearchParams = { sort?: string | string[] };

const SORTS: readonly PricingSort[] = ["id", "input", "output"];

export default async function PricingPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser();
  const sp = await searchParams;
  const sortParam = Array.isArray(sp.sort) ? sp.sort[0] : sp.sort;
  const sort: PricingSort = (SORTS as readonly string[]).includes(sortParam ?? "") ? (sortParam as PricingSort) : "id";
  // The models the API serves right now, with only what the page shows (the catalog entries
  // also carry upstream connection details).
  const models: PricingModel[] = (await listCatalogModels()).map((m) => ({
    id: m.id,
    provider: m.provider,
    capabilities: [...m.capabilities],
    contextWindow: m.contextWindow,
    inputPriceMicros: m.inputPriceMicros,
    cachedInputPriceMicros: m.cachedInputPriceMicros,
    outputPriceMicros: m.outputPriceMicros,
    trainingPriceMicros: m.trainingPriceMicros,
  }));
  const chat = sortModels(models.filter((m) => m.capabilities.includes("chat")), sort);
  const embeddings = sortModels(models.filter((m) => m.capabilities.includes("embeddings")), sort === "output" ? "id" : sort);
  const sortHref = (s: PricingSort) => (s === "id" ? "/pricing" : `/pricing?sort=${s}`);

  return (
    <>
      <PageHeader
        title="Pricing"
        description="What each model available on this Gatehouse instance costs, in US dollars per million tokens (and per thousand). Requests are charged to the organization's prepaid credit at these prices."
      />
      {models.length === 0 ? (
        <EmptyState icon={Boxes} title="No models available" description="An administrator has not enabled any models yet." data-testid="pricing-empty" />
      ) : (
        <div className="grid grid-cols-1 gap-10">
          {chat.length > 0 && (
            <BillingSection
              id="pricing-chat-heading"
              title="Chat models"
              description="Input tokens are the prompt; output tokens are what the model writes. Cached input applies to prompt tokens served from a provider's cache; without its own price it costs the same as input. Training is fine-tuning, per trained token (a fine-tuned model is then used at its base model's prices)."
            >
              <PricingTable kind="chat" models={chat} sort={sort} sortHref={sortHref} />
            </BillingSection>
          )}
          {embeddings.length > 0 && (
            <BillingSection id="pricing-embeddings-heading" title="Embedding models" description="Embeddings are charged for their input tokens only.">
              <PricingTable kind="embeddings" models={embeddings} sort={sort === "output" ? "id" : sort} sortHref={sortHref} />
            </BillingSection>
          )}
          <p className="text-[13px] text-muted-foreground">
            A model without a price cannot be used: the API refuses it until an administrator sets one. Each request is charged once, for
            its tokens, rounded to the nearest micro-dollar ($0.000001).
          </p>
        </div>
      )}
    </>
  );
}
