import crypto from "node:crypto";
import { createUserWithPassword } from "@/lib/users/create-user";

/** A signed-up user with their Personal org and Default project. */
export async function signUp(label: string) {
  const email = `${label}-${crypto.randomBytes(4).toString("hex")}@example.com`;
  const r = await createUserWithPassword({ email, password: "test-password-42", name: label });
  return { email, userId: r.user.id, orgId: r.org.id, projectId: r.project.id, actor: { userId: r.user.id } };
}

export async function rejectsWith(p: Promise<unknown>, code: string) {
  try {
    await p;
  } catch (err) {
    const c = (err as { code?: string }).code;
    if (c === code) return err as Error;
    throw new Error(`expected ServiceError ${code}, got ${c ?? (err as Error).message}`);
  }
  throw new Error(`expected ServiceError ${code}, but it succeeded`);
}
