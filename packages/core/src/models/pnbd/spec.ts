import type { ModelSpec } from "../../fit/spec.ts";
import { compressRfmData, rfmCount, subsampleRfmData, validateRfm } from "../rfm-data.ts";
import type { RfmData } from "../types.ts";
import { pnbdLogLikelihood } from "./likelihood.ts";

/**
 * Parameter order everywhere in the Pareto/NBD code: purchase rate Gamma(r, alpha), dropout rate Gamma(s, beta).
 * @example PNBD_PARAM_NAMES.indexOf("s") // 2
 */
export const PNBD_PARAM_NAMES = Object.freeze(["r", "alpha", "s", "beta"] as const);

/**
 * Start points. The mean purchase rate m = Σx / ΣT fixes the scale of alpha (E[λ] = r/alpha); the
 * dropout scale beta is put at the mean observation length (a typical customer neither certainly
 * gone nor certainly alive), then the classic (1, 1, 1, 1) of BTYD as a last resort.
 * @example pnbdStarts(rfmData([0, 2], [0, 30], [39, 39]))[0] // [1, 39, 1, 39]
 */
export function pnbdStarts(data: RfmData): number[][] {
  let sx = 0;
  let sT = 0;
  let sw = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight ? data.weight[i]! : 1;
    sx += w * data.x[i]!;
    sT += w * data.T[i]!;
    sw += w;
  }
  const m = sx > 0 && sT > 0 ? sx / sT : 1;
  const clamp = (v: number) => Math.min(1e6, Math.max(1e-6, v));
  const meanT = sw > 0 && sT > 0 ? sT / sw : 1;
  return [
    [1, clamp(1 / m), 1, clamp(meanT)],
    [0.5, clamp(0.5 / m), 0.5, clamp(meanT / 4)],
    [1, 1, 1, 1],
  ];
}

/**
 * The Pareto/NBD spec for `fitModel`: parameters r, alpha, s, beta (all log-transformed), the
 * likelihood of Fader & Hardie (2005) eq. 22 with its analytic gradient.
 * @example
 * const fit = fitModel(pnbdSpec, rfmData(x, t_x, T), { timeUnit: "week" });
 * fit.params.r; // 0.5533 on CDNOW
 */
export const pnbdSpec: ModelSpec<RfmData> = Object.freeze({
  name: "pnbd",
  reference:
    'Schmittlein, Morrison & Colombo (1987), Management Science 33(1); Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions", eq. 22',
  params: Object.freeze(PNBD_PARAM_NAMES.map((name) => ({ name, transform: "log" as const }))),
  validate: (d: RfmData) => validateRfm(d, "pnbd"),
  count: rfmCount,
  rows: (d: RfmData) => d.x.length,
  starts: pnbdStarts,
  logLikelihood: (p: Float64Array, d: RfmData, g?: Float64Array) => pnbdLogLikelihood(p, d, g),
  logLikelihoodRange: (p: Float64Array, d: RfmData, from: number, to: number, g?: Float64Array) =>
    pnbdLogLikelihood(p, d, g, from, to),
  compress: compressRfmData,
  subsample: subsampleRfmData,
});
