// The least a gateway can do, as a floor for Gatehouse's figures: a node:http server that reads
// the JSON body, renames the model, forwards it over a keep-alive connection to the upstream and
// passes the answer back (streams chunk by chunk). No auth, limits or metering: the cost of one
// extra HTTP hop and a JSON round trip on this machine. Runs in its own worker thread.
import http from "node:http";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

/** Starts the proxy in a worker thread, forwarding to 127.0.0.1:upstreamPort; resolves once it listens. */
export function startBareProxy(upstreamPort, upstreamModel) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { upstreamPort, upstreamModel } });
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (m) => resolve({ port: m.port, stop: () => worker.terminate() }));
  });
}

function serve({ upstreamPort, upstreamModel }) {
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      let payload = null;
      if (chunks.length) {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        body.model = upstreamModel;
        payload = Buffer.from(JSON.stringify(body));
      }
      const up = http.request(
        {
          host: "127.0.0.1",
          port: upstreamPort,
          method: req.method,
          path: req.url,
          agent,
          headers: { "content-type": "application/json", ...(payload ? { "content-length": payload.length } : {}), authorization: "Bearer sk-upstream-bench" },
        },
        (upRes) => {
          const type = String(upRes.headers["content-type"] ?? "");
          res.writeHead(upRes.statusCode ?? 502, { "content-type": type });
          if (type.startsWith("text/event-stream")) return void upRes.pipe(res);
          // A JSON answer is parsed and written again, as any gateway that looks at it must.
          const parts = [];
          upRes.on("data", (c) => parts.push(c));
          upRes.on("end", () => res.end(JSON.stringify(JSON.parse(Buffer.concat(parts).toString("utf8")))));
        },
      );
      up.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      up.end(payload ?? undefined);
    });
  });
  server.keepAliveTimeout = 120_000;
  server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
}

if (!isMainThread && workerData) serve(workerData);
