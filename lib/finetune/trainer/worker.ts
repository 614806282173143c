// Compute worker: runs forward/backward for single examples into its gradient slot, and its share
// of the gradient reduction and of the AdamW update. Pure math; no I/O.

import { parentPort } from "node:worker_threads";
import { lowerThisThreadPriority } from "../../worker-thread";
import { LlamaCompute, type ModelLayout } from "./model";
import type { ExampleReply, InitMessage, ReduceReply, Task, WireExample, WorkerReply, WorkerRequest } from "./protocol";

type State = {
  layout: ModelLayout;
  params: Float32Array;
  acc: Float64Array | null;
  slots: Float32Array[];
  slot: number;
  m: Float32Array | null;
  v: Float32Array | null;
  sets: Record<string, WireExample[]>;
  compute: LlamaCompute;
};

let state: State | null = null;

// Training is batch work: it takes the cores when nothing else wants them, and yields to the API
// (nice 0) and to the embedded database's thread (nice 10), whose console reads and usage writes
// would otherwise wait behind a job's steps on a machine with few cores.
lowerThisThreadPriority(15);

function init(msg: InitMessage) {
  const params = new Float32Array(msg.params);
  state = {
    layout: msg.layout,
    params,
    acc: msg.acc ? new Float64Array(msg.acc) : null,
    slots: msg.slots.map((b) => new Float32Array(b)),
    slot: msg.slot,
    m: msg.m ? new Float32Array(msg.m) : null,
    v: msg.v ? new Float32Array(msg.v) : null,
    sets: msg.sets,
    compute: new LlamaCompute(msg.layout, params),
  };
}

function runTask(s: State, task: Task): unknown {
  switch (task.type) {
    case "example": {
      const ex = s.sets[task.set]?.[task.index];
      if (!ex) throw new Error(`no example ${task.set}[${task.index}]`);
      s.compute.setWeightsVersion(task.version);
      const r = s.compute.run(ex.tokens, ex.targets, task.scale, task.grad ? s.slots[s.slot] : null);
      return r satisfies ExampleReply;
    }
    case "reduce": {
      const acc = s.acc!;
      const srcs = task.slots.map((k) => s.slots[k]);
      const { start, end } = task;
      // Fixed order: ((slot0 + slot1) + slot2)…, added to acc element by element in float64.
      // The same example always lands in the same position of this sum, whatever the number
      // of workers, so the result does not depend on the thread count.
      if (task.first) acc.fill(0, start, end);
      for (const src of srcs) {
        for (let i = start; i < end; i++) acc[i] += src[i];
      }
      const sumsq: number[] = [];
      if (task.norm) {
        for (let c = start; c < end; c += task.chunk) {
          const ce = Math.min(end, c + task.chunk);
          let ss = 0;
          for (let i = c; i < ce; i++) ss += acc[i] * acc[i];
          sumsq.push(ss);
        }
      }
      return { sumsq } satisfies ReduceReply;
    }
    case "adam": {
      // AdamW (decoupled weight decay, as in PyTorch): p ← p − lr·(m̂/(√v̂+ε) + wd·p).
      // Weight decay applies to matrices only, not to norm vectors.
      const { params: p, acc, m, v } = s as Required<State> & { acc: Float64Array; m: Float32Array; v: Float32Array };
      const { beta1, beta2, eps, lr, clip, t } = task;
      const bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
      for (const seg of s.layout.tensors) {
        const a = Math.max(task.start, seg.offset), b = Math.min(task.end, seg.offset + seg.size);
        if (a >= b) continue;
        const wd = seg.decay ? task.weightDecay : 0;
        for (let i = a; i < b; i++) {
          const g = acc[i] * clip;
          const mi = beta1 * m[i] + (1 - beta1) * g;
          const vi = beta2 * v[i] + (1 - beta2) * g * g;
          m[i] = mi;
          v[i] = vi;
          const pi = p[i];
          p[i] = pi - lr * ((mi / bc1) / (Math.sqrt(vi / bc2) + eps) + wd * pi);
        }
      }
      return null;
    }
  }
}

const port = parentPort;
if (port) {
  port.on("message", (msg: WorkerRequest) => {
    if (msg.type === "init") {
      init(msg);
      port.postMessage({ id: -1, ok: true, result: null } satisfies WorkerReply);
      return;
    }
    let reply: WorkerReply;
    try {
      if (!state) throw new Error("worker not initialized");
      reply = { id: msg.id, ok: true, result: runTask(state, msg) };
    } catch (err) {
      reply = { id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  });
}
