import "server-only";
import crypto from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import { requireOrgOwner, type Actor } from "@/lib/auth/access";
import { requireInstanceAdmin } from "@/lib/admin/access";
import { parseOrThrow, rowId } from "@/lib/admin/validation";
import { recordAuditEvent } from "@/lib/audit/audit";
import { AttemptLimiter, formatWait } from "@/lib/limits/attempt-limiter";
import { invalid, notFound, ServiceError } from "@/lib/errors";
import { log } from "@/lib/log";
import { amountField, daysField, noteField } from "./fields";
import { formatUsd } from "./money";
import { invalidateSpend } from "./spend-guard";

// Redemption codes: administrators create them (single- or multi-use, optional expiry, the
// credit's own lifetime); organization owners redeem them in the console. Codes are secrets:
// only their SHA-256 is stored, and each is shown once, when created.

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: codes are read and typed by people
const GROUPS = 4;
const GROUP_LEN = 4;

function newCode(): string {
  const bytes = crypto.randomBytes(GROUPS * GROUP_LEN);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]);
  const groups = [];
  for (let i = 0; i < GROUPS; i++) groups.push(chars.slice(i * GROUP_LEN, (i + 1) * GROUP_LEN).join(""));
  return `GH-${groups.join("-")}`;
}

/** Case, spaces and dashes do not matter when a code is typed. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "").replace(/^GH/, "");
}

const hashCode = (code: string) => crypto.createHash("sha256").update(normalizeCode(code)).digest("hex");

export const createCodesSchema = z
  .object({
    amount: amountField(),
    count: z.coerce.number({ error: "Enter how many codes to create" }).int("Enter a whole number").min(1, "Create at least 1 code").max(500, "Create at most 500 codes at once"),
    maxRedemptions: z.coerce.number({ error: "Enter how many organizations may redeem each code" }).int("Enter a whole number").min(1, "At least 1").max(100_000, "At most 100,000"),
    expiresInDays: daysField,
    creditDays: daysField,
    note: noteField(200),
  })
  .superRefine((d, ctx) => {
    if (d.amount === null) ctx.addIssue({ code: "custom", path: ["amount"], message: "Enter the credit each code gives" });
    if (d.expiresInDays === 0) ctx.addIssue({ code: "custom", path: ["expiresInDays"], message: "A code must be valid for at least 1 day (blank: no expiry)" });
    if (d.creditDays === 0) ctx.addIssue({ code: "custom", path: ["creditDays"], message: "Credit must last at least 1 day (blank: never expires)" });
  });

/** Creates codes; returns them in plain text (the only time they are shown). */
export async function createRedemptionCodes(actor: Actor, input: z.input<typeof createCodesSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(createCodesSchema, input);
  const prisma = await db();
  const expiresAt = d.expiresInDays === null ? null : new Date(Date.now() + d.expiresInDays * 86_400_000);
  const codes = Array.from({ length: d.count }, newCode);
  await prisma.redemptionCode.createMany({
    data: codes.map((code) => ({
      codeHash: hashCode(code), codeHint: code.slice(-4), amountMicros: d.amount as bigint, maxRedemptions: d.maxRedemptions,
      expiresAt, creditDays: d.creditDays, note: d.note, createdById: actor.userId,
    })),
  });
  log.info("redemption codes created", { actorId: actor.userId, count: d.count, amountMicros: String(d.amount), maxRedemptions: d.maxRedemptions });
  return { codes, amountMicros: d.amount as bigint, maxRedemptions: d.maxRedemptions, expiresAt };
}

export type RedemptionCodeRow = {
  id: string;
  codeHint: string;
  amountMicros: bigint;
  maxRedemptions: number;
  redemptionCount: number;
  expiresAt: Date | null;
  creditDays: number | null;
  note: string;
  revokedAt: Date | null;
  createdAt: Date;
  status: "active" | "used_up" | "expired" | "revoked";
};

export function codeStatus(c: { revokedAt: Date | null; expiresAt: Date | null; redemptionCount: number; maxRedemptions: number }, now = new Date()): RedemptionCodeRow["status"] {
  if (c.revokedAt) return "revoked";
  if (c.expiresAt && c.expiresAt <= now) return "expired";
  if (c.redemptionCount >= c.maxRedemptions) return "used_up";
  return "active";
}

