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
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

// Our field names and lifetimes' (frequency, recency, T, monetary_value), and the CDNOW file's zbar.
const FIELDS = {
  id: ["customerid", "id", "customer"],
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
  x_holdout: ["xholdout"],
  revenue_holdout: ["revenueholdout"],
  duration_holdout: ["durationholdout"],
} as const;

type Field = keyof typeof FIELDS;

/**
 * Reads per-customer summaries: ours (customer_id, x, t_x, T, monetary, …) or lifetimes'
 * (`frequency,recency,T[,monetary_value]`, optional ID/customer_id column) in any format the engines read.
 * Values are kept exactly as written. Without an id column the customers are numbered from 1. Without a
 * first_purchase_at column the first purchase is placed T before the calibration end (day 0, 1970-01-01,
 * when that is not given either). Every bad value is reported (BAD_SUMMARY_VALUE with its line).
 * @example const columns = await readSummaryFile("cdnow_customers_summary.csv", { timeUnit: "week" });
 */
export async function readSummaryFile(path: string, options: ReadSummaryOptions): Promise<SummaryColumns> {
  const source = await openDuckDbFiles([path], { ...options, allVarchar: false });
  const names = source.columns.map((c) => c.name);
  const at: Partial<Record<Field, number>> = {};
  for (const f of Object.keys(FIELDS) as Field[]) {
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
  const select = (Object.keys(at) as Field[]).map((f) => `"${names[at[f]!]!.replaceAll('"', '""')}"`);
  const fields = Object.keys(at) as Field[];
  const values: Record<string, unknown[]> = Object.fromEntries(fields.map((f) => [f, []]));
  try {
    await source.stream({ sql: `SELECT ${select.join(", ")} FROM ${source.relation}`, params: [] }, (b) => {
      for (let r = 0; r < b.rowCount; r++) {
        for (let c = 0; c < fields.length; c++) values[fields[c]!]!.push(b.value(c, r));
      }
    });
  } finally {
    await source.close();
  }
  const n = values.x!.length;
  if (n === 0) throw new ValuecastError([issue("EMPTY_INPUT", `${path} has no customers`, { file: path })]);
  const problems: Issue[] = [];
  const num = (f: Field, i: number, fallback: number): number => {
    const col = values[f];
    if (!col) return fallback;
    const raw = col[i];
    const v = raw === null || raw === undefined || raw === "" ? Number.NaN : Number(raw);
    if (!Number.isFinite(v) && problems.length < 20) {
      problems.push(
        issue("BAD_SUMMARY_VALUE", `${f} '${String(raw)}' is not a number`, {
          file: path,
          line: i + 2,
          column: f,
        }),
      );
    }
    return v;
  };
  const unit = DAYS_PER_UNIT[options.timeUnit];
  const calDay = options.calibrationEnd !== undefined ? isoDateToDay(options.calibrationEnd) : 0;
  if (calDay === undefined) {
    throw new ValuecastError([
      issue("BAD_OPTION_VALUE", `calibration end '${options.calibrationEnd}' is not a date`),
    ]);
  }
  const x = new Float64Array(n);
  const t_x = new Float64Array(n);
  const T = new Float64Array(n);
  const monetary = new Float64Array(n);
  const firstDay = new Float64Array(n);
  const firstAmount = new Float64Array(n);
  const historic = new Float64Array(n);
  const orders = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = num("x", i, 0);
    t_x[i] = num("t_x", i, 0);
    T[i] = num("T", i, 0);
    monetary[i] = num("monetary", i, 0);
    firstAmount[i] = num("first_amount", i, 0);
    historic[i] = num("historic_revenue", i, 0);
    orders[i] = num("orders", i, x[i]! + 1);
    const fp = values.first_purchase_at?.[i];
    firstDay[i] =
      fp !== undefined && fp !== null
        ? (isoDateToDay(String(fp).slice(0, 10)) ?? Number.NaN)
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
  if (problems.length) throw new ValuecastError(problems);
  const ids = values.id
    ? values.id.map((v, i) => (v === null || v === undefined ? String(i + 1) : String(v)))
    : null;
  const text = (f: Field) => values[f]?.map((v) => (v === null || v === undefined ? null : String(v)));
  const channel = text("channel");
  const campaign = text("campaign");
  const xh = values.x_holdout
    ? Float64Array.from({ length: n }, (_, i) => num("x_holdout", i, 0))
    : undefined;
  const duration = values.duration_holdout ? num("duration_holdout", 0, 0) : 0;
  return {
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
            revenue: Float64Array.from({ length: n }, (_, i) => num("revenue_holdout", i, 0)),
            duration,
          },
        }
      : {}),
  };
}
