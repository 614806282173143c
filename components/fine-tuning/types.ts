// The shapes the fine-tuning pages hand to their client components (built on the server by
// lib/finetune/console.ts; only types cross over).
export type {
  CheckpointRow,
  EventRow,
  JobDetail,
  JobProgress,
  JobSnapshot,
  JobSummary,
  MetricPoint,
  ResultFile,
  TrainableModel,
  TrainingFileOption,
} from "@/lib/finetune/console";
export type { FileReport, ValidationReport } from "@/lib/finetune/prepare";
export type { JobStatus } from "@/lib/finetune/jobs";

/** Hyperparameter ranges of the API (lib/finetune/params.ts LIMITS), passed in by the page. */
export type HyperLimits = Record<"n_epochs" | "batch_size" | "learning_rate_multiplier", { min: number; max: number; integer: boolean }>;
