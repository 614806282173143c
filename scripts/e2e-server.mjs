#!/usr/bin/env node
// Serves the production build for end-to-end tests on a fresh embedded database.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const port = process.argv[2] ?? "3210";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-e2e-"));
if (!fs.existsSync(".next/BUILD_ID")) {
  console.error("No production build found: run `npm run build` first.");
  process.exit(1);
}
const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port, "-H", "127.0.0.1"], {
  stdio: "inherit",
  env: { ...process.env, DATA_DIR: dataDir, PORT: port, DATABASE_URL: "", NODE_ENV: "production" },
});
const cleanup = () => fs.rmSync(dataDir, { recursive: true, force: true });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => {
  cleanup();
  process.exit(code ?? 0);
});
