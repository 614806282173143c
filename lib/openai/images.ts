import "server-only";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { invalidRequest, OpenAIError } from "@/lib/openai/errors";

// Images in chat messages: OpenAI's token rule, header parsing for the four formats OpenAI
// accepts, URL checks, and a fetcher that cannot be pointed at our own network (SSRF).

export type ImageDetail = "auto" | "low" | "high";
export type ImageMimeType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";
export type ImageInfo = { width: number; height: number; mimeType: ImageMimeType };
export type LoadedImage = ImageInfo & { bytes: Uint8Array };

export const SUPPORTED_IMAGE_TYPES: readonly ImageMimeType[] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

// ---- token rule ----

const LOW_DETAIL_TOKENS = 85;
const TILE_TOKENS = 170;
const TILE = 512;
const FIT = 2048;
const SHORT_SIDE = 768;

/**
 * OpenAI's vision cost: "low" is a flat 85 tokens; otherwise the image is scaled to fit in
 * 2048×2048, then so its shortest side is 768 (never upscaled), and costs 85 + 170 per 512px tile.
 */
export function imageTokens(width: number, height: number, detail: ImageDetail = "auto"): number {
  if (detail === "low") return LOW_DETAIL_TOKENS;
  let w = width;
  let h = height;
  if (w > FIT || h > FIT) {
    // Multiply before dividing so exact ratios (e.g. 4096 → 2048) stay exact integers.
    if (w >= h) {
      h = Math.floor((h * FIT) / w);
      w = FIT;
    } else {
      w = Math.floor((w * FIT) / h);
      h = FIT;
    }
  }
  const shortest = Math.min(w, h);
  if (shortest > SHORT_SIDE) {
    if (w <= h) {
      h = Math.floor((h * SHORT_SIDE) / w);
      w = SHORT_SIDE;
    } else {
      w = Math.floor((w * SHORT_SIDE) / h);
      h = SHORT_SIDE;
    }
  }
  const tiles = Math.ceil(Math.max(1, w) / TILE) * Math.ceil(Math.max(1, h) / TILE);
  return LOW_DETAIL_TOKENS + TILE_TOKENS * tiles;
}

/**
 * The most a single high/auto image can cost (768×2048 after scaling: 2×4 tiles). Used to
 * reserve tokens for an image whose size is not known yet.
 */
export const MAX_IMAGE_TOKENS = imageTokens(SHORT_SIDE, FIT, "high");

// ---- header parsing ----

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = "";
  for (let i = start; i < start + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** The format by magic bytes, whatever the URL or header claims. */
export function sniffImageType(bytes: Uint8Array): ImageMimeType | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === "PNG" && bytes[4] === 0x0d && bytes[5] === 0x0a && bytes[6] === 0x1a && bytes[7] === 0x0a) return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a")) return "image/gif";
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "image/webp";
  return null;
}

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return null;
    let marker = b[i + 1];
    // Fill bytes: any number of 0xFF may precede a marker.
    while (marker === 0xff && i + 2 < b.length) {
      i++;
      marker = b[i + 1];
    }
    i += 2;
    // Markers without a length: TEM, RSTn, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / start of scan before any frame header
    if (i + 1 >= b.length) return null;
    const length = (b[i] << 8) | b[i + 1];
    if (length < 2) return null;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (i + 6 >= b.length) return null;
      const height = (b[i + 3] << 8) | b[i + 4];
      const width = (b[i + 5] << 8) | b[i + 6];
      return { width, height };
    }
    i += length;
  }
  return null;
}

function webpSize(b: Uint8Array): { width: number; height: number } | null {
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8 " && b.length >= 30) {
    // Lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return { width: (b[26] | (b[27] << 8)) & 0x3fff, height: (b[28] | (b[29] << 8)) & 0x3fff };
  }
  if (chunk === "VP8L" && b.length >= 25) {
    // Lossless: signature 0x2F, then width-1 and height-1 as 14-bit fields.
    if (b[20] !== 0x2f) return null;
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X" && b.length >= 30) {
    // Extended: 24-bit canvas width-1 and height-1.
    return { width: (b[24] | (b[25] << 8) | (b[26] << 16)) + 1, height: (b[27] | (b[28] << 8) | (b[29] << 16)) + 1 };
  }
  return null;
}

