// GGUF (v2/v3) reader and v3 writer, enough to read a llama model's metadata and F32/F16/BF16
// tensors and to write a complete, loadable F32 model back (metadata copied key by key, in order,
// with the original value types, so the tokenizer survives bit for bit).
//
// File layout (all little-endian):
//   "GGUF" u32 version, u64 tensor_count, u64 kv_count,
//   kv_count × (string key, u32 value_type, value),
//   tensor_count × (string name, u32 n_dims, u64 ne[n_dims], u32 ggml_type, u64 offset),
//   padding to `general.alignment` (default 32), tensor data (each tensor's offset is relative to
//   the start of the data section and a multiple of the alignment).
// Strings are u64 byte length + UTF-8 bytes; arrays are u32 item type + u64 count + items.

import { open, readFile, rename, writeFile, unlink } from "node:fs/promises";

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const DEFAULT_ALIGNMENT = 32;

/** GGUF metadata value types. */
export const GgufType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** ggml tensor types we can read (everything else is rejected with a clear error). */
export const GgmlType = { F32: 0, F16: 1, BF16: 30 } as const;

/**
 * A metadata value. Numbers for 8–32-bit ints and floats, bigint for 64-bit ints, boolean,
 * string (or the raw bytes when a string is not valid UTF-8, so it is written back unchanged),
 * and arrays as `{ itemType, items }` (items may themselves be arrays).
 */
export type GgufArray = { itemType: number; items: GgufValue[] };
export type GgufValue = number | bigint | boolean | string | Uint8Array | GgufArray;
export type GgufKV = { key: string; type: number; value: GgufValue };

export type GgufTensorInfo = {
  name: string;
  /** ne[0] first: the innermost, contiguous dimension. */
  dims: number[];
  type: number;
  /** Byte offset relative to the start of the data section. */
  offset: number;
};

export type GgufHeader = {
  version: number;
  kv: GgufKV[];
  tensors: GgufTensorInfo[];
  alignment: number;
  /** Absolute byte offset of the data section in the file. */
  dataOffset: number;
};

export class GgufFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GgufFormatError";
  }
}

/** Thrown internally when the buffer ends before the header does (the caller reads more). */
class TruncatedError extends Error {}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

