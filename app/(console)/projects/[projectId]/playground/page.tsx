import type { Metadata } from "next";
import { Boxes, Lock } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ArchivedBanner } from "@/components/projects/archived-banner";
import { Playground } from "@/components/playground/playground";
import { emptyConfig, parsePlaygroundConfig } from "@/components/playground/types";
import { loadProjectPage, pageData } from "@/lib/console/page-access";
import { playgroundAccess } from "@/lib/playground/caller";
import { listPlaygroundModels } from "@/lib/playground/models";
import { getPresetConfig, listPresets } from "@/lib/playground/presets";
import { loadStoredRequestForPlayground } from "@/lib/requests/queries";
import { deletePresetAction, renamePresetAction, savePresetAction, updatePresetAction } from "./actions";

export const metadata: Metadata = { title: "Playground" };

export default async function PlaygroundPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { projectId } = await params;
  const { user, actor, access } = await loadProjectPage(projectId);
  const sp = await searchParams;
  const presetId = typeof sp.preset === "string" && sp.preset ? sp.preset : null;
  // "Open in playground" from the request log: a stored request as the starting setup (a preset wins).
  const requestId = !presetId && typeof sp.request === "string" && sp.request ? sp.request.slice(0, 200) : null;
  // "Try in playground" from a fine-tuning job: a model to start with (the others win).
  const modelParam = !presetId && !requestId && typeof sp.model === "string" && sp.model ? sp.model.slice(0, 300) : null;

  // The same rule the chat endpoint applies (archived projects, members when not allowed):
  // say it here instead of letting every run fail.
  const { verdict } = await playgroundAccess(user.id, projectId);
  if (!verdict.allowed) {
    return (
      <>
        <ArchivedBanner status={access.projectStatus} />
        <PageHeader title="Playground" />
        <EmptyState icon={Lock} title="The playground is not available" description={verdict.reason} data-testid="playground-unavailable" />
      </>
    );
  }

  const models = await listPlaygroundModels(projectId);
  if (models.length === 0) {
    return (
      <>
        <PageHeader title="Playground" description="Try the project's models from the browser." />
        <EmptyState
          icon={Boxes}
          title="No models available to this project"
          description="An instance administrator adds models under Admin → Models; a project owner chooses which of them this project may use in its settings."
          data-testid="playground-no-models"
        />
      </>
    );
  }

  const [presets, preset, stored] = await Promise.all([
    pageData(listPresets(actor, projectId)),
    presetId ? pageData(getPresetConfig(actor, projectId, presetId)) : Promise.resolve(null),
    requestId ? pageData(loadStoredRequestForPlayground(actor, projectId, requestId)) : Promise.resolve(null),
  ]);
  // A stored config that no longer parses opens as an empty playground, like a missing one.
  const initialPreset = preset ? parsePlaygroundConfig(preset.config) : null;
  const fromRequest = stored?.ok ? stored.config : null;
  const fromModel = modelParam && models.some((m) => m.id === modelParam) ? emptyConfig(modelParam) : null;
  const storedNotes = stored?.ok ? [...stored.notes] : [];
  if (fromRequest && !models.some((m) => m.id === fromRequest.model)) {
    storedNotes.unshift(`The request used ${fromRequest.model || "no model"}, which this project's playground does not offer: choose a model before running it.`);
  }

  return (
    <Playground
      projectId={projectId}
      orgId={access.orgId}
      models={models}
      presets={presets}
      initialPreset={initialPreset ?? fromRequest ?? fromModel}
      initialPresetId={initialPreset ? presetId : null}
      initialPresetName={initialPreset ? preset?.name : null}
      presetNotFound={!!presetId && !initialPreset}
      storedRequest={
        stored && requestId ? { requestId, loaded: stored.ok, message: stored.ok ? null : stored.message, notes: storedNotes } : null
      }
      archived={access.projectStatus === "archived"}
      canManagePresets={access.role === "owner"}
      actions={{ save: savePresetAction, rename: renamePresetAction, remove: deletePresetAction, update: updatePresetAction }}
    />
  );
}
