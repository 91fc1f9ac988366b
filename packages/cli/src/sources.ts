import { resolve } from "node:path";
import { issue, parseTimeUnit, type TimeUnit, ValuecastError } from "@valuecast/core";
import type { OptionValues } from "./args.ts";
import { stringOption } from "./args.ts";
import type { CommandContext } from "./command.ts";
import { type CustomerColumns, columnsFromSummaryTable } from "./customers.ts";
import { readNumericTable } from "./summary-file.ts";

/** The time unit the user asked for (default week, the unit of the CDNOW references). */
export function timeUnitOption(values: OptionValues): TimeUnit {
  return parseTimeUnit(stringOption(values, "time-unit") ?? "week") ?? "week";
}

/** True when the user said the source already holds per-customer summaries. */
export function isSummaryInput(values: OptionValues): boolean {
  return stringOption(values, "input") === "summary";
}

/** Per-customer summaries plus what the ingest reported. */
export interface LoadedCustomers {
  readonly columns: CustomerColumns;
  /** Lines for people: column mapping chosen, rows read/used/rejected. */
  readonly notes: readonly string[];
  /** The ingest report for --json output (engine-specific fields), or null for summary files. */
  readonly report: unknown;
}

/**
 * Loads per-customer summaries from `<source>`: a summary file with `--input summary`, otherwise a
 * transaction source summarised by an engine.
 */
export async function loadCustomers(
  source: string,
  values: OptionValues,
  ctx: CommandContext,
): Promise<LoadedCustomers> {
  const timeUnit = timeUnitOption(values);
  if (isSummaryInput(values)) {
    const table = readNumericTable(resolve(ctx.io.cwd, source), source);
    const columns = columnsFromSummaryTable(table, timeUnit);
    return {
      columns,
      notes: [`read ${table.rows} customer summaries from ${source} (times in ${timeUnit}s)`],
      report: null,
    };
  }
  throw new ValuecastError([
    issue(
      "UNSUPPORTED_FORMAT",
      `reading transactions needs the data engine, which this build does not include yet; pass --input summary for a summary file`,
      { file: source },
    ),
  ]);
}