class Reader {
  pos = 0;
  private view: DataView;
  constructor(private buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number) {
    if (this.pos + n > this.buf.byteLength) throw new TruncatedError();
  }
  u8() { this.need(1); return this.view.getUint8(this.pos++); }
  i8() { this.need(1); return this.view.getInt8(this.pos++); }
  u16() { this.need(2); const v = this.view.getUint16(this.pos, true); this.pos += 2; return v; }
  i16() { this.need(2); const v = this.view.getInt16(this.pos, true); this.pos += 2; return v; }
  u32() { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  i32() { this.need(4); const v = this.view.getInt32(this.pos, true); this.pos += 4; return v; }
  f32() { this.need(4); const v = this.view.getFloat32(this.pos, true); this.pos += 4; return v; }
  f64() { this.need(8); const v = this.view.getFloat64(this.pos, true); this.pos += 8; return v; }
  u64() { this.need(8); const v = this.view.getBigUint64(this.pos, true); this.pos += 8; return v; }
  i64() { this.need(8); const v = this.view.getBigInt64(this.pos, true); this.pos += 8; return v; }
  /** A u64 that must fit a JS number (counts, sizes, offsets). */
  size(what: string) {
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufFormatError(`GGUF ${what} is too large (${v})`);
    return Number(v);
  }
  bytes(n: number) { this.need(n); const b = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return b; }
  string(): string | Uint8Array {
    const len = this.size("string length");
    const b = this.bytes(len);
    try {
      return utf8.decode(b);
    } catch {
      return b.slice(); // not valid UTF-8: keep the bytes so they are written back exactly
    }
  }
}

function readValue(r: Reader, type: number, depth = 0): GgufValue {
  switch (type) {
    case GgufType.UINT8: return r.u8();
    case GgufType.INT8: return r.i8();
    case GgufType.UINT16: return r.u16();
    case GgufType.INT16: return r.i16();
    case GgufType.UINT32: return r.u32();
    case GgufType.INT32: return r.i32();
    case GgufType.FLOAT32: return r.f32();
    case GgufType.FLOAT64: return r.f64();
    case GgufType.BOOL: return r.u8() !== 0;
    case GgufType.STRING: return r.string();
    case GgufType.UINT64: return r.u64();
    case GgufType.INT64: return r.i64();
    case GgufType.ARRAY: {
      if (depth > 4) throw new GgufFormatError("GGUF arrays nested too deeply");
      const itemType = r.u32();
      const n = r.size("array length");
      const items: GgufValue[] = new Array(n);
      for (let i = 0; i < n; i++) items[i] = readValue(r, itemType, depth + 1);
      return { itemType, items };
    }
    default:
      throw new GgufFormatError(`unknown GGUF metadata value type ${type}`);
  }
}

/**
 * Parses the header (metadata and tensor infos) from the first bytes of a file.
 * Throws TruncatedError (internal) when `buf` ends before the header does.
 */
function parseHeader(buf: Uint8Array): GgufHeader {
  const r = new Reader(buf);
  if (buf.byteLength < 8) throw new TruncatedError();
  if (r.u32() !== GGUF_MAGIC) throw new GgufFormatError("not a GGUF file (bad magic)");
  const version = r.u32();
  if (version !== 2 && version !== 3) throw new GgufFormatError(`unsupported GGUF version ${version} (need 2 or 3)`);
  const tensorCount = r.size("tensor count");
  const kvCount = r.size("metadata count");
  const kv: GgufKV[] = [];
  for (let i = 0; i < kvCount; i++) {
    const key = r.string();
    if (typeof key !== "string") throw new GgufFormatError("GGUF metadata key is not UTF-8");
    const type = r.u32();
    kv.push({ key, type, value: readValue(r, type) });
  }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = r.string();
    if (typeof name !== "string") throw new GgufFormatError("GGUF tensor name is not UTF-8");
    const nDims = r.u32();
    if (nDims < 1 || nDims > 4) throw new GgufFormatError(`tensor ${name} has ${nDims} dimensions`);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(r.size("tensor dimension"));
    const type = r.u32();
    const offset = r.size("tensor offset");
    tensors.push({ name, dims, type, offset });
  }
  const alignKv = kv.find((e) => e.key === "general.alignment");
  const alignment = alignKv && typeof alignKv.value === "number" ? alignKv.value : DEFAULT_ALIGNMENT;
  if (!(alignment > 0 && (alignment & (alignment - 1)) === 0)) {
    throw new GgufFormatError(`bad general.alignment ${alignment}`);
  }
  const dataOffset = alignUp(r.pos, alignment);
  return { version, kv, tensors, alignment, dataOffset };
}

export function alignUp(n: number, a: number) {
  return Math.ceil(n / a) * a;
}

/** Reads only the header of a GGUF file (fast, even for multi-GB files). */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    if (size < 24) throw new GgufFormatError(`not a GGUF file (${size} bytes)`);
    let want = Math.min(size, 1 << 20);
    for (;;) {
      const buf = new Uint8Array(want);
      const { bytesRead } = await fh.read(buf, 0, want, 0);
      try {
        return parseHeader(buf.subarray(0, bytesRead));
      } catch (err) {
        if (!(err instanceof TruncatedError)) throw err;
        if (want >= size) throw new GgufFormatError("GGUF file is truncated (header runs past the end)");
        want = Math.min(size, want * 4);
      }
    }
  } finally {
    await fh.close();
  }
}

/** Number of elements of a tensor. */
export function tensorElements(t: { dims: number[] }) {
  return t.dims.reduce((a, b) => a * b, 1);
}

function tensorBytes(t: GgufTensorInfo) {
  const n = tensorElements(t);
  switch (t.type) {
    case GgmlType.F32: return n * 4;
    case GgmlType.F16:
    case GgmlType.BF16: return n * 2;
    default: throw new GgufFormatError(`tensor ${t.name} has unsupported type ${ggmlTypeName(t.type)}: only F32, F16 and BF16 models can be trained (quantized models cannot)`);
  }
}

const GGML_TYPE_NAMES: Record<number, string> = {
  0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1", 10: "Q2_K",
  11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS",
  19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32",
  27: "I64", 28: "F64", 29: "IQ1_M", 30: "BF16",
};
export function ggmlTypeName(type: number) {
  return GGML_TYPE_NAMES[type] ?? `type ${type}`;
}

