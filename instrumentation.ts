export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const [{ boot }, { serveV1 }] = await Promise.all([import("./lib/boot"), import("./lib/gateway/node-server")]);
    // server.mjs answers /v1 through this handler instead of the framework's pipeline.
    (globalThis as { __gatehouseServeV1?: typeof serveV1 }).__gatehouseServeV1 = serveV1;
    await boot();
  }
}
