import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Extra server processes for specs that need their own configuration (start-up behaviour,
// several instances sharing PostgreSQL and Redis). Each gets a fresh DATA_DIR.

export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function startServer(port: number, env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-start-"));
  const child = spawn(process.execPath, ["server.mjs", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: "production", DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that stopping reaches anything the server started too (it must
    // not outlive the test holding its port).
    detached: true,
  });
  const groupAlive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    async stop() {
      // Wait for every process of the group (the server flushes usage as it stops), then force.
      signalGroup("SIGTERM");
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && groupAlive()) await new Promise((r) => setTimeout(r, 100));
      signalGroup("SIGKILL");
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitForHealth(port: number, want: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      last = res.status;
      if (res.status === want) return res;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`healthz did not answer ${want} in time (last ${last})`);
}

