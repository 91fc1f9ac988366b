import { issue, summarizeTransactions, type Transaction, ValuecastError } from "@valuecast/core";
import { evaluateModels } from "../compose/backtest.ts";
import { fitCustomers, PURCHASE_MODEL_NAMES } from "../compose/models.ts";
import { scoreRow, scoreWithDocument } from "../compose/scoring.ts";
import type { RouteContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { route } from "../routing.ts";
import { batchScoreBody, evaluateBody, fitBody, settingsOf } from "../schemas.ts";
import type { ModelInfo } from "../workspace/workspace.ts";

/** A stored model as the API answers: the `fit --json` document plus id, dataset and notes. */
export function modelJson(m: ModelInfo): Record<string, unknown> {
  return { ...m.doc, id: m.id, datasetId: m.datasetId, createdAt: m.createdAt, notes: m.notes };
}

/** Model routes: fit, read, list, evaluate (holdout backtest), batch scoring of posted customers. */
export function modelRoutes({ app, table, ws, services }: RouteContext): void {
  route(
    app,
    table,
    {
      method: "post",
      path: "/api/v1/datasets/{id}/models",
      tag: "models",
      summary: "Fit a purchase model (and Gamma-Gamma spend) on the dataset and store it",
      description:
        "The answer is `valuecast fit --json` (model, params, logLikelihood, standardErrors, converged, iterations, n, timeUnit, ...) plus id, datasetId, createdAt, notes.",
      body: fitBody,
      responses: { 201: { description: "the fitted model document" } },
    },
    async ({ c, params, body }) => {
      const data = await services.dataset(params.id!);
      const cols = data.columns;
      let canSpend = false;
      for (let i = 0; i < cols.length && !canSpend; i++) canSpend = cols.x[i]! > 0 && cols.monetary[i]! > 0;
      if (body.spend === "gamma-gamma" && !canSpend)
        throw new ValuecastError([
          issue("NOT_ENOUGH_DATA", "gamma-gamma needs repeat buyers with a positive mean spend", {
            field: "body.spend",
          }),
        ]);
      const { doc, notes } = fitCustomers(
        cols,
        body.model,
        body.spend === "gamma-gamma" || (body.spend === "auto" && canSpend),
      );
      const m = await ws.addModel(data.info.id, doc, notes);
      return c.json(modelJson(m), 201);
    },
  );

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/datasets/{id}/models",
      tag: "models",
      summary: "The dataset's models, oldest first",
      responses: { 200: { description: "{ models: [...] }" } },
    },
    async ({ c, params }) => {
      const data = await services.dataset(params.id!);
      return c.json({ models: (await ws.listModels(data.info.id)).map(modelJson) });
    },
  );

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/models/{id}",
      tag: "models",
      summary:
        "One stored model (the `fit --json` document; save it as model.json for `predict --model-file`)",
      responses: { 200: { description: "the model document" }, 404: { description: "unknown model" } },
    },
    async ({ c, params }) => {
      const m = await ws.model(params.id!);
      if (!m) throw notFound("model", params.id!);
      return c.json(modelJson(m));
    },
  );

  route(
    app,
    table,
    {
      method: "post",
      path: "/api/v1/datasets/{id}/evaluate",
      tag: "models",
      summary: "Holdout backtest of each model (the dataset needs a calibration end); names the best",
      description:
        "The answer is `valuecast evaluate --json` (per model: fit, holdout MAE/RMSE/correlation, frequency buckets; comparison). Stored: asking again answers from the workspace.",
      body: evaluateBody,
      responses: { 200: { description: "EvaluateReport" } },
    },
    async ({ c, params, body }) => {
      const data = await services.dataset(params.id!);
      const names = body.models ?? [...PURCHASE_MODEL_NAMES];
      const key = `evaluate|${data.info.id}|${names.join(",")}`;
      const cached = await ws.result<unknown>(key);
      if (cached) return c.json(cached);
      const report = evaluateModels(data.columns, names);
      await ws.putResult(key, data.info.id, "evaluate", report);
      return c.json(report);
    },
  );

  route(
    app,
    table,
    {
      method: "post",
      path: "/api/v1/models/{id}/score",
      tag: "scores",
      summary:
        "Score posted customers (summaries x, t_x, T[, monetary]) or transaction histories with a stored model",
      description:
        "Summaries must be in the model's time unit. Transactions (customer_id, date, amount) are summarised with core's summarizer (same definitions as the engines) up to calibrationEnd (default: the last date). The answer has the score-file rows: customer_id, x, t_x, T, p_alive, expected_purchases, expected_spend, clv, clv_undiscounted.",
      body: batchScoreBody,
      responses: {
        200: {
          description:
            "{ model, spendModel, timeUnit, horizon, discountRate, margin, customers, scores, report (rows read/used/rejected when transactions were posted) }",
        },
      },
    },
    async ({ c, params, body }) => {
      const m = await ws.model(params.id!);
      if (!m) throw notFound("model", params.id!);
      const unit = m.doc.timeUnit ?? "week";
      const settings = settingsOf(body);
      let ids: string[];
      let cols: { x: Float64Array; t_x: Float64Array; T: Float64Array; monetary: Float64Array | null };
      let report: unknown = null;
      if (body.customers) {
        const list = body.customers;
        ids = list.map((r) => r.customer_id);
        const hasMonetary = list.every((r) => r.monetary !== undefined);
        cols = {
          x: Float64Array.from(list, (r) => r.x),
          t_x: Float64Array.from(list, (r) => r.t_x),
          T: Float64Array.from(list, (r) => r.T),
          monetary: hasMonetary ? Float64Array.from(list, (r) => r.monetary!) : null,
        };
      } else {
        const tx: Transaction[] = [];
        const bad: unknown[] = [];
        body.transactions!.forEach((t, i) => {
          const at = Date.parse(t.date.length === 10 ? `${t.date}T00:00:00Z` : t.date);
          if (!Number.isFinite(at))
            bad.push(
              issue("BAD_DATE", `'${t.date}' is not a date`, {
                field: `body.transactions.${i}.date`,
                index: i,
              }),
            );
          else tx.push({ customerId: t.customer_id, at, amount: t.amount });
        });
        if (bad.length > 0) throw new ValuecastError(bad as never);
        const r = summarizeTransactions(tx, {
          timeUnit: unit,
          ...(body.calibrationEnd ? { calibrationEnd: body.calibrationEnd } : {}),
        });
        ids = [...r.columns.customerId];
        cols = r.columns;
        report = r.report;
      }
      const { scores, hasSpend, horizonInUnits } = scoreWithDocument(
        m.doc,
        { timeUnit: unit, ...cols },
        settings,
      );
      return c.json({
        model: m.doc.model,
        modelId: m.id,
        spendModel: hasSpend ? "gamma-gamma" : null,
        timeUnit: unit,
        horizon: { value: settings.horizon.value, unit: settings.horizon.unit, inModelUnits: horizonInUnits },
        discountRate: settings.discountRate,
        margin: settings.margin,
        customers: ids.length,
        scores: ids.map((id, i) => scoreRow(id, cols, scores, hasSpend, i)),
        report,
      });
    },
  );
}
