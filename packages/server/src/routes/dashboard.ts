import { issue, ValuecastError } from "@valuecast/core";
import { z } from "zod";
import { storedDashboard } from "../compose/dashboard.ts";
import type { RouteContext } from "../context.ts";
import { route } from "../routing.ts";

/** `GET /api/v1/dashboard`: the dashboard's aggregated document, built once per dataset and stored. */
export function dashboardRoutes({ app, table, deps, ws, services }: RouteContext): void {
  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/dashboard",
      tag: "dashboard",
      summary: "Every dashboard page's aggregated results (ReportInput of packages/web) for a dataset",
      description:
        "Built by the dashboard builder the server was started with (valuecast serve passes packages/web's buildReportInput) from the dataset's stored transactions, then kept in the workspace; no per-customer arrays.",
      query: z
        .object({ dataset: z.string().max(100).optional(), refresh: z.enum(["true", "false"]).optional() })
        .strict(),
      responses: {
        200: { description: "ReportInput" },
        404: { description: "no dashboard builder configured" },
      },
    },
    async ({ c, query }) => {
      if (!deps.dashboard)
        throw new ValuecastError([
          issue("NOT_FOUND", "this server has no dashboard builder (start it with valuecast serve)", {
            field: "dashboard",
          }),
        ]);
      const data = await services.defaultDataset(query.dataset);
      const doc = await storedDashboard(ws, data, deps.dashboard, query.refresh === "true");
      return c.json(doc as object);
    },
  );
}
