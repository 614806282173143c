#!/usr/bin/env node
// Serves the production build for end-to-end tests on a fresh embedded database.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const port = process.argv[2] ?? "3210";
// Must match e2e/support.ts.
const E2E_API_KEY = "sk-proj-e2e0000000000000000000000000000000000000000000";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-e2e-"));
if (!fs.existsSync(".next/BUILD_ID")) {
  console.error("No production build found: run `npm run build` first.");
  process.exit(1);
}
const child = spawn(process.execPath, ["server.mjs", "-p", port, "-H", "127.0.0.1"], {
  stdio: "inherit",
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: port,
    DATABASE_URL: "",
    NODE_ENV: "production",
    // The API specs call the tiny model through a bootstrap key.
    LOCAL_MODEL_DIR: process.env.TEST_MODEL_DIR ?? path.resolve("../shared/models"),
    LOCAL_MODEL_THREADS: "1",
    // The suite signs up more accounts from one address than the default hourly limit allows.
    SIGN_UPS_PER_HOUR: "1000",
    BOOTSTRAP_ADMIN_EMAIL: "e2e-admin@example.com",
    BOOTSTRAP_ADMIN_PASSWORD: "e2e-admin-password-1",
    BOOTSTRAP_API_KEY: E2E_API_KEY,
  },
});
const cleanup = () => fs.rmSync(dataDir, { recursive: true, force: true });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => {
  cleanup();
  process.exit(code ?? 0);
});
