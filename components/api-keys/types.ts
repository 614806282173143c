import type { Permissions } from "@/lib/keys/permissions";
import type { FormattedDate } from "@/components/projects/format";

/** One row of the API keys table: plain, already-formatted data (never the secret). */
export type ApiKeyRow = {
  id: string;
  name: string;
  redactedValue: string;
  created: FormattedDate | null;
  lastUsed: FormattedDate | null;
  expires: FormattedDate | null;
  expired: boolean;
  createdBy: string | null;
  owner:
    | { kind: "you" }
    | { kind: "user"; label: string }
    | { kind: "service_account"; label: string }
    | { kind: "none" };
  permissions: Permissions;
  permissionsLabel: string;
  /** "Models: Write, Files: Read" for restricted keys. */
  permissionsDetail: string | null;
};

export type ServiceAccountOption = { id: string; name: string };

/** What the create action returns: the only place the full secret ever appears. */
export type CreatedKey = { id: string; name: string; redactedValue: string; secret: string };
