import { type Issue, issue, ValuecastError } from "../errors/issues.ts";
import type { SpendPredictor } from "../models/gamma-gamma/model.ts";
import type { PurchasePredictor } from "../models/purchase-model.ts";
import type { RfmData } from "../models/types.ts";
import { discountedIncrease, discountedIncreaseDiscrete } from "./discounting.ts";
import { type FactorisedPurchasePredictor, isFactorised } from "./factorised.ts";
import { type ClvOptions, resolveClvOptions } from "./options.ts";

/**
 * Customers to score: (x, t_x, T) and, when a spend model is used, each one's mean repeat spend zbar.
 * @example const d: ScoringData = { x, t_x, T, zbar };
 */
export interface ScoringData extends RfmData {
  readonly zbar?: Float64Array;
}

/**
 * Expected spend per transaction: a fitted spend model (Gamma-Gamma), one value for everybody, or one
 * value per customer.
 * @example const spend: SpendInput = 35; // or gammaGammaPredictor(params), or a Float64Array
 */
export type SpendInput = SpendPredictor | number | Float64Array;

/**
 * Per-customer scores, one entry per input row, all in the model's time unit and currency.
 * @example const { clv, clvUndiscounted }: CustomerScores = scoreCustomers(pred, 35, data, { horizon: 52 });
 */
export interface CustomerScores {
  readonly pAlive: Float64Array;
  /** Undiscounted expected purchases in (T, T + horizon]. */
  readonly expectedPurchases: Float64Array;
  /** Expected purchases in the horizon, each discounted continuously to T. */
  readonly discountedPurchases: Float64Array;
  readonly expectedSpend: Float64Array;
  /** margin · expected spend · discounted expected purchases. */
  readonly clv: Float64Array;
  /** margin · expected spend · undiscounted expected purchases. */
  readonly clvUndiscounted: Float64Array;
}

function spendFor(spend: SpendInput, data: ScoringData): (i: number) => number {
  if (typeof spend === "number") {
    if (!Number.isFinite(spend)) {
      throw new ValuecastError([issue("BAD_OPTION_VALUE", `spend must be a finite number (got ${spend})`)]);
    }
    return () => spend;
  }
  if (spend instanceof Float64Array) {
    if (spend.length !== data.x.length) {
      throw new ValuecastError([
        issue("INVALID_DATA", `spend has ${spend.length} values for ${data.x.length} customers`),
      ]);
    }
    return (i) => spend[i]!;
  }
  const zbar = data.zbar;
  if (!zbar || zbar.length !== data.x.length) {
    throw new ValuecastError([
      issue("INVALID_DATA", "a spend model needs each customer's mean repeat spend (zbar), one per customer"),
    ]);
  }
  return (i) => spend.conditionalExpectedSpend(data.x[i]!, zbar[i]!);
}

/**
 * Scores every customer: P(alive), expected purchases over the horizon (undiscounted and discounted
 * continuously at the annual rate converted to the model's unit), expected spend, and CLV =
 * margin × expected spend × discounted expected purchases, with the undiscounted CLV beside it
 * (DESIGN "Conventions"). Works for every `PurchasePredictor` (BG/NBD, MBG/NBD, Pareto/NBD).
 * Plain loops over Float64Arrays, no allocation per customer without discounting.
 * @example
 * const s = scoreCustomers(bgnbdPredictor(fit.params), gammaGammaPredictor(gg.params), { x, t_x, T, zbar },
 *   { horizon: 52, discountRate: 0.1, timeUnit: "week", margin: 0.3 });
 * s.clv[0]; // the first customer's discounted 52-week CLV
 * `purchases`: the same predictor's `scorePurchases` on the same data and options, computed earlier.
 */
