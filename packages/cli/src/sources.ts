import { statSync } from "node:fs";
import { resolve } from "node:path";
import {
  DAYS_PER_UNIT,
  dayOf,
  isoDateToDay,
  issue,
  normalizeCustomerId,
  parseTimeUnit,
  type SummaryColumns,
  type SummaryReport,
  summarizeTransactions,
  type TimeUnit,
  type Transaction,
  ValuecastError,
} from "@valuecast/core";
import type { SummaryStages } from "@valuecast/data";
import type { OptionSpec, OptionValues } from "./args.ts";
import { badOption, dateOption, stringOption } from "./args.ts";
import type { CommandContext } from "./command.ts";
import {
  type CustomerColumns,
  columnsFromSummaryColumns,
  columnsFromSummaryFile,
  columnsFromSummaryTable,
} from "./customers.ts";
import { isDatabaseUrl, loadDataEngines, needsEngine } from "./engine-source.ts";
import { repeatOccasionsPerPeriod, type TrackingInputs } from "./evaluate/backtest.ts";
import { writeRejectedRows } from "./rejected-rows.ts";
import { readNumericTable } from "./summary-file.ts";
import { type ColumnChoice, expandSource, readTransactionFiles } from "./transactions-file.ts";

/**
 * The time unit the user asked for (default week, the unit of the CDNOW references).
 * @example timeUnitOption({ "time-unit": "day" }) // "day"
 */
export function timeUnitOption(values: OptionValues): TimeUnit {
  return parseTimeUnit(stringOption(values, "time-unit") ?? "week") ?? "week";
}

/** `--duplicates keep|drop` (summarize, predict; other commands keep duplicates as purchases). */
export const DUPLICATES_OPTION: Readonly<Record<string, OptionSpec>> = {
  duplicates: {
    type: "string",
    value: "keep|drop",
    choices: ["keep", "drop"],
    description:
      "exact duplicate rows: keep them as purchases (default; counted in the report) or drop them (rejected as DUPLICATE_ROW)",
  },
};

/**
 * What to do with exact duplicate rows (`--duplicates keep|drop`, default keep): keep them as purchases
 * and count them as a note, or reject them (DUPLICATE_ROW) and count them among the rejected rows.
 * @example duplicatesOption({ duplicates: "drop" }) // "drop"
 */
export function duplicatesOption(values: OptionValues): "keep" | "drop" {
  const v = stringOption(values, "duplicates") ?? "keep";
  if (v !== "keep" && v !== "drop")
    throw badOption("duplicates", `--duplicates must be keep or drop (got '${v}')`);
  return v;
}

/** The rows line of the notes: read, used, rejected by reason, and duplicates kept. */
function rowsNote(report: SummaryReport, files: number | undefined): string {
  const dup = report.notes.DUPLICATE_ROW ?? 0;
  return `rows: ${report.rowsRead} read${files ? ` (${files} file${files === 1 ? "" : "s"})` : ""}, ${report.rowsUsed} used, ${report.rowsRejected} rejected (${countsText(report.rejected)})${dup > 0 ? `; ${dup} exact duplicate rows kept as purchases (--duplicates drop rejects them)` : ""}`;
}

/**
 * True when the user said the source already holds per-customer summaries.
 * @example isSummaryInput({ input: "summary" }) // true
 */
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
  /** Last day observed (holdout end), when the source knows it. */
  readonly observationEnd?: string;
  /** Birth times and per-period actual repeat purchases, for the backtest's tracking. */
  readonly tracking?: TrackingInputs | null;
  /** The transactions themselves (file sources read in memory), for cohorts and channels. */
  readonly transactions?: readonly Transaction[];
}

/**
 * Loads per-customer summaries from `<source>`: a summary file with `--input summary`, otherwise a
 * transaction source summarised by an engine.
 * @example const { columns, notes } = await loadCustomers("CDNOW_master.txt", args.values, ctx)
 */
