import { getOrgAccess } from "@/lib/auth/access";
import { getCurrentUser } from "@/lib/auth/session";
import { ServiceError } from "@/lib/errors";
import { log } from "@/lib/log";
import { csvStream, prepareUsageExport } from "@/lib/usage/export";
import { parseUsageParams } from "@/lib/usage/params";

// CSV of the usage dashboard with the page's own search params: the breakdown table, or the
// time series with ?rows=series (streamed slice by slice). Same access as the page: signed-in
// members only (404 otherwise), and non-owners get their own usage whatever the URL says.

export const dynamic = "force-dynamic";

const text = (status: number, body: string) =>
  new Response(body + "\n", { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

export async function GET(request: Request, route: { params: Promise<{ orgId: string }> }) {
  const user = await getCurrentUser();
  if (!user) return text(401, "Sign in to Gatehouse to export usage.");
  const { orgId } = await route.params;
  const url = new URL(request.url);
  const rowsParam = url.searchParams.get("rows") ?? "breakdown";
  if (rowsParam !== "breakdown" && rowsParam !== "series") return text(400, "rows must be “breakdown” or “series”.");
  url.searchParams.delete("rows");
  const parsed = parseUsageParams(url.searchParams);
  if (!parsed.ok) return text(400, parsed.errors.join(" "));
  try {
    const actor = { userId: user.id };
    const access = await getOrgAccess(actor, orgId);
    // A shared owner's link opened by a reader shows the reader's own usage, as the page does.
    const input = access.role === "owner" ? parsed.query : { ...parsed.query, scope: undefined };
    const { filename, lines } = await prepareUsageExport(actor, access.orgId, input, { rows: rowsParam });
    return new Response(csvStream(lines), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (err) {
    if (err instanceof ServiceError) {
      if (err.code === "not_found" || err.code === "forbidden") return text(404, "Not found.");
      if (err.code === "invalid") return text(400, err.message);
    }
    log.error("usage export failed", { orgId, error: (err as Error)?.stack ?? String(err) });
    return text(500, "The export failed. Try again, or choose a shorter range.");
  }
}