export function scoreCustomers(
  predictor: PurchasePredictor,
  spend: SpendInput,
  data: ScoringData,
  options: ClvOptions,
  purchases?: PurchaseScores,
): CustomerScores {
  const { horizon: H, delta, margin } = resolveClvOptions(options);
  const n = data.x.length;
  checkLengths(data);
  // Scores from scorePurchases were computed on validated data.
  if (!purchases) {
    const problems = customerIssues(data);
    if (problems.length > 0) throw new ValuecastError(problems);
  }
  const spendOf = spendFor(spend, data);
  const p = purchases ?? purchaseScores(predictor, data, options, H, delta);
  const out: CustomerScores = {
    pAlive: p.pAlive,
    expectedPurchases: p.expectedPurchases,
    discountedPurchases: p.discountedPurchases,
    expectedSpend: new Float64Array(n),
    clv: new Float64Array(n),
    clvUndiscounted: new Float64Array(n),
  };
  const { expectedPurchases, discountedPurchases, expectedSpend, clv, clvUndiscounted } = out;
  for (let i = 0; i < n; i++) {
    const s = spendOf(i);
    expectedSpend[i] = s;
    clv[i] = margin * s * discountedPurchases[i]!;
    clvUndiscounted[i] = margin * s * expectedPurchases[i]!;
  }
  return out;
}

/** The purchase half of `CustomerScores`: what does not depend on the spend model. */
export type PurchaseScores = Pick<CustomerScores, "pAlive" | "expectedPurchases" | "discountedPurchases">;

/**
 * The purchase half of `scoreCustomers` (P(alive), expected purchases, discounted expected purchases),
 * with the same checks: computed before the spend model is known (while it is still being fitted) and
 * handed to `scoreCustomers` as its `purchases` with the same predictor, data and options, it gives the
 * same scores, value for value.
 * @example scoreCustomers(pred, spend, data, options, scorePurchases(pred, data, options))
 */
export function scorePurchases(
  predictor: PurchasePredictor,
  data: ScoringData,
  options: ClvOptions,
): PurchaseScores {
  const { horizon: H, delta } = resolveClvOptions(options);
  checkLengths(data);
  const problems = customerIssues(data);
  if (problems.length > 0) throw new ValuecastError(problems);
  return purchaseScores(predictor, data, options, H, delta);
}

function checkLengths(data: ScoringData): void {
  const n = data.x.length;
  if (data.t_x.length !== n || data.T.length !== n) {
    throw new ValuecastError([issue("INVALID_DATA", "x, t_x and T must have the same length")]);
  }
}

function purchaseScores(
  predictor: PurchasePredictor,
  data: ScoringData,
  options: ClvOptions,
  H: number,
  delta: number,
): PurchaseScores {
  const n = data.x.length;
  const out: PurchaseScores = {
    pAlive: new Float64Array(n),
    expectedPurchases: new Float64Array(n),
    discountedPurchases: new Float64Array(n),
  };
  const discrete = timingOf(predictor, options) === "discrete";
  if (discrete && !Number.isInteger(H)) throw horizonNotWhole(H);
  if (isFactorised(predictor) && !discrete) scoreFactorised(predictor, data, H, delta, out);
  else scoreGeneric(predictor, data, H, delta, out, discrete);
  return out;
}

/**
 * Rows that cannot be scored (non-finite, negative, t_x after T, x = 0 with t_x > 0), at most 20 listed.
 * Unlike fitting, T = 0 (a customer acquired at the end of the data) is allowed.
 */
function customerIssues(data: ScoringData): Issue[] {
  const issues: Issue[] = [];
  for (let i = 0; i < data.x.length && issues.length < 20; i++) {
    const x = data.x[i]!;
    const tx = data.t_x[i]!;
    const T = data.T[i]!;
    const ok =
      Number.isFinite(x + tx + T) &&
      x >= 0 &&
      tx >= 0 &&
      T >= 0 &&
      tx <= T * (1 + 1e-9) + 1e-9 &&
      (x > 0 || tx === 0);
    if (!ok) {
      issues.push(
        issue("BAD_SUMMARY_VALUE", `row ${i} cannot be scored: x = ${x}, t_x = ${tx}, T = ${T}`, {
          index: i,
        }),
      );
    }
  }
  return issues;
}

/** The timing asked for, or the default for the predictor (BG/BB is discrete). */
function timingOf(p: PurchasePredictor, options: ClvOptions): "continuous" | "discrete" {
  return options.timing ?? (p.model === "bgbb" ? "discrete" : "continuous");
}

function horizonNotWhole(H: number): ValuecastError {
  return new ValuecastError([
    issue(
      "BAD_OPTION_VALUE",
      `a discrete-opportunity model needs a whole number of opportunities as horizon (got ${H})`,
      { field: "horizon" },
    ),
  ]);
}

