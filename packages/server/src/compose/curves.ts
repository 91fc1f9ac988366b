import {
  type CohortForecastModel,
  modelCurves as curvesOf,
  type ModelDocument,
  type NewCustomerCurve,
  type SummaryColumns,
} from "@valuecast/core";
import { purchaseModel } from "./models.ts";

/**
 * The fitted model as the analytics want it (core's `modelCurves` with the document's purchase model):
 * cohort forecast cells and the new-customer curve. `index` maps normalised ids to rows.
 * @example cohortTable(histories, { forecast: modelCurves(doc, columns, index).forecast })
 */
export function modelCurves(
  doc: ModelDocument,
  columns: SummaryColumns,
  index: ReadonlyMap<string, number>,
): { forecast: CohortForecastModel; curve: NewCustomerCurve } {
  return curvesOf(doc, purchaseModel(doc.model), columns, index);
}
