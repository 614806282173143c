import { modelsRoute, nextRoutes } from "@/lib/gateway/routes";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = nextRoutes(modelsRoute);
