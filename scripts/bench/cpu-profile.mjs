// Where a server's CPU time went, from a V8 .cpuprofile (node --cpu-prof): self time per
// source file of the project and per npm package, mapped back through the build's source maps
// (the production chunks are minified), restricted to a time window so that start-up and
// shutdown do not blur the phase being looked at.
import fs from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const maps = new Map();

function sourceMapOf(file) {
  if (maps.has(file)) return maps.get(file);
  let map = null;
  try {
    if (fs.existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
  } catch {
    map = null;
  }
  maps.set(file, map);
  return map;
}

/** The npm package a path belongs to, or null. */
function packageOf(p) {
  const s = p.replace(/\\/g, "/");
  const nm = s.lastIndexOf("node_modules/");
  if (nm < 0) return /^webpack:\/\/next\//.test(s) ? "next" : null;
  const rest = s.slice(nm + "node_modules/".length).split("/");
  return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
}

/** A readable owner for a source path: the project file, or the npm package. */
function ownerOf(source) {
  let s = source.replace(/^webpack:\/\/\/|^turbopack:\/\/\/|^file:\/\//, "").replace(/\\/g, "/");
  try {
    s = decodeURIComponent(s);
  } catch {
    // keep it as it is
  }
  const pkg = packageOf(s);
  if (pkg) return pkg;
  const i = s.search(/(^|\/)(lib|app|components)\//);
  if (i >= 0) return s.slice(s[i] === "/" ? i + 1 : i);
  return s.replace(/^(\.\.\/)+/, "");
}

function ownerOfFrame(frame) {
  const { url, functionName, lineNumber, columnNumber } = frame;
  if (!url) {
    if (functionName === "(garbage collector)") return "(garbage collection)";
    if (functionName === "(idle)") return "(idle)";
    if (functionName === "(program)") return "(native / program)";
    return functionName ? `(native) ${functionName}` : "(native)";
  }
  if (url.startsWith("wasm://")) return "(wasm)";
  if (url.startsWith("node:")) {
    // node:internal/streams/readable -> node:streams
    const m = /^node:(?:internal\/)?([^/]+)/.exec(url);
    return `node:${m ? m[1] : url}`;
  }
  if (!url.startsWith("file://")) return url;
  const file = fileURLToPath(url);
  // Packages loaded from node_modules are attributed to the package, whatever their maps say.
  const pkg = packageOf(path.relative(process.cwd(), file));
  if (pkg) return pkg;
  const map = sourceMapOf(file);
  if (map && lineNumber >= 0) {
    const entry = map.findEntry(lineNumber, columnNumber);
    if (entry && entry.originalSource) return ownerOf(entry.originalSource);
  }
  return ownerOf(path.relative(process.cwd(), file));
}

/** Broad kinds of work, so a profile reads as "framework vs. our code vs. the kernel". */
export function groupOf(owner) {
  if (/^(lib|app|components)\//.test(owner)) return "Gatehouse code (lib/, app/)";
  if (owner === "next") return "Next.js server (routing, request/response adapters, compression)";
  if (["node:webstreams", "node:deps", "node:worker", "node:abort_controller", "node:event_target", "node:url"].includes(owner)) {
    return "web streams, Request/Response/Headers (undici), AbortController";
  }
  if (owner === "node:async_hooks" || owner === "(native) runMicrotasks" || owner === "node:process") return "promises, microtasks, async context (AsyncLocalStorage)";
  if (/^node:(_http|http|net|stream|streams|events|timers|buffer|dns)/.test(owner) || /^\(native\) (writev|writeUtf8String|writeBuffer|writeLatin1String|readStop|onStreamRead)/.test(owner)) {
    return "Node HTTP and sockets (client side, server side, upstream)";
  }
  if (owner === "node:zlib" || owner === "(native) zlib" || /^\(native\) (writeSync|init|params|reset)$/.test(owner)) return "response compression (gzip: Next's compress option)";
  if (owner === "(garbage collection)") return "garbage collection";
  if (owner === "(wasm)" || /pglite|prisma/i.test(owner)) return "embedded database (PGlite, Prisma): usage writes, cache refreshes";
  if (owner === "node:crypto") return "crypto (API key hashing, ids)";
  return "other (packages, natives, JSON)";
}

/**
 * Self time per owner (ms) in [fromMs, toMs] counted from the start of the profile, largest
 * first, plus the total of non-idle time.
 */
export function summarizeCpuProfile(file, { fromMs = 0, toMs = Infinity } = {}) {
  const profile = JSON.parse(fs.readFileSync(file, "utf8"));
  const owners = new Map();
  for (const node of profile.nodes) owners.set(node.id, ownerOfFrame(node.callFrame));
  const self = new Map();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const at = (t - profile.startTime) / 1000;
    if (at < fromMs || at > toMs) continue;
    // Each sample stands for the time until the next one.
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const owner = owners.get(profile.samples[i]);
    self.set(owner, (self.get(owner) ?? 0) + dt);
  }
  const rows = [...self].map(([owner, ms]) => ({ owner, ms })).sort((a, b) => b.ms - a.ms);
  const busy = rows.filter((r) => r.owner !== "(idle)").reduce((n, r) => n + r.ms, 0);
  const idle = self.get("(idle)") ?? 0;
  return { rows, busyMs: busy, idleMs: idle };
}
