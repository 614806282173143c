import "server-only";
import { chatCompletions } from "./chat-completions";
import { embeddings } from "./embeddings";
import { deleteModel, listModels, retrieveModel } from "./models";
import { deleteFileRoute, fileContent, listFilesRoute, retrieveFile, uploadFile } from "./files";
import { cancelJobRoute, createJobRoute, listCheckpointsRoute, listEventsRoute, listJobsRoute, retrieveJobRoute } from "./fine-tuning";
import { nextRoute, type GatewayHandler } from "./answer";
import { preflight, unknownRoute, withApiKey, wrongMethod } from "./with-api-key";

// The /v1 endpoints, defined once: the API server (lib/gateway/node-server.ts) dispatches to
// these handlers, and the framework's route files (app/v1/**) export the same ones through
// nextRoute (lib/gateway/answer.ts).

export type RouteHandler = GatewayHandler;
export type RouteMethods = Readonly<Partial<Record<"GET" | "POST" | "DELETE", RouteHandler>>>;

export const chatCompletionsRoute = {
  POST: withApiKey({ endpoint: "chat.completions", resource: "chat_completions", access: "write" }, (ctx) => chatCompletions(ctx)),
} satisfies RouteMethods;

export const embeddingsRoute = {
  POST: withApiKey({ endpoint: "embeddings", resource: "embeddings", access: "write" }, (ctx) => embeddings(ctx)),
} satisfies RouteMethods;

export const modelsRoute = {
  GET: withApiKey({ endpoint: "models.list", resource: "models", access: "read" }, (ctx) => listModels(ctx)),
} satisfies RouteMethods;

// `model` is the path segment as sent (percent-encoded): ids such as `ft:…` or `org/name` arrive encoded.
export const modelRoute = {
  GET: withApiKey<{ model: string }>({ endpoint: "models.retrieve", resource: "models", access: "read" }, (ctx, { model }) =>
    retrieveModel(ctx, decodeURIComponent(model)),
  ),
  DELETE: withApiKey<{ model: string }>({ endpoint: "models.delete", resource: "models", access: "write" }, (ctx, { model }) =>
    deleteModel(ctx, decodeURIComponent(model)),
  ),
} satisfies RouteMethods;

export const filesRoute = {
  GET: withApiKey({ endpoint: "files.list", resource: "files", access: "read" }, (ctx) => listFilesRoute(ctx)),
  POST: withApiKey({ endpoint: "files.create", resource: "files", access: "write" }, (ctx) => uploadFile(ctx)),
} satisfies RouteMethods;

export const fileRoute = {
  GET: withApiKey<{ fileId: string }>({ endpoint: "files.retrieve", resource: "files", access: "read" }, (ctx, { fileId }) => retrieveFile(ctx, decodeURIComponent(fileId))),
  DELETE: withApiKey<{ fileId: string }>({ endpoint: "files.delete", resource: "files", access: "write" }, (ctx, { fileId }) => deleteFileRoute(ctx, decodeURIComponent(fileId))),
} satisfies RouteMethods;

export const fileContentRoute = {
  GET: withApiKey<{ fileId: string }>({ endpoint: "files.content", resource: "files", access: "read" }, (ctx, { fileId }) => fileContent(ctx, decodeURIComponent(fileId))),
} satisfies RouteMethods;

export const fineTuningJobsRoute = {
  GET: withApiKey({ endpoint: "fine_tuning.jobs.list", resource: "fine_tuning", access: "read" }, (ctx) => listJobsRoute(ctx)),
  POST: withApiKey({ endpoint: "fine_tuning.jobs.create", resource: "fine_tuning", access: "write" }, (ctx) => createJobRoute(ctx)),
} satisfies RouteMethods;

type JobParams = { jobId: string };

export const fineTuningJobRoute = {
  GET: withApiKey<JobParams>({ endpoint: "fine_tuning.jobs.retrieve", resource: "fine_tuning", access: "read" }, (ctx, { jobId }) => retrieveJobRoute(ctx, decodeURIComponent(jobId))),
} satisfies RouteMethods;

export const fineTuningJobCancelRoute = {
  POST: withApiKey<JobParams>({ endpoint: "fine_tuning.jobs.cancel", resource: "fine_tuning", access: "write" }, (ctx, { jobId }) => cancelJobRoute(ctx, decodeURIComponent(jobId))),
} satisfies RouteMethods;

export const fineTuningJobEventsRoute = {
  GET: withApiKey<JobParams>({ endpoint: "fine_tuning.jobs.events", resource: "fine_tuning", access: "read" }, (ctx, { jobId }) => listEventsRoute(ctx, decodeURIComponent(jobId))),
} satisfies RouteMethods;

export const fineTuningJobCheckpointsRoute = {
  GET: withApiKey<JobParams>({ endpoint: "fine_tuning.jobs.checkpoints", resource: "fine_tuning", access: "read" }, (ctx, { jobId }) => listCheckpointsRoute(ctx, decodeURIComponent(jobId))),
} satisfies RouteMethods;

/** Handlers that read the request body as a stream (uploads): the API server does not read it first. */
const STREAMED_BODY = new Set<RouteHandler>([filesRoute.POST]);
export const streamsBody = (handler: RouteHandler) => STREAMED_BODY.has(handler);

/** Which handler answers `method` on a route: its own, GET's for HEAD, the CORS preflight, else 405. */
export function handlerFor(methods: RouteMethods, method: string): RouteHandler {
  const own = (methods as Record<string, RouteHandler | undefined>)[method];
  if (own) return own;
  if (method === "HEAD" && methods.GET) return methods.GET;
  if (method === "OPTIONS") return preflight;
  return wrongMethod;
}

export { preflight, unknownRoute, wrongMethod };

/** A route's framework handlers (app/v1/**): its own methods, 405 for the others, the CORS preflight. */
export function nextRoutes(methods: RouteMethods) {
  const wrong = nextRoute(wrongMethod);
  const own = (method: "GET" | "POST" | "DELETE") => {
    const handler = methods[method];
    return handler ? nextRoute(handler, { streamsBody: streamsBody(handler) }) : wrong;
  };
  return { GET: own("GET"), POST: own("POST"), PUT: wrong, PATCH: wrong, DELETE: own("DELETE"), OPTIONS: nextRoute(preflight) };
}

/** The framework handlers of `/v1` and unknown paths under it: OpenAI's JSON 404, never an HTML page. */
export function nextUnknownRoutes() {
  const unknown = nextRoute(unknownRoute);
  return { GET: unknown, POST: unknown, PUT: unknown, PATCH: unknown, DELETE: unknown, OPTIONS: nextRoute(preflight) };
}