/** IEEE half → float. */
function halfToFloat(h: number) {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

export type GgufModelFile = GgufHeader & {
  /** Every tensor converted to F32, by name. */
  tensorData: Map<string, Float32Array>;
};

/** Reads a whole GGUF file; F16 and BF16 tensors are converted to F32. */
export async function readGguf(path: string): Promise<GgufModelFile> {
  const header = await readGgufHeader(path);
  const file = await readFile(path);
  const tensorData = new Map<string, Float32Array>();
  for (const t of header.tensors) {
    const start = header.dataOffset + t.offset;
    const bytes = tensorBytes(t);
    if (start + bytes > file.byteLength) throw new GgufFormatError(`GGUF file is truncated (tensor ${t.name})`);
    const n = tensorElements(t);
    const out = new Float32Array(n);
    const view = new DataView(file.buffer, file.byteOffset + start, bytes);
    if (t.type === GgmlType.F32) {
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
    } else if (t.type === GgmlType.F16) {
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
    } else {
      // BF16 is the top half of an F32.
      const tmp = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) {
        tmp.setUint32(0, view.getUint16(i * 2, true) << 16);
        out[i] = tmp.getFloat32(0);
      }
    }
    tensorData.set(t.name, out);
  }
  return { ...header, tensorData };
}

// ---------------------------------------------------------------------------------------------
// Writer

class Writer {
  private chunks: Uint8Array[] = [];
  private cur = new Uint8Array(1 << 16);
  private view = new DataView(this.cur.buffer);
  private pos = 0;
  length = 0;
  private ensure(n: number) {
    if (this.pos + n <= this.cur.byteLength) return;
    this.chunks.push(this.cur.subarray(0, this.pos));
    this.cur = new Uint8Array(Math.max(1 << 16, n));
    this.view = new DataView(this.cur.buffer);
    this.pos = 0;
  }
  u8(v: number) { this.ensure(1); this.view.setUint8(this.pos, v); this.pos += 1; this.length += 1; }
  i8(v: number) { this.ensure(1); this.view.setInt8(this.pos, v); this.pos += 1; this.length += 1; }
  u16(v: number) { this.ensure(2); this.view.setUint16(this.pos, v, true); this.pos += 2; this.length += 2; }
  i16(v: number) { this.ensure(2); this.view.setInt16(this.pos, v, true); this.pos += 2; this.length += 2; }
  u32(v: number) { this.ensure(4); this.view.setUint32(this.pos, v, true); this.pos += 4; this.length += 4; }
  i32(v: number) { this.ensure(4); this.view.setInt32(this.pos, v, true); this.pos += 4; this.length += 4; }
  f32(v: number) { this.ensure(4); this.view.setFloat32(this.pos, v, true); this.pos += 4; this.length += 4; }
  f64(v: number) { this.ensure(8); this.view.setFloat64(this.pos, v, true); this.pos += 8; this.length += 8; }
  u64(v: bigint | number) { this.ensure(8); this.view.setBigUint64(this.pos, BigInt(v), true); this.pos += 8; this.length += 8; }
  i64(v: bigint | number) { this.ensure(8); this.view.setBigInt64(this.pos, BigInt(v), true); this.pos += 8; this.length += 8; }
  bytes(b: Uint8Array) {
    this.ensure(b.byteLength);
    this.cur.set(b, this.pos);
    this.pos += b.byteLength;
    this.length += b.byteLength;
  }
  string(s: string | Uint8Array) {
    const b = typeof s === "string" ? utf8Encoder.encode(s) : s;
    this.u64(b.byteLength);
    this.bytes(b);
  }
  pad(alignment: number) {
    const n = alignUp(this.length, alignment) - this.length;
    if (n) this.bytes(new Uint8Array(n));
  }
  /** Appends a large block without copying it into the staging buffer. */
  raw(b: Uint8Array) {
    this.chunks.push(this.cur.subarray(0, this.pos));
    this.chunks.push(b);
    this.cur = new Uint8Array(1 << 16);
    this.view = new DataView(this.cur.buffer);
    this.pos = 0;
    this.length += b.byteLength;
  }
  finish(): Buffer {
    this.chunks.push(this.cur.subarray(0, this.pos));
    return Buffer.concat(this.chunks, this.length);
  }
}

function num(v: GgufValue, key: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  throw new GgufFormatError(`metadata ${key}: expected a number`);
}