export async function loadCustomers(
  source: string,
  values: OptionValues,
  ctx: CommandContext,
): Promise<LoadedCustomers> {
  const timeUnit = timeUnitOption(values);
  if (isSummaryInput(values)) {
    const columns = await readSummaries(resolve(ctx.io.cwd, source), source, timeUnit);
    return {
      columns,
      notes: [`read ${columns.x.length} customer summaries from ${source} (times in ${timeUnit}s)`],
      report: null,
    };
  }
  const engine = stringOption(values, "engine") ?? "auto";
  if (engine === "duckdb" || (engine === "auto" && needsEngine(source))) {
    return summarizeWithEngine(source, values, ctx, timeUnit);
  }
  // A text file on `auto`: DuckDB (same summaries, a fraction of the time and memory on big files). The
  // in-memory reader stays for --rejected (its file keeps each row's file and line), when the engines
  // cannot load (core-only installs), and when DuckDB cannot read what the reader can.
  if (engine === "auto" && !stringOption(values, "rejected")) {
    let engineError: unknown;
    try {
      await loadDataEngines();
    } catch (e) {
      engineError = e;
    }
    if (engineError === undefined) {
      try {
        return withLazyTransactions(
          await summarizeWithEngine(source, values, ctx, timeUnit),
          source,
          values,
          ctx,
        );
      } catch (e) {
        // The reader has its own rules (headerless files mapped by position, its own messages): let it try.
        const retry = ["UNSUPPORTED_FORMAT", "MISSING_COLUMN", "BAD_DELIMITER"];
        if (!(e instanceof ValuecastError) || !e.issues.some((i) => retry.includes(i.code))) throw e;
      }
    }
  }
  if (needsEngine(source)) {
    throw new ValuecastError([
      issue(
        "UNSUPPORTED_FORMAT",
        "--engine memory reads delimited text only; use --engine duckdb for this source",
        {
          file: source,
        },
      ),
    ]);
  }
  return summarizeFile(source, values, ctx, timeUnit);
}

/**
 * Reads a summary file (ours or lifetimes'; CSV/TSV/whitespace text, Parquet, JSON) through
 * @valuecast/data's DuckDB reader, column by column. Text files fall back to the CLI's own reader when the
 * engine cannot load or finds a problem: that reader locates every bad cell (file, line, column) and
 * accepts the few spellings of numbers DuckDB does not (0x10).
 * @example const columns = await readSummaries("/data/summary.parquet", "summary.parquet", "week")
 */
export async function readSummaries(
  path: string,
  source: string,
  timeUnit: TimeUnit,
): Promise<CustomerColumns> {
  const text = !needsEngine(source);
  let data: Awaited<ReturnType<typeof loadDataEngines>>;
  try {
    data = await loadDataEngines();
  } catch (e) {
    if (text) return columnsFromSummaryTable(readNumericTable(path, source), timeUnit);
    throw e;
  }
  try {
    const { columns, fields } = await data.readSummaryColumns(path, {
      timeUnit,
      // What CustomerColumns carries from a summary file; first purchases and revenue are not read.
      only: ["id", "monetary", "x_holdout", "duration_holdout"],
    });
    return columnsFromSummaryFile(columns, fields);
  } catch (e) {
    if (text) return columnsFromSummaryTable(readNumericTable(path, source), timeUnit);
    throw e;
  }
}

function countsText(counts: Partial<Record<string, number>>): string {
  const e = Object.entries(counts).filter(([, v]) => (v ?? 0) > 0);
  return e.length ? e.map(([k, v]) => `${k} ${v}`).join(", ") : "none";
}

/** The column choices the in-memory reader takes from the flags. */
function columnChoice(values: OptionValues): ColumnChoice {
  const choice: Record<string, string> = {};
  for (const k of ["customer", "date", "amount", "channel", "campaign", "delimiter"]) {
    const v = stringOption(values, k);
    if (v) choice[k] = v;
  }
  return choice;
}

/**
 * Engine summaries of a text file, with the transactions themselves (cohorts, channels, covariates need
 * the rows) read by the in-memory reader only when a command asks for them.
 */
