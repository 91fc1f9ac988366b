import {
  DAYS_PER_UNIT,
  type Issue,
  isoDateToDay,
  issue,
  type SummaryColumns,
  type TimeUnit,
  ValuecastError,
} from "@valuecast/core";
import { type FileReadOptions, openDuckDbFiles } from "../engine/duckdb.ts";

/** How to read a summary file: its time unit (files do not say) and, optionally, the calibration end. */
export interface ReadSummaryOptions extends FileReadOptions {
  readonly timeUnit: TimeUnit;
  /** "YYYY-MM-DD": places first purchases in time when the file has no first_purchase_at column. */
  readonly calibrationEnd?: string;
  /**
   * Read only these fields (x, t_x and T always): a caller that needs (x, t_x, T) and the spend skips
   * parsing a million first-purchase dates. The others are filled in as when the file lacks them.
   */
  readonly only?: readonly string[];
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

// Our field names and lifetimes' (frequency, recency, T, monetary_value), and the CDNOW file's zbar.
const FIELDS = {
  id: ["customerid", "id", "customer", "userid"],
  x: ["x", "frequency"],
  t_x: ["tx", "recency"],
  T: ["t"],
  monetary: ["monetary", "monetaryvalue", "zbar"],
  first_purchase_at: ["firstpurchaseat"],
  first_amount: ["firstamount"],
  historic_revenue: ["historicrevenue"],
  orders: ["orders"],
  channel: ["channel"],
  campaign: ["campaign"],
  x_holdout: ["xholdout", "frequencyholdout"],
  revenue_holdout: ["revenueholdout"],
  duration_holdout: ["durationholdout"],
} as const;

/** A field of a summary file, by our name (`t_x`, `monetary`, …), whatever the file calls it. */
export type SummaryField = keyof typeof FIELDS;
type Field = SummaryField;

/** What `readSummaryColumns` returns: the columns and which fields the file actually had. */
export interface SummaryFileColumns {
  readonly columns: SummaryColumns;
  /** The fields found in the file; the others were filled in (monetary 0, orders x + 1, …). */
  readonly fields: readonly SummaryField[];
}

const TEXT_FIELDS: ReadonlySet<Field> = new Set(["id", "first_purchase_at", "channel", "campaign"]);

/** Growable column of doubles (the row count is known only at the end of the stream). */
function doubles() {
  let data = new Float64Array(1 << 16);
  let n = 0;
  return {
    push(v: number) {
      if (n === data.length) {
        const next = new Float64Array(data.length * 2);
        next.set(data);
        data = next;
      }
      data[n++] = v;
    },
    done: () => data.subarray(0, n),
  };
}

/**
 * Reads per-customer summaries: ours (customer_id, x, t_x, T, monetary, …) or lifetimes'
 * (`frequency,recency,T[,monetary_value]`, optional ID/customer_id column) in any format the engines read.
 * Values are kept exactly as written (ids as text, so "00042" keeps its zeros). Without an id column the
 * customers are numbered from 1. Without a first_purchase_at column the first purchase is placed T before
 * the calibration end (day 0, 1970-01-01, when that is not given either). Every bad value is reported
 * (BAD_SUMMARY_VALUE with its line).
 * @example const columns = await readSummaryFile("cdnow_customers_summary.csv", { timeUnit: "week" });
 */
export async function readSummaryFile(path: string, options: ReadSummaryOptions): Promise<SummaryColumns> {
  return (await readSummaryColumns(path, options)).columns;
}

/**
 * `readSummaryFile` that also says which fields the file had (a missing monetary column is filled with 0s;
 * a caller that must tell "no spend known" from "spend 0" looks here).
 * @example (await readSummaryColumns("summary.parquet", { timeUnit: "week" })).fields.includes("monetary")
 */
export async function readSummaryColumns(
  path: string,
  options: ReadSummaryOptions,
): Promise<SummaryFileColumns> {
  const source = await openDuckDbFiles([path], options);
  const names = source.columns.map((c) => c.name);
  const at: Partial<Record<Field, number>> = {};
  const wanted = (f: Field) =>
    options.only === undefined || f === "x" || f === "t_x" || f === "T" || options.only.includes(f);
  for (const f of Object.keys(FIELDS) as Field[]) {
    if (!wanted(f)) continue;
    const i = names.findIndex((n) => (FIELDS[f] as readonly string[]).includes(norm(n)));
    if (i >= 0 && !Object.values(at).includes(i)) at[f] = i;
  }
  const missing = (["x", "t_x", "T"] as const).filter((f) => at[f] === undefined);
  if (missing.length) {
    await source.close();
    throw new ValuecastError([
      issue(
        "MISSING_COLUMN",
        `${path} is not a summary file: no ${missing.join(", ")} column (expected x,t_x,T or lifetimes' frequency,recency,T); columns: ${names.join(", ")}`,
        { file: path },
      ),
    ]);
  }
  const fields = Object.keys(at) as Field[];
  // Numbers are cast in the engine (column by column, straight into Float64Arrays); the raw text rides
  // along only where the cast failed, for the message. DuckDB's cast reads "1_000" as 1000: not a number here.
  const select: string[] = [];
  for (const f of fields) {
    const c = source.columns[at[f]!]!;
    const q = `"${c.name.replaceAll('"', '""')}"`;
    if (TEXT_FIELDS.has(f)) {
      select.push(`CAST(${q} AS VARCHAR)`);
      continue;
    }
    const num =
      c.kind === "number"
        ? `CAST(${q} AS DOUBLE)`
        : `CASE WHEN contains(CAST(${q} AS VARCHAR), '_') THEN NULL ELSE TRY_CAST(${q} AS DOUBLE) END`;
    select.push(num, `CASE WHEN (${num}) IS NULL THEN coalesce(CAST(${q} AS VARCHAR), '') END`);
  }
  const numbers = new Map<Field, ReturnType<typeof doubles>>();
  const texts = new Map<Field, (string | null)[]>();
  for (const f of fields) {
    if (TEXT_FIELDS.has(f)) texts.set(f, []);
    else numbers.set(f, doubles());
  }
  const bad: { field: Field; row: number; raw: string }[] = [];
  let rows = 0;
  try {
    await source.stream({ sql: `SELECT ${select.join(", ")} FROM ${source.relation}`, params: [] }, (b) => {
      let c = 0;
      for (const f of fields) {
        if (TEXT_FIELDS.has(f)) {
          const col = texts.get(f)!;
          for (let r = 0; r < b.rowCount; r++) {
            const v = b.value(c, r);
            col.push(v === null || v === undefined ? null : String(v));
          }
          c++;
          continue;
        }
        const col = numbers.get(f)!;
        for (let r = 0; r < b.rowCount; r++) {
          const v = b.value(c, r);
          if (v === null || v === undefined) {
            col.push(Number.NaN);
            if (bad.length < 20) bad.push({ field: f, row: rows + r, raw: String(b.value(c + 1, r) ?? "") });
          } else col.push(Number(v));
        }
        c += 2;
      }
      rows += b.rowCount;
    });
  } finally {
    await source.close();
  }
  const n = rows;
  if (n === 0) throw new ValuecastError([issue("EMPTY_INPUT", `${path} has no customers`, { file: path })]);
  const problems: Issue[] = bad.map((p) =>
    issue("BAD_SUMMARY_VALUE", `${p.field} '${p.raw}' is not a number`, {
      file: path,
      line: p.row + 2,
      column: p.field,
    }),
  );
  const got = (f: Field) => numbers.get(f)?.done();
  const unit = DAYS_PER_UNIT[options.timeUnit];
  const calDay = options.calibrationEnd !== undefined ? isoDateToDay(options.calibrationEnd) : 0;
  if (calDay === undefined) {
    throw new ValuecastError([
      issue("BAD_OPTION_VALUE", `calibration end '${options.calibrationEnd}' is not a date`),
    ]);
  }
  const x = got("x")!;
  const t_x = got("t_x")!;
  const T = got("T")!;
  const monetary = got("monetary") ?? new Float64Array(n);
  const firstAmount = got("first_amount") ?? new Float64Array(n);
  const historic = got("historic_revenue") ?? new Float64Array(n);
  const orders = got("orders") ?? Float64Array.from(x, (v) => v + 1);
  const firstAt = texts.get("first_purchase_at");
  const firstDay = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const fp = firstAt?.[i];
    firstDay[i] =
      fp !== undefined && fp !== null
        ? (isoDateToDay(fp.slice(0, 10)) ?? Number.NaN)
        : calDay - Math.round(T[i]! * unit);
    if (!Number.isFinite(firstDay[i]!) && problems.length < 20) {
      problems.push(
        issue("BAD_SUMMARY_VALUE", `first_purchase_at '${String(fp)}' is not a date`, {
          file: path,
          line: i + 2,
        }),
      );
    }
    const bad =
      x[i]! < 0
        ? "x < 0"
        : t_x[i]! < 0
          ? "t_x < 0"
          : T[i]! < 0
            ? "T < 0"
            : t_x[i]! > T[i]! + 1e-9
              ? "t_x > T"
              : undefined;
    if (bad && problems.length < 20) {
      problems.push(
        issue("BAD_SUMMARY_VALUE", `${bad} (x ${x[i]}, t_x ${t_x[i]}, T ${T[i]})`, {
          file: path,
          line: i + 2,
        }),
      );
    }
  }
  if (problems.length)
    throw new ValuecastError(problems.sort((p, q) => (p.location?.line ?? 0) - (q.location?.line ?? 0)));
  const idText = texts.get("id");
  const ids = idText ? idText.map((v, i) => v ?? String(i + 1)) : null;
  const channel = texts.get("channel");
  const campaign = texts.get("campaign");
  const xh = got("x_holdout");
  const durations = got("duration_holdout");
  const duration = durations?.[0] ?? 0;
  const columns: SummaryColumns = {
    timeUnit: options.timeUnit,
    length: n,
    calibrationEnd: options.calibrationEnd ?? "1970-01-01",
    customerId: ids ?? Array.from({ length: n }, (_, i) => String(i + 1)),
    x,
    t_x,
    T,
    monetary,
    firstDay,
    firstAmount,
    historicRevenue: historic,
    orders,
    cohort: "month",
    ...(channel ? { channel } : {}),
    ...(campaign ? { campaign } : {}),
    ...(xh
      ? {
          holdout: {
            observationEnd: options.calibrationEnd ?? "1970-01-01",
            x: xh,
            revenue: got("revenue_holdout") ?? new Float64Array(n),
            duration,
          },
        }
      : {}),
  };
  return { columns, fields };
}
