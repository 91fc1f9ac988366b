import { issue, ValuecastError } from "@valuecast/core";
import { z } from "zod";
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
      const key = `dashboard|${data.info.id}`;
      if (query.refresh !== "true") {
        const hit = await ws.result<unknown>(key);
        if (hit !== undefined) return c.json(hit);
      }
      const doc = await deps.dashboard({
        datasetId: data.info.id,
        name: data.info.name,
        transactions: await data.transactions(),
        timeUnit: data.columns.timeUnit,
        calibrationEnd: data.info.shape.holdout ? data.columns.calibrationEnd : null,
      });
      await ws.putResult(key, data.info.id, "dashboard", doc);
      return c.json(doc as object);
    },
  );
}