function withLazyTransactions(
  loaded: LoadedCustomers,
  source: string,
  values: OptionValues,
  ctx: CommandContext,
): LoadedCustomers {
  let rows: readonly Transaction[] | undefined;
  return Object.defineProperty({ ...loaded }, "transactions", {
    enumerable: true,
    get() {
      rows ??= readTransactionFiles(resolve(ctx.io.cwd, source), columnChoice(values)).transactions;
      return rows;
    },
  });
}

/** Transactions file -> core's summarizer -> columns, with the row report and tracking inputs. */
async function summarizeFile(
  source: string,
  values: OptionValues,
  ctx: CommandContext,
  timeUnit: TimeUnit,
): Promise<LoadedCustomers> {
  const read = readTransactionFiles(resolve(ctx.io.cwd, source), columnChoice(values));
  const calibrationEnd = dateOption(values, "calibration-end");
  const end = dateOption(values, "end");
  const { columns, report } = summarizeTransactions(read.transactions, {
    timeUnit,
    duplicates: duplicatesOption(values),
    ...(calibrationEnd ? { calibrationEnd } : {}),
    ...(end ? { observationEnd: end } : {}),
  });
  const rejectedPath = stringOption(values, "rejected");
  const rejected = rejectedPath
    ? await writeRejectedRows(resolve(ctx.io.cwd, rejectedPath), read, report, end)
    : null;
  const notes = [
    `columns: ${read.mapping}`,
    rowsNote(report, read.files),
    `customers: ${report.customers} summarised${Object.keys(report.customersExcluded).length ? `, excluded: ${countsText(report.customersExcluded)}` : ""}; refunds netted ${report.refundsNetted.toFixed(2)}; calibration to ${report.calibrationEnd}, observation to ${report.observationEnd}`,
  ];
  if (rejected) {
    notes.push(`wrote ${rejected.written} rejected rows (file, line, reason, row) to ${rejectedPath}`);
    for (const m of rejected.mismatches)
      notes.push(`warning: rejected rows file and report disagree for ${m}`);
  }
  const cust = columnsFromSummaryColumns(columns);
  return {
    columns: cust,
    notes,
    report,
    observationEnd: report.observationEnd,
    tracking: columns.holdout ? trackingFrom(read.transactions, columns, report.observationEnd) : null,
    transactions: read.transactions,
  };
}

/**
 * Summaries computed inside an engine (DuckDB or PostgreSQL): only per-customer rows come back. Column
 * choices pass through as overrides; the engine says what it detected.
 */
async function summarizeWithEngine(
  source: string,
  values: OptionValues,
  ctx: CommandContext,
  timeUnit: TimeUnit,
): Promise<LoadedCustomers> {
  const rejectedPath = stringOption(values, "rejected");
  const data = await loadDataEngines();
  const table = stringOption(values, "table");
  const query = stringOption(values, "query");
  const delimiter = stringOption(values, "delimiter");
  const spec = isDatabaseUrl(source)
    ? { url: source, ...(table ? { table } : {}), ...(query ? { query } : {}) }
    : { path: filesOf(resolve(ctx.io.cwd, source)), ...(delimiter ? { delimiter } : {}) };
  const src = await data.openSource(spec);
  try {
    const overrides: Record<string, string> = {};
    for (const role of ["customer", "date", "amount", "channel", "campaign"]) {
      const v = stringOption(values, role);
      if (v) overrides[role] = v;
    }
    const calibrationEnd = dateOption(values, "calibration-end");
    const end = dateOption(values, "end");
    const r = await data.summarizeSource(src, {
      timeUnit,
      duplicates: duplicatesOption(values),
      ...(calibrationEnd ? { calibrationEnd } : {}),
      ...(end ? { observationEnd: end } : {}),
      ...(calibrationEnd ? { trackingPeriodDays: 7 } : {}),
      // Rejected rows are fetched (a second query) only when a file for them is asked for.
      ...(rejectedPath ? { rejectedRowsFile: resolve(ctx.io.cwd, rejectedPath) } : {}),
      columns: overrides,
    });
    const report = r.report;
    const notes = [
      `columns: ${r.mapping.description} (${r.engine}, ${r.seconds.toFixed(2)} s: ${stagesText(r.stages)})`,
      rowsNote(report, src.files),
      `customers: ${report.customers} summarised${Object.keys(report.customersExcluded).length ? `, excluded: ${countsText(report.customersExcluded)}` : ""}; refunds netted ${report.refundsNetted.toFixed(2)}; calibration to ${report.calibrationEnd}, observation to ${report.observationEnd}`,
    ];
    if (rejectedPath) {
      notes.push(
        `wrote ${r.rejectedRowsWritten ?? 0} rejected rows (the source's columns and reject_reason) to ${rejectedPath}`,
      );
    }
    return {
      columns: columnsFromSummaryColumns(r.columns),
      notes,
      report,
      observationEnd: report.observationEnd,
      tracking:
        r.tracking && r.columns.holdout ? engineTracking(r.columns, r.tracking, report.observationEnd) : null,
    };
  } finally {
    await src.close();
  }
}

