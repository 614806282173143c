import "server-only";
import type { NextAuthOptions } from "next-auth";
import type { Provider } from "next-auth/providers/index";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db";
import { emailSchema } from "./validation";
import { getDummyHash, verifyPassword } from "./password";
import { getAuthSecret } from "./secret";
import { formatWait, signInLimits } from "@/lib/limits/attempt-limiter";
import { createPersonalOrg, isFirstAccount } from "@/lib/users/create-user";

function clientIp(headers: Record<string, unknown> | undefined): string {
  const fwd = headers?.["x-forwarded-for"];
  const first = typeof fwd === "string" ? fwd.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : "") || "unknown";
}

/** Checks an email and password, throttled per account and per IP. Returns the user or null. */
export async function authorizeCredentials(rawEmail: unknown, password: unknown, ip: string) {
  const email = emailSchema.safeParse(rawEmail);
  if (!email.success || typeof password !== "string" || password.length === 0 || password.length > 200) return null;
  const limits = signInLimits();
  const wait = Math.max(limits.ip.retryAfter(ip), limits.account.retryAfter(email.data));
  if (wait > 0) throw new Error(`Too many sign-in attempts. Try again in ${formatWait(wait)}.`);
  limits.ip.hit(ip);
  const prisma = await db();
  const user = await prisma.user.findUnique({
    where: { email: email.data },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  const ok = await verifyPassword(password, user?.passwordHash ?? (await getDummyHash()));
  if (!user || !user.passwordHash || !ok) {
    limits.account.hit(email.data);
    return null;
  }
  limits.account.reset(email.data);
  return { id: user.id, email: user.email, name: user.name };
}

/** Finds or creates the user for a verified OAuth identity, and links the identity. */
async function linkOAuthUser(provider: string, providerAccountId: string, email: string, name?: string | null) {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const linked = await tx.account.findUnique({
      where: { provider_providerAccountId: { provider, providerAccountId } },
      select: { userId: true },
    });
    if (linked) return linked.userId;
    let user = await tx.user.findUnique({ where: { email }, select: { id: true } });
    if (!user) {
      user = await tx.user.create({ data: { email, name: name ?? null, isAdmin: await isFirstAccount(tx) }, select: { id: true } });
      await createPersonalOrg(tx, user.id);
    }
    await tx.account.create({ data: { userId: user.id, provider, providerAccountId } });
    return user.id;
  });
}

function oauthProviders(): Provider[] {
  const c = getConfig();
  const providers: Provider[] = [];
  if (c.GITHUB_CLIENT_ID && c.GITHUB_CLIENT_SECRET) {
    providers.push(GitHubProvider({ clientId: c.GITHUB_CLIENT_ID, clientSecret: c.GITHUB_CLIENT_SECRET }));
  }
  if (c.GOOGLE_CLIENT_ID && c.GOOGLE_CLIENT_SECRET) {
    providers.push(GoogleProvider({ clientId: c.GOOGLE_CLIENT_ID, clientSecret: c.GOOGLE_CLIENT_SECRET }));
  }
  if (c.OIDC_ISSUER && c.OIDC_CLIENT_ID && c.OIDC_CLIENT_SECRET) {
    providers.push({
      id: "oidc",
      name: c.OIDC_NAME ?? "Single sign-on",
      type: "oauth",
      wellKnown: `${c.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: c.OIDC_CLIENT_ID,
      clientSecret: c.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(p: { sub: string; email?: string; name?: string; email_verified?: boolean }) {
        return { id: p.sub, email: p.email ?? null, name: p.name ?? null };
      },
    });
  }
  return providers;
}

/** The OAuth providers configured, for the sign-in page's buttons. */
export function oauthProviderList() {
  return oauthProviders().map((p) => ({ id: p.id, name: p.name }));
}

let options: NextAuthOptions | undefined;
export function getAuthOptions(): NextAuthOptions {
  if (options) return options;
  const config = getConfig();
  options = {
    secret: getAuthSecret(),
    session: { strategy: "jwt", maxAge: config.SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials, req) =>
          authorizeCredentials(credentials?.email, credentials?.password, clientIp(req?.headers as Record<string, unknown>)),
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      async signIn({ account, user }) {
        if (!account || account.provider === "credentials") return true;
        // OAuth: only identities with an email can become Gatehouse users.
        return typeof user.email === "string" && emailSchema.safeParse(user.email).success;
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          token.uid =
            account.provider === "credentials"
              ? user.id
              : await linkOAuthUser(account.provider, account.providerAccountId, emailSchema.parse(user.email), user.name);
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  };
  return options;
}
