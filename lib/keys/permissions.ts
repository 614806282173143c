import { z } from "zod";

// API-key permissions, like platform.openai.com: All, Restricted (per resource) or Read only.

export const RESOURCES = ["models", "chat_completions", "embeddings", "files", "fine_tuning", "assistants"] as const;
export type Resource = (typeof RESOURCES)[number];
export const RESOURCE_LABELS: Record<Resource, string> = {
  models: "Models",
  chat_completions: "Chat completions",
  embeddings: "Embeddings",
  files: "Files",
  fine_tuning: "Fine-tuning",
  assistants: "Assistants",
};

export const accessLevel = z.enum(["none", "read", "write"]);
export type AccessLevel = z.infer<typeof accessLevel>;

export const permissionsSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("all") }),
  z.object({ mode: z.literal("read_only") }),
  z.object({
    mode: z.literal("restricted"),
    resources: z.object(Object.fromEntries(RESOURCES.map((r) => [r, accessLevel.default("none")])) as {
      [K in Resource]: z.ZodDefault<typeof accessLevel>;
    }),
  }),
]);
export type Permissions = z.infer<typeof permissionsSchema>;

export const ALL_PERMISSIONS: Permissions = { mode: "all" };

/** The access a key has to one resource. */
export function accessFor(p: Permissions, resource: Resource): AccessLevel {
  if (p.mode === "all") return "write";
  if (p.mode === "read_only") return "read";
  return p.resources[resource] ?? "none";
}

/** Whether a key may perform `needed` (read or write) on `resource`. */
export function allows(p: Permissions, resource: Resource, needed: "read" | "write"): boolean {
  const has = accessFor(p, resource);
  return needed === "read" ? has !== "none" : has === "write";
}

export function describePermissions(p: Permissions): string {
  if (p.mode === "all") return "All";
  if (p.mode === "read_only") return "Read only";
  return "Restricted";
}
