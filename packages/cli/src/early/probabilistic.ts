import {
  type CovariateColumn,
  type CovariateModelName,
  covariateDesign,
  covariatePredictor,
  type EarlyCustomer,
  type ExtraEarlyPredictor,
  encodeCovariateRow,
  encodeCovariates,
  fitCovariateModel,
  fitModel,
  gammaGammaPredictor,
  gammaGammaSpec,
  type Transaction,
} from "@valuecast/core";
import { spendData } from "../models.ts";

const DAY_MS = 86_400_000;
const OTHER = "other";

/** A customer's purchase days (UTC day numbers, same-day purchases merged) and the value of each day. */
interface PurchaseDays {
  readonly days: number[];
  readonly value: number[];
}

/** Purchase occasions per customer: distinct UTC days with a positive, not cancelled line. */
function purchaseDays(transactions: readonly Transaction[]): Map<string, PurchaseDays> {
  const byDay = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    if (t.cancelled || !(t.amount > 0)) continue;
    let m = byDay.get(t.customerId);
    if (!m) {
      m = new Map();
      byDay.set(t.customerId, m);
    }
    const d = Math.floor(t.at / DAY_MS);
    m.set(d, (m.get(d) ?? 0) + t.amount);
  }
  const out = new Map<string, PurchaseDays>();
  for (const [id, m] of byDay) {
    const days = [...m.keys()].sort((a, b) => a - b);
    out.set(id, { days, value: days.map((d) => m.get(d)!) });
  }
  return out;
}

/** Repeat occasions of a customer in (first day, first day + spanDays]: x, t_x (weeks) and their mean value. */
function repeats(p: PurchaseDays | undefined, firstAt: number, spanDays: number) {
  const d0 = Math.floor(firstAt / DAY_MS);
  let x = 0;
  let last = d0;
  let sum = 0;
  if (p) {
    for (let k = 0; k < p.days.length; k++) {
      const d = p.days[k]!;
      if (d <= d0 || d > d0 + spanDays) continue;
      x++;
      last = d;
      sum += p.value[k]!;
    }
  }
  return { x, t_x: (last - d0) / 7, mean: x > 0 ? sum / x : 0 };
}

/** The categorical acquisition attributes with at least two levels among the training customers. */
type Attribute = "channel" | "campaign" | "country";

function categoricalColumns(train: readonly EarlyCustomer[]): { name: Attribute; keep: Set<string> }[] {
  const out: { name: Attribute; keep: Set<string> }[] = [];
  // Levels held by fewer than max(20, 1%) training customers are pooled: their coefficients would rest
  // on a handful of customers, and a flat likelihood direction leaves no standard errors at all.
  const min = Math.max(20, Math.ceil(train.length / 100));
  for (const name of ["channel", "campaign", "country"] as const) {
    const counts = new Map<string, number>();
    for (const c of train) {
      const v = c.features[name] ?? "";
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const keep = new Set([...counts].filter(([, n]) => n >= min).map(([l]) => l));
    const levels = keep.size + (keep.size < counts.size ? 1 : 0);
    if (levels >= 2) out.push({ name, keep });
  }
  return out;
}

/** ln(1 + first order amount) on a quarter grid: customers with the same value share one likelihood group. */
const amountCovariate = (c: EarlyCustomer): number =>
  Math.round(Math.log1p(Math.max(0, c.features.first_amount)) * 4) / 4;

/**
 * The "probabilistic model with covariates" baseline for `evaluateEarly`: a Pareto/NBD (or
 * BG/NBD) with static covariates (the acquisition channel, campaign and country when they vary, and
 * ln(1 + first order amount) on a quarter grid), fitted on the training cohorts over each customer's
 * observation window plus horizon, in weeks; a test customer's value is the conditional expected number
 * of repeat purchases over the horizon given the repeats seen in the window, times the Gamma-Gamma
 * expected spend per purchase given the first order amount (fitted on the training customers' repeat
 * purchases in the same span). Uses the same information as the learned models, nothing from the test
 * customers' horizons.
 * @example evaluateEarly(ds, { extra: [covariateBaseline(transactions, ds.days, ds.horizonDays, "pnbd")] })
 */
export function covariateBaseline(
  transactions: readonly Transaction[],
  days: number,
  horizonDays: number,
  model: CovariateModelName = "pnbd",
): ExtraEarlyPredictor {
  return {
    name: `${model}_covariates`,
    predict(train, test) {
      const occasions = purchaseDays(transactions);
      const span = days + horizonDays;
      const cats = categoricalColumns(train);
      const raw = (c: EarlyCustomer): Record<string, string | number> => {
        const r: Record<string, string | number> = { ln_first_amount: amountCovariate(c) };
        for (const { name, keep } of cats) {
          const v = c.features[name] ?? "";
          r[name] = keep.has(v) ? v : OTHER;
        }
        return r;
      };
      const rows = train.map(raw);
      const specs: CovariateColumn[] = [
        { name: "ln_first_amount", kind: "numeric" },
        ...cats.map(({ name }) => ({ name, kind: "categorical" as const })),
      ];
      const table = Object.fromEntries(specs.map((s) => [s.name, rows.map((r) => r[s.name]!)]));
      const encoded = encodeCovariates(table, specs);
      const x = new Float64Array(train.length);
      const t_x = new Float64Array(train.length);
      const T = new Float64Array(train.length).fill(span / 7);
      const mean = new Float64Array(train.length);
      train.forEach((c, i) => {
        const r = repeats(occasions.get(c.customerId), c.firstAt, span);
        x[i] = r.x;
        t_x[i] = r.t_x;
        mean[i] = r.mean;
      });
      const { design } = covariateDesign({ x, t_x, T }, encoded.matrix);
      const fit = fitCovariateModel(model, design, { timeUnit: "week" });
      const spend = gammaGammaPredictor(
        fitModel(gammaGammaSpec, spendData(x, mean, undefined, { nonPositiveSpend: "drop" }).data).params,
      );
      const out = new Float64Array(test.length);
      test.forEach((c, i) => {
        const z = encodeCovariateRow(encoded.encodings, unseenToReference(raw(c), encoded.encodings));
        const r = repeats(occasions.get(c.customerId), c.firstAt, days);
        const purchases = covariatePredictor(model, fit.fit.params, z).conditionalExpectedPurchases(
          horizonDays / 7,
          r.x,
          r.t_x,
          days / 7,
        );
        // Gamma-Gamma's conditional mean spend with the first order as the one observed amount.
        const first = c.features.first_amount;
        const perPurchase = first > 0 ? spend.conditionalExpectedSpend(1, first) : spend.populationMeanSpend;
        const v = purchases * perPurchase;
        out[i] = Number.isFinite(v) && v > 0 ? v : 0;
      });
      return out;
    },
  };
}

/** A level the training cohorts never showed (or pooled away) is read as the reference level. */
function unseenToReference(
  raw: Record<string, string | number>,
  encodings: ReturnType<typeof encodeCovariates>["encodings"],
): Record<string, string | number> {
  const out = { ...raw };
  for (const e of encodings) {
    if (e.kind !== "categorical") continue;
    const v = String(out[e.name]);
    if (v !== e.reference && !e.levels.includes(v)) out[e.name] = e.reference;
  }
  return out;
}
