import type { CustomerSummary } from "../summary/types.ts";
import { DAYS_PER_UNIT, type TimeUnit } from "../time.ts";
import type { NullReason } from "./null-reason.ts";

export interface SimpleLtvOptions {
  /** Contribution margin as a share of revenue; default 1. */
  readonly margin?: number;
  /** A customer with no purchase in this many days before the end counts as churned; default 365. */
  readonly churnWindowDays?: number;
  /** Customer lifespan in years; default 1 / annual churn. */
  readonly lifespanYears?: number;
}

/** The textbook formulas' inputs and results, shown beside the model's CLV. */
export interface SimpleLtv {
  /** Average order value: total net revenue / total orders. */
  readonly aov: number | null;
  /** Orders per customer-year: total orders / total customer-years observed. */
  readonly purchaseFrequencyPerYear: number | null;
  /** Revenue per customer-year: total net revenue / total customer-years (= AOV x frequency). */
  readonly arpuPerYear: number | null;
  /** Share of customers observed at least `churnWindowDays` with no purchase in the last `churnWindowDays`. */
  readonly annualChurnRate: number | null;
  readonly lifespanYears: number | null;
  readonly margin: number;
  /** AOV x purchase frequency x lifespan (revenue, no margin, as the formula is usually taught). */
  readonly aovFrequencyLifespan: number | null;
  /** ARPU x margin / churn. */
  readonly arpuMarginOverChurn: number | null;
  readonly definitions: readonly string[];
  readonly reasons: readonly NullReason[];
}

/**
 * The simple LTV formulas marketing articles teach, computed from the summaries so users can compare
 * them with the model's CLV: AOV x purchase frequency x lifespan, and ARPU x margin / churn. Their
 * definitions are returned with them. Both assume every customer stays for the same average lifespan
 * and buys at the average rate, which the probabilistic models do not.
 * @example simpleLtv(cdnowMasterSummariesInDays, "day", { margin: 0.3 }).arpuMarginOverChurn // 35.76 (AOV 36.99)
 */
export function simpleLtv(
  // Any iterable of the fields read (see dataReadiness): rows may be streamed from columns.
  customers: Iterable<Pick<CustomerSummary, "orders" | "historic_revenue" | "T" | "t_x">>,
  timeUnit: TimeUnit,
  options: SimpleLtvOptions = {},
): SimpleLtv {
  const margin = options.margin ?? 1;
  const window = options.churnWindowDays ?? 365;
  const d = DAYS_PER_UNIT[timeUnit];
  const reasons: NullReason[] = [];
  let revenue = 0;
  let orders = 0;
  let years = 0;
  let eligible = 0;
  let churned = 0;
  for (const c of customers) {
    if (c.orders <= 0) continue;
    revenue += Number.isFinite(c.historic_revenue) ? c.historic_revenue : 0;
    orders += c.orders;
    // observed from the first purchase day through the last day, inclusive
    years += (c.T * d + 1) / DAYS_PER_UNIT.year;
    if (c.T * d >= window) {
      eligible++;
      if ((c.T - c.t_x) * d > window) churned++;
    }
  }
  const aov = orders > 0 ? revenue / orders : null;
  if (aov === null) reasons.push({ field: "aov", reason: "no orders" });
  const freq = years > 0 ? orders / years : null;
  const arpu = years > 0 ? revenue / years : null;
  let churn: number | null = null;
  if (eligible === 0)
    reasons.push({ field: "annualChurnRate", reason: `no customer has been observed for ${window} days` });
  else {
    churn = (churned / eligible) * (365.25 / window);
    if (churn === 0) {
      reasons.push({
        field: "annualChurnRate",
        reason: "no customer has churned by the simple rule: lifespan is unbounded",
      });
    }
  }
  let lifespan: number | null = options.lifespanYears ?? null;
  if (lifespan === null && churn !== null && churn > 0) lifespan = 1 / churn;
  if (lifespan === null)
    reasons.push({ field: "lifespanYears", reason: "needs a positive churn rate or a given lifespan" });
  const f1 = aov !== null && freq !== null && lifespan !== null ? aov * freq * lifespan : null;
  if (f1 === null) reasons.push({ field: "aovFrequencyLifespan", reason: "an input is missing" });
  const f2 = arpu !== null && churn !== null && churn > 0 ? (arpu * margin) / churn : null;
  if (f2 === null)
    reasons.push({ field: "arpuMarginOverChurn", reason: "needs ARPU and a positive churn rate" });
  return {
    aov,
    purchaseFrequencyPerYear: freq,
    arpuPerYear: arpu,
    annualChurnRate: churn,
    lifespanYears: lifespan,
    margin,
    aovFrequencyLifespan: f1,
    arpuMarginOverChurn: f2,
    definitions: [
      "AOV = total net revenue / total orders",
      "purchase frequency = total orders / total customer-years observed (from each first purchase to the end)",
      "ARPU = total net revenue / total customer-years (= AOV x purchase frequency)",
      `annual churn = share of customers observed at least ${window} days with no purchase in the last ${window} days, scaled to a year`,
      "lifespan = 1 / annual churn (unless given)",
      "LTV (AOV x frequency x lifespan): revenue, no margin",
      `LTV (ARPU x margin / churn): with margin ${margin}`,
    ],
    reasons,
  };
}
