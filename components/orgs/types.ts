import type { ActionResult } from "@/lib/actions";

/** A server action called directly with a plain object (e.g. from an onChange). */
export type CallAction<I, T = undefined> = (input: I) => Promise<ActionResult<T>>;

/** `emailed`: the link was also sent by mail (SMTP configured). */
export type InviteResult = { path: string; email: string; emailed: boolean };
export type CreatedProject = { projectId: string };
