import type { Metadata } from "next";
import { Info, Plug } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { CreateConnectionDialog } from "@/components/admin/connection-dialog";
import { ConnectionsTable } from "@/components/admin/connections-table";
import type { ConnectionRow } from "@/components/admin/types";
import { formatDate } from "@/components/projects/format";
import { loadAdminPage } from "@/lib/admin/page-access";
import { listProviderConnections } from "@/lib/admin/providers";
import { getConfig } from "@/lib/config";
import { pageData } from "@/lib/console/page-access";
import { createConnectionAction, deleteConnectionAction, testConnectionAction, updateConnectionAction } from "./actions";

export const metadata: Metadata = { title: "Providers" };

export default async function AdminProvidersPage() {
  const { actor } = await loadAdminPage();
  const connections = await pageData(listProviderConnections(actor));
  const envBaseUrl = getConfig().UPSTREAM_BASE_URL;
  // Only what the table shows: the stored key stays on the server, even encrypted.
  const rows: ConnectionRow[] = connections.map((c) => ({
    id: c.id,
    name: c.name,
    baseUrl: c.baseUrl,
    apiKeyRedacted: c.apiKeyRedacted,
    models: c.models,
    created: formatDate(c.createdAt),
  }));

  return (
    <>
      <PageHeader
        title="Providers"
        description="OpenAI-compatible servers the API forwards requests to. Register their models on the Models page; keys are stored encrypted and never shown again."
        actions={<CreateConnectionDialog action={createConnectionAction} />}
      />
      <div className="grid gap-4">
        {envBaseUrl && (
          <p className="flex items-start gap-2 rounded-lg border bg-muted/30 px-3 py-2.5 text-sm text-muted-foreground" data-testid="env-upstream-note">
            <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>
              The environment also configures an upstream, <code className="font-mono text-[13px] text-foreground">{envBaseUrl}</code>{" "}
              (UPSTREAM_BASE_URL). Change it in the server&apos;s environment.
            </span>
          </p>
        )}
        <ConnectionsTable
          connections={rows}
          updateAction={updateConnectionAction}
          deleteAction={deleteConnectionAction}
          testAction={testConnectionAction}
          empty={
            <EmptyState
              icon={Plug}
              title="No connections yet"
              description="Add an OpenAI-compatible server (OpenAI, vLLM, Ollama, LM Studio…) to serve its models through this API."
              data-testid="connections-empty"
            />
          }
        />
      </div>
    </>
  );
}
