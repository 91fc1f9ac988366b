import { type Issue, issue } from "../../errors/issues.ts";
import type { ModelSpec } from "../../fit/spec.ts";
import { compressRfmData, rfmCount, subsampleRfmData, validateRfm } from "../rfm-data.ts";
import type { RfmData } from "../types.ts";
import { bgFamilyGradientRange, bgFamilyLogLikelihoodRange, type DropoutShift } from "./bg-likelihood.ts";

/**
 * validateRfm plus the beta-geometric family's own need: x counts purchases, so it is a whole number.
 * @example validateBgFamily(rfmData([1.5], [2], [3]), "bgnbd")[0].code // "BAD_SUMMARY_VALUE"
 */
export function validateBgFamily(data: RfmData, model: string): Issue[] {
  const issues = validateRfm(data, model);
  if (issues.length > 0) return issues;
  for (let i = 0; i < data.x.length; i++) {
    if (!Number.isInteger(data.x[i]!)) {
      issues.push(
        issue("BAD_SUMMARY_VALUE", `${model}: row ${i} has x = ${data.x[i]} (must be a whole number)`, {
          index: i,
        }),
      );
      if (issues.length >= 20) break;
    }
  }
  return issues;
}

/**
 * Start points: the mean purchase rate m = sum(x)/sum(T) fixes the scale of alpha (mean rate r/alpha),
 * and the shapes are spread over low/high heterogeneity and short/long lifetimes.
 * @example bgFamilyStarts(rfmData([2, 0], [10, 0], [20, 20]))[0] // [0.5, 10, 1, 2]
 */
export function bgFamilyStarts(data: RfmData): number[][] {
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight ? data.weight[i]! : 1;
    sx += w * data.x[i]!;
    sT += w * data.T[i]!;
  }
  const m = sx > 0 && sT > 0 ? sx / sT : 1;
  const alphaFor = (r: number) => Math.min(1e6, Math.max(1e-6, r / m));
  return [
    [0.5, alphaFor(0.5), 1, 2],
    [1, alphaFor(1), 1, 1],
    [0.25, alphaFor(0.25), 0.8, 2.5],
    [2, alphaFor(2), 0.5, 5],
    [1, 1, 1, 1],
  ];
}

/**
 * The ModelSpec shared by BG/NBD (shift 0) and MBG/NBD (shift 1).
 * @example fitModel(bgFamilySpec(0, "bgnbd", "FHL 2005 eq. 6"), data).params
 */
export function bgFamilySpec(shift: DropoutShift, name: string, reference: string): ModelSpec<RfmData> {
  const range = (p: Float64Array, d: RfmData, from: number, to: number, g?: Float64Array) =>
    bgFamilyLogLikelihoodRange(shift, p, d, from, to, g);
  return Object.freeze({
    name,
    reference,
    params: Object.freeze([
      { name: "r", transform: "log" },
      { name: "alpha", transform: "log" },
      { name: "a", transform: "log" },
      { name: "b", transform: "log" },
    ] as const),
    validate: (d: RfmData) => validateBgFamily(d, name),
    count: rfmCount,
    rows: (d: RfmData) => d.x.length,
    starts: bgFamilyStarts,
    logLikelihood: (p: Float64Array, d: RfmData, g?: Float64Array) => range(p, d, 0, d.x.length, g),
    logLikelihoodRange: range,
    gradient: (p: Float64Array, d: RfmData, g: Float64Array) =>
      bgFamilyGradientRange(shift, p, d, 0, d.x.length, g),
    compress: compressRfmData,
    subsample: subsampleRfmData,
  });
}
