import "server-only";
import { getServerSession } from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";
import { getProjectAccess, type ProjectAccess } from "@/lib/auth/access";
import { ServiceError } from "@/lib/errors";
import { ALL_PERMISSIONS } from "@/lib/keys/permissions";
import { OpenAIError } from "@/lib/openai/errors";
import type { Authenticate, Caller } from "./with-api-key";

// API calls the console makes for its signed-in user in a project (uploads, downloads): the
// session cookie instead of an API key, through the same pipeline as /v1. Same-origin only,
// so that the cookie cannot let another site act for the user.

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

export type SessionCallerOptions = {
  /** Why the user may not make this call in the project, or null when they may. */
  check?: (access: ProjectAccess) => string | null | Promise<string | null>;
  /** The caller's name in logs and the request log (e.g. "Playground"). */
  name?: string;
  /** The error code of a refusal by `check`. */
  refusalCode?: string;
};

export function sessionCaller(projectId: string, options: SessionCallerOptions = {}): Authenticate {
  return async (request): Promise<Caller> => {
    const origin = request.headers.get("origin");
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    if (origin && host && hostOf(origin) !== host) {
      throw new OpenAIError(403, "Console calls must come from the Gatehouse console itself.", "invalid_request_error", null, "cross_origin");
    }
    const session = await getServerSession(getAuthOptions());
    const userId = session?.user?.id;
    if (!userId) throw new OpenAIError(401, "You are not signed in. Sign in to the Gatehouse console and try again.", "invalid_request_error", null, "unauthenticated");
    let access: ProjectAccess;
    try {
      access = await getProjectAccess({ userId }, projectId);
    } catch (err) {
      if (err instanceof ServiceError) throw new OpenAIError(404, "Project not found.", "invalid_request_error", null, "project_not_found");
      throw err;
    }
    const refusal = options.check ? await options.check(access) : null;
    if (refusal) throw new OpenAIError(403, refusal, "invalid_request_error", null, options.refusalCode ?? "permission_denied");
    return {
      keyId: null, name: options.name ?? "Console", projectId: access.projectId, orgId: access.orgId, permissions: ALL_PERMISSIONS,
      ownerUserId: userId, serviceAccountId: null, rpmLimit: null, tpmLimit: null,
    };
  };
}
