"use server";

import { z } from "zod";
import { id, runAction } from "@/lib/actions";
import { invalid } from "@/lib/errors";
import { parseRequestParams } from "@/lib/requests/params";
import { getRequestDetail, listRequests, resolveRequestQuery } from "@/lib/requests/queries";
import type { RequestDetail, RequestPage } from "@/lib/requests/types";

// Reads for the request log's client side: the next page ("Load more") and one request's
// details (the drawer). The services decide access from the session's user; the view is
// parsed again here, so nothing is trusted from the client beyond its shape.

export type LoadMoreResult = { ok: true; page: RequestPage } | { ok: false; error: string };
export type RequestDetailResult = { ok: true; detail: RequestDetail | null } | { ok: false; error: string };

export async function loadMoreRequestsAction(orgId: string, search: string, cursor: string): Promise<LoadMoreResult> {
  const r = await runAction(
    z.object({ orgId: id, search: z.string().max(4000), cursor: z.string().min(1).max(100) }),
    { orgId, search, cursor },
    async (actor, d) => {
      const parsed = parseRequestParams(new URLSearchParams(d.search));
      if (!parsed.ok) throw invalid(parsed.errors.join(" "));
      const query = await resolveRequestQuery(actor, d.orgId, { ...parsed.query, cursor: d.cursor });
      return { ok: true, data: await listRequests(query) };
    },
  );
  return r.ok ? { ok: true, page: r.data! } : { ok: false, error: r.error };
}

export async function requestDetailAction(orgId: string, requestId: string): Promise<RequestDetailResult> {
  const r = await runAction(z.object({ orgId: id, requestId: z.string().max(200) }), { orgId, requestId }, async (actor, d) => ({
    ok: true,
    data: { detail: await getRequestDetail(actor, d.orgId, d.requestId) },
  }));
  return r.ok ? { ok: true, detail: r.data!.detail } : { ok: false, error: r.error };
}
