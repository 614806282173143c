import "server-only";
import { db } from "@/lib/db";
import { getConfig } from "@/lib/config";
import { RefreshAheadCache } from "@/lib/refresh-ahead-cache";
import { hashSecret, looksLikeSecret } from "./secret";
import { permissionsSchema, type Permissions } from "./permissions";

export type ResolvedKey = {
  keyId: string;
  name: string;
  projectId: string;
  orgId: string;
  permissions: Permissions;
  ownerUserId: string | null;
  serviceAccountId: string | null;
  /** The key's own limits, applied on top of its project's (null = none). */
  rpmLimit: number | null;
  tpmLimit: number | null;
};

export type KeyRejection = "malformed" | "unknown" | "revoked" | "expired" | "project_archived";
export type KeyResolution = { ok: true; key: ResolvedKey } | { ok: false; reason: KeyRejection };

// What the cache holds: the key's row state, so expiry is judged at each lookup, not at caching.
type CachedRow = (ResolvedKey & { revoked: boolean; archived: boolean; expiresAt: number | null }) | { missing: true };

const g = globalThis as unknown as { __gatehouseKeyCache?: RefreshAheadCache<string, CachedRow> };
function cache() {
  // TTL bounds how long another instance keeps honouring a key revoked elsewhere.
  return (g.__gatehouseKeyCache ??= new RefreshAheadCache<string, CachedRow>({ name: "API key cache", max: 50_000, ttlMs: getConfig().KEY_CACHE_TTL_MS, load: loadRow }));
}

async function loadRow(hash: string): Promise<CachedRow> {
  const prisma = await db();
  const row = await prisma.apiKey.findUnique({
    where: { secretHash: hash },
    select: {
      id: true, name: true, projectId: true, permissions: true, ownerUserId: true, serviceAccountId: true,
      expiresAt: true, revokedAt: true, rpmLimit: true, tpmLimit: true, project: { select: { orgId: true, status: true } },
    },
  });
  if (!row) return { missing: true };
  const permissions = permissionsSchema.safeParse(row.permissions);
  return {
    keyId: row.id,
    name: row.name,
    projectId: row.projectId,
    orgId: row.project.orgId,
    // A row whose permissions cannot be read grants nothing rather than everything.
    permissions: permissions.success ? permissions.data : { mode: "restricted", resources: { models: "none", chat_completions: "none", embeddings: "none", files: "none", fine_tuning: "none", assistants: "none" } },
    ownerUserId: row.ownerUserId,
    serviceAccountId: row.serviceAccountId,
    rpmLimit: row.rpmLimit,
    tpmLimit: row.tpmLimit,
    revoked: row.revokedAt !== null,
    archived: row.project.status === "archived",
    expiresAt: row.expiresAt?.getTime() ?? null,
  };
}

/**
 * Resolves a presented secret to its key, project, organization and permissions.
 * Cached by the secret's hash for KEY_CACHE_TTL_MS (default 5 s), and reloaded in the background
 * before that while the key is in use: a hit costs one SHA-256 and a map lookup; revocation,
 * expiry and archiving apply on this instance at once and on others within the TTL.
 */
export async function resolveApiKey(secret: string): Promise<KeyResolution> {
  if (!looksLikeSecret(secret)) return { ok: false, reason: "malformed" };
  const hash = hashSecret(secret);
  const row = await cache().get(hash);
  if ("missing" in row) return { ok: false, reason: "unknown" };
  if (row.revoked) return { ok: false, reason: "revoked" };
  if (row.archived) return { ok: false, reason: "project_archived" };
  if (row.expiresAt !== null && row.expiresAt <= Date.now()) return { ok: false, reason: "expired" };
  return {
    ok: true,
    key: {
      keyId: row.keyId, name: row.name, projectId: row.projectId, orgId: row.orgId,
      permissions: row.permissions, ownerUserId: row.ownerUserId, serviceAccountId: row.serviceAccountId,
      rpmLimit: row.rpmLimit, tpmLimit: row.tpmLimit,
    },
  };
}

/** Drops cached entries of one key (by id) or of a whole project, on this instance. */
export function invalidateKey(keyId: string) {
  cache().deleteWhere((v) => !("missing" in v) && v.keyId === keyId);
}
export function invalidateProjectKeys(projectId: string) {
  cache().deleteWhere((v) => !("missing" in v) && v.projectId === projectId);
}

// lastUsedAt is written at most once a minute per key, off the request path.
const lastTouched = new Map<string, number>();
export function markKeyUsed(keyId: string) {
  const now = Date.now();
  if ((lastTouched.get(keyId) ?? 0) > now - 60_000) return;
  lastTouched.set(keyId, now);
  void db()
    .then((p) => p.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) } }))
    .catch(() => lastTouched.delete(keyId));
}
