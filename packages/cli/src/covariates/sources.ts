import { resolve } from "node:path";
import { type OptionValues, stringOption } from "../args.ts";
import type { LoadedCustomers } from "../sources.ts";
import type { CovariateSources } from "./customer-table.ts";
import { sourceHeader } from "./source-header.ts";

/**
 * Where a command reads covariates from: the source's transactions and header (delimited sources read
 * in memory, for derived and first-row columns) and the --covariates-file / --covariates-id options.
 * @example const sources = covariateSourcesOf(loaded, "orders.csv", args.values, ctx.io.cwd)
 */
export function covariateSourcesOf(
  loaded: LoadedCustomers,
  source: string,
  values: OptionValues,
  cwd: string,
): CovariateSources {
  const file = stringOption(values, "covariates-file");
  const idColumn = stringOption(values, "covariates-id");
  return {
    ...(loaded.transactions
      ? {
          transactions: loaded.transactions,
          header: sourceHeader(resolve(cwd, source), stringOption(values, "delimiter")),
        }
      : {}),
    ...(file ? { file: { path: resolve(cwd, file), shown: file, ...(idColumn ? { idColumn } : {}) } } : {}),
  };
}
