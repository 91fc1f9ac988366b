import { issue, ValuecastError } from "../../errors/issues.ts";
import type { ModelSpec } from "../../fit/spec.ts";
import type { SpendData } from "../types.ts";
import { gammaGammaLogLikelihoodRange } from "./gg-likelihood.ts";
import { compressSpendData, spendCount, subsampleSpendData, validateSpend } from "./spend-data.ts";

/** Weighted mean of zbar: the scale the start points are built on. */
function meanSpend(data: SpendData): number {
  let s = 0;
  let w = 0;
  for (let i = 0; i < data.x.length; i++) {
    const wi = data.weight ? data.weight[i]! : 1;
    s += wi * data.zbar[i]!;
    w += wi;
  }
  return w > 0 && s > 0 ? s / w : 1;
}

/**
 * The Gamma-Gamma spend model as a spec for `fitModel`: parameters p, q, gamma (all log-transformed).
 * p is the shape of each transaction's Gamma(p, nu) value; nu varies across customers as Gamma(q, gamma),
 * so a customer's mean transaction value is p/nu and the population mean is p gamma/(q - 1).
 * @example
 * const { data } = spendData(x, zbar);
 * fitModel(gammaGammaSpec, data).params; // { p: 6.25, q: 3.74, gamma: 15.44 } on CDNOW
 */
export const gammaGammaSpec: ModelSpec<SpendData> = Object.freeze({
  name: "gamma-gamma",
  reference:
    'Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves", JMR 42(4); Fader & Hardie, "The Gamma-Gamma Model of Monetary Value", eq. 3',
  params: Object.freeze([
    { name: "p", transform: "log" },
    { name: "q", transform: "log" },
    { name: "gamma", transform: "log" },
  ] as const),
  validate: (d: SpendData) => validateSpend(d, "gamma-gamma"),
  count: spendCount,
  rows: (d: SpendData) => d.x.length,
  // The population mean p gamma/(q-1) should be near the observed mean spend m at every start.
  starts: (d: SpendData) => {
    const m = meanSpend(d);
    return [
      [1, 2, m],
      [5, 4, (3 * m) / 5],
      [0.5, 3, 4 * m],
      [1, 1, 1],
    ];
  },
  logLikelihood: (p: Float64Array, d: SpendData, g?: Float64Array) =>
    gammaGammaLogLikelihoodRange(p, d, 0, d.x.length, g),
  logLikelihoodRange: gammaGammaLogLikelihoodRange,
  compress: compressSpendData,
  subsample: subsampleSpendData,
});

/**
 * Expected spend per transaction, the input CLV multiplies by expected purchases.
 * @example const spend: SpendPredictor = gammaGammaPredictor(fit.params); spend.conditionalExpectedSpend(2, 22.35)
 */
export interface SpendPredictor {
  readonly model: string;
  readonly params: Readonly<Record<string, number>>;
  /**
   * Expected value of a customer's future transactions given x repeat purchases with mean value zbar
   * (the population mean for x = 0, and for zbar <= 0, which the fit never accepts).
   */
  conditionalExpectedSpend(x: number, zbar: number): number;
  /** Population mean transaction value p gamma / (q - 1) (a new customer's expected spend). */
  readonly populationMeanSpend: number;
}

/**
 * Gamma-Gamma predictions for fitted (p, q, gamma). The conditional expected average transaction value
 * (Fader, Hardie & Lee 2005 JMR eq. 5; Fader & Hardie note eq. 5) is
 *
 *   E[M | p, q, gamma, x, zbar] = p (gamma + x zbar) / (p x + q - 1)
 *     = (q-1)/(px+q-1) · p gamma/(q-1) + px/(px+q-1) · zbar,
 *
 * a weighted average of the population mean and the customer's own mean. It needs q > 1 (otherwise the
 * population mean is infinite), so q <= 1 is rejected with INVALID_PARAMETER.
 * @example gammaGammaPredictor({ p: 6.25, q: 3.74, gamma: 15.44 }).conditionalExpectedSpend(2, 22.35)
 */
export function gammaGammaPredictor(params: Readonly<Record<string, number>>): SpendPredictor {
  const bad = ["p", "q", "gamma"].filter((k) => !(Number.isFinite(params[k]) && params[k]! > 0));
  if (bad.length > 0) {
    throw new ValuecastError(
      bad.map((k) =>
        issue("INVALID_PARAMETER", `gamma-gamma: ${k} must be a positive finite number`, { field: k }),
      ),
    );
  }
  const p = params.p!;
  const q = params.q!;
  const gamma = params.gamma!;
  if (!(q > 1)) {
    throw new ValuecastError([
      issue(
        "INVALID_PARAMETER",
        `gamma-gamma: q = ${q} <= 1 makes the expected spend infinite (the population mean is p gamma/(q - 1))`,
        { field: "q" },
      ),
    ]);
  }
  return Object.freeze({
    model: "gamma-gamma",
    params: Object.freeze({ p, q, gamma }),
    populationMeanSpend: (p * gamma) / (q - 1),
    conditionalExpectedSpend(x: number, zbar: number): number {
      // Customers without repeat purchases (or with no usable mean) get the population mean.
      if (!(x > 0) || !(zbar > 0)) return (p * gamma) / (q - 1);
      return (p * (gamma + x * zbar)) / (p * x + q - 1);
    },
  });
}
