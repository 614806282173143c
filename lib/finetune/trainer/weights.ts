// Loading a llama GGUF into one flat Float32 parameter vector, and turning the vector back into a
// GGUF with the original metadata.

import { GgufType, readGguf, setKv, writeGguf, type GgufHeader, type GgufKV, type GgufTensorOut } from "./gguf";
import { buildLayout, type ModelLayout } from "./model";

export type LoadedModel = {
  header: GgufHeader;
  layout: ModelLayout;
  /** All trainable weights, packed in GGUF tensor order (on a SharedArrayBuffer when asked). */
  params: Float32Array;
  /** Tensors that are not trained (rope_freqs), by name. */
  frozen: Map<string, Float32Array>;
};

export async function loadModel(path: string, opts: { shared?: boolean } = {}): Promise<LoadedModel> {
  const file = await readGguf(path);
  const header: GgufHeader = { version: file.version, kv: file.kv, tensors: file.tensors, alignment: file.alignment, dataOffset: file.dataOffset };
  const layout = buildLayout(header);
  const buf = opts.shared ? new SharedArrayBuffer(layout.nParams * 4) : new ArrayBuffer(layout.nParams * 4);
  const params = new Float32Array(buf);
  for (const t of layout.tensors) params.set(file.tensorData.get(t.name)!, t.offset);
  const frozen = new Map<string, Float32Array>();
  for (const name of layout.frozen) frozen.set(name, file.tensorData.get(name)!);
  const ropeFreqs = frozen.get("rope_freqs.weight");
  if (ropeFreqs) layout.ropeFreqFactors = ropeFreqs;
  return { header, layout, params, frozen };
}

/** LLAMA_FTYPE_ALL_F32: what we write, whatever the input was. */
const FTYPE_ALL_F32 = 0;

/** Metadata for a saved model: the base model's, with the file type (and optionally name) updated. */
export function outputMetadata(kv: GgufKV[], name?: string): GgufKV[] {
  let out = kv;
  if (out.some((e) => e.key === "general.file_type")) out = setKv(out, "general.file_type", GgufType.UINT32, FTYPE_ALL_F32);
  if (name) out = setKv(out, "general.name", GgufType.STRING, name);
  return out;
}

/** Tensors in the base model's order, with the trained weights. */
export function outputTensors(m: { header: GgufHeader; layout: ModelLayout; frozen: Map<string, Float32Array> }, params: Float32Array): GgufTensorOut[] {
  return m.header.tensors.map((t) => {
    const frozen = m.frozen.get(t.name);
    if (frozen) return { name: t.name, dims: t.dims, data: frozen };
    const slot = m.layout.tensors.find((s) => s.name === t.name)!;
    return { name: t.name, dims: t.dims, data: params.subarray(slot.offset, slot.offset + slot.size) };
  });
}

export async function saveModel(path: string, m: LoadedModel, params: Float32Array, name?: string) {
  await writeGguf(path, outputMetadata(m.header.kv, name), outputTensors(m, params));
}
