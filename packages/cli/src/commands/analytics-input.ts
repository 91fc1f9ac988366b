import {
  type CohortForecastModel,
  modelCurves as curvesOf,
  issue,
  type ModelDocument,
  type NewCustomerCurve,
  type Transaction,
  ValuecastError,
} from "@valuecast/core";
import type { CommandContext } from "../command.ts";
import type { CustomerColumns } from "../customers.ts";
import { purchaseModel } from "../models.ts";
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
 * The fitted model as the analytics want it (core's `modelCurves`): per-customer conditional expected
 * purchases t days after the end of calibration and expected spend (cohort forecast cells), and the
 * new-customer curve (payback).
 * @example cohortTable(histories, { forecast: modelCurves(ctx, doc, columns).forecast })
 */
export function modelCurves(
  _ctx: CommandContext,
  doc: ModelDocument,
  columns: CustomerColumns,
): { forecast: CohortForecastModel; curve: NewCustomerCurve } {
  const index = new Map<string, number>();
  columns.ids.forEach((id, i) => {
    index.set(id, i);
  });
  return curvesOf(doc, purchaseModel(doc.model), columns, index);
}
