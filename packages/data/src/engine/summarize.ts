import {
  issue,
  optionDays,
  type SummarizeOptions,
  type SummaryColumns,
  type SummaryReport,
  ValuecastError,
} from "@valuecast/core";
import { openCsvWriter } from "../files/csv-out.ts";
import { type MappingOverrides, type MappingReport, resolveMapping } from "../mapping.ts";
import {
  buildParsedRowsQuery,
  buildRejectedRowsQuery,
  buildSummaryQuery,
  type SummaryQueryInput,
  summaryLayout,
} from "../sql/summary-query.ts";
import { createSummaryCollector } from "./collect.ts";
import type { LoadedInput, Source } from "./source.ts";

/** Summary options plus the column choices for a source. */
export interface SummarizeSourceOptions extends SummarizeOptions {
  /** Column names given by the user (flags); detection fills in the rest. */
  readonly columns?: MappingOverrides;
  /** Write every rejected row (source columns + reject_reason) to this CSV file. */
  readonly rejectedRowsFile?: string;
  /**
   * Count repeat purchase occasions per period of this many days (the backtest's weekly tracking: 7),
   * in the same query; see `SourceSummary.tracking`.
   */
  readonly trackingPeriodDays?: number;
}

/** Actual repeat purchase occasions per tracking period, counted inside the engine. */
export interface SourceTracking {
  /** Days since 1970-01-01 where period 0 starts: the earliest first purchase of a summarized customer. */
  readonly startDay: number;
  readonly periodDays: number;
  /** Occasions in period j (every purchase day of a customer after their first), index 0 … last counted. */
  readonly occasions: Float64Array;
}

/** Seconds spent in each stage of a summary (`SourceSummary.stages`). */
export interface SummaryStages {
  /** Reading and parsing the input once into an engine table (DuckDB over files). */
  readonly parse?: number;
  /** The summary query, up to the whole result held by the engine (DuckDB). */
  readonly query?: number;
  /** Handing the result over into columns (DuckDB). */
  readonly read?: number;
  /** Query and reading together, where rows stream while the engine computes (PostgreSQL). */
  readonly stream?: number;
  /** Finishing the columns (model times from days). */
  readonly collect: number;
}

/** What `summarizeSource` returns. */
export interface SourceSummary {
  readonly columns: SummaryColumns;
  readonly report: SummaryReport;
  readonly mapping: MappingReport;
  readonly engine: Source["engine"];
  /** Wall time of the whole summary (parsing, query, reading the result), in seconds. */
  readonly seconds: number;
  /** Where that time went. */
  readonly stages: SummaryStages;
  /** Rows written to `rejectedRowsFile`, when one was asked for. */
  readonly rejectedRowsWritten?: number;
  /** Per-period repeat occasions, when `trackingPeriodDays` was given. */
  readonly tracking?: SourceTracking;
}

/**
 * Runs the per-customer aggregation inside the source's engine and streams only the summaries out (into
 * columns). Same definitions as core's `summarizeTransactions` (see there), same-day merging only.
 * @example
 * const src = await openSource("/data/CDNOW_master.txt");
 * const { columns, report, mapping } = await summarizeSource(src, { timeUnit: "week", calibrationEnd: "1997-09-30" });
 * await src.close();
 */
export async function summarizeSource(
  source: Source,
  options: SummarizeSourceOptions,
): Promise<SourceSummary> {
  if (options.mergeSameDay === false) {
    throw new ValuecastError([
      issue(
        "BAD_OPTION_VALUE",
        "the SQL engines merge same-day purchases; mergeSameDay: false is only in core's summarizeTransactions",
      ),
    ]);
  }
  const mapping = resolveMapping(source.columns, options.columns);
  const days = optionDays(options);
  const started = performance.now();
  const input: SummaryQueryInput = {
    relation: source.relation,
    columns: source.columns,
    mapping: mapping.mapping,
    options,
    ...days,
    ...(options.trackingPeriodDays !== undefined ? { trackingPeriodDays: options.trackingPeriodDays } : {}),
    ...(source.inputOrder ? { inputOrder: true } : {}),
  };
  // Parsed rows are loaded once where the engine can keep them in input order; dropped duplicates are
  // flagged by a window partitioned by every column, which does not keep that order.
  const loaded =
    source.load && (options.duplicates ?? "keep") !== "drop"
      ? await readFailure(source, () => source.load!(buildParsedRowsQuery(source.dialect, input)))
      : undefined;
  const parseSeconds = loaded ? (performance.now() - started) / 1000 : undefined;
  try {
    return await summarizeLoaded(source, options, mapping, input, loaded, started, parseSeconds);
  } finally {
    await loaded?.drop();
  }
}

async function summarizeLoaded(
  source: Source,
  options: SummarizeSourceOptions,
  mapping: MappingReport,
  input: SummaryQueryInput,
  loaded: LoadedInput | undefined,
  started: number,
  parseSeconds: number | undefined,
): Promise<SourceSummary> {
  const query = buildSummaryQuery(
    source.dialect,
    loaded ? { ...input, relation: loaded.relation, rowNumber: loaded.rowNumber, parsed: true } : input,
  );
  const collector = createSummaryCollector(options, summaryLayout(input));
  const streamed = performance.now();
  const times = await readFailure(source, () => source.stream(query, (batch) => collector.addBatch(batch)));
  const collected = performance.now();
  const { columns, report } = collector.finish();
  const finished = performance.now();
  const seconds = (finished - started) / 1000;
  const streamSeconds = (collected - streamed) / 1000;
  const stages: SummaryStages = {
    ...(parseSeconds !== undefined ? { parse: parseSeconds } : {}),
    ...(times
      ? { query: times.querySeconds, read: streamSeconds - times.querySeconds }
      : { stream: streamSeconds }),
    collect: (finished - collected) / 1000,
  };
  const tracking =
    options.trackingPeriodDays !== undefined
      ? trackingOf(columns, collector.tracking(), options.trackingPeriodDays)
      : undefined;
  const base = {
    columns,
    report,
    mapping,
    engine: source.engine,
    seconds,
    stages,
    ...(tracking ? { tracking } : {}),
  };
  if (options.rejectedRowsFile === undefined) return base;
  const out = openCsvWriter(options.rejectedRowsFile, [
    ...source.columns.map((c) => c.name),
    "reject_reason",
  ]);
  const width = source.columns.length + 1;
  await source.stream(buildRejectedRowsQuery(source.dialect, input), (b) => {
    for (let r = 0; r < b.rowCount; r++) out.row(Array.from({ length: width }, (_, c) => b.value(c, r)));
  });
  await out.close();
  return { ...base, rejectedRowsWritten: out.rows };
}

/** Runs `step`; an engine error (not one of ours) means the input could not be read. */
async function readFailure<T>(source: Source, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof ValuecastError) throw e;
    throw new ValuecastError([
      issue(
        "UNSUPPORTED_FORMAT",
        `${source.description}: the ${source.engine} engine could not read the input: ${(e as Error).message.split("\n")[0]}`,
      ),
    ]);
  }
}

function trackingOf(
  columns: SummaryColumns,
  counts: ReadonlyMap<number, number>,
  periodDays: number,
): SourceTracking {
  let startDay = Number.POSITIVE_INFINITY;
  for (let i = 0; i < columns.length; i++) startDay = Math.min(startDay, columns.firstDay[i]!);
  let last = -1;
  for (const j of counts.keys()) last = Math.max(last, j);
  const occasions = new Float64Array(last + 1);
  for (const [j, n] of counts) occasions[j] = n;
  return { startDay: Number.isFinite(startDay) ? startDay : 0, periodDays, occasions };
}
