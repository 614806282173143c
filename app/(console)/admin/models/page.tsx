import type { Metadata } from "next";
import { Boxes } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ModelsTable } from "@/components/admin/models-table";
import { RegisterModelDialog } from "@/components/admin/register-model-dialog";
import type { AdminModelRow, ModelSource } from "@/components/admin/types";
import { listAdminModels, ENV_CONNECTION } from "@/lib/admin/models";
import { loadAdminPage } from "@/lib/admin/page-access";
import { listProviderConnections } from "@/lib/admin/providers";
import { getConfig } from "@/lib/config";
import { pageData } from "@/lib/console/page-access";
import { deleteModelAction, registerLocalModelAction, registerUpstreamModelAction, updateModelAction } from "./actions";

export const metadata: Metadata = { title: "Models" };

const ENV_UPSTREAM_NAME = "Environment upstream";

export default async function AdminModelsPage() {
  const { actor } = await loadAdminPage();
  const [models, connections] = await Promise.all([pageData(listAdminModels(actor)), pageData(listProviderConnections(actor))]);
  const envBaseUrl = getConfig().UPSTREAM_BASE_URL ?? null;

  const rows: AdminModelRow[] = models.map((m) => ({
    id: m.id,
    provider: m.provider,
    upstreamId: m.upstreamId,
    via: m.provider === "local" ? null : (m.connectionName ?? (envBaseUrl ? ENV_UPSTREAM_NAME : "no upstream configured")),
    contextWindow: m.contextWindow,
    capabilities: m.capabilities,
    inputPriceMicros: m.inputPriceMicros,
    cachedInputPriceMicros: m.cachedInputPriceMicros,
    outputPriceMicros: m.outputPriceMicros,
    trainingPriceMicros: m.trainingPriceMicros,
    source: m.source as ModelSource,
    enabled: m.enabled,
  }));
  const unpriced = rows.filter((m) => m.enabled && m.inputPriceMicros === null).length;

  return (
    <>
      <PageHeader
        title="Models"
        description={
          <>
            The catalog every project&apos;s API keys can call. Prices are in US dollars per 1 million tokens and apply to
            the next request.
            {unpriced > 0 && (
              <span className="text-[oklch(0.5_0.12_65)] dark:text-warning" data-testid="unpriced-note">
                {" "}
                {unpriced === 1 ? "One enabled model has" : `${unpriced} enabled models have`} no price: the API refuses
                {unpriced === 1 ? " it" : " them"} until you set one.
              </span>
            )}
          </>
        }
        actions={
          <RegisterModelDialog
            connections={connections.map((c) => ({ id: c.id, name: c.name, baseUrl: c.baseUrl }))}
            envUpstream={envBaseUrl ? { id: ENV_CONNECTION, name: ENV_UPSTREAM_NAME, baseUrl: envBaseUrl } : null}
            localAction={registerLocalModelAction}
            upstreamAction={registerUpstreamModelAction}
          />
        }
      />
      <ModelsTable
        models={rows}
        updateAction={updateModelAction}
        deleteAction={deleteModelAction}
        empty={
          <EmptyState
            icon={Boxes}
            title="No models yet"
            description="Register a local GGUF file or a model of an upstream connection, or set LOCAL_MODEL_DIR / UPSTREAM_MODELS and restart."
            data-testid="models-empty"
          />
        }
      />
    </>
  );
}
