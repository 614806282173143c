#!/usr/bin/env node
// Gatehouse's production server (`npm start`): one node:http server in one process. The API
// (/v1) is answered by lib/gateway/node-server.ts straight from node:http; everything else
// (console, auth, /healthz, /metrics) by Next.js. Both share the process's state (key cache,
// rate limiter, usage recorder, local models).
//
//   node server.mjs [-p PORT] [-H HOSTNAME]      (defaults: $PORT or 3000, $HOSTNAME or all interfaces)
//
// SIGTERM/SIGINT drain running API requests (streams included), write buffered usage, then
// exit (lib/boot.ts).
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

process.env.NODE_ENV = "production";
process.env.NEXT_MANUAL_SIG_HANDLE = "true";

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
  allowPositionals: false,
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME ?? undefined;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Gatehouse cannot start. The port must be a whole number from 0 to 65535, got "${values.port ?? process.env.PORT}".`);
  process.exit(1);
}

const { default: next } = await import("next");
const dir = path.dirname(fileURLToPath(import.meta.url));
const app = next({ dev: false, dir, hostname: hostname ?? "localhost", port });
const prepared = app.prepare();
const handle = app.getRequestHandler();

const isApiPath = (url) => url.startsWith("/v1") && (url.length === 3 || url[3] === "/" || url[3] === "?");

const server = http.createServer((req, res) => {
  // Registered by instrumentation.ts while the app prepares; until then the framework answers.
  const serveV1 = globalThis.__gatehouseServeV1;
  if (serveV1 && isApiPath(req.url ?? "/")) {
    void serveV1(req, res);
    return;
  }
  prepared.then(() => handle(req, res)).catch((err) => {
    console.error(err);
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end("Internal Server Error");
    } else res.destroy();
  });
});
server.keepAliveTimeout = 65_000;

server.on("error", (err) => {
  console.error(`Gatehouse cannot start. ${err.code === "EADDRINUSE" ? `Port ${port} is already in use.` : err.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => {
  const address = server.address();
  const shown = typeof address === "object" && address ? `${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}` : String(address);
  console.log(`Gatehouse listening on http://${shown}`);
});
await prepared.catch((err) => {
  console.error(err);
  process.exit(1);
});
