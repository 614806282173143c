"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { id, runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { nameSchema } from "@/lib/auth/validation";
import { createApiKey, revokeApiKey, updateApiKey, type KeyOwner } from "@/lib/keys/api-keys";
import { accessLevel, RESOURCES, type Permissions, type Resource } from "@/lib/keys/permissions";
import type { CreatedKey } from "@/components/api-keys/types";

// Form parsing for the API-key forms. The services re-check the actor's role and the project;
// nothing here is trusted from the client beyond its shape.

const DAY_MS = 24 * 60 * 60 * 1000;

const level = z.enum(accessLevel.options, { error: "Choose None, Read or Write" }).default("none");

/** `perm_<resource>` radio fields of the Restricted grid. */
const permFields = Object.fromEntries(RESOURCES.map((r) => [`perm_${r}`, level])) as {
  [K in Resource as `perm_${K}`]: typeof level;
};

const permissionsShape = {
  mode: z.enum(["all", "restricted", "read_only"], { error: "Choose the key's permissions" }),
  ...permFields,
};

type PermissionInput = z.infer<z.ZodObject<typeof permissionsShape>>;

function toPermissions(d: PermissionInput): Permissions {
  if (d.mode !== "restricted") return { mode: d.mode };
  const resources = Object.fromEntries(RESOURCES.map((r) => [r, d[`perm_${r}`]])) as Record<Resource, z.infer<typeof level>>;
  return { mode: "restricted", resources };
}

function checkRestricted(d: PermissionInput, ctx: z.RefinementCtx) {
  if (d.mode === "restricted" && RESOURCES.every((r) => d[`perm_${r}`] === "none")) {
    ctx.addIssue({ code: "custom", path: ["permissions"], message: "Give the key read or write access to at least one resource" });
  }
}

/** "YYYY-MM-DD" to the end of that day in UTC, or null when it is not a real date. */
function endOfDayUtc(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d, 23, 59, 59, 999));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date;
}

const createKeySchema = z
  .object({
    projectId: id,
    name: nameSchema("name"),
    ownerType: z.enum(["user", "service_account"], { error: "Choose who owns the key" }).default("user"),
    serviceAccountId: z.string().trim().max(64, "Unknown service account").optional(),
    ...permissionsShape,
    expiry: z.enum(["never", "7", "30", "90", "custom"], { error: "Choose when the key expires" }).default("never"),
    expiresAt: z.string().trim().max(32, "Enter a valid date").optional(),
  })
  .superRefine((d, ctx) => {
    if (d.ownerType === "service_account" && !d.serviceAccountId) {
      ctx.addIssue({ code: "custom", path: ["serviceAccountId"], message: "Choose a service account" });
    }
    checkRestricted(d, ctx);
    if (d.expiry === "custom") {
      const date = d.expiresAt ? endOfDayUtc(d.expiresAt) : null;
      if (!date) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Choose an expiry date" });
      else if (date.getTime() <= Date.now()) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Choose a date in the future" });
      else if (date.getTime() > Date.now() + 10 * 366 * DAY_MS) {
        ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Choose a date within the next 10 years" });
      }
    }
  })
  .transform((d) => {
    const owner: KeyOwner =
      d.ownerType === "service_account" && d.serviceAccountId
        ? { kind: "service_account", serviceAccountId: d.serviceAccountId }
        : { kind: "user" };
    const expiresAt =
      d.expiry === "never"
        ? null
        : d.expiry === "custom"
          ? endOfDayUtc(d.expiresAt ?? "")
          : new Date(Date.now() + Number(d.expiry) * DAY_MS);
    return { projectId: d.projectId, name: d.name, owner, permissions: toPermissions(d), expiresAt };
  });

const updateKeySchema = z
  .object({ projectId: id, keyId: id, name: nameSchema("name"), ...permissionsShape })
  .superRefine(checkRestricted)
  .transform((d) => ({ projectId: d.projectId, keyId: d.keyId, name: d.name, permissions: toPermissions(d) }));

const revokeKeySchema = z.object({ projectId: id, keyId: id });

const keysPath = (projectId: string) => `/projects/${projectId}/api-keys`;

/**
 * Creates a key. The secret is returned in this response only: it is not logged, not put in
 * a URL, and the revalidated page lists keys by their redacted value.
 */
export async function createKeyAction(_prev: ActionState<CreatedKey>, form: FormData): Promise<ActionResult<CreatedKey>> {
  return runAction<typeof createKeySchema, CreatedKey>(createKeySchema, form, async (actor, d) => {
    const { key, secret } = await createApiKey(actor, d.projectId, {
      name: d.name,
      owner: d.owner,
      permissions: d.permissions,
      expiresAt: d.expiresAt,
    });
    revalidatePath(keysPath(d.projectId));
    revalidatePath(`/projects/${d.projectId}/service-accounts`);
    return {
      ok: true,
      message: "Secret key created",
      data: { id: key.id, name: key.name, redactedValue: key.redactedValue, secret },
    };
  });
}

export async function updateKeyAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(updateKeySchema, form, async (actor, d) => {
    await updateApiKey(actor, d.projectId, d.keyId, { name: d.name, permissions: d.permissions });
    revalidatePath(keysPath(d.projectId));
    return { ok: true, message: "Secret key updated" };
  });
}

export async function revokeKeyAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(revokeKeySchema, form, async (actor, d) => {
    await revokeApiKey(actor, d.projectId, d.keyId);
    revalidatePath(keysPath(d.projectId));
    revalidatePath(`/projects/${d.projectId}/service-accounts`);
    return { ok: true, message: "Secret key revoked" };
  });
}
