import type { Metadata } from "next";
import { KeyRound } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ApiKeysTable } from "@/components/api-keys/api-keys-table";
import { CreateKeyDialog } from "@/components/api-keys/create-key-dialog";
import type { ApiKeyRow } from "@/components/api-keys/types";
import { ArchivedBanner } from "@/components/projects/archived-banner";
import { formatDate } from "@/components/projects/format";
import { can } from "@/lib/auth/roles";
import { loadProjectPage, pageData } from "@/lib/console/page-access";
import { listApiKeys } from "@/lib/keys/api-keys";
import { describePermissions, RESOURCE_LABELS, RESOURCES, type Permissions } from "@/lib/keys/permissions";
import { listServiceAccounts } from "@/lib/keys/service-accounts";
import { createKeyAction, revokeKeyAction, updateKeyAction } from "./actions";

export const metadata: Metadata = { title: "API keys" };

type KeyRecord = Awaited<ReturnType<typeof listApiKeys>>[number];

const LEVEL_LABEL = { none: "None", read: "Read", write: "Write" } as const;

function permissionsDetail(p: Permissions): string | null {
  if (p.mode !== "restricted") return null;
  return RESOURCES.map((r) => `${RESOURCE_LABELS[r]}: ${LEVEL_LABEL[p.resources[r] ?? "none"]}`).join(", ");
}

function toRow(k: KeyRecord, viewerEmail: string, now: number): ApiKeyRow {
  const owner: ApiKeyRow["owner"] = k.serviceAccount
    ? { kind: "service_account", label: k.serviceAccount.name }
    : k.owner
      ? k.owner.email === viewerEmail
        ? { kind: "you" }
        : { kind: "user", label: k.owner.name || k.owner.email }
      : { kind: "none" };
  return {
    id: k.id,
    name: k.name,
    redactedValue: k.redactedValue,
    created: formatDate(k.createdAt),
    lastUsed: formatDate(k.lastUsedAt),
    expires: formatDate(k.expiresAt),
    expired: k.expiresAt ? k.expiresAt.getTime() <= now : false,
    createdBy: k.createdBy ? k.createdBy.name || k.createdBy.email : null,
    owner,
    permissions: k.permissions,
    permissionsLabel: describePermissions(k.permissions),
    permissionsDetail: permissionsDetail(k.permissions),
  };
}

function toRows(keys: KeyRecord[], viewerEmail: string): ApiKeyRow[] {
  const now = Date.now();
  return keys.map((k) => toRow(k, viewerEmail, now));
}

export default async function ApiKeysPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { projectId } = await params;
  const { user, actor, access } = await loadProjectPage(projectId);
  const sp = await searchParams;
  const canManage = can.manageProject(access.role);
  const archived = access.projectStatus === "archived";

  const [keys, serviceAccounts] = await Promise.all([
    pageData(listApiKeys(actor, projectId)),
    canManage ? pageData(listServiceAccounts(actor, projectId)) : Promise.resolve([]),
  ]);
  const rows = toRows(keys, user.email);

  return (
    <>
      <ArchivedBanner status={access.projectStatus} />
      <PageHeader
        title="API keys"
        description={
          <>
            Secret keys authenticate requests to the Gatehouse API for{" "}
            <span className="font-medium text-foreground">{access.projectName}</span>. Do not share them or expose them in
            a browser or other client-side code.
            {canManage && " As an owner of this project, you can view and manage all of its keys."}
          </>
        }
        actions={
          canManage ? (
            <CreateKeyDialog
              projectId={projectId}
              serviceAccounts={serviceAccounts.map((s) => ({ id: s.id, name: s.name }))}
              action={createKeyAction}
              preselectServiceAccountId={typeof sp.owner === "string" ? sp.owner : null}
              disabled={archived}
            />
          ) : (
            <p className="text-sm text-muted-foreground" data-testid="owner-only-note">
              Only project owners can create keys
            </p>
          )
        }
      />
      <ApiKeysTable
        projectId={projectId}
        keys={rows}
        canManage={canManage}
        updateAction={updateKeyAction}
        revokeAction={revokeKeyAction}
        empty={
          <EmptyState
            icon={KeyRound}
            title="No API keys yet"
            description={
              canManage
                ? "Create a secret key to start calling the API from your apps."
                : "A project owner can create secret keys for this project."
            }
            data-testid="api-keys-empty"
          />
        }
      />
    </>
  );
}