/** Width, height and type from a PNG, JPEG, GIF or WebP header; null for anything else or a broken header. */
export function imageDimensions(bytes: Uint8Array): ImageInfo | null {
  const mimeType = sniffImageType(bytes);
  let size: { width: number; height: number } | null = null;
  switch (mimeType) {
    case "image/png":
      if (bytes.length >= 24 && ascii(bytes, 12, 4) === "IHDR") {
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        size = { width: view.getUint32(16), height: view.getUint32(20) };
      }
      break;
    case "image/gif":
      if (bytes.length >= 10) size = { width: bytes[6] | (bytes[7] << 8), height: bytes[8] | (bytes[9] << 8) };
      break;
    case "image/jpeg":
      size = jpegSize(bytes);
      break;
    case "image/webp":
      size = webpSize(bytes);
      break;
    default:
      return null;
  }
  if (!mimeType || !size || size.width <= 0 || size.height <= 0) return null;
  return { ...size, mimeType };
}

// ---- URL checks ----

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const EXAMPLE = "(e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU=')";

export type CheckedImageUrl = { kind: "data"; mimeType: ImageMimeType; base64: string } | { kind: "remote"; url: URL };

/**
 * Checks an image_url.url without fetching anything: an http(s) URL, or a base64 data URL of
 * one of the four supported types. Throws OpenAI's invalid-value error otherwise.
 */
export function checkImageUrl(value: string, param: string | null): CheckedImageUrl {
  const where = param ? `: '${param}'` : "";
  const dataUrlError = (detail: string) =>
    invalidRequest(`Invalid image URL${where}. Expected a base64-encoded data URL with an image MIME type ${EXAMPLE}, but got ${detail}.`, param, "invalid_value");
  if (/^data:/i.test(value)) {
    const m = DATA_URL.exec(value);
    if (!m) throw dataUrlError("a value with an invalid format");
    const mimeType = m[1].toLowerCase();
    if (!(SUPPORTED_IMAGE_TYPES as readonly string[]).includes(mimeType)) throw dataUrlError(`unsupported MIME type '${m[1]}'`);
    if (!m[2].toLowerCase().split(";").includes("base64")) throw dataUrlError("a value without the ';base64' separator");
    const base64 = m[3];
    if (base64.length === 0) throw dataUrlError("empty base64-encoded bytes");
    if (!BASE64.test(base64) || base64.length % 4 === 1) throw dataUrlError("an invalid base64-encoded value");
    return { kind: "data", mimeType: mimeType as ImageMimeType, base64 };
  }
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) {
    throw invalidRequest(`Invalid image URL${where}. Expected a valid URL, but got a value with an invalid format.`, param, "invalid_value");
  }
  return { kind: "remote", url };
}

// ---- address policy ----

function parseIPv4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return out.every((n) => n >= 0 && n <= 255) ? out : null;
}

/** Eight 16-bit groups, or null; understands "::" and a trailing dotted quad. */
function parseIPv6(input: string): number[] | null {
  let s = input.replace(/^\[|\]$/g, "");
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (!v4) return null;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    s = s.slice(0, lastColon + 1) + "0:0"; // placeholder for the two groups the quad fills
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const group = (g: string) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN);
  const head = halves[0] ? halves[0].split(":").map(group) : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":").map(group) : [];
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    groups = head;
  }
  if (tail.length) groups = [...groups.slice(0, -2), ...tail];
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g))) return null;
  return groups;
}

function ipv4IsPublic([a, b, c]: number[]): boolean {
  if (a === 0) return false; // "this network", including the unspecified 0.0.0.0
  if (a === 10) return false; // private
  if (a === 100 && b >= 64 && b <= 127) return false; // carrier-grade NAT
  if (a === 127) return false; // loopback
  if (a === 169 && b === 254) return false; // link-local, cloud metadata
  if (a === 172 && b >= 16 && b <= 31) return false; // private
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol assignments, documentation
  if (a === 192 && b === 168) return false; // private
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // documentation
  if (a === 203 && b === 0 && c === 113) return false; // documentation
  if (a >= 224) return false; // multicast, reserved, broadcast
  return true;
}

