import {
  type CustomerProfile,
  type CustomerSummary,
  customerProfile,
  dayToIsoDate,
  issue,
  ValuecastError,
  valueTiers,
} from "@valuecast/core";
import type { ExportCustomer } from "@valuecast/data";
import { fitCustomers, purchaseModel } from "./compose/models.ts";
import { type ScoreRow, type ScoreSettings, scoreRow } from "./compose/scoring.ts";
import { notFound } from "./errors.ts";
import type { LoadedDataset, LoadedScores, ModelInfo, Workspace } from "./workspace/workspace.ts";

/** The composition the routes share: datasets, default models, score sets, one customer's card. */
export interface Services {
  /** The dataset (loaded in memory), or NOT_FOUND. */
  dataset(id: string): Promise<LoadedDataset>;
  /** The dataset a dashboard route means: `?dataset=`, else the configured default, else the latest one. */
  defaultDataset(explicit: string | undefined): Promise<LoadedDataset>;
  /** The model to use: `id` (must belong to the dataset), else the dataset's latest, else a BG/NBD (+ Gamma-Gamma) fitted now and stored. */
  model(data: LoadedDataset, id: string | undefined): Promise<ModelInfo>;
  /** Throws NOT_FOUND unless the dataset has that customer (checked before any model is fitted). */
  requireCustomer(data: LoadedDataset, customerId: string): number;
  scores(data: LoadedDataset, model: ModelInfo, settings: ScoreSettings): Promise<LoadedScores>;
  /** Score row + CRM profile of one customer, or NOT_FOUND. */
  customer(
    data: LoadedDataset,
    model: ModelInfo,
    settings: ScoreSettings,
    customerId: string,
  ): Promise<{ score: ScoreRow; profile: CustomerProfile }>;
  /** Every customer with tier, P(alive) and predicted CLV (CLV falls back to expected purchases without spend). */
  exportCustomers(data: LoadedDataset, s: LoadedScores): ExportCustomer[];
}

/**
 * Customer i as core's summary object (for `customerProfile`, `lifecycleStates`, `rfmScores`).
 * @example summaryAt(columns, 0).first_purchase_at
 */
export function summaryAt(data: LoadedDataset, i: number): CustomerSummary {
  const c = data.columns;
  const ch = c.channel?.[i];
  const ca = c.campaign?.[i];
  return {
    customer_id: c.customerId[i]!,
    x: c.x[i]!,
    t_x: c.t_x[i]!,
    T: c.T[i]!,
    monetary: c.monetary[i]!,
    first_purchase_at: dayToIsoDate(c.firstDay[i]!),
    first_amount: c.firstAmount[i]!,
    historic_revenue: c.historicRevenue[i]!,
    orders: c.orders[i]!,
    ...(ch != null ? { channel: ch } : {}),
    ...(ca != null ? { campaign: ca } : {}),
  };
}

/**
 * The services over a workspace.
 * @example const s = createServices(ws, { defaultDataset: "ds_1" })
 */
export function createServices(ws: Workspace, options: { defaultDataset?: string } = {}): Services {
  const fitting = new Map<string, Promise<ModelInfo>>();
  const services: Services = {
    async dataset(id) {
      const d = await ws.load(id);
      if (!d) throw notFound("dataset", id);
      return d;
    },
    async defaultDataset(explicit) {
      const id = explicit ?? options.defaultDataset ?? (await ws.listDatasets()).at(-1)?.id;
      if (!id)
        throw new ValuecastError([
          issue("NOT_READY", "no dataset yet: register one with POST /api/v1/datasets", { field: "dataset" }),
        ]);
      return services.dataset(id);
    },
    async model(data, id) {
      if (id) {
        const m = await ws.model(id);
        if (!m || m.datasetId !== data.info.id) throw notFound("model", id);
        return m;
      }
      const latest = (await ws.listModels(data.info.id)).at(-1);
      if (latest) return latest;
      let p = fitting.get(data.info.id);
      if (!p) {
        p = (async () => {
          const c = data.columns;
          let withSpend = false;
          for (let i = 0; i < c.length && !withSpend; i++) withSpend = c.x[i]! > 0 && c.monetary[i]! > 0;
          const { doc, notes } = fitCustomers(c, "bgnbd", withSpend);
          return ws.addModel(data.info.id, doc, [...notes, "fitted automatically (no model was chosen)"]);
        })();
        fitting.set(data.info.id, p);
        p.finally(() => fitting.delete(data.info.id)).catch(() => undefined);
      }
      return p;
    },
    requireCustomer(data, customerId) {
      const i = data.index.get(customerId);
      if (i === undefined) throw notFound("customer", customerId);
      return i;
    },
    scores: (data, model, settings) => ws.scores(data, model, settings),
    async customer(data, model, settings, customerId) {
      const i = data.index.get(customerId);
      if (i === undefined) throw notFound("customer", customerId);
      const s = await ws.scores(data, model, settings);
      const c = data.columns;
      const predictor = purchaseModel(model.doc.model).predictor(model.doc.params);
      const [x, tx, T] = [c.x[i]!, c.t_x[i]!, c.T[i]!];
      const profile = customerProfile(
        summaryAt(data, i),
        {
          pAlive: s.scores.pAlive[i]!,
          expectedPurchases: s.scores.expectedPurchases[i]!,
          ...(s.hasSpend
            ? { expectedSpend: s.scores.expectedSpend[i]!, predictedClv: s.scores.clv[i]! }
            : {}),
          conditionalExpectedPurchases: (t) => predictor.conditionalExpectedPurchases(t, x, tx, T),
        },
        { timeUnit: c.timeUnit, horizon: settings.horizon },
      );
      return { score: scoreRow(customerId, c, s.scores, s.hasSpend, i), profile };
    },
    exportCustomers(data, s) {
      const value = s.hasSpend ? s.scores.clv : s.scores.expectedPurchases;
      const tiers = valueTiers(value);
      const out: ExportCustomer[] = new Array(data.columns.length);
      for (let i = 0; i < data.columns.length; i++)
        out[i] = {
          customerId: data.columns.customerId[i]!,
          tier: tiers.tiers[tiers.tierOf[i]!]?.name ?? null,
          pAlive: s.scores.pAlive[i]!,
          predictedClv: value[i]!,
        };
      return out;
    },
  };
  return services;
}
