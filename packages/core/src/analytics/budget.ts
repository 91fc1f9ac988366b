import { type Issue, issue } from "../errors/issues.ts";

/** One channel's calibration point and value per new customer for a budget scenario. */
export interface BudgetChannel {
  readonly channel: string;
  /** Spend in the observed period (the CAC numerator). */
  readonly observedSpend: number;
  /** New customers acquired with it (the CAC denominator). */
  readonly observedNewCustomers: number;
  /** Predicted LTV per new customer of this channel (margin-weighted, e.g. `ChannelEconomics.predictedLtv`). */
  readonly ltvPerCustomer: number;
  /** Bounds on the channel's share of the total budget for the recommendation; default 0 and 1. */
  readonly minShare?: number;
  readonly maxShare?: number;
}

export interface BudgetOptions {
  readonly totalBudget: number;
  /** Proposed share of the budget per channel (missing channels get 0); must sum to 1. */
  readonly proposedShares: Readonly<Record<string, number>>;
  /** Diminishing-returns exponent e in customers = k x spend^e, 0 < e <= 1; default 1 (constant CAC). */
  readonly exponent?: number;
}

/** One channel's spend and projections in an allocation. */
export interface ChannelAllocation {
  readonly channel: string;
  readonly spend: number;
  readonly share: number;
  /** null when the channel could not be calibrated (see `excluded`). */
  readonly newCustomers: number | null;
  readonly value: number | null;
  /** d value / d spend at this spend; null at zero spend with e < 1 (infinite) or when not calibrated. */
  readonly marginalValuePerSpend: number | null;
  /** The average CAC at this spend (spend / newCustomers). */
  readonly cac: number | null;
}

export interface Allocation {
  readonly channels: readonly ChannelAllocation[];
  readonly spend: number;
  readonly newCustomers: number;
  readonly value: number;
  /** value - spend. */
  readonly netValue: number;
  /** value / spend; null for a zero budget. */
  readonly valuePerSpend: number | null;
}

export interface BudgetScenario {
  readonly totalBudget: number;
  readonly exponent: number;
  readonly assumptions: readonly string[];
  readonly proposed: Allocation | null;
  readonly recommended: Allocation | null;
  /** recommended.value - proposed.value. */
  readonly valueGain: number | null;
  /** True with e = 1: value is linear in spend, so the optimum puts each dollar in the best channel left. */
  readonly cornerSolution: boolean;
  /** The Lagrange multiplier (marginal value of one more unit of budget) at the recommendation, for e < 1. */
  readonly marginalValueOfBudget: number | null;
  readonly excluded: readonly { readonly channel: string; readonly reason: string }[];
  readonly issues: readonly Issue[];
}

interface Calibrated {
  readonly channel: string;
  /** customers = k spend^e */
  readonly k: number;
  readonly ltv: number;
  /** value per unit of spend^e: a = ltv x k */
  readonly a: number;
  readonly lo: number;
  readonly hi: number;
  readonly ok: boolean;
}

function project(c: Calibrated, spend: number, e: number, total: number): ChannelAllocation {
  if (!c.ok)
    return {
      channel: c.channel,
      spend,
      share: total > 0 ? spend / total : 0,
      newCustomers: null,
      value: null,
      marginalValuePerSpend: null,
      cac: null,
    };
  const customers = spend > 0 ? c.k * spend ** e : 0;
  const marginal = spend > 0 ? c.a * e * spend ** (e - 1) : e === 1 ? c.a : null;
  return {
    channel: c.channel,
    spend,
    share: total > 0 ? spend / total : 0,
    newCustomers: customers,
    value: customers * c.ltv,
    marginalValuePerSpend: marginal,
    cac: customers > 0 ? spend / customers : null,
  };
}

function allocation(
  cs: readonly Calibrated[],
  spends: readonly number[],
  e: number,
  total: number,
): Allocation {
  const channels = cs.map((c, i) => project(c, spends[i] as number, e, total));
  let spend = 0;
  let customers = 0;
  let value = 0;
  for (const a of channels) {
    spend += a.spend;
    customers += a.newCustomers ?? 0;
    value += a.value ?? 0;
  }
  return {
    channels,
    spend,
    newCustomers: customers,
    value,
    netValue: value - spend,
    valuePerSpend: spend > 0 ? value / spend : null,
  };
}

/** e = 1: fill the minimums, then give the rest to channels in order of value per unit spend, up to their maximums. */
function linearOptimum(cs: readonly Calibrated[], budget: number): number[] {
  const s = cs.map((c) => c.lo);
  let left = budget - s.reduce((a, b) => a + b, 0);
  const order = cs.map((_, i) => i).sort((i, j) => (cs[j] as Calibrated).a - (cs[i] as Calibrated).a);
  for (const i of order) {
    if (left <= 0) break;
    const c = cs[i] as Calibrated;
    const add = Math.min(left, c.hi - c.lo);
    s[i] = (s[i] as number) + add;
    left -= add;
  }
  return s;
}

