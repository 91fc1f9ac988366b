import { fitModel } from "../fit/fit.ts";
import type { FitResult } from "../fit/result.ts";
import { gammaGammaSpec } from "../models/gamma-gamma/model.ts";
import { spendData } from "../models/gamma-gamma/spend-data.ts";
import type { PurchaseModel } from "../models/purchase-model.ts";
import type { RfmData } from "../models/types.ts";
import type { TimeUnit } from "../time.ts";
import { type ModelDocument, modelDocument } from "./model-document.ts";

/**
 * The (x, t_x, T) rows to fit: customers first seen on the last day (T = 0) carry no information about
 * purchase or dropout rates and are left out (they are still scored).
 * @example observedRfm({ x, t_x, T }).leftOut
 */
export function observedRfm(c: {
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
}): { rfm: RfmData; leftOut: number } {
  let zero = 0;
  for (let i = 0; i < c.T.length; i++) if (c.T[i] === 0) zero++;
  if (zero === 0) return { rfm: { x: c.x, t_x: c.t_x, T: c.T }, leftOut: 0 };
  const keep = (a: Float64Array) => a.filter((_, i) => c.T[i] !== 0);
  return { rfm: { x: keep(c.x), t_x: keep(c.t_x), T: keep(c.T) }, leftOut: zero };
}

/** What `fitCustomers` needs: (x, t_x, T) in `timeUnit` and the mean repeat spend when known. */
export interface FitColumns {
  readonly timeUnit: TimeUnit;
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  readonly monetary: Float64Array | null;
}

/**
 * Fits a purchase model on the observed rows (see `observedRfm`) and, when asked and the mean spends are
 * known, Gamma-Gamma on repeat buyers' mean spend (Fader, Hardie & Lee 2005, "RFM and CLV"); repeat buyers
 * with mean spend <= 0 are left out. Every left-out customer is counted in `notes`.
 * @example fitCustomers(columns, bgnbdModel, true).doc.spend?.params.p
 */
export function fitCustomers(
  columns: FitColumns,
  model: PurchaseModel,
  withSpend: boolean,
): { fit: FitResult; spend: FitResult | null; doc: ModelDocument; notes: string[] } {
  const notes: string[] = [];
  const { rfm, leftOut } = observedRfm(columns);
  if (leftOut > 0)
    notes.push(`left out ${leftOut} customer(s) first seen on the last day (T = 0) from the fit`);
  const fit = fitModel(model.spec, rfm, { timeUnit: columns.timeUnit });
  let spend: FitResult | null = null;
  if (withSpend && columns.monetary) {
    const { data, dropped } = spendData(columns.x, columns.monetary, undefined, { nonPositiveSpend: "drop" });
    if (dropped > 0) notes.push(`gamma-gamma: left out ${dropped} repeat buyer(s) whose mean spend is <= 0`);
    spend = fitModel(gammaGammaSpec, data);
  }
  return { fit, spend, doc: modelDocument(fit, spend, columns.timeUnit), notes };
}
