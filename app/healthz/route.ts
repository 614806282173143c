import { NextResponse } from "next/server";
import { bootState } from "@/lib/boot";
import { getDatabase } from "@/lib/db";
import { isMigrated } from "@/lib/db/migrate";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** 200 once the database is reachable and migrated; 503 otherwise. */
export async function GET() {
  const state = bootState();
  try {
    const database = await getDatabase();
    if (state.ready && (await isMigrated(database.sql))) {
      return NextResponse.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
    }
  } catch {
    // fall through to 503
  }
  return NextResponse.json(
    { status: "unavailable", error: state.ready ? "database unreachable" : "starting: database not migrated yet" },
    { status: 503, headers: { "cache-control": "no-store", "retry-after": "5" } },
  );
}
