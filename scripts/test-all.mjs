#!/usr/bin/env node
// `npm test`: every test, in order: types and lint, unit + integration (node:test, against
// PGlite and the local PostgreSQL), then a production build and the Playwright end-to-end
// suite in Chromium. Prints one summary line: "N passed, N failed".
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";

const steps = [
  { name: "typecheck", cmd: ["npx", "tsc", "--noEmit"] },
  { name: "lint", cmd: ["npx", "eslint", "."] },
  {
    name: "unit + integration",
    cmd: ["node", "--conditions=react-server", "--import", "tsx", "--test", "--test-concurrency=2", ...testFiles("tests/unit", "tests/integration")],
    count: (out) => ({ passed: num(out, /^# pass (\d+)/m), failed: num(out, /^# fail (\d+)/m) }),
  },
  { name: "build", cmd: ["npx", "next", "build"] },
  {
    name: "end-to-end",
    cmd: ["npx", "playwright", "test"],
    count: (out) => ({ passed: num(out, /(\d+) passed/), failed: num(out, /(\d+) failed/) }),
  },
];

// Spawned without a shell, so list the test files here rather than relying on glob expansion.
function testFiles(...dirs) {
  return dirs.flatMap((dir) =>
    fs.readdirSync(dir).filter((f) => f.endsWith(".test.ts")).sort().map((f) => `${dir}/${f}`),
  );
}

function num(text, re) {
  const m = text.match(re);
  return m ? Number(m[1]) : 0;
}

function run(cmd) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ["ignore", "pipe", "pipe"], env: process.env });
    let out = "";
    for (const s of [child.stdout, child.stderr]) {
      s.on("data", (d) => {
        out += d;
        process.stdout.write(d);
      });
    }
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

// The browser suite needs Debian's Chromium; install it on a fresh machine when we can.
function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (fs.existsSync(chromium)) return;
  if (process.getuid?.() !== 0) {
    console.error(`Chromium not found at ${chromium}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  console.log("=== installing Debian's chromium for the browser tests");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const cmd of [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]]) {
    if (spawnSync(cmd[0], cmd.slice(1), { stdio: "inherit", env }).status !== 0) process.exit(1);
  }
}

let passed = 0;
let failed = 0;
const only = process.argv.slice(2);
for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  if (step.name === "end-to-end") ensureChromium();
  console.log(`\n=== ${step.name}: ${step.cmd.join(" ")}`);
  const started = Date.now();
  const { code, out } = await run(step.cmd);
  const counts = step.count?.(out.replace(/\x1b\[[0-9;]*m/g, ""));
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
  }
  console.log(`=== ${step.name}: ${code === 0 ? "ok" : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  if (code !== 0) {
    if (!counts || counts.failed === 0) failed += 1; // a step that failed without failing tests
    console.log(`\n${passed} passed, ${failed} failed`);
    process.exit(1);
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
