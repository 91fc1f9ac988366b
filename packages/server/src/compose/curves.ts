import {
  type CohortForecastModel,
  cohortForecastFromCustomers,
  DAYS_PER_UNIT,
  gammaGammaPredictor,
  type NewCustomerCurve,
  normalizeCustomerId,
  type SummaryColumns,
} from "@valuecast/core";
import { type ModelDocument, purchaseModel } from "./models.ts";

/**
 * The fitted model as the analytics want it (the CLI's `modelCurves`, same definitions): per-customer
 * conditional expected purchases t days after the calibration end and expected spend (cohort forecast
 * cells), and the new-customer curve (payback, planned cohorts). `index` maps normalised ids to rows.
 * @example cohortTable(histories, { forecast: modelCurves(doc, columns, index).forecast })
 */
export function modelCurves(
  doc: ModelDocument,
  columns: SummaryColumns,
  index: ReadonlyMap<string, number>,
): { forecast: CohortForecastModel; curve: NewCustomerCurve } {
  const predictor = purchaseModel(doc.model).predictor(doc.params);
  const spend = doc.spend ? gammaGammaPredictor(doc.spend.params) : null;
  const unit = doc.timeUnit ?? columns.timeUnit;
  const days = DAYS_PER_UNIT[unit];
  // Histories keep ids as written ("17850.0"); summaries normalise them ("17850").
  const at = (id: string) => index.get(id) ?? index.get(normalizeCustomerId(id) ?? id);
  let meanSpend = spend?.populationMeanSpend ?? 0;
  if (!spend) {
    let s = 0;
    let n = 0;
    for (let i = 0; i < columns.length; i++)
      if (columns.x[i]! > 0 && columns.monetary[i]! > 0) {
        s += columns.monetary[i]!;
        n++;
      }
    meanSpend = n > 0 ? s / n : 0;
  }
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
      const m = columns.monetary[i] ?? 0;
      return spend
        ? spend.conditionalExpectedSpend(columns.x[i]!, m)
        : columns.x[i]! > 0 && m > 0
          ? m
          : meanSpend;
    },
  });
  const curve: NewCustomerCurve = {
    timeUnit: unit,
    expectedRepeatPurchases: (t) => predictor.expectedPurchases(t),
    spendPerOrder: meanSpend,
  };
  return { forecast, curve };
}
