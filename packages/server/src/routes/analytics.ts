import {
  type BudgetChannel,
  type BudgetScenario,
  budgetScenario,
  type ChannelReport,
  channelEconomics,
  cohortTable,
  convertDuration,
  createRng,
  customerHistories,
  expectedConfusion,
  type FittedParameters,
  forecastIntervals,
  gammaGammaPredictor,
  issue,
  lifecycleStates,
  normal,
  normalizeCustomerId,
  parameterDraws,
  revenueForecast,
  rfmScores,
  scoreHistogram,
  type TierRule,
  type TimeUnit,
  ValuecastError,
  valueTiers,
} from "@valuecast/core";
import { modelCurves } from "../compose/curves.ts";
import { purchaseModel } from "../compose/models.ts";
import { scoreKey } from "../compose/scoring.ts";
import type { RouteContext } from "../context.ts";
import { route } from "../routing.ts";
import { channelsBody, cohortsQuery, forecastQuery, segmentsQuery, settingsOf } from "../schemas.ts";
import { summaryAt } from "../services.ts";

const numbers = (text: string) => text.split(",").map(Number);

/** Analytics routes: segments, cohorts, channels with budget scenarios, forecast with intervals. */
export function analyticsRoutes({ app, table, ws, services }: RouteContext): void {
  /** Answers from the workspace when the same question was asked before; otherwise computes and stores. */
  const cached = async <T>(key: string, datasetId: string, kind: string, compute: () => T | Promise<T>) => {
    const hit = await ws.result<T>(key);
    if (hit !== undefined) return hit;
    const value = await compute();
    await ws.putResult(key, datasetId, kind, value);
    return value;
  };

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/datasets/{id}/segments",
      tag: "analytics",
      summary: "Value tiers, lifecycle states, RFM, P(alive) histogram and expected hits/misses at a cut",
      description:
        "The answer is `valuecast segments --json` (model, valueBasis, horizon, tiers, lifecycle, rfm, pAliveCut) plus `histogram`: core's scoreHistogram of P(alive) with the exact expected confusion at every bin edge (the dashboard's slider).",
      query: segmentsQuery,
      responses: { 200: { description: "segments report" } },
    },
    async ({ c, params, query }) => {
      const data = await services.dataset(params.id!);
      const model = await services.model(data, query.model);
      const settings = settingsOf(query);
      const key = `segments|${data.info.id}|${scoreKey(model.id, settings)}|${query.cut}|${query.tiers ?? ""}|${query.thresholds ?? ""}|${query.bins}`;
      const report = await cached(key, data.info.id, "segments", async () => {
        const s = await services.scores(data, model, settings);
        const value = s.hasSpend ? s.scores.clv : s.scores.expectedPurchases;
        const rule: TierRule | undefined = query.thresholds
          ? { kind: "thresholds", minValues: numbers(query.thresholds) }
          : query.tiers
            ? { kind: "quantiles", shares: numbers(query.tiers) }
            : undefined;
        const tiers = valueTiers(value, rule ? { rule } : {});
        const summaries = Array.from({ length: data.columns.length }, (_, i) => summaryAt(data, i));
        const lifecycle = lifecycleStates(summaries, data.columns.timeUnit, s.scores.pAlive);
        const rfm = rfmScores(summaries, data.columns.timeUnit);
        const counts = new Map<string, number>();
        for (const r of rfm) counts.set(r.code, (counts.get(r.code) ?? 0) + 1);
        return {
          model: model.doc.model,
          modelId: model.id,
          valueBasis: s.hasSpend ? "clv" : "expected_purchases",
          horizon: settings.horizon,
          tiers: {
            rule: tiers.rule,
            tiers: tiers.tiers,
            totalValue: tiers.totalValue,
            reasons: tiers.reasons,
          },
          lifecycle: {
            thresholds: lifecycle.thresholds,
            highValueCut: lifecycle.highValueCut,
            rules: lifecycle.rules,
            counts: lifecycle.counts,
            shares: lifecycle.shares,
          },
          rfm: {
            customers: rfm.length,
            mostCommon: [...counts.entries()]
              .sort((a, b) => b[1] - a[1])
              .slice(0, 10)
              .map(([code, n]) => ({ code, customers: n })),
          },
          pAliveCut: expectedConfusion(s.scores.pAlive, query.cut),
          histogram: scoreHistogram(s.scores.pAlive, query.bins),
          out: null,
        };
      });
      return c.json(report);
    },
  );

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/datasets/{id}/cohorts",
      tag: "analytics",
      summary:
        "Acquisition cohorts x periods: retention, orders, revenue, repeat rate, N-day LTV; forecast cells from the model",
      description:
        "The answer is `valuecast cohorts --json` (core's CohortTable plus historyIssues and customersWithoutOrders).",
      query: cohortsQuery,
      responses: { 200: { description: "CohortTable" } },
    },
    async ({ c, params, query }) => {
      const data = await services.dataset(params.id!);
      const model = query.model === "none" ? null : await services.model(data, query.model);
      const key = `cohorts|${data.info.id}|${model?.id ?? "none"}|${query.grain}|${query.periods ?? ""}`;
      const report = await cached(key, data.info.id, "cohorts", async () => {
        const end = data.info.shape.holdout?.observationEnd ?? data.info.report?.observationEnd;
        const histories = customerHistories(await data.transactions(), end ? { end } : {});
        const forecast = model ? modelCurves(model.doc, data.columns, data.index).forecast : undefined;
        const t = cohortTable(histories, {
          grain: query.grain,
          ...(query.periods !== undefined ? { periods: query.periods } : {}),
          ...(forecast ? { forecast } : {}),
        });
        return {
          ...t,
          historyIssues: histories.issues,
          customersWithoutOrders: histories.customersWithoutOrders,
        };
      });
      return c.json(report);
    },
  );

  route(
    app,
    table,
    {
      method: "post",
      path: "/api/v1/datasets/{id}/channels",
      tag: "analytics",
      summary:
        "Channel and campaign economics (CAC from a posted spend table, LTV, LTV:CAC, payback) and a budget scenario",
      description:
        "The answer is `valuecast channels --json` (core's ChannelReport) with `budget` (core's BudgetScenario: proposed vs recommended split and the assumptions) when `budget` is posted. The channel is the first order's channel column named at registration (columns.channel).",
      body: channelsBody,
      responses: { 200: { description: "ChannelReport (+ budget)" } },
    },
    async ({ c, params, body }) => {
      const data = await services.dataset(params.id!);
      if (!data.info.shape.hasChannel && !data.info.shape.hasCampaign)
        throw new ValuecastError([
          issue(
            "MISSING_COLUMN",
            "the dataset has no channel or campaign column: name it at registration (columns.channel)",
            {
              field: "columns.channel",
            },
          ),
        ]);
      const model = await services.model(data, body.model);
      const settings = settingsOf(body);
      const s = await services.scores(data, model, settings);
      const end = data.info.shape.holdout?.observationEnd ?? data.info.report?.observationEnd;
      const histories = customerHistories(await data.transactions(), end ? { end } : {});
      const at = (id: string) => data.index.get(id) ?? data.index.get(normalizeCustomerId(id) ?? id);
      const report: ChannelReport = channelEconomics(histories, {
        grain: body.grain,
        margin: body.margin,
        ...(body.spend ? { spend: body.spend } : {}),
        predictedClv: (id) => {
          const i = at(id);
          return i === undefined || !s.hasSpend ? undefined : s.scores.clv[i];
        },
        curve: modelCurves(model.doc, data.columns, data.index).curve,
      });
      let budget: BudgetScenario | null = null;
      if (body.budget) {
        const channels: BudgetChannel[] = report.channels
          .filter((ch) => ch.spend !== null && ch.spend > 0 && ch.predictedLtv !== null)
          .map((ch) => ({
            channel: ch.channel,
            observedSpend: ch.spend!,
            observedNewCustomers: ch.newCustomersInSpendPeriods,
            ltvPerCustomer: ch.predictedLtv!,
          }));
        if (channels.length === 0)
          throw new ValuecastError([
            issue("NOT_ENOUGH_DATA", "a budget scenario needs channels with spend rows and a predicted LTV", {
              field: "body.budget",
            }),
          ]);
        const spent = channels.reduce((a, ch) => a + ch.observedSpend, 0);
        const shares =
          body.budget.split ??
          Object.fromEntries(channels.map((ch) => [ch.channel, ch.observedSpend / spent]));
        budget = budgetScenario(channels, {
          totalBudget: body.budget.total,
          proposedShares: shares,
          exponent: body.budget.exponent,
        });
        if (budget.issues.length > 0) throw new ValuecastError(budget.issues);
      }
      return c.json(budget ? { ...report, budget } : report);
    },
  );

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/datasets/{id}/forecast",
      tag: "analytics",
      summary:
        "Revenue per period: existing customers plus planned new cohorts, with intervals from parameter draws",
      description:
        "The answer is `valuecast forecast --json` (core's RevenueForecast with model, spendModel, period, intervals from parameterDraws + forecastIntervals when `intervals` draws are asked for).",
      query: forecastQuery,
      responses: { 200: { description: "RevenueForecast + intervals" } },
    },
    async ({ c, params, query }) => {
      const data = await services.dataset(params.id!);
      const model = await services.model(data, query.model);
      const key = `forecast|${data.info.id}|${model.id}|${JSON.stringify(query)}`;
      const report = await cached(key, data.info.id, "forecast", () => {
        const doc = model.doc;
        const cols = data.columns;
        const unit = (doc.timeUnit ?? cols.timeUnit) as TimeUnit;
        const planned = query.newCustomers ? numbers(query.newCustomers) : null;
        const perPeriod = planned
          ? Array.from({ length: query.periods }, (_, k) =>
              planned.length === 1 ? planned[0]! : (planned[k] ?? 0),
            )
          : null;
        const periodLength = convertDuration({ value: 1, unit: query.period }, unit);
        const forecastFor = (
          p: Readonly<Record<string, number>>,
          sp: Readonly<Record<string, number>> | null,
        ) => {
          const predictor = purchaseModel(doc.model).predictor(p);
          const spend = sp ? gammaGammaPredictor(sp) : null;
          const curve = modelCurves(
            { ...doc, params: p, spend: sp && doc.spend ? { ...doc.spend, params: sp } : doc.spend },
            cols,
            data.index,
          ).curve;
          return revenueForecast({
            timeUnit: unit,
            periodLength,
            periods: query.periods,
            startDate: cols.calibrationEnd,
            existing: {
              kind: "curves",
              count: cols.length,
              cumulativeExpectedPurchases: (i, t) =>
                predictor.conditionalExpectedPurchases(t, cols.x[i]!, cols.t_x[i]!, cols.T[i]!),
              expectedSpend: (i) => {
                const m = cols.monetary[i] ?? 0;
                if (spend) return spend.conditionalExpectedSpend(cols.x[i]!, m);
                return cols.x[i]! > 0 && m > 0 ? m : curve.spendPerOrder;
              },
            },
            ...(perPeriod ? { planned: { newCustomersPerPeriod: perPeriod, curve } } : {}),
          });
        };
        const spendParams = doc.spend?.params ?? null;
        const forecast = forecastFor(doc.params, spendParams);
        let intervals: ReturnType<typeof forecastIntervals> = null;
        const notes: string[] = [];
        if (query.intervals) {
          const rng = createRng(query.seed);
          const std = () => normal(rng);
          const fp = (m: {
            params: Readonly<Record<string, number>>;
            covariance: readonly (readonly number[])[] | null;
          }): FittedParameters => ({
            params: m.params,
            paramNames: Object.keys(m.params),
            covariance: m.covariance,
          });
          const pd = parameterDraws(fp(doc), query.intervals, std);
          const sd = doc.spend ? parameterDraws(fp(doc.spend), query.intervals, std) : null;
          notes.push(...[...pd.reasons, ...(sd?.reasons ?? [])].map((r) => `${r.field}: ${r.reason}`));
          intervals = forecastIntervals(
            pd.draws.length,
            (d) => forecastFor(pd.draws[d]!, sd?.draws[d] ?? spendParams).periods.map((p) => p.totalRevenue),
            query.level,
          );
          if (!intervals) notes.push("no usable parameter draws: intervals not computed");
        }
        return {
          model: doc.model,
          modelId: model.id,
          spendModel: spendParams ? "gamma-gamma" : null,
          period: query.period,
          ...forecast,
          intervals,
          ...(notes.length ? { intervalNotes: notes } : {}),
        };
      });
      return c.json(report);
    },
  );
}
