import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Whether a database error is a unique-constraint violation. The pg adapter reports it as
 * Prisma's P2002; the PGlite adapter passes PostgreSQL's SQLSTATE 23505 through as the cause.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return true;
  const cause = (err as { cause?: { code?: unknown; originalCode?: unknown } } | null)?.cause;
  return cause?.code === "23505" || cause?.originalCode === "23505";
}
