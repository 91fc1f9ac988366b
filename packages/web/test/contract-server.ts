import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { loadDashboardAssets } from "../src/index.ts";
import type { ReportInput } from "../src/types.ts";

/**
 * A stand-in for packages/server's app implementing only the dashboard's API contract (`API_ROUTES`), so
 * the dashboard is tested over real HTTP until `createApp` lands. Issues come back as `{ issues: [...] }`.
 */
export async function startContractServer(
  input: ReportInput,
  apiKey: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const app = new Hono();
  const assets = await loadDashboardAssets();
  for (const [path, a] of assets) {
    const route = path === "index.html" ? "/" : `/${path}`;
    app.get(route, (c) =>
      c.body(typeof a.body === "string" ? a.body : new Uint8Array(a.body), 200, {
        "content-type": a.contentType,
      }),
    );
  }
  app.use("/api/*", async (c, next) => {
    if (c.req.header("authorization") !== `Bearer ${apiKey}`)
      return c.json(
        {
          issues: [
            {
              code: "UNAUTHORIZED",
              message: "a valid API key is required",
              location: { header: "authorization" },
            },
          ],
        },
        401,
      );
    await next();
  });
  app.get("/api/v1/dashboard", (c) => c.json(input));
  app.get("/api/v1/customers/:id/profile", (c) => {
    const card = input.customers.find((x) => x.profile.customerId === c.req.param("id"));
    return card
      ? c.json(card)
      : c.json({ issues: [{ code: "NOT_FOUND", message: `no customer ${c.req.param("id")}` }] }, 404);
  });
  app.get("/api/v1/exports/audience", (c) => {
    const tier = c.req.query("tier") ?? "";
    const rows = input.customers.map(
      (x) => `${x.profile.customerId},${tier},${x.profile.pAlive},${x.profile.predictedClv}`,
    );
    return c.body(`customer_id,tier,p_alive,predicted_clv\n${rows.join("\n")}\n`, 200, {
      "content-type": "text/csv",
      "content-disposition": `attachment; filename="audience-${tier}.csv"`,
    });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
