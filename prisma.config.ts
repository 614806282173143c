import path from "node:path";
import { defineConfig } from "prisma/config";

// The CLI is used offline for `generate` and `migrate diff` only; migrations are applied by
// lib/db/migrate.ts. The JS engine avoids downloading Rust engine binaries.
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => {
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const { PGlite } = await import("@electric-sql/pglite");
    // Older nominal adapter types (see lib/db/database.ts); same runtime interface.
    return new PrismaPGlite(new PGlite()) as never;
  },
});