/**
 * Every customer on its own: CET at the horizon and, when discounting, at the quadrature nodes
 * (continuous timing) or at each whole opportunity (discrete timing).
 */
function scoreGeneric(
  p: PurchasePredictor,
  data: ScoringData,
  H: number,
  delta: number,
  out: PurchaseScores,
  discrete: boolean,
) {
  const { x: xs, t_x: txs, T: Ts } = data;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const tx = txs[i]!;
    const T = Ts[i]!;
    out.pAlive[i] = p.pAlive(x, tx, T);
    const EH = p.conditionalExpectedPurchases(H, x, tx, T);
    out.expectedPurchases[i] = EH;
    const E = (t: number) => p.conditionalExpectedPurchases(t, x, tx, T);
    out.discountedPurchases[i] =
      delta > 0 ? (discrete ? discountedIncreaseDiscrete : discountedIncrease)(E, H, delta, EH) : EH;
  }
}

/** Distinct (x, T) pairs cached at most; beyond this the cache restarts (bounded memory). */
const MAX_CACHED_PAIRS = 500_000;

/**
 * CET = P(alive) · E[purchases | alive, x, T]: the second factor (and its discounted version) is computed
 * once per distinct (x, T) pair, looked up through a two-level map (x, then T).
 */
function scoreFactorised(
  p: FactorisedPurchasePredictor,
  data: ScoringData,
  H: number,
  delta: number,
  out: PurchaseScores,
) {
  const { x: xs, t_x: txs, T: Ts } = data;
  let byX = new Map<number, Map<number, number>>();
  let slots = 0;
  // Per cached pair: undiscounted and discounted expected purchases given alive.
  let plain: Float64Array<ArrayBuffer> = new Float64Array(1024);
  let discounted: Float64Array<ArrayBuffer> = new Float64Array(1024);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const T = Ts[i]!;
    let byT = byX.get(x);
    if (!byT) {
      byT = new Map();
      byX.set(x, byT);
    }
    let k = byT.get(T);
    if (k === undefined) {
      if (slots === MAX_CACHED_PAIRS) {
        byT = new Map();
        byX = new Map([[x, byT]]);
        slots = 0;
      }
      if (slots === plain.length) {
        plain = grow(plain);
        discounted = grow(discounted);
      }
      k = slots++;
      byT.set(T, k);
      const EH = p.expectedPurchasesIfAlive(H, x, T);
      plain[k] = EH;
      discounted[k] =
        delta > 0 ? discountedIncrease((t) => p.expectedPurchasesIfAlive(t, x, T), H, delta, EH) : EH;
    }
    const alive = p.pAlive(x, txs[i]!, T);
    out.pAlive[i] = alive;
    out.expectedPurchases[i] = alive * plain[k]!;
    out.discountedPurchases[i] = alive * discounted[k]!;
  }
}

function grow(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * One customer's CLV over the horizon: margin × expected spend × discounted expected purchases, with
 * the undiscounted figure beside it.
 * @example customerClv(bgnbdPredictor(p), 35, 2, 30.43, 38.86, { horizon: 52, discountRate: 0.1, timeUnit: "week" })
 */
export function customerClv(
  predictor: PurchasePredictor,
  spendPerTransaction: number,
  x: number,
  t_x: number,
  T: number,
  options: ClvOptions,
): { clv: number; clvUndiscounted: number; expectedPurchases: number; discountedPurchases: number } {
  const { horizon: H, delta, margin } = resolveClvOptions(options);
  const discrete = timingOf(predictor, options) === "discrete";
  if (discrete && !Number.isInteger(H)) throw horizonNotWhole(H);
  const EH = predictor.conditionalExpectedPurchases(H, x, t_x, T);
  const E = (t: number) => predictor.conditionalExpectedPurchases(t, x, t_x, T);
  const disc = (discrete ? discountedIncreaseDiscrete : discountedIncrease)(E, H, delta, EH);
  return {
    clv: margin * spendPerTransaction * disc,
    clvUndiscounted: margin * spendPerTransaction * EH,
    expectedPurchases: EH,
    discountedPurchases: disc,
  };
}