/**
 * True when an address is one we may fetch from: anything that is not private, loopback,
 * link-local, unique-local, CGNAT, multicast, unspecified, documentation or otherwise reserved,
 * in IPv4 or IPv6 (IPv4-mapped, -compatible, NAT64 and 6to4 forms are judged by their IPv4 part).
 */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4) return ipv4IsPublic(v4);
  const g = parseIPv6(address);
  if (!g) return false;
  const embedded = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  if (g.slice(0, 6).every((x) => x === 0)) {
    // ::/128 unspecified, ::1 loopback, ::a.b.c.d IPv4-compatible.
    if (g[6] === 0 && (g[7] === 0 || g[7] === 1)) return false;
    return ipv4IsPublic(embedded(g[6], g[7]));
  }
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return ipv4IsPublic(embedded(g[6], g[7])); // ::ffff:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4IsPublic(embedded(g[6], g[7])); // NAT64
  if (g[0] === 0x2002) return ipv4IsPublic(embedded(g[1], g[2])); // 6to4
  if ((g[0] & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return false; // link-local fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return false; // site-local (deprecated) fec0::/10
  if ((g[0] & 0xff00) === 0xff00) return false; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return false; // documentation
  if (g[0] === 0x2001 && g[1] === 0) return false; // Teredo: tunnels to arbitrary IPv4 hosts
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return false; // discard-only 100::/64
  return true;
}

// ---- fetching ----

export type LoadImageOptions = {
  /** Allow private, loopback and other internal addresses (trusted deployments only). */
  allowPrivate?: boolean;
  /** Overrides the address policy, e.g. to allow one internal image host; gets each resolved IP. */
  allowAddress?: (address: string) => boolean;
  maxBytes: number;
  /** For the whole download, redirects included. */
  timeoutMs: number;
  /** Reported as the error's param, e.g. "messages[0].content[1].image_url.url". */
  param?: string | null;
  /** Stops the download when the caller goes away. */
  signal?: AbortSignal;
};

const MAX_REDIRECTS = 3;

class DownloadFailure extends Error {
  constructor(
    readonly kind: "timeout" | "too_large" | "refused" | "failed",
    message: string,
  ) {
    super(message);
  }
}

function downloadError(url: string, failure: DownloadFailure, param: string | null): OpenAIError {
  switch (failure.kind) {
    case "timeout":
      return invalidRequest(`Timeout while downloading ${url}.`, param, "invalid_image_url");
    case "too_large":
      return invalidRequest(`Failed to download image from ${url}. Image size exceeds the limit.`, param, "invalid_image");
    default:
      return invalidRequest(`Error while downloading ${url}. ${failure.message}`, param, "invalid_image_url");
  }
}

function unsupportedImage(param: string | null): OpenAIError {
  return invalidRequest(
    "You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].",
    param,
    "invalid_image_format",
  );
}

function decoded(bytes: Uint8Array, param: string | null): LoadedImage {
  const info = imageDimensions(bytes);
  if (!info) throw unsupportedImage(param);
  return { ...info, bytes };
}

/** Resolves a host to addresses we may connect to; refuses if any of them is internal. */
async function resolveChecked(url: URL, allowed: (address: string) => boolean): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) }];
  } else {
    try {
      addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
    } catch {
      throw new DownloadFailure("failed", `The host ${host} could not be resolved.`);
    }
  }
  if (addresses.length === 0) throw new DownloadFailure("failed", `The host ${host} could not be resolved.`);
  // Every address must pass: a host that also resolves internally could be steered there.
  const refused = addresses.find((a) => !allowed(a.address));
  if (refused) throw new DownloadFailure("refused", "Image URLs may not point to private, loopback or other internal network addresses.");
  return { address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
}

type Hop = { status: number; location: string | null; body: Uint8Array | null };