/**
 * e < 1: maximise sum a_c s_c^e subject to sum s_c = B and lo_c <= s_c <= hi_c. The KKT conditions give
 * a_c e s_c^(e-1) = lambda for channels strictly between their bounds, i.e. s_c = clamp(w_c mu, lo_c, hi_c)
 * with w_c = (a_c / a_max)^(1 / (1 - e)) and mu = (lambda / (a_max e))^(-1 / (1 - e)). Total spend is
 * continuous, non-decreasing and piecewise linear in mu, with breakpoints where a channel leaves a bound
 * (mu = lo_c / w_c, hi_c / w_c). So the exact optimum is found by walking the sorted breakpoints to the one
 * where the total first reaches B and interpolating linearly inside that piece. Breakpoints are handled as
 * log mu because w_c = ratio^(1 / (1 - e)) underflows to 0 for e near 1 (the power is 100 at e = 0.99),
 * which would make mu overflow.
 */
function concaveOptimum(
  cs: readonly Calibrated[],
  budget: number,
  e: number,
): { spends: number[]; lambda: number | null } {
  const aMax = Math.max(...cs.map((c) => c.a));
  const logW = cs.map((c) => (c.a > 0 && aMax > 0 ? (Math.log(c.a) - Math.log(aMax)) / (1 - e) : null));
  const spendAt = (logMu: number): number[] =>
    cs.map((c, i) => {
      const lw = logW[i];
      // exp may overflow to Infinity or underflow to 0; the clamp maps both to a bound, never NaN
      return lw === null || lw === undefined ? c.lo : Math.min(c.hi, Math.max(c.lo, Math.exp(lw + logMu)));
    });
  const total = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0);
  const points: number[] = [];
  cs.forEach((c, i) => {
    const lw = logW[i];
    if (lw === null || lw === undefined) return;
    if (c.lo > 0) points.push(Math.log(c.lo) - lw);
    if (c.hi > 0) points.push(Math.log(c.hi) - lw);
  });
  points.sort((x, y) => x - y);
  let prev = cs.map((c) => c.lo); // mu = 0
  let fPrev = total(prev);
  let spends: number[] | null = fPrev >= budget ? prev : null;
  for (const L of points) {
    if (spends) break;
    const cur = spendAt(L);
    const fCur = total(cur);
    if (fCur >= budget) {
      const t = fCur > fPrev ? (budget - fPrev) / (fCur - fPrev) : 0;
      spends = prev.map((v, i) => v + t * ((cur[i] as number) - v));
    }
    prev = cur;
    fPrev = fCur;
  }
  if (!spends) {
    // every valuable channel is at its maximum: the rest can only go to channels worth nothing per unit
    spends = prev;
    let left = budget - fPrev;
    cs.forEach((c, i) => {
      if (left > 0 && logW[i] === null) {
        const add = Math.min(left, c.hi - (spends as number[])[i]!);
        (spends as number[])[i] = (spends as number[])[i]! + add;
        left -= add;
      }
    });
  }
  // lambda from any valuable channel strictly inside its bounds
  let lambda: number | null = null;
  cs.forEach((c, i) => {
    const v = (spends as number[])[i] as number;
    if (lambda === null && c.a > 0 && v > c.lo + 1e-9 * budget && v < c.hi - 1e-9 * budget)
      lambda = c.a * e * v ** (e - 1);
  });
  return { spends, lambda };
}

/**
 * Budget scenario: projected new customers and value of a proposed split, and the split that maximises
 * projected value under the stated assumptions (listed in the result). Per channel, new customers =
 * k x spend^e with k calibrated through the observed (spend, new customers) point, and value = new
 * customers x predicted LTV per new customer. With e = 1 (constant CAC) the optimum is a corner solution;
 * with e < 1 it is the exact concave optimum (equal marginal value across channels inside their bounds).
 * @example
 * budgetScenario(
 *   [{ channel: "search", observedSpend: 1000, observedNewCustomers: 10, ltvPerCustomer: 300 },
 *    { channel: "social", observedSpend: 1000, observedNewCustomers: 20, ltvPerCustomer: 100 }],
 *   { totalBudget: 2000, proposedShares: { search: 0.5, social: 0.5 }, exponent: 0.5 },
 * ).recommended?.channels[0]?.share // 0.6923 = 3^2 / (3^2 + 2^2)
 */