/**
 * Weekly tracking inputs from the engine's per-week counts: the same definition as `trackingFrom` (every
 * purchase day of a summarized customer after their first, by week since the earliest first purchase).
 */
function engineTracking(
  columns: SummaryColumns,
  counted: { readonly startDay: number; readonly periodDays: number; readonly occasions: Float64Array },
  observationEnd: string,
): TrackingInputs {
  const unitDays = DAYS_PER_UNIT[columns.timeUnit];
  const start = counted.startDay;
  const endDay = isoDateToDay(observationEnd)!;
  const periods = Math.max(1, Math.ceil((endDay - start + 1) / counted.periodDays));
  const actual = new Float64Array(periods);
  for (let j = 0; j < Math.min(periods, counted.occasions.length); j++) actual[j] = counted.occasions[j]!;
  return {
    birth: Float64Array.from(columns.firstDay, (d) => (d - start) / unitDays),
    actualPerPeriod: actual,
    periodLength: counted.periodDays / unitDays,
    periods,
  };
}

/** A directory stands for its files (as the in-memory reader reads it); paths and globs pass through. */
function filesOf(path: string): string | string[] {
  try {
    return statSync(path).isDirectory() ? expandSource(path) : path;
  } catch {
    return path;
  }
}

/** Weekly tracking inputs: birth times and actual repeat occasions per week from the transactions. */
function trackingFrom(
  transactions: readonly Transaction[],
  columns: SummaryColumns,
  observationEnd: string,
): TrackingInputs {
  const unitDays = DAYS_PER_UNIT[columns.timeUnit];
  let start = Number.POSITIVE_INFINITY;
  for (let i = 0; i < columns.length; i++) start = Math.min(start, columns.firstDay[i]!);
  const endDay = isoDateToDay(observationEnd)!;
  const periods = Math.max(1, Math.ceil((endDay - start + 1) / 7));
  const known = new Set(columns.customerId);
  const days = new Map<string, number[]>();
  for (const t of transactions) {
    const id = normalizeCustomerId(t.customerId);
    const refund = t.cancelled === true || t.amount < 0 || (t.quantity !== undefined && t.quantity < 0);
    if (id === undefined || refund || !Number.isFinite(t.at) || !Number.isFinite(t.amount) || !known.has(id))
      continue;
    let list = days.get(id);
    if (!list) {
      list = [];
      days.set(id, list);
    }
    list.push(dayOf(t.at));
  }
  return {
    birth: Float64Array.from(columns.firstDay, (d) => (d - start) / unitDays),
    actualPerPeriod: repeatOccasionsPerPeriod(days.values(), start, 7, periods, endDay),
    periodLength: 7 / unitDays,
    periods,
  };
}

/** "parse 7.34, query 14.34, read 5.86, collect 1.20": where a summary's time went. */
function stagesText(stages: SummaryStages): string {
  return Object.entries(stages)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(", ");
}
