import type { RfmData } from "../types.ts";

/**
 * The distinct (x, t_x) and (x, T) pairs of a block of rows, with each row's pair numbers. The Pareto/NBD
 * likelihood's expensive part, the tail integral J, depends on a row only through (x, t_x) and (x, T);
 * customers summarised on a daily grid share these pairs far more than they share whole (x, t_x, T)
 * rows (every x = 0 customer has the same (0, 0) pair), so J is evaluated once per pair and the row loop
 * only combines table entries.
 * @example pairIndex(rfmData([0, 0], [0, 0], [39, 30]), 0, 2).bigTU // Float64Array [39, 30]
 */
export interface PairIndex {
  readonly from: number;
  readonly to: number;
  /** Distinct x values. */
  readonly xs: Float64Array;
  /** (x index, t_x) per distinct pair. */
  readonly txX: Int32Array;
  readonly txU: Float64Array;
  /** (x index, T) per distinct pair. */
  readonly bigTX: Int32Array;
  readonly bigTU: Float64Array;
  /** Per row (offset by `from`): its (x, t_x) and (x, T) pair numbers. */
  readonly rowTx: Int32Array;
  readonly rowBigT: Int32Array;
}

const cache = new WeakMap<RfmData, Map<string, PairIndex>>();

/**
 * The pair index of rows [from, to), built once per data object and range and then reused by every
 * likelihood evaluation (the fit evaluates the same data dozens of times). The data are treated as
 * immutable, as everywhere in valuecast: mutate the arrays in place after a fit and this cache is stale.
 * @example const idx = pairIndex(rfmData([0, 2, 2], [0, 5, 5], [9, 9, 10]), 0, 3); // idx.txU.length === 2
 */
export function pairIndex(data: RfmData, from: number, to: number): PairIndex {
  let byRange = cache.get(data);
  if (!byRange) {
    byRange = new Map();
    cache.set(data, byRange);
  }
  const key = `${from}:${to}`;
  const hit = byRange.get(key);
  if (hit) return hit;
  const built = build(data, from, to);
  byRange.set(key, built);
  return built;
}

function build(data: RfmData, from: number, to: number): PairIndex {
  const xIndex = new Map<number, number>();
  const txMaps: Map<number, number>[] = [];
  const bigTMaps: Map<number, number>[] = [];
  const xs: number[] = [];
  const txX: number[] = [];
  const txU: number[] = [];
  const bigTX: number[] = [];
  const bigTU: number[] = [];
  const rowTx = new Int32Array(to - from);
  const rowBigT = new Int32Array(to - from);
  for (let i = from; i < to; i++) {
    const x = data.x[i]!;
    let xi = xIndex.get(x);
    if (xi === undefined) {
      xi = xs.length;
      xIndex.set(x, xi);
      xs.push(x);
      txMaps.push(new Map());
      bigTMaps.push(new Map());
    }
    const tx = data.t_x[i]!;
    const txMap = txMaps[xi]!;
    let p = txMap.get(tx);
    if (p === undefined) {
      p = txU.length;
      txMap.set(tx, p);
      txX.push(xi);
      txU.push(tx);
    }
    rowTx[i - from] = p;
    const T = data.T[i]!;
    const bigTMap = bigTMaps[xi]!;
    let q = bigTMap.get(T);
    if (q === undefined) {
      q = bigTU.length;
      bigTMap.set(T, q);
      bigTX.push(xi);
      bigTU.push(T);
    }
    rowBigT[i - from] = q;
  }
  return {
    from,
    to,
    xs: Float64Array.from(xs),
    txX: Int32Array.from(txX),
    txU: Float64Array.from(txU),
    bigTX: Int32Array.from(bigTX),
    bigTU: Float64Array.from(bigTU),
    rowTx,
    rowBigT,
  };
}
