import { type ScoreRow, scoreRow } from "../compose/scoring.ts";
import type { RouteContext } from "../context.ts";
import { route } from "../routing.ts";
import { customerQuery, scoresQuery, settingsOf } from "../schemas.ts";

const sum = (a: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
};

/** Per-customer routes: one customer's score and profile, the dashboard's profile card, paged scores. */
export function customerRoutes({ app, table, services }: RouteContext): void {
  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/datasets/{id}/customers/{customerId}",
      tag: "scores",
      summary: "One customer's score row and CRM profile (from memory: an id index over the stored scores)",
      description:
        "score: the score-file row (customer_id, x, t_x, T, p_alive, expected_purchases, expected_spend, clv, clv_undiscounted); profile: core's CustomerProfile (historic/predicted/total CLV, P(alive), orders, days between orders, next order date, not-enough-data reason) as `predict --profile` computes it.",
      query: customerQuery,
      responses: {
        200: { description: "{ customerId, model, score, profile }" },
        404: { description: "unknown dataset or customer" },
      },
    },
    async ({ c, params, query }) => {
      const data = await services.dataset(params.id!);
      services.requireCustomer(data, params.customerId!);
      const model = await services.model(data, query.model);
      const r = await services.customer(data, model, settingsOf(query), params.customerId!);
      return c.json({ customerId: params.customerId, model: model.id, ...r });
    },
  );

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/customers/{customerId}/profile",
      tag: "dashboard",
      summary:
        "The dashboard's customer card: { profile, purchases: [{ date, amount }] } (default dataset unless ?dataset=)",
      query: customerQuery,
      responses: { 200: { description: "CustomerCard" }, 404: { description: "unknown customer" } },
    },
    async ({ c, params, query }) => {
      const data = await services.defaultDataset(query.dataset);
      services.requireCustomer(data, params.customerId!);
      const model = await services.model(data, query.model);
      const { profile } = await services.customer(data, model, settingsOf(query), params.customerId!);
      return c.json({ profile, purchases: await data.purchasesOf(params.customerId!) });
    },
  );

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/datasets/{id}/scores",
      tag: "scores",
      summary:
        "Score every customer (stored: computed once per model and settings) and page through the rows",
      description:
        "The answer is `valuecast predict --json`: model, spendModel, timeUnit, horizon, discountRate, margin, customers, totals, top (by CLV), and `scores` for rows offset..offset+limit.",
      query: scoresQuery,
      responses: { 200: { description: "PredictReport with a page of scores" } },
    },
    async ({ c, params, query }) => {
      const data = await services.dataset(params.id!);
      const model = await services.model(data, query.model);
      const settings = settingsOf(query);
      const s = await services.scores(data, model, settings);
      const cols = data.columns;
      const n = cols.length;
      const value = s.hasSpend ? s.scores.clv : s.scores.expectedPurchases;
      // Top k by a partial selection: sort only indices above a running threshold would be faster, but k is small.
      const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => value[b]! - value[a]!);
      const row = (i: number): ScoreRow => scoreRow(cols.customerId[i]!, cols, s.scores, s.hasSpend, i);
      const end = Math.min(n, query.offset + query.limit);
      const page: ScoreRow[] = [];
      for (let i = query.offset; i < end; i++) page.push(row(i));
      return c.json({
        model: model.doc.model,
        modelId: model.id,
        spendModel: s.hasSpend ? "gamma-gamma" : null,
        timeUnit: model.doc.timeUnit ?? cols.timeUnit,
        horizon: {
          value: settings.horizon.value,
          unit: settings.horizon.unit,
          inModelUnits: s.horizonInUnits,
        },
        discountRate: settings.discountRate,
        margin: settings.margin,
        customers: n,
        totals: {
          expectedPurchases: sum(s.scores.expectedPurchases),
          expectedSpend: s.hasSpend ? sum(s.scores.expectedSpend) / Math.max(1, n) : null,
          clv: s.hasSpend ? sum(s.scores.clv) : null,
          clvUndiscounted: s.hasSpend ? sum(s.scores.clvUndiscounted) : null,
        },
        out: null,
        top: idx.slice(0, query.top).map(row),
        offset: query.offset,
        limit: query.limit,
        scores: page,
      });
    },
  );
}
