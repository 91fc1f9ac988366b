import { isFactorised } from "../clv/factorised.ts";
import type { PurchasePredictor } from "../models/purchase-model.ts";
import type { RfmData } from "../models/types.ts";

/**
 * The customers of an RFM table grouped by distinct (x, T) pair and by distinct (x, t_x, T) row, once per
 * table: what `cetGrid` needs to evaluate a factorised model per group instead of per customer. Real and
 * simulated bases have far fewer groups than customers (a million simulated customers over whole days:
 * about 11 thousand pairs and 310 thousand rows).
 * @example const layout = cetLayout(rfm); layout.pairs // distinct (x, T) pairs
 */
export interface CetLayout {
  readonly data: RfmData;
  /** Distinct (x, T) pairs; pair p is (pairX[p], pairT[p]). */
  readonly pairs: number;
  readonly pairX: Float64Array;
  readonly pairT: Float64Array;
  /** Customer i's pair. */
  readonly pairOf: Int32Array;
  /** Distinct (x, t_x, T) rows; row r is customer rowFirst[r]'s (x, t_x, T). */
  readonly rows: number;
  readonly rowFirst: Int32Array;
  /** Customer i's row. */
  readonly rowOf: Int32Array;
}

/**
 * Groups customers by (x, T) and by (x, t_x, T) (exact number equality, first-seen order).
 * @example cetLayout({ x: new Float64Array([1, 1]), t_x: new Float64Array([2, 3]), T: new Float64Array([5, 5]) }).pairs // 1
 */
export function cetLayout(data: RfmData): CetLayout {
  const n = data.x.length;
  const { x: xs, t_x: txs, T: Ts } = data;
  const pairOf = new Int32Array(n);
  const rowOf = new Int32Array(n);
  const pairX: number[] = [];
  const pairT: number[] = [];
  const rowFirst: number[] = [];
  const byX = new Map<number, Map<number, number>>();
  // per pair: t_x -> row
  const rowsOfPair: Map<number, number>[] = [];
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const T = Ts[i]!;
    let byT = byX.get(x);
    if (!byT) {
      byT = new Map();
      byX.set(x, byT);
    }
    let p = byT.get(T);
    if (p === undefined) {
      p = pairX.length;
      byT.set(T, p);
      pairX.push(x);
      pairT.push(T);
      rowsOfPair.push(new Map());
    }
    pairOf[i] = p;
    const byTx = rowsOfPair[p]!;
    const tx = txs[i]!;
    let r = byTx.get(tx);
    if (r === undefined) {
      r = rowFirst.length;
      byTx.set(tx, r);
      rowFirst.push(i);
    }
    rowOf[i] = r;
  }
  return {
    data,
    pairs: pairX.length,
    pairX: Float64Array.from(pairX),
    pairT: Float64Array.from(pairT),
    pairOf,
    rows: rowFirst.length,
    rowFirst: Int32Array.from(rowFirst),
    rowOf,
  };
}

/**
 * Conditional expected purchases CET(t | x, t_x, T) of every customer at a few shared horizons t, for
 * one predictor. For a factorised predictor (BG/NBD, MBG/NBD, Pareto/NBD: CET = P(alive) ·
 * E[purchases | alive, x, T]) P(alive) is evaluated once per distinct (x, t_x, T) row and the second
 * factor once per distinct (x, T) pair and horizon, then multiplied per customer exactly as the
 * predictor does, so every value equals `conditionalExpectedPurchases` to the last bit. Other predictors
 * are asked customer by customer.
 * @example const g = cetGrid(bgnbdModel.predictor(fit.params), cetLayout(rfm)); g.cet(0, 52)
 */
export interface CetGrid {
  /** CET(t) of customer i (0 for t <= 0). */
  cet(i: number, t: number): number;
  /**
   * The per-pair factor at horizon t (length = pairs; multiply by `pAlive[i]` for customer i with pair
   * `pairOf[i]`), or null for a non-factorised predictor. Computed on first use, then kept.
   */
  ifAlive(t: number): Float64Array | null;
  /** P(alive) of every customer (per distinct row for a factorised predictor). */
  readonly pAlive: Float64Array;
  readonly layout: CetLayout;
}

/**
 * The `CetGrid` of a predictor over a layout. With `reuse`, P(alive) is written into that buffer (the
 * previous grid built on it is then stale).
 * @example cetGrid(predictor, cetLayout(rfm)).cet(3, 4.345) // == predictor.conditionalExpectedPurchases(4.345, x[3], t_x[3], T[3])
 */
export function cetGrid(p: PurchasePredictor, layout: CetLayout, reuse?: Float64Array): CetGrid {
  const { x: xs, t_x: txs, T: Ts } = layout.data;
  const n = xs.length;
  // `reuse`: a buffer of one P(alive) per customer to overwrite (one grid per parameter draw, one buffer)
  const pAlive = reuse && reuse.length === n ? reuse : new Float64Array(n);
  if (!isFactorised(p)) {
    for (let i = 0; i < n; i++) pAlive[i] = p.pAlive(xs[i]!, txs[i]!, Ts[i]!);
    return {
      cet: (i, t) => p.conditionalExpectedPurchases(t, xs[i]!, txs[i]!, Ts[i]!),
      ifAlive: () => null,
      pAlive,
      layout,
    };
  }
  const rowAlive = new Float64Array(layout.rows);
  for (let r = 0; r < layout.rows; r++) {
    const i = layout.rowFirst[r]!;
    rowAlive[r] = p.pAlive(xs[i]!, txs[i]!, Ts[i]!);
  }
  for (let i = 0; i < n; i++) pAlive[i] = rowAlive[layout.rowOf[i]!]!;
  const columns = new Map<number, Float64Array>();
  const ifAlive = (t: number): Float64Array => {
    let c = columns.get(t);
    if (!c) {
      c = new Float64Array(layout.pairs);
      for (let k = 0; k < layout.pairs; k++)
        c[k] = p.expectedPurchasesIfAlive(t, layout.pairX[k]!, layout.pairT[k]!);
      columns.set(t, c);
    }
    return c;
  };
  const pairOf = layout.pairOf;
  return {
    // the predictor's own product, P(alive) times the factor, and 0 for t <= 0 as the predictors return
    cet: (i, t) => (t > 0 ? pAlive[i]! * ifAlive(t)[pairOf[i]!]! : 0),
    ifAlive,
    pAlive,
    layout,
  };
}