function writeValue(w: Writer, type: number, v: GgufValue, key: string) {
  switch (type) {
    case GgufType.UINT8: return w.u8(num(v, key));
    case GgufType.INT8: return w.i8(num(v, key));
    case GgufType.UINT16: return w.u16(num(v, key));
    case GgufType.INT16: return w.i16(num(v, key));
    case GgufType.UINT32: return w.u32(num(v, key));
    case GgufType.INT32: return w.i32(num(v, key));
    case GgufType.FLOAT32: return w.f32(num(v, key));
    case GgufType.FLOAT64: return w.f64(num(v, key));
    case GgufType.BOOL: return w.u8(v ? 1 : 0);
    case GgufType.UINT64: return w.u64(typeof v === "bigint" ? v : BigInt(num(v, key)));
    case GgufType.INT64: return w.i64(typeof v === "bigint" ? v : BigInt(num(v, key)));
    case GgufType.STRING:
      if (typeof v !== "string" && !(v instanceof Uint8Array)) throw new GgufFormatError(`metadata ${key}: expected a string`);
      return w.string(v);
    case GgufType.ARRAY: {
      const a = v as GgufArray;
      if (!a || typeof a !== "object" || !Array.isArray(a.items)) throw new GgufFormatError(`metadata ${key}: expected an array`);
      w.u32(a.itemType);
      w.u64(a.items.length);
      for (const item of a.items) writeValue(w, a.itemType, item, key);
      return;
    }
    default:
      throw new GgufFormatError(`metadata ${key}: unknown value type ${type}`);
  }
}

export type GgufTensorOut = { name: string; /** ne[0] first */ dims: number[]; data: Float32Array };

/**
 * Encodes a complete GGUF v3 file with F32 tensors. Metadata is written in the given order with
 * the given types; the alignment comes from `general.alignment` when present (default 32).
 */
export function encodeGguf(kv: GgufKV[], tensors: GgufTensorOut[]): Buffer {
  const alignKv = kv.find((e) => e.key === "general.alignment");
  const alignment = alignKv ? num(alignKv.value, "general.alignment") : DEFAULT_ALIGNMENT;
  const w = new Writer();
  w.u32(GGUF_MAGIC);
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kv.length);
  for (const e of kv) {
    w.string(e.key);
    w.u32(e.type);
    writeValue(w, e.type, e.value, e.key);
  }
  let offset = 0;
  for (const t of tensors) {
    if (tensorElements(t) !== t.data.length) throw new GgufFormatError(`tensor ${t.name}: dims do not match data length`);
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(GgmlType.F32);
    w.u64(offset);
    offset = alignUp(offset + t.data.length * 4, alignment);
  }
  w.pad(alignment);
  for (const t of tensors) {
    // Copy into a fresh little-endian buffer (all supported hosts are little-endian; copying also
    // detaches the bytes from a SharedArrayBuffer that workers may still be writing).
    const bytes = new Uint8Array(t.data.length * 4);
    new Float32Array(bytes.buffer).set(t.data);
    w.raw(bytes);
    w.pad(alignment);
  }
  return w.finish();
}

/** Writes a GGUF file atomically (temp file + rename). See encodeGguf. */
export async function writeGguf(path: string, kv: GgufKV[], tensors: GgufTensorOut[]): Promise<void> {
  await writeFileAtomic(path, encodeGguf(kv, tensors));
}

export async function writeFileAtomic(path: string, data: Uint8Array | Uint8Array[]) {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    if (Array.isArray(data)) {
      const fh = await open(tmp, "w");
      try {
        for (const d of data) await fh.write(d);
      } finally {
        await fh.close();
      }
    } else {
      await writeFile(tmp, data);
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Metadata helpers

export function getKv(kv: GgufKV[], key: string): GgufValue | undefined {
  return kv.find((e) => e.key === key)?.value;
}

export function getNumber(kv: GgufKV[], key: string): number | undefined {
  const v = getKv(kv, key);
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

export function getString(kv: GgufKV[], key: string): string | undefined {
  const v = getKv(kv, key);
  return typeof v === "string" ? v : undefined;
}

/** Sets (or appends) a key, keeping its position when it exists. */
export function setKv(kv: GgufKV[], key: string, type: number, value: GgufValue): GgufKV[] {
  const out = kv.map((e) => (e.key === key ? { key, type, value } : e));
  if (!out.some((e) => e.key === key)) out.push({ key, type, value });
  return out;
}