export function budgetScenario(channels: readonly BudgetChannel[], options: BudgetOptions): BudgetScenario {
  const e = options.exponent ?? 1;
  const B = options.totalBudget;
  const issues: Issue[] = [];
  const excluded: { channel: string; reason: string }[] = [];
  if (!(e > 0 && e <= 1))
    issues.push(issue("BAD_OPTION_VALUE", `the exponent must be in (0, 1], got ${e}`, { field: "exponent" }));
  if (!(Number.isFinite(B) && B >= 0))
    issues.push(
      issue("BAD_OPTION_VALUE", `the total budget must be a non-negative number, got ${B}`, {
        field: "totalBudget",
      }),
    );
  const cs: Calibrated[] = channels.map((c) => {
    let reason: string | null = null;
    if (!(c.observedSpend > 0 && Number.isFinite(c.observedSpend)))
      reason = "no observed spend to calibrate CAC";
    else if (!(c.observedNewCustomers > 0 && Number.isFinite(c.observedNewCustomers)))
      reason = "no new customers observed: CAC is undefined";
    else if (!(Number.isFinite(c.ltvPerCustomer) && c.ltvPerCustomer >= 0))
      reason = "no non-negative predicted LTV";
    if (reason) excluded.push({ channel: c.channel, reason });
    const ok = reason === null && e > 0 && e <= 1;
    const k = ok ? c.observedNewCustomers / c.observedSpend ** e : 0;
    const lo = (c.minShare ?? 0) * B;
    // an uncalibrated channel is never recommended beyond its minimum
    const hi = ok ? (c.maxShare ?? 1) * B : lo;
    if (lo > hi + 1e-12 * B || lo < 0)
      issues.push(
        issue("BAD_OPTION_VALUE", `${c.channel}: min share must be in [0, max share]`, { field: c.channel }),
      );
    return {
      channel: c.channel,
      k,
      ltv: ok ? c.ltvPerCustomer : 0,
      a: ok ? c.ltvPerCustomer * k : 0,
      lo,
      hi,
      ok,
    };
  });
  const known = new Set(channels.map((c) => c.channel));
  let shareSum = 0;
  for (const [name, share] of Object.entries(options.proposedShares)) {
    if (!known.has(name))
      issues.push(
        issue("BAD_OPTION_VALUE", `proposed split names unknown channel '${name}'`, { field: name }),
      );
    if (!(Number.isFinite(share) && share >= 0))
      issues.push(issue("BAD_OPTION_VALUE", `proposed share of '${name}' must be >= 0`, { field: name }));
    else shareSum += share;
  }
  if (Math.abs(shareSum - 1) > 1e-6)
    issues.push(
      issue("BAD_OPTION_VALUE", `proposed shares sum to ${shareSum}, not 1`, { field: "proposedShares" }),
    );
  const sumLo = cs.reduce((s, c) => s + c.lo, 0);
  const sumHi = cs.reduce((s, c) => s + c.hi, 0);
  const feasible = sumLo <= B * (1 + 1e-12) && sumHi >= B * (1 - 1e-12);
  if (!feasible)
    issues.push(
      issue(
        "BAD_OPTION_VALUE",
        `the share bounds cannot hold the budget (minimums ${sumLo}, maximums ${sumHi} of ${B})`,
      ),
    );
  const valid = issues.length === 0;
  const proposed = valid
    ? allocation(
        cs,
        cs.map((c) => (options.proposedShares[c.channel] ?? 0) * B),
        e,
        B,
      )
    : null;
  let recommended: Allocation | null = null;
  let lambda: number | null = null;
  if (valid) {
    if (e === 1) recommended = allocation(cs, linearOptimum(cs, B), e, B);
    else {
      const r = concaveOptimum(cs, B, e);
      recommended = allocation(cs, r.spends, e, B);
      lambda = r.lambda;
    }
  }
  const assumptions = [
    `new customers per channel = k x spend^${e}, with k set so the curve passes through the observed (spend, new customers) point${e === 1 ? " (constant CAC: every extra unit of spend buys customers at the observed CAC)" : ` (diminishing returns: doubling spend multiplies new customers by ${(2 ** e).toFixed(3)})`}`,
    "each new customer is worth the channel's predicted LTV per customer, whatever the spend level",
    "channels do not interact (no shared audiences, no halo) and the observed CAC and LTV carry over to the budget period",
    "the whole budget is spent; per-channel min/max shares bound the recommendation",
    ...(e === 1
      ? [
          "with e = 1 value is linear in spend, so the optimum is a corner solution: each unit goes to the channel with the highest LTV/CAC until its max share binds",
        ]
      : ["with e < 1 the optimum equalises the marginal value of spend across channels inside their bounds"]),
    ...excluded.map((x) => `${x.channel} is not projected: ${x.reason}`),
  ];
  return {
    totalBudget: B,
    exponent: e,
    assumptions,
    proposed,
    recommended,
    valueGain: proposed && recommended ? recommended.value - proposed.value : null,
    cornerSolution: e === 1,
    marginalValueOfBudget: lambda,
    excluded,
    issues,
  };
}