export async function listRedemptionCodes(actor: Actor, opts: { take?: number } = {}): Promise<RedemptionCodeRow[]> {
  await requireInstanceAdmin(actor);
  const prisma = await db();
  const rows = await prisma.redemptionCode.findMany({ orderBy: { createdAt: "desc" }, take: Math.min(opts.take ?? 200, 1000), omit: { codeHash: true, createdById: true } });
  return rows.map((r) => ({ ...r, status: codeStatus(r) }));
}

export async function revokeRedemptionCode(actor: Actor, input: { codeId: unknown }) {
  await requireInstanceAdmin(actor);
  const codeId = parseOrThrow(rowId, input.codeId);
  const prisma = await db();
  const r = await prisma.redemptionCode.updateMany({ where: { id: codeId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (r.count === 0) throw notFound("Code");
  log.info("redemption code revoked", { actorId: actor.userId, codeId });
}

const g = globalThis as unknown as { __gatehouseRedeemLimits?: AttemptLimiter };
/** 10 failed redemptions per organization per 15 minutes: codes cannot be guessed by trying. */
const redeemLimits = () => (g.__gatehouseRedeemLimits ??= new AttemptLimiter(10, 15 * 60_000));

export const redeemSchema = z.object({
  orgId: rowId,
  code: z.string({ error: "Enter a code" }).trim().min(1, "Enter a code").max(64, "That is not a valid code"),
});

/** An organization owner redeems a code: a credit grant on the organization's ledger. */
export async function redeemCode(actor: Actor, input: z.input<typeof redeemSchema>) {
  const d = parseOrThrow(redeemSchema, input);
  const access = await requireOrgOwner(actor, d.orgId);
  const limiter = redeemLimits();
  const wait = limiter.retryAfter(access.orgId);
  if (wait > 0) throw new ServiceError("rate_limited", `Too many attempts. Try again in ${formatWait(wait)}.`, { code: "Too many attempts" });
  const normalized = normalizeCode(d.code);
  const fail = (message: string): never => {
    limiter.hit(access.orgId);
    throw invalid(message, { code: message });
  };
  if (!/^[A-Z0-9]{16}$/.test(normalized)) fail("That is not a valid code. Codes look like GH-XXXX-XXXX-XXXX-XXXX.");
  const prisma = await db();
  const now = new Date();
  const result = await prisma.$transaction(async (tx) => {
    const code = await tx.redemptionCode.findUnique({ where: { codeHash: hashCode(normalized) } });
    if (!code) return fail("That code does not exist. Check it and try again.");
    const already = await tx.redemption.findUnique({ where: { codeId_orgId: { codeId: code.id, orgId: access.orgId } } });
    if (already) return fail("This organization has already redeemed that code.");
    const status = codeStatus(code, now);
    if (status === "revoked") return fail("That code has been withdrawn.");
    if (status === "expired") return fail("That code has expired.");
    if (status === "used_up") return fail("That code has already been used.");
    // Conditional increment: concurrent redemptions of a single-use code cannot both win.
    const counted = await tx.redemptionCode.updateMany({ where: { id: code.id, redemptionCount: { lt: code.maxRedemptions } }, data: { redemptionCount: { increment: 1 } } });
    if (counted.count === 0) return fail("That code has already been used.");
    const redemption = await tx.redemption.create({ data: { codeId: code.id, orgId: access.orgId, userId: actor.userId } });
    const entry = await tx.creditEntry.create({
      data: {
        orgId: access.orgId, kind: "grant", amountMicros: code.amountMicros, description: `Redeemed code …${code.codeHint}`,
        expiresAt: code.creditDays === null ? null : new Date(now.getTime() + code.creditDays * 86_400_000),
        refId: code.id, idempotencyKey: `redeem:${redemption.id}`, actorId: actor.userId,
      },
    });
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "billing.code_redeemed", targetType: "redemption_code", targetId: code.id,
      details: { code: `…${code.codeHint}`, amount: formatUsd(code.amountMicros) },
    });
    return { amountMicros: code.amountMicros, expiresAt: entry.expiresAt };
  });
  limiter.reset(access.orgId);
  invalidateSpend(access.orgId);
  log.info("code redeemed", { orgId: access.orgId, actorId: actor.userId, amountMicros: String(result.amountMicros) });
  return result;
}
