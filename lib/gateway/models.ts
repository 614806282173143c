import "server-only";
import { getCatalogModel, listCatalogModels, modelUsableBy } from "@/lib/models/catalog";
import { deleteFineTunedModel } from "@/lib/finetune/models";
import { modelNotFound, permissionDenied } from "@/lib/openai/errors";
import { modelListBody, modelObject } from "@/lib/openai/responses";
import { getProjectPolicy } from "./policy";
import { Answer } from "./answer";
import type { GatewayContext } from "./with-api-key";

// GET /v1/models and /v1/models/{model}: only the models the key's project may use (its own
// fine-tuned models included). DELETE /v1/models/{model}: the project's fine-tuned models.

export async function listModels(ctx: GatewayContext): Promise<Answer> {
  const policy = await getProjectPolicy(ctx.key.projectId);
  const models = await listCatalogModels(policy.allowedModels, policy.projectId);
  return Answer.json(modelListBody(models.map((m) => modelObject({ id: m.id, created: m.created, ownedBy: m.ownedBy }))));
}

async function usableModel(ctx: GatewayContext, id: string) {
  const policy = await getProjectPolicy(ctx.key.projectId);
  const m = await getCatalogModel(id);
  if (!m || !modelUsableBy(m, policy.projectId, policy.allowedModels)) throw modelNotFound(id);
  return m;
}

export async function retrieveModel(ctx: GatewayContext, id: string): Promise<Answer> {
  const m = await usableModel(ctx, id);
  return Answer.json(modelObject({ id: m.id, created: m.created, ownedBy: m.ownedBy }));
}

export async function deleteModel(ctx: GatewayContext, id: string): Promise<Answer> {
  const m = await usableModel(ctx, id);
  if (m.projectId === null) {
    throw permissionDenied(`The model \`${m.id}\` cannot be deleted through the API: only fine-tuned models can. Administrators manage the catalog in the Gatehouse console.`);
  }
  await deleteFineTunedModel(m.projectId, m.id, { apiKeyId: ctx.key.keyId, userId: ctx.key.ownerUserId });
  return Answer.json({ id: m.id, object: "model", deleted: true });
}