/** One HTTP exchange, connected to the already-checked address (no second DNS lookup to race). */
function fetchOnce(url: URL, pinned: { address: string; family: 4 | 6 }, maxBytes: number, signal: AbortSignal): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const lookup: net.LookupFunction = (_hostname, options, callback) => {
      // Node asks for all addresses when it may race IPv4/IPv6: answer in the form it asked for.
      const cb = callback as unknown as (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void;
      if ((options as dns.LookupAllOptions).all) cb(null, [{ address: pinned.address, family: pinned.family }]);
      else cb(null, pinned.address, pinned.family);
    };
    const req = client.request(url, {
      method: "GET",
      lookup,
      signal,
      headers: { "user-agent": "Gatehouse-ImageFetcher/1.0", accept: "image/png,image/jpeg,image/gif,image/webp,image/*;q=0.8" },
    });
    req.on("error", (err) => reject(signal.aborted ? signal.reason : new DownloadFailure("failed", `The connection failed (${(err as NodeJS.ErrnoException).code ?? err.message}).`)));
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        resolve({ status, location: res.headers.location, body: null });
        return;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        reject(new DownloadFailure("failed", `The server answered with status ${status}.`));
        return;
      }
      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.destroy();
        reject(new DownloadFailure("too_large", "too large"));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      res.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) {
          res.destroy();
          req.destroy();
          reject(new DownloadFailure("too_large", "too large"));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", (err) => reject(signal.aborted ? signal.reason : new DownloadFailure("failed", `The download was interrupted (${err.message}).`)));
      res.on("end", () => {
        const buf = Buffer.concat(chunks);
        resolve({ status, location: null, body: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) });
      });
    });
    req.end();
  });
}

/**
 * Loads an image for a model: decodes a data URL, or downloads an http(s) URL with the
 * address policy re-checked on every redirect, a byte limit enforced while streaming and one
 * deadline for the whole download. Failures are OpenAI-style 400s naming `param`.
 */
export async function loadImage(url: string, options: LoadImageOptions): Promise<LoadedImage> {
  const param = options.param ?? null;
  const checked = checkImageUrl(url, param);
  if (checked.kind === "data") {
    // Reject by length before decoding: 4 base64 characters carry 3 bytes.
    if (Math.floor((checked.base64.length * 3) / 4) - (checked.base64.match(/=+$/)?.[0].length ?? 0) > options.maxBytes) {
      throw downloadError("data URL", new DownloadFailure("too_large", "too large"), param);
    }
    // The bytes decide the type: clients often label a PNG as image/jpeg, and that is harmless.
    const buf = Buffer.from(checked.base64, "base64");
    return decoded(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), param);
  }

  const allowed = options.allowAddress ?? ((address: string) => options.allowPrivate === true || isPublicAddress(address));
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DownloadFailure("timeout", "timeout")), options.timeoutMs);
  const onCallerGone = () => deadline.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onCallerGone, { once: true });
  let current = checked.url;
  try {
    for (let redirects = 0; ; redirects++) {
      const pinned = await Promise.race([
        resolveChecked(current, allowed),
        new Promise<never>((_, reject) => {
          if (deadline.signal.aborted) reject(deadline.signal.reason);
          deadline.signal.addEventListener("abort", () => reject(deadline.signal.reason), { once: true });
        }),
      ]);
      const hop = await fetchOnce(current, pinned, options.maxBytes, deadline.signal);
      if (hop.body) return decoded(hop.body, param);
      if (redirects >= MAX_REDIRECTS) throw new DownloadFailure("failed", `It redirected more than ${MAX_REDIRECTS} times.`);
      let next: URL;
      try {
        next = new URL(hop.location ?? "", current);
      } catch {
        throw new DownloadFailure("failed", "It redirected to an invalid URL.");
      }
      if (next.protocol !== "http:" && next.protocol !== "https:") throw new DownloadFailure("failed", "It redirected to a URL that is not http or https.");
      current = next;
    }
  } catch (err) {
    if (err instanceof OpenAIError) throw err;
    if (err instanceof DownloadFailure) throw downloadError(url, err, param);
    throw downloadError(url, new DownloadFailure("failed", "The download was cancelled."), param);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onCallerGone);
  }
}
