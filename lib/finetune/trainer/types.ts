export type TrainingExample = {
  tokens: Int32Array;
  /** 1 where tokens[t] is a target (predicted from tokens[..t-1]); targets are assistant tokens */
  targets: Uint8Array;
};

export type StepMetrics = {
  /** Optimizer steps completed so far (1-based for the step just done). */
  step: number;
  totalSteps: number;
  /** 1-based epoch the step belongs to. */
  epoch: number;
  /** Mean cross-entropy over the target tokens of this step's batch. */
  trainLoss: number;
  trainAccuracy: number;
  validLoss?: number;
  validAccuracy?: number;
  /** Tokens (all tokens of the examples, not only targets) processed so far, over all epochs. */
  tokens: number;
  elapsedMs: number;
};

export type CheckpointInfo = { epoch: number; step: number; modelPath: string; statePath: string; metrics: StepMetrics };

export type TrainRun = {
  /** GGUF, llama architecture, F32 (F16/BF16 are converted to F32 on load; the output is F32). */
  baseModelPath: string;
  train: TrainingExample[];
  validation: TrainingExample[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Worker threads used for compute (data parallel over the examples of a batch). */
  threads: number;
  /** Only "full" is implemented; "lora" is rejected with a clear error. */
  method?: "full" | "lora";
  loraRank?: number;
  loraAlpha?: number;
  /** Checkpoints and the final model are written here (created if missing). */
  outputDir: string;
  /** A checkpoint state path written by an earlier run of the same job → continue exactly. */
  resumeFrom?: string;
  /** Abort → workers are terminated at once and the promise rejects with an AbortError. */
  signal?: AbortSignal;
  onStep?(m: StepMetrics): void | Promise<void>;
  onCheckpoint?(c: CheckpointInfo): void | Promise<void>;

  // Optional knobs (defaults in parentheses).
  /** general.name of the written models (the base model's name). */
  outputName?: string;
  /** Decoupled AdamW weight decay on weight matrices, not on norms (0.01). */
  weightDecay?: number;
  /** Linear warmup steps (min(10, 10% of the steps)); constant learning rate afterwards. */
  warmupSteps?: number;
  /** Validation every N steps (a quarter of an epoch) and at every epoch end. */
  evalEvery?: number;
  /** Validation uses the first N validation examples (64). */
  maxValidationExamples?: number;
  /** Global gradient-norm clip (1.0). */
  maxGradNorm?: number;
};

export type TrainResult = { modelPath: string; trainedTokens: number; steps: number; metrics: StepMetrics };
