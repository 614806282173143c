#!/usr/bin/env node
// Runs the Prisma CLI offline. With DATABASE_URL unset the CLI wants to download its binary
// query engine; a placeholder URL keeps it on the JS/WASM engines. `generate` and
// `migrate diff` never connect to it.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
env.DATABASE_URL ||= "postgresql://offline.invalid/gatehouse";
const r = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(r.status ?? 1);
