import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { requireProjectOwner, type Actor } from "@/lib/auth/access";
import { recordAuditEvent } from "@/lib/audit/audit";
import { limitField, parseOrThrow, rowId } from "@/lib/admin/validation";
import { invalid, notFound } from "@/lib/errors";
import { invalidateKey } from "./resolve-api-key";

// A key's own RPM/TPM, applied per model on top of its project's limits (lib/gateway/admission.ts
// admits a call under the project's limits first, then under the key's). The tighter one wins,
// so a key limit above what the project allows for every model is accepted but changes nothing:
// it only starts to matter if the project's limits are raised later. Blank clears a limit.

export const setApiKeyLimitsSchema = z.object({
  projectId: rowId,
  keyId: rowId,
  rpm: limitField,
  tpm: limitField,
});

export type ApiKeyLimitsInput = z.input<typeof setApiKeyLimitsSchema>;

/**
 * Sets or clears a key's own limits. Project owners only; the key must be a live key of that
 * project. The API applies the change at once on this instance (the key cache is dropped) and
 * on others within the key cache's TTL. Returns the limits now in force and whether they changed.
 */
export async function setApiKeyLimits(actor: Actor, input: ApiKeyLimitsInput) {
  // Who may act is settled before what they sent is judged: a refused caller learns nothing
  // from validation messages.
  const access = await requireProjectOwner(actor, typeof input?.projectId === "string" ? input.projectId.trim() : "");
  const d = parseOrThrow(setApiKeyLimitsSchema, input);
  const limits = { rpmLimit: d.rpm, tpmLimit: d.tpm };
  const prisma = await db();
  const changed = await prisma.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({
      where: { id: d.keyId, projectId: access.projectId },
      select: { id: true, revokedAt: true, rpmLimit: true, tpmLimit: true },
    });
    if (!key) throw notFound("API key");
    if (key.revokedAt) throw invalid("This key has been revoked: its limits can no longer be changed.");
    if (key.rpmLimit === limits.rpmLimit && key.tpmLimit === limits.tpmLimit) return false;
    // Conditional on the key still being live: a revocation racing this change wins.
    const r = await tx.apiKey.updateMany({ where: { id: key.id, projectId: access.projectId, revokedAt: null }, data: limits });
    if (r.count === 0) throw invalid("This key has been revoked: its limits can no longer be changed.");
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "api_key.updated", projectId: access.projectId,
      targetType: "api_key", targetId: key.id, details: limits,
    });
    return true;
  });
  if (changed) invalidateKey(d.keyId);
  return { ...limits, changed };
}
