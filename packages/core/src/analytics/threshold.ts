/**
 * Expected confusion counts for a cut-off on a probability score (P(alive), churn probability
 * 1 - P(alive), P(purchase)...). Each customer's score is the model's probability that the event is
 * true for them, so a customer flagged (score >= cut) is an expected hit with probability p and an
 * expected false alarm with probability 1 - p:
 *   expected true positives  = sum of p over flagged customers,
 *   expected false positives = sum of (1 - p) over flagged,
 *   expected false negatives = sum of p over unflagged,
 *   expected true negatives  = sum of (1 - p) over unflagged.
 * These are expectations under the model, as churn tools show when a marketer moves a cut-off.
 */
export interface ExpectedConfusion {
  readonly cut: number;
  readonly flagged: number;
  readonly expectedTruePositives: number;
  readonly expectedFalsePositives: number;
  readonly expectedFalseNegatives: number;
  readonly expectedTrueNegatives: number;
  /** Expected TP / flagged; null when nobody is flagged. */
  readonly expectedPrecision: number | null;
  /** Expected TP / expected events; null when no event is expected. */
  readonly expectedRecall: number | null;
}

function clamp01(p: number): number {
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
}

function confusion(
  cut: number,
  flagged: number,
  sumFlagged: number,
  sumAll: number,
  n: number,
): ExpectedConfusion {
  const tp = sumFlagged;
  const fp = flagged - sumFlagged;
  const fn = sumAll - sumFlagged;
  const tn = n - flagged - fn;
  // guard rounding: sums of probabilities may dip a hair below zero
  const nz = (v: number): number => (v < 0 && v > -1e-9 * (n + 1) ? 0 : v);
  return {
    cut,
    flagged,
    expectedTruePositives: nz(tp),
    expectedFalsePositives: nz(fp),
    expectedFalseNegatives: nz(fn),
    expectedTrueNegatives: nz(tn),
    expectedPrecision: flagged > 0 ? tp / flagged : null,
    expectedRecall: sumAll > 0 ? tp / sumAll : null,
  };
}

/**
 * Expected hits and misses when customers with score >= cut are flagged (see `ExpectedConfusion`).
 * Scores are probabilities; non-finite ones count as 0, others are clamped to [0, 1].
 * @example expectedConfusion([0.9, 0.6, 0.1], 0.5).expectedTruePositives // 1.5
 */
export function expectedConfusion(scores: ArrayLike<number>, cut: number): ExpectedConfusion {
  let flagged = 0;
  let sumFlagged = 0;
  let sumAll = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = clamp01(scores[i] as number);
    sumAll += p;
    if (p >= cut) {
      flagged++;
      sumFlagged += p;
    }
  }
  return confusion(cut, flagged, sumFlagged, sumAll, scores.length);
}

/** One bin of a score histogram on [0, 1]: [from, to) (the last bin includes 1). */
export interface ScoreBin {
  readonly from: number;
  readonly to: number;
  readonly customers: number;
  /** Sum of the scores in the bin (the expected number of events among its customers). */
  readonly sumScore: number;
}

/** A histogram for the dashboard's slider, with the exact expected confusion at every bin edge. */
export interface ScoreHistogram {
  readonly bins: readonly ScoreBin[];
  readonly customers: number;
  readonly meanScore: number | null;
  /** Expected confusion for cut = each bin's lower edge (`bins[k].from`), exact, plus cut = 1 at the end. */
  readonly atEdges: readonly ExpectedConfusion[];
}

/**
 * Histogram of a probability score with `binCount` equal bins on [0, 1] (default 20) and the expected
 * confusion counts at every bin edge, so a slider stepping over the edges needs no further data.
 * Edge cut-offs are exact because every score in a bin is on the same side of each edge.
 * @example scoreHistogram([0.05, 0.5, 0.95], 10).atEdges[5]?.flagged // 2
 */
export function scoreHistogram(scores: ArrayLike<number>, binCount = 20): ScoreHistogram {
  const k = Math.max(1, Math.floor(binCount));
  const counts = new Float64Array(k);
  const sums = new Float64Array(k);
  // separate count of scores exactly 1, so a cut at 1 is exact too
  let ones = 0;
  let sumAll = 0;
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    const p = clamp01(scores[i] as number);
    sumAll += p;
    if (p >= 1) ones++;
    // index from the edge values so a score equal to an edge lands in the bin starting there
    let b = Math.min(k - 1, Math.floor(p * k));
    if (b + 1 < k && p >= (b + 1) / k) b++;
    else if (b > 0 && p < b / k) b--;
    counts[b] = (counts[b] as number) + 1;
    sums[b] = (sums[b] as number) + p;
  }
  const bins: ScoreBin[] = [];
  for (let b = 0; b < k; b++)
    bins.push({ from: b / k, to: (b + 1) / k, customers: counts[b] as number, sumScore: sums[b] as number });
  const atEdges: ExpectedConfusion[] = new Array(k + 1);
  let flagged = 0;
  let sumFlagged = 0;
  atEdges[k] = confusion(1, ones, ones, sumAll, n);
  for (let b = k - 1; b >= 0; b--) {
    flagged += counts[b] as number;
    sumFlagged += sums[b] as number;
    atEdges[b] = confusion(b / k, flagged, sumFlagged, sumAll, n);
  }
  return { bins, customers: n, meanScore: n > 0 ? sumAll / n : null, atEdges };
}
