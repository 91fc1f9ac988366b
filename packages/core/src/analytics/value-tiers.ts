import type { NullReason } from "./null-reason.ts";

/** How to cut customers into value tiers. */
export type TierRule =
  /** Shares of customers from the top, e.g. [0.1, 0.4] = top 10%, next 40%, the rest (the default). */
  | { readonly kind: "quantiles"; readonly shares: readonly number[] }
  /** Absolute lower bounds from the top, e.g. [1000, 200] = value >= 1000, >= 200, the rest. */
  | { readonly kind: "thresholds"; readonly minValues: readonly number[] };

export interface ValueTierOptions {
  readonly rule?: TierRule;
  /** Tier names from the most valuable; default "top", "middle", "low" (or "tier1".. for other counts). */
  readonly names?: readonly string[];
}

/** One tier's share of customers and of predicted value. */
export interface ValueTier {
  readonly name: string;
  readonly customers: number;
  readonly shareOfCustomers: number;
  readonly value: number;
  /** Share of the total predicted value; null when the total is not positive. */
  readonly shareOfValue: number | null;
  /** Smallest and largest value in the tier; null for an empty tier. */
  readonly minValue: number | null;
  readonly maxValue: number | null;
  /** The tier's lower cut (a customer belongs here when value > cut for quantile rules, >= for thresholds); null for the last tier. */
  readonly cut: number | null;
}

export interface ValueTiers {
  readonly rule: TierRule;
  readonly tiers: readonly ValueTier[];
  /** Tier index (0 = most valuable) of every customer, in input order. */
  readonly tierOf: readonly number[];
  readonly totalValue: number;
  readonly reasons: readonly NullReason[];
}

const DEFAULT_RULE: TierRule = { kind: "quantiles", shares: [0.1, 0.4] };

function defaultNames(n: number): string[] {
  if (n === 3) return ["top", "middle", "low"];
  if (n === 2) return ["top", "rest"];
  return Array.from({ length: n }, (_, i) => `tier${i + 1}`);
}

/**
 * Value tiers by predicted CLV. With quantile shares, the cut for a tier holding the top k customers is
 * the (k+1)-th largest value and a customer is in the tier when strictly above it, so customers with equal
 * values always share a tier (ties at a boundary go to the lower tier) and no tier exceeds its share.
 * Tiers partition the customers: every customer is in exactly one. Non-finite values count as 0.
 * @example valueTiers([50, 10, 5, 1, 0, 0, 0, 0, 0, 0]).tiers.map((t) => t.customers) // [1, 3, 6]
 */
export function valueTiers(values: ArrayLike<number>, options: ValueTierOptions = {}): ValueTiers {
  const rule = options.rule ?? DEFAULT_RULE;
  const n = values.length;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    v[i] = Number.isFinite(x) ? x : 0;
  }
  const reasons: NullReason[] = [];
  // cuts[k]: customers with value above (quantiles) or at/above (thresholds) cuts[k] and not in a higher tier
  const cuts: number[] = [];
  let strict = true;
  if (rule.kind === "quantiles") {
    const sortedDesc = Float64Array.from(v).sort().reverse();
    let cum = 0;
    for (const share of rule.shares) {
      cum += share;
      const k = Math.round(Math.min(1, cum) * n);
      // the (k+1)-th largest: a tier of the top k holds values strictly above it
      cuts.push(k >= n ? Number.NEGATIVE_INFINITY : (sortedDesc[k] as number));
    }
  } else {
    strict = false;
    cuts.push(...rule.minValues);
  }
  const tierCount = cuts.length + 1;
  const names = options.names ?? defaultNames(tierCount);
  const tierOf: number[] = new Array(n);
  const count = new Float64Array(tierCount);
  const sum = new Float64Array(tierCount);
  const min = new Float64Array(tierCount).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(tierCount).fill(Number.NEGATIVE_INFINITY);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    let t = cuts.length;
    for (let k = 0; k < cuts.length; k++) {
      const c = cuts[k] as number;
      if (strict ? x > c : x >= c) {
        t = k;
        break;
      }
    }
    tierOf[i] = t;
    count[t] = (count[t] as number) + 1;
    sum[t] = (sum[t] as number) + x;
    if (x < (min[t] as number)) min[t] = x;
    if (x > (max[t] as number)) max[t] = x;
    total += x;
  }
  if (!(total > 0))
    reasons.push({ field: "shareOfValue", reason: "the total predicted value is not positive" });
  const tiers: ValueTier[] = [];
  for (let t = 0; t < tierCount; t++) {
    const c = count[t] as number;
    const cut = t < cuts.length ? (cuts[t] as number) : null;
    tiers.push({
      name: names[t] ?? `tier${t + 1}`,
      customers: c,
      shareOfCustomers: n > 0 ? c / n : 0,
      value: sum[t] as number,
      shareOfValue: total > 0 ? (sum[t] as number) / total : null,
      minValue: c > 0 ? (min[t] as number) : null,
      maxValue: c > 0 ? (max[t] as number) : null,
      cut: cut !== null && Number.isFinite(cut) ? cut : null,
    });
  }
  return { rule, tiers, tierOf, totalValue: total, reasons };
}
