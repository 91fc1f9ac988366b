import { type CohortForecastModel, cohortForecastFromCustomers } from "../analytics/cohorts.ts";
import type { NewCustomerCurve } from "../analytics/ltv-curve.ts";
import { gammaGammaPredictor } from "../models/gamma-gamma/model.ts";
import type { PurchaseModel } from "../models/purchase-model.ts";
import { normalizeCustomerId } from "../summary/days.ts";
import { DAYS_PER_UNIT } from "../time.ts";
import type { ModelDocument } from "./model-document.ts";
import type { ScoringColumns } from "./scoring.ts";

/**
 * Mean repeat-order value of the repeat buyers with a positive mean spend (0 when there are none): the
 * spend per order assumed for customers without their own, when no spend model was fitted.
 * @example meanRepeatSpend(Float64Array.of(0, 2, 1), Float64Array.of(0, 10, 30)) // 20
 */
export function meanRepeatSpend(x: Float64Array, monetary: Float64Array | null): number {
  if (!monetary) return 0;
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++)
    if (x[i]! > 0 && monetary[i]! > 0) {
      s += monetary[i]!;
      n++;
    }
  return n > 0 ? s / n : 0;
}

/**
 * The fitted model as the analytics want it: per-customer conditional expected purchases t days after the
 * calibration end and expected spend (cohort forecast cells), and the new-customer curve (payback, planned
 * cohorts). `index` maps customer ids to rows; ids as transactions write them ("17850.0") are also tried
 * normalised ("17850"), as the summaries keep them. Expected spend is Gamma-Gamma's conditional mean when a
 * spend model was fitted, else the customer's own mean, else the population's mean repeat spend.
 * @example cohortTable(histories, { forecast: modelCurves(doc, bgnbdModel, columns, index).forecast })
 */
export function modelCurves(
  doc: ModelDocument,
  model: PurchaseModel,
  columns: ScoringColumns,
  index: ReadonlyMap<string, number>,
): { forecast: CohortForecastModel; curve: NewCustomerCurve } {
  const predictor = model.predictor(doc.params);
  const spend = doc.spend ? gammaGammaPredictor(doc.spend.params) : null;
  const unit = doc.timeUnit ?? columns.timeUnit;
  const days = DAYS_PER_UNIT[unit];
  const at = (id: string) => index.get(id) ?? index.get(normalizeCustomerId(id) ?? id);
  const meanSpend = spend?.populationMeanSpend ?? meanRepeatSpend(columns.x, columns.monetary);
  const forecast = cohortForecastFromCustomers({
    conditionalExpectedPurchases(id, tDays) {
      const i = at(id);
      if (i === undefined || tDays <= 0) return 0;
      return predictor.conditionalExpectedPurchases(
        tDays / days,
        columns.x[i]!,
        columns.t_x[i]!,
        columns.T[i]!,
      );
    },
    expectedSpend(id) {
      const i = at(id);
      if (i === undefined) return meanSpend;
      const m = columns.monetary?.[i] ?? 0;
      if (spend) return spend.conditionalExpectedSpend(columns.x[i]!, m);
      return columns.x[i]! > 0 && m > 0 ? m : meanSpend;
    },
  });
  const curve: NewCustomerCurve = {
    timeUnit: unit,
    expectedRepeatPurchases: (t) => predictor.expectedPurchases(t),
    spendPerOrder: meanSpend,
  };
  return { forecast, curve };
}
