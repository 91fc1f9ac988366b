import { issue, ValuecastError } from "@valuecast/core";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { presentedKey, verifyApiKey } from "./auth.ts";
import type { AppDeps, RouteContext } from "./context.ts";
import { statusOf } from "./errors.ts";
import { createJobRunner } from "./jobs.ts";
import { analyticsRoutes } from "./routes/analytics.ts";
import { customerRoutes } from "./routes/customers.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { datasetRoutes } from "./routes/datasets.ts";
import { exportRoutes } from "./routes/exports.ts";
import { modelRoutes } from "./routes/models.ts";
import { openApiDocument, type RouteTable, route } from "./routing.ts";
import { createServices } from "./services.ts";

const VERSION = "0.1.0";

/**
 * The valuecast HTTP API as a Hono app (it never listens by itself: use `startServer`, or call
 * `app.request(...)` in tests). Every route but health needs an API key; inputs are validated with zod
 * and every problem comes back as `{ issues: [{ code, message, location }] }`; unexpected failures are
 * logged and answered with an INTERNAL issue, never a stack trace.
 * @example
 * const ws = await openWorkspace({ dir: "/srv/valuecast" });
 * const app = createApp({ workspace: ws, apiKeys: [hashApiKey(process.env.VALUECAST_API_KEY!)] });
 * const res = await app.request("/api/v1/health");
 */
export function createApp(deps: AppDeps): Hono {
  const log = deps.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const app = new Hono();
  const table: RouteTable = [];
  const ws = deps.workspace;
  const ctx: RouteContext = {
    app,
    table,
    deps,
    ws,
    jobs: createJobRunner(log),
    services: createServices(ws, deps.defaultDataset ? { defaultDataset: deps.defaultDataset } : {}),
  };
  const fail = (issues: ReturnType<typeof issue>[]) =>
    new Response(JSON.stringify({ issues }), {
      status: statusOf(issues),
      headers: { "content-type": "application/json; charset=utf-8" },
    });

  app.onError((err) => {
    if (err instanceof ValuecastError) return fail([...err.issues]);
    log(`valuecast server: ${(err as Error)?.stack ?? String(err)}`);
    return fail([issue("INTERNAL")]);
  });
  app.notFound((c) =>
    fail([issue("NOT_FOUND", `no route ${c.req.method} ${c.req.path}`, { field: "path" })]),
  );

  app.use("*", async (c, next) => {
    await next();
    c.header("x-content-type-options", "nosniff");
    c.header("cache-control", "no-store");
  });
  if (deps.cors && deps.cors.origins.length > 0) {
    const origins = [...deps.cors.origins];
    app.use(
      "/api/*",
      cors({ origin: origins, allowHeaders: ["authorization", "x-api-key", "content-type"] }),
    );
  }

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/health",
      tag: "meta",
      summary: "Liveness (no API key needed)",
      auth: false,
      responses: { 200: { description: "{ status: 'ok', version }" } },
    },
    ({ c }) => c.json({ status: "ok", version: deps.version ?? VERSION }),
  );

  for (const [path, asset] of deps.staticAssets ?? []) {
    const at = path === "index.html" ? "/" : `/${path}`;
    app.get(at, (c) =>
      c.body(typeof asset.body === "string" ? asset.body : new Uint8Array(asset.body), 200, {
        "content-type": asset.contentType,
      }),
    );
  }

  // API keys on everything under /api (health was registered above and answers first) and the OpenAPI document.
  const requireKey = async (c: Parameters<Parameters<typeof app.use>[1]>[0], next: () => Promise<void>) => {
    if (c.req.method === "OPTIONS") return next();
    const key = presentedKey(c.req.header("authorization"), c.req.header("x-api-key"));
    if (!verifyApiKey(deps.apiKeys, key))
      return fail([
        issue("UNAUTHORIZED", "a valid API key is required (Authorization: Bearer <key>)", {
          field: "authorization",
        }),
      ]);
    return next();
  };
  app.use("/api/*", requireKey);
  app.use("/openapi.json", requireKey);

  const jsonLimit = deps.maxJsonBytes ?? 10 * 1024 * 1024;
  const uploadLimit = deps.maxUploadBytes ?? 200 * 1024 * 1024;
  const tooLarge = (limit: number) => () =>
    fail([issue("PAYLOAD_TOO_LARGE", `the request body is larger than ${limit} bytes`, { field: "body" })]);
  const small = bodyLimit({ maxSize: jsonLimit, onError: tooLarge(jsonLimit) });
  const large = bodyLimit({ maxSize: uploadLimit, onError: tooLarge(uploadLimit) });
  app.use("/api/*", (c, next) => {
    if (c.req.method === "GET" || c.req.method === "OPTIONS") return next();
    const upload = c.req.path === "/api/v1/datasets/upload" || c.req.path.endsWith("/contacts");
    return (upload ? large : small)(c, next);
  });

  datasetRoutes(ctx);
  modelRoutes(ctx);
  customerRoutes(ctx);
  analyticsRoutes(ctx);
  exportRoutes(ctx);
  dashboardRoutes(ctx);

  const doc = openApiDocument(table, deps.version ?? VERSION);
  app.get("/openapi.json", (c) => c.json(doc));
  return app;
}
