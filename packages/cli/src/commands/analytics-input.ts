import {
  type CohortForecastModel,
  cohortForecastFromCustomers,
  DAYS_PER_UNIT,
  issue,
  type NewCustomerCurve,
  normalizeCustomerId,
  type Transaction,
  ValuecastError,
} from "@valuecast/core";
import type { CommandContext } from "../command.ts";
import type { CustomerColumns } from "../customers.ts";
import type { ModelDocument } from "../model-doc.ts";
import { gammaGammaPredictor, purchaseModel } from "../models.ts";
import type { LoadedCustomers } from "../sources.ts";

/**
 * The transactions of a source, or a clear issue when the source held summaries only.
 * @example customerHistories(transactionsOf(loaded, "cohorts"))
 */
export function transactionsOf(loaded: LoadedCustomers, command: string): readonly Transaction[] {
  if (!loaded.transactions) {
    throw new ValuecastError([
      issue("INVALID_DATA", `${command} needs a transaction source (orders by date), not a summary file`),
    ]);
  }
  return loaded.transactions;
}

/**
 * The fitted model as the analytics want it: per-customer conditional expected purchases t days after
 * the end of calibration and expected spend (cohort forecast cells), and the new-customer curve (payback).
 * @example cohortTable(histories, { forecast: modelCurves(ctx, doc, columns).forecast })
 */
export function modelCurves(
  _ctx: CommandContext,
  doc: ModelDocument,
  columns: CustomerColumns,
): { forecast: CohortForecastModel; curve: NewCustomerCurve } {
  const predictor = purchaseModel(doc.model).predictor(doc.params);
  const spend = doc.spend ? gammaGammaPredictor(doc.spend.params) : null;
  const unit = doc.timeUnit ?? columns.timeUnit;
  const days = DAYS_PER_UNIT[unit];
  const index = new Map<string, number>();
  columns.ids.forEach((id, i) => {
    index.set(id, i);
  });
  // Histories keep the ids as written ("17850.0"); summaries normalise them ("17850").
  const at = (id: string) => index.get(id) ?? index.get(normalizeCustomerId(id) ?? id);
  let meanSpend = spend?.populationMeanSpend ?? 0;
  if (!spend && columns.monetary) {
    let s = 0;
    let n = 0;
    for (let i = 0; i < columns.x.length; i++)
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
      const m = columns.monetary?.[i] ?? 0;
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
