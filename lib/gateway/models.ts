import "server-only";
import { getCatalogModel, listCatalogModels } from "@/lib/models/catalog";
import { modelNotFound, permissionDenied } from "@/lib/openai/errors";
import { modelListBody, modelObject } from "@/lib/openai/responses";
import { getProjectPolicy } from "./policy";
import type { GatewayContext } from "./with-api-key";

// GET /v1/models and /v1/models/{model}: only the models the key's project may use.

export async function listModels(ctx: GatewayContext): Promise<Response> {
  const policy = await getProjectPolicy(ctx.key.projectId);
  const models = await listCatalogModels(policy.allowedModels);
  return Response.json(modelListBody(models.map((m) => modelObject({ id: m.id, created: m.created, ownedBy: m.ownedBy }))));
}

export async function retrieveModel(ctx: GatewayContext, id: string): Promise<Response> {
  const policy = await getProjectPolicy(ctx.key.projectId);
  const m = await getCatalogModel(id);
  if (!m || (policy.allowedModels.length && !policy.allowedModels.includes(m.id))) throw modelNotFound(id);
  return Response.json(modelObject({ id: m.id, created: m.created, ownedBy: m.ownedBy }));
}

/** DELETE /v1/models/{model}: only fine-tuned models can be deleted; catalog models are managed by admins. */
export async function deleteModel(ctx: GatewayContext, id: string): Promise<Response> {
  const policy = await getProjectPolicy(ctx.key.projectId);
  const m = await getCatalogModel(id);
  if (!m || (policy.allowedModels.length && !policy.allowedModels.includes(m.id))) throw modelNotFound(id);
  throw permissionDenied(`The model \`${m.id}\` cannot be deleted through the API: only fine-tuned models can. Administrators manage the catalog in the Gatehouse console.`);
}
