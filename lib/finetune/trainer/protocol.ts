// Messages between the training coordinator (main thread) and the compute workers.
// Weights, the gradient accumulator, the per-worker gradient slots and the Adam moments live on
// SharedArrayBuffers that every worker sees; messages only carry indices and scalars.

import type { ModelLayout } from "./model";

export type WireExample = { tokens: Int32Array; targets: Uint8Array };

export type InitMessage = {
  type: "init";
  layout: ModelLayout;
  /** Float32 weights (trained in place by the "adam" task). */
  params: SharedArrayBuffer;
  /** Float64 gradient accumulator (sum over the batch, in example order). */
  acc: SharedArrayBuffer | null;
  /** Float32 per-example gradient slots, one per worker; any worker may read any slot. */
  slots: SharedArrayBuffer[];
  /** This worker's slot. */
  slot: number;
  /** Float32 Adam first/second moments. */
  m: SharedArrayBuffer | null;
  v: SharedArrayBuffer | null;
  sets: Record<string, WireExample[]>;
};

export type Task =
  | {
      type: "example";
      set: string;
      index: number;
      /** Gradient scale: 1 / (target tokens in the batch), so the batch gradient is a mean. */
      scale: number;
      grad: boolean;
      /** Bumped whenever the weights change (the worker then re-transposes them). */
      version: number;
    }
  | {
      /**
       * acc[start,end) (= when first, else +=) Σ slots[k][start,end) over `slots`, in that order.
       * With `norm`, also returns Σ acc² per CHUNK-sized chunk of the range, in chunk order.
       */
      type: "reduce";
      first: boolean;
      slots: number[];
      start: number;
      end: number;
      norm: boolean;
      chunk: number;
    }
  | {
      /** AdamW on params[start,end) with gradient acc·clip. */
      type: "adam";
      start: number;
      end: number;
      /** 1-based optimizer step (bias correction). */
      t: number;
      lr: number;
      beta1: number;
      beta2: number;
      eps: number;
      weightDecay: number;
      clip: number;
    };

export type ExampleReply = { lossSum: number; correct: number; count: number };
export type ReduceReply = { sumsq: number[] };

export type WorkerRequest = InitMessage | (Task & { id: number });
export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
