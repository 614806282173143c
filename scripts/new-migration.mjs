#!/usr/bin/env node
// Writes the next migration: `npm run db:migration -- add_usage_events`.
// Diffs prisma/schema.prisma against the schema snapshot kept beside the latest migration
// (prisma migrate diff, offline), and stores SQL + a new snapshot under prisma/migrations/.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}
const dir = path.join("prisma", "migrations");
const existing = fs.readdirSync(dir).filter((d) => /^\d{4}_/.test(d)).sort();
const last = existing.at(-1);
const from = last ? ["--from-schema-datamodel", path.join(dir, last, "schema.prisma")] : ["--from-empty"];
const sql = execFileSync(
  process.execPath,
  ["scripts/prisma.mjs", "migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
);
if (!sql.trim() || /^-- This is an empty migration/m.test(sql)) {
  console.log("Schema unchanged since the last migration: nothing to write.");
  process.exit(0);
}
const next = String((last ? Number(last.slice(0, 4)) : 0) + 1).padStart(4, "0");
const target = path.join(dir, `${next}_${name}`);
fs.mkdirSync(target);
fs.writeFileSync(path.join(target, "migration.sql"), sql);
fs.copyFileSync("prisma/schema.prisma", path.join(target, "schema.prisma"));
console.log(`Wrote ${target}/migration.sql — review it, then commit it with the snapshot.`);
