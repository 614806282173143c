import type { FormattedDate } from "@/components/projects/format";

// Plain, already-formatted rows the admin pages hand to their client components. None of
// them ever carries a provider key or its ciphertext.

export type ModelSource = "env" | "discovered" | "console";

export type AdminModelRow = {
  id: string;
  provider: string;
  /** A GGUF path for local models, the upstream's model name otherwise. */
  upstreamId: string;
  /** Where an upstream model is served from: a connection's name, or the environment's upstream. */
  via: string | null;
  contextWindow: number;
  capabilities: string[];
  inputPriceMicros: number | null;
  cachedInputPriceMicros: number | null;
  outputPriceMicros: number | null;
  /** Per 1M training tokens; null = not fine-tunable. */
  trainingPriceMicros: number | null;
  source: ModelSource;
  enabled: boolean;
};

export type ConnectionOption = { id: string; name: string; baseUrl: string };

export type ConnectionRow = {
  id: string;
  name: string;
  baseUrl: string;
  apiKeyRedacted: string | null;
  models: number;
  created: FormattedDate | null;
};

export type LimitRow = { model: string; rpm: number | null; tpm: number | null; rpd: number | null };

export type OrgTierRow = {
  id: string;
  name: string;
  /** The first owner's email. */
  owner: string | null;
  tier: number;
  members: number;
  projects: number;
  created: FormattedDate | null;
};
