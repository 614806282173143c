// The pricing page's rows and their order. Pure, so the order is tested without rendering.

export type PricingModel = {
  id: string;
  provider: string;
  capabilities: string[];
  contextWindow: number;
  inputPriceMicros: number | null;
  cachedInputPriceMicros: number | null;
  outputPriceMicros: number | null;
  /** Fine-tuning, per trained token; null: the model cannot be fine-tuned. */
  trainingPriceMicros: number | null;
};

export type PricingSort = "id" | "input" | "output";

/** By the chosen price (unpriced last), then by id. */
export function sortModels(models: PricingModel[], sort: PricingSort): PricingModel[] {
  const key = (m: PricingModel) => (sort === "input" ? m.inputPriceMicros : sort === "output" ? m.outputPriceMicros : null);
  return [...models].sort((a, b) => {
    if (sort !== "id") {
      const ka = key(a);
      const kb = key(b);
      if (ka !== kb) {
        if (ka === null) return 1;
        if (kb === null) return -1;
        return ka - kb;
      }
    }
    return a.id.localeCompare(b.id);
  });
}
