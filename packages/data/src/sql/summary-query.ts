import type { SummarizeOptions } from "@valuecast/core";
import type { ColumnMapping, SourceColumn } from "./columns.ts";
import type { Dialect } from "./dialect.ts";

/** The SQL and its bound values ($1, $2, … in both dialects). */
export interface BuiltQuery {
  readonly sql: string;
  readonly params: (number | string)[];
}

/** Everything the builder needs: a FROM-able relation, its columns, the mapping and the summary options. */
export interface SummaryQueryInput {
  readonly relation: string;
  readonly columns: readonly SourceColumn[];
  readonly mapping: ColumnMapping;
  readonly options: SummarizeOptions;
  readonly calibrationEndDay?: number;
  readonly observationEndDay?: number;
  /**
   * Also count repeat purchase occasions per period of this many days since the first purchase of any
   * summarized customer (kind 'W' rows), for the backtest's cumulative tracking.
   */
  readonly trackingPeriodDays?: number;
  /**
   * The relation yields rows in file order (DuckDB over files): customers then come out in the order of
   * their first used row, as core's summarizer gives them, so fits over them sum in the same order.
   */
  readonly inputOrder?: boolean;
  /**
   * With `inputOrder`: an expression over the relation that already numbers its rows in input order (a
   * DuckDB table's `rowid`). Without it the rows are numbered by row_number() in the query.
   */
  readonly rowNumber?: string;
  /**
   * The relation holds the parsed and classified rows (`buildParsedRowsQuery`'s result, loaded into a
   * table), not the source's columns: the summary query skips parsing.
   */
  readonly parsed?: boolean;
}

/**
 * The `kind` column's codes (see `buildSummaryQuery`). Numbers rather than letters: the kind of every one of a
 * million customer rows is read, and a number comes out of the engine's result without decoding text.
 */
export const ROW_KIND = { C: 1, R: 2, N: 3, Z: 4, M: 5, T: 6, W: 7 } as const;

/** Sentinel offset key for timestamps written without a UTC offset. */
export const NO_OFFSET = -100000;

// Accepted text dates: ISO 8601 (date, optional time to the second, optional fraction, optional offset or Z)
// and compact YYYYMMDD (CDNOW). Anything else is BAD_DATE: we never guess between day-first and month-first.
const ISO =
  "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?( ?(Z|[+-][0-9]{2}(:?[0-9]{2})?))?)?";
const COMPACT = "[0-9]{8}";
const OFFSET = "([+-][0-9]{2}(?::?[0-9]{2})?|Z)$";
// A plain decimal number (no thousands separators, no currency signs, no NaN/Infinity).
const NUMBER = " *[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)? *";
const TRUTHY = "('true', 't', '1', 'yes', 'y')";

/**
 * The two-level summary query (customer-day, then customer) from ONE definition for every dialect. Rows are
 * parsed and classified in SQL; only per-customer aggregates and a few report rows leave the engine. The
 * columns are those of `summaryLayout`: the `kind` (the ROW_KIND code of the letter), an `id`, then numbers:
 * - kind 'C': one row per summarized customer: id = cid; first_day, last_day, x, first_amount, repeat_sum,
 *   historic, [x_holdout, revenue_holdout], [channel], [campaign];
 * - the report rows put their code in `id` and their counts n and v in the first two number columns:
 * - kind 'R': rows rejected by reason (code, n) and customers excluded (v);
 * - kind 'N': notes on used rows (code, n), refunds netted (code 'REFUNDS', v);
 * - kind 'Z': rows per written UTC offset (code = minutes, or NO_OFFSET);
 * - kind 'M': the last day of any accepted row (v) and the calibration end day used (n);
 * - kind 'T': the number of rows read (n);
 * - kind 'W' (only with `trackingPeriodDays`): repeat purchase occasions (n) in period v.
 * Same-day merging only (mergeSameDay: false is core-only).
 */
export function buildSummaryQuery(d: Dialect, input: SummaryQueryInput): BuiltQuery {
  const { ctes, params, row, notes, ordered, codes } = summaryCtes(d, input, "summary");
  const report = reportRows(d, row, codes);
  const sql = `${ctes}
${row("C", {
  id: "cid",
  first_day: "f",
  last_day: "last_day",
  x: "x",
  first_amount: "first_amount",
  repeat_sum: "repeat_sum",
  historic: "historic",
  x_holdout: "xh",
  revenue_holdout: "rh",
  channel: "ch",
  campaign: "cp",
  ord: "rn",
})} FROM cust2 WHERE status = 'OK'
UNION ALL ${report.byReason}
UNION ALL ${row("R", { id: "status", n: "sum(n)", v: "count(*)" })} FROM cust2 WHERE status <> 'OK' GROUP BY status
UNION ALL ${row("R", { id: "'REFUND_WITHOUT_PURCHASE'", n: "n_before", v: "0" })} FROM okt
UNION ALL ${notes.join("\nUNION ALL ")}
UNION ALL ${row("N", { id: "'REFUNDS'", v: "ref_amt" })} FROM okt
UNION ALL ${report.byOffset}
UNION ALL ${row("M", { v: "last_day", n: "cal" })} FROM ends
UNION ALL ${report.total}${tracking(input, row)}${
    // DuckDB sorts the 10M customers of a 10M-customer summary in 1.7 s with both threads. Ordering them in
    // JavaScript by the row number instead was slower at every size (about 100 ns a customer here: a
    // scattered read misses the TLB of a 700 MB array, and fresh memory faults a page per 4 kB).
    ordered ? "\nORDER BY ord NULLS LAST" : ""
  }`;
  return numbered(sql, params);
}

/**
 * The row report's rows from `rep` (see `summaryCtes`): rejected rows by reason, rows by written offset, rows
 * read. `codes` are the reject reasons of `rep`'s per-reason counts n_0, n_1, … where grouping sorts.
 */
function reportRows(
  d: Dialect,
  row: RowSelect,
  codes: readonly string[],
): { byReason: string; byOffset: string; total: string } {
  if (d.hashGroups) {
    return {
      byReason: `${row("R", { id: "code", n: "sum(n)" })} FROM rep WHERE code IS NOT NULL GROUP BY code`,
      byOffset: `${row("Z", { id: d.text("tz"), n: "sum(n)" })} FROM rep WHERE tz IS NOT NULL GROUP BY tz`,
      total: `${row("T", { n: "sum(n)" })} FROM rep`,
    };
  }
  return {
    byReason: codes
      .map((code, k) => `${row("R", { id: `'${code}'`, n: `n_${k}` })} FROM rep WHERE n_${k} > 0`)
      .join("\nUNION ALL "),
    byOffset: `${row("Z", { id: d.text("tz_lo"), n: "n_tz" })} FROM rep WHERE n_tz > 0 AND tz_lo = tz_hi
UNION ALL ${row("Z", { id: d.text("_v_tz"), n: d.double("count(*)") })} FROM rows
  WHERE _v_tz IS NOT NULL AND (SELECT tz_lo <> tz_hi FROM rep) GROUP BY _v_tz`,
    total: `${row("T", { n: "n" })} FROM rep`,
  };
}

/**
 * The columns of a summary query's result for `input` (see `buildSummaryQuery`). Columns that would be
 * constant are left out: the holdout numbers without a calibration end, channel and campaign when not
 * mapped, the first row number when customers need no order. At 10M customers every column is 10M values
 * that the engine sorts and hands over.
 */
export function summaryLayout(input: SummaryQueryInput): SummaryLayout {
  let next = 8;
  const at = (present: boolean, width = 1) => {
    if (!present) return undefined;
    next += width;
    return next - width;
  };
  const holdout = at(input.calibrationEndDay !== undefined, 2);
  const channel = at(input.mapping.channel !== undefined);
  const campaign = at(input.mapping.campaign !== undefined);
  const ord = at(input.inputOrder === true);
  return {
    ...(holdout !== undefined ? { holdout } : {}),
    ...(channel !== undefined ? { channel } : {}),
    ...(campaign !== undefined ? { campaign } : {}),
    ...(ord !== undefined ? { ord } : {}),
  };
}

/**
 * Where the fields are in a summary query's result: column 0 the kind, 1 the id (a customer's, or a report
 * row's code), 2-7 a customer's first_day, last_day, x, first_amount, repeat_sum and historic (a report
 * row's n and v in 2 and 3); the optional columns follow where present.
 */
export interface SummaryLayout {
  /** x_holdout here, revenue_holdout next. */
  readonly holdout?: number;
  readonly channel?: number;
  readonly campaign?: number;
  readonly ord?: number;
}

/**
 * The parsed and classified input rows (customer, day, written offset, value, refund and cancellation flags,
 * reject reason, row hash; the columns `parsed: true` expects), in input order: what an engine loads into a
 * table once so that the summary query reads them instead of parsing the source again.
 */
export function buildParsedRowsQuery(d: Dialect, input: SummaryQueryInput): BuiltQuery {
  const { ctes, params } = summaryCtes(d, { ...input, inputOrder: false, parsed: false }, "rows");
  return numbered(`${ctes}\nSELECT * FROM rows`, params);
}

/**
 * Placeholders are written as tokens while the SQL is assembled (a value may be bound by an expression that
 * ends up unused, and DuckDB refuses values no placeholder takes); here the tokens left in the SQL become
 * $1, $2, … in order of first use.
 */
function numbered(sql: string, values: readonly (number | string)[]): BuiltQuery {
  const params: (number | string)[] = [];
  const index = new Map<number, number>();
  const text = sql.replace(/⟦(\d+)⟧/g, (_, k: string) => {
    const i = Number(k);
    if (!index.has(i)) {
      params.push(values[i]!);
      index.set(i, params.length);
    }
    return `$${index.get(i)}`;
  });
  return { sql: text, params };
}

/**
 * Kind 'W' rows (v = period index j, n = occasions): every purchase day of a summarized customer after
 * their first counts once, in period floor((day - start) / periodDays), start being the earliest first
 * purchase. Same-day purchases are one occasion, as in x.
 */
function tracking(input: SummaryQueryInput, row: RowSelect): string {
  const days = input.trackingPeriodDays;
  if (days === undefined) return "";
  if (!(Number.isInteger(days) && days > 0))
    throw new Error(`tracking period ${days} is not a whole day count`);
  return `
UNION ALL ${row("W", { n: "count(*)", v: "j" })}
  FROM (SELECT floor((d.day - s.start) / ${days}.0) AS j
    FROM (SELECT DISTINCT r._v_cid, r._v_day AS day FROM rows r JOIN cust2 c ON r._v_cid = c.cid
        WHERE r._v_code IS NULL AND NOT r._v_refund AND c.status = 'OK' AND r._v_day > c.f) d
      CROSS JOIN okt s) w
  GROUP BY j`;
}

/**
 * Every rejected input row with all its source columns and a last column `reject_reason` (the issue code),
 * from the same definition as the summary query; the rows are those counted in the report's `rejected`.
 */
export function buildRejectedRowsQuery(d: Dialect, input: SummaryQueryInput): BuiltQuery {
  const { ctes, params } = summaryCtes(d, input, "rejected");
  const raw = input.columns.map((c) => `r.${d.ident(c.name)}`).join(", ");
  const sql = `${ctes}
SELECT ${raw}, CASE WHEN r._v_code IS NOT NULL THEN r._v_code WHEN c.status <> 'OK' THEN c.status
    ELSE 'REFUND_WITHOUT_PURCHASE' END AS reject_reason
  FROM rows r LEFT JOIN cust2 c ON r._v_code IS NULL AND r._v_cid = c.cid
  WHERE r._v_code IS NOT NULL OR c.status <> 'OK' OR r._v_day < c.f`;
  return numbered(sql, params);
}

/**
 * The query's common table expressions. `mode`: the summary; the rejected-rows query (source columns carried
 * to the end); or only the parsed rows (`rows`, for `buildParsedRowsQuery`).
 */
type RowSelect = (kind: keyof typeof ROW_KIND, cols: Partial<Record<string, string>>) => string;

function summaryCtes(
  d: Dialect,
  input: SummaryQueryInput,
  mode: "summary" | "rejected" | "rows",
): {
  ctes: string;
  params: (number | string)[];
  row: RowSelect;
  notes: string[];
  ordered: boolean;
  /** The reject reasons the query classifies rows by, in order of precedence. */
  codes: string[];
} {
  const keepRaw = mode === "rejected";
  if (keepRaw && input.parsed)
    throw new Error("the rejected-rows query reads the source's columns, not parsed rows");
  const { mapping: m, options: o } = input;
  const params: (number | string)[] = [];
  const bind = (v: number | string) => {
    params.push(v);
    return `⟦${params.length - 1}⟧`;
  };
  // Typed at the placeholder: PostgreSQL cannot infer a parameter's type inside length() or CASE.
  const bindDay = (v: number) => `CAST(${bind(v)} AS BIGINT)`;
  const col = (name: string | undefined) => {
    if (name === undefined) return undefined;
    const c = input.columns.find((x) => x.name === name);
    if (!c) throw new Error(`column ${name} is not in the source`);
    return c;
  };
  const trim = (e: string) => (d.trimText ? d.trimText(e) : `trim(${e})`);
  const txt = (name: string) => `NULLIF(${trim(d.text(d.ident(name)))}, '')`;
  const num = (name: string | undefined) => {
    const c = col(name);
    if (!c) return d.double("NULL");
    if (c.kind === "number") return d.double(d.ident(c.name));
    const t = txt(c.name);
    return `CASE WHEN ${d.fullMatch(t, NUMBER)} THEN ${d.double(t)} END`;
  };

  // Ids written as decimals (17850.0, from spreadsheets) lose the zero fraction. The regular expression only
  // runs on ids that contain a dot: it is a large part of the parsing cost when run on every row. The dot is
  // looked for before trimming (trimming removes no dots), so each row trims its id once.
  const idText = d.text(d.ident(m.customer));
  const rawId = trim(idText);
  // Compared byte by byte (PostgreSQL: COLLATE "C"): the customer-day and customer sorts then use memcmp
  // instead of the database collation; grouping and joins are by equality, which that does not change.
  const id = d.byteOrder(
    `NULLIF(CASE WHEN strpos(${idText}, '.') > 0 THEN regexp_replace(${rawId}, '^([0-9]+)[.]0+$', '\\1') ELSE ${rawId} END, '')`,
  );
  const dateCol = col(m.date)!;
  const dateIsText = !["date", "timestamp", "timestamptz"].includes(dateCol.kind);
  const typedEpoch =
    dateCol.kind === "date" && d.dateEpochSeconds
      ? d.dateEpochSeconds(d.ident(dateCol.name))
      : d.epochSeconds(d.ident(dateCol.name));
  const amount = m.amount !== undefined ? num(m.amount) : `(${num(m.quantity)} * ${num(m.unitPrice)})`;
  const quantity = num(m.quantity);
  const cancelParts: string[] = [];
  if (m.cancelled !== undefined) {
    cancelParts.push(
      col(m.cancelled)!.kind === "boolean"
        ? `coalesce(${d.ident(m.cancelled)}, false)`
        : `coalesce(lower(${txt(m.cancelled)}) IN ${TRUTHY}, false)`,
    );
  }
  if (m.order !== undefined && m.cancelPrefix) {
    const p = d.text(bind(m.cancelPrefix));
    cancelParts.push(`coalesce(substr(${txt(m.order)}, 1, length(${p})) = ${p}, false)`);
  }
  const cancelled = cancelParts.length ? cancelParts.join(" OR ") : "false";
  // A refund: a cancelled row, a negative amount or a negative quantity. Only the mapped tests are written:
  // behind the parsing layers' fences PostgreSQL cannot see that an unmapped one is constant.
  const refund = [
    ...(cancelParts.length ? ["coalesce(_v_cancel, false)"] : []),
    "coalesce(_v_amt < 0, false)",
    ...(m.quantity !== undefined ? ["coalesce(_v_qty < 0, false)"] : []),
  ].join(" OR ");
  const channel = m.channel !== undefined ? txt(m.channel) : d.text("NULL");
  const campaign = m.campaign !== undefined ? txt(m.campaign) : d.text("NULL");
  const nullText = d.text("NULL");
  const dupMode = o.duplicates ?? "keep";
  const allCols = input.columns.map((c) => d.ident(c.name)).join(", ");
  const local = (o.dayBoundary ?? "utc") === "local";
  // The input row number rides along when customers are to come out in input order.
  const ordered = input.inputOrder === true;

  /**
   * Layers 1-4 of row parsing, from `from` (which has the source columns plus `carry`) to `${p}4`. `carry`
   * (", a, b" or "") lists extra columns that ride along unchanged.
   */
  const layers = (
    p: string,
    from: string,
    dup: string | undefined,
    carry: string,
    hash?: string,
  ): [string, string][] => {
    const dupCol = dup !== undefined ? ", _v_dup" : "";
    // A hash of the source columns, computed from them in layer 1 and carried on like `carry`.
    const carried = hash !== undefined ? `${carry}, _v_h` : carry;
    // Layer 1: raw columns to typed values.
    const r0 = `SELECT ${id} AS _v_cid,
      ${dateIsText ? `${txt(m.date)}` : nullText} AS _v_dt,
      ${dateIsText && d.plainDateDays ? d.plainDateDays(txt(m.date)) : "CAST(NULL AS BIGINT)"} AS _v_pd,
      ${dateIsText ? d.double("NULL") : typedEpoch} AS _v_typed_ep,
      ${amount} AS _v_amt, ${quantity} AS _v_qty, (${cancelled}) AS _v_cancel,
      ${m.channel !== undefined ? channel : nullText} AS _v_ch, ${m.campaign !== undefined ? campaign : nullText} AS _v_cp${
        dup !== undefined ? `, ${dup} AS _v_dup` : ""
      }${hash !== undefined ? `, ${hash} AS _v_h` : ""}${carry}
    FROM ${from}${d.fence}`;
    // Layer 2: canonical ISO text (compact dates rewritten) and the written offset. Plain dates
    // (YYYY-MM-DD, by far the most common form) already have their day from layer 1 where the engine has a
    // non-failing date cast (_v_pd), and take none of the general parse below.
    const r1 = `SELECT *,
      CASE WHEN _v_pd IS NOT NULL THEN NULL WHEN ${d.fullMatch("_v_dt", COMPACT)} THEN substr(_v_dt, 1, 4) || '-' || substr(_v_dt, 5, 2) || '-' || substr(_v_dt, 7, 2)
           WHEN ${d.fullMatch("_v_dt", ISO)} THEN _v_dt END AS _v_dc,
      CASE WHEN length(_v_dt) > 10 AND ${d.fullMatch("_v_dt", ISO)} THEN ${d.extract("substr(_v_dt, 11)", OFFSET)} END AS _v_otx
    FROM ${p}0${d.fence}`;
    // Layer 3: date and time components (NULL when the text did not parse).
    const part = (from: number, len: number) => `CAST(substr(_v_dc, ${from}, ${len}) AS INTEGER)`;
    const r2 = `SELECT *, ${part(1, 4)} AS _v_y, ${part(6, 2)} AS _v_mo, ${part(9, 2)} AS _v_d,
      CASE WHEN length(_v_dc) >= 16 THEN ${part(12, 2)} ELSE 0 END AS _v_hh,
      CASE WHEN length(_v_dc) >= 16 THEN ${part(15, 2)} ELSE 0 END AS _v_mi,
      CASE WHEN length(_v_dc) >= 19 AND substr(_v_dc, 17, 1) = ':' THEN ${part(18, 2)} ELSE 0 END AS _v_ss,
      CASE WHEN _v_otx IS NULL THEN NULL WHEN _v_otx = 'Z' THEN 0
           ELSE (CASE WHEN substr(_v_otx, 1, 1) = '-' THEN -1 ELSE 1 END)
                * (CAST(substr(_v_otx, 2, 2) AS INTEGER) * 60 + CASE WHEN length(_v_otx) > 3 THEN CAST(right(_v_otx, 2) AS INTEGER) ELSE 0 END)
      END AS _v_tzm
    FROM ${p}1${d.fence}`;
    // Layer 4: the wall-clock instant (seconds), validated so that 2011-02-30 is BAD_DATE and never an error.
    const dim = `CASE WHEN _v_mo = 2 THEN CASE WHEN (_v_y % 4 = 0 AND _v_y % 100 <> 0) OR _v_y % 400 = 0 THEN 29 ELSE 28 END
      WHEN _v_mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
    const wall = dateIsText
      ? `CASE WHEN _v_pd IS NOT NULL THEN _v_pd * 86400 WHEN _v_y >= 1 AND _v_mo BETWEEN 1 AND 12 AND _v_d BETWEEN 1 AND ${dim} AND _v_hh < 24 AND _v_mi < 60 AND _v_ss < 60
         THEN CAST(make_date(_v_y, _v_mo, _v_d) - DATE '1970-01-01' AS BIGINT) * 86400 + _v_hh * 3600 + _v_mi * 60 + _v_ss END`
      : "_v_typed_ep";
    // Typed dates skip the two text layers (each is a pass over every row in PostgreSQL).
    const r3 = dateIsText
      ? `SELECT _v_cid, _v_amt, _v_qty, _v_cancel, _v_ch, _v_cp${dupCol}, _v_tzm${carried},
      ${d.double(wall)} AS _v_wall FROM ${p}2${d.fence}`
      : // Only renames and constants: no fence, so PostgreSQL merges it into the next layer (one pass fewer).
        `SELECT _v_cid, _v_amt, _v_qty, _v_cancel, _v_ch, _v_cp${dupCol}, CAST(NULL AS INTEGER) AS _v_tzm${carried},
      ${d.double(wall)} AS _v_wall FROM ${p}0`;
    // Layer 5: instant, day and classification.
    const ep = "(_v_wall - coalesce(_v_tzm, 0) * 60)";
    const dayOf = local ? "_v_wall" : ep;
    const r4 = `SELECT _v_cid, _v_ch, _v_cp${dupCol}, ${ep} AS _v_ep,
      CAST(floor(${dayOf} / 86400.0) AS BIGINT) AS _v_day,
      CASE WHEN _v_wall IS NULL THEN NULL ELSE coalesce(_v_tzm, ${NO_OFFSET}) END AS _v_tz,
      _v_amt, (${refund}) AS _v_refund,
      _v_cancel${carried}
    FROM ${p}3${d.fence}`;
    return [
      [`${p}0`, r0],
      ...(dateIsText
        ? ([
            [`${p}1`, r1],
            [`${p}2`, r2],
          ] as [string, string][])
        : []),
      [`${p}3`, r3],
      [`${p}4`, r4],
    ];
  };
  // Duplicates (rows equal in every source column) are flagged row by row only when they are dropped.
  // Kept duplicates are only counted (the DUPLICATE_ROW note). Every copy of a row falls in the same
  // customer-day. Where the engine hashes rows cheaply, each row carries a 64-bit hash of its source columns
  // and copies are rows of one customer-day with equal hashes (two different rows of one customer-day
  // colliding is a 2^-64 chance); elsewhere the repeated rows are found by a GROUP BY over all columns.
  const dup = dupMode === "drop" ? `row_number() OVER (PARTITION BY ${allCols})` : undefined;
  const hashed = dupMode === "keep" && d.rowHash !== undefined;
  // The source columns ride along only for the rejected-rows query.
  const carry = `${keepRaw ? `, ${allCols}` : ""}${ordered ? ", _v_rn" : ""}`;
  const main = layers(
    "r",
    ordered ? "_v_in" : input.relation,
    dup,
    carry,
    hashed ? d.rowHash!(input.columns) : undefined,
  );
  // Text keys compared byte by byte (equality is the same; PostgreSQL's sort is much cheaper).
  const repKeys = input.columns
    .map((c) =>
      c.kind === "text" ? `${d.byteOrder(d.text(d.ident(c.name)))} AS ${d.ident(c.name)}` : d.ident(c.name),
    )
    .join(", ");
  const src = ordered ? "_v_in" : input.relation;
  const repeated =
    dupMode === "keep" && !hashed
      ? layers(
          "dr",
          `(SELECT ${repKeys}, count(*) - 1 AS _v_extra FROM ${src}
            GROUP BY ${input.columns.map((_, i) => i + 1).join(", ")} HAVING count(*) > 1) _v_rep`,
          undefined,
          ", _v_extra",
        )
      : [];
  const endDay = input.observationEndDay;
  // Reject reasons in order of precedence: [code, condition].
  const reasons: [string, string][] = [
    ["MISSING_CUSTOMER_ID", "_v_cid IS NULL"],
    ["BAD_DATE", "_v_day IS NULL"],
    ["BAD_AMOUNT", "_v_amt IS NULL"],
    ...(endDay !== undefined ? [["DATE_AFTER_END", `_v_day > ${bindDay(endDay)}`] as [string, string]] : []),
    ...(dupMode === "drop" ? [["DUPLICATE_ROW", "_v_dup > 1"] as [string, string]] : []),
    ...(o.zeroAmounts === "reject"
      ? [["ZERO_AMOUNT", "NOT _v_refund AND _v_amt = 0"] as [string, string]]
      : []),
  ];
  const reject = reasons.map(([code, cond]) => `WHEN ${cond} THEN '${code}'`).join(" ");
  const classify = (p: string) => `SELECT *, CASE ${reject} END AS _v_code,
      CASE WHEN _v_refund THEN -abs(_v_amt) ELSE _v_amt END AS _v_val
    FROM ${p}4`;
  // The parsed and classified rows, materialized: the customer-days, the refunds before a first purchase,
  // the row report and the duplicate count each read them, and parsing is the expensive part.
  const rowCols = [
    "_v_cid",
    "_v_day",
    "_v_tz",
    "_v_val",
    "_v_refund",
    "_v_cancel",
    "_v_code",
    ...(m.channel !== undefined || m.campaign !== undefined ? ["_v_ep"] : []),
    ...(m.channel !== undefined ? ["_v_ch"] : []),
    ...(m.campaign !== undefined ? ["_v_cp"] : []),
    ...(ordered ? ["_v_rn"] : []),
    ...(hashed ? ["_v_h"] : []),
  ];
  const rows = `SELECT ${rowCols.join(", ")}${keepRaw ? `, ${allCols}` : ""} FROM (${classify("r")}) r5`;
  // row_number() OVER () numbers rows in one thread, and so does everything DuckDB streams after it up to the
  // next pipeline breaker. Materialized, the numbered rows are parsed and grouped by all threads, and the
  // repeated-row count reads them instead of reading the files again. A relation that carries its own
  // numbers (a table loaded in input order) needs neither, and parsed rows loaded into a table need no
  // parsing at all.
  // The loaded rows are read by four parts of the query; a copy of them (DuckDB materializes a CTE used more
  // than once) cost 1.9 GB at 10M customers.
  const pipelines = input.parsed
    ? [
        [
          "rows",
          `SELECT *${ordered ? `, ${input.rowNumber ?? "row_number() OVER ()"} AS _v_rn` : ""} FROM ${input.relation}`,
          "NOT MATERIALIZED ",
        ],
      ]
    : [
        ...(ordered
          ? [
              input.rowNumber !== undefined
                ? ["_v_in", `SELECT *, ${input.rowNumber} AS _v_rn FROM ${input.relation}`]
                : [
                    "_v_in",
                    `SELECT *, row_number() OVER () AS _v_rn FROM ${input.relation}`,
                    "MATERIALIZED ",
                  ],
            ]
          : []),
        ...main,
        // Loaded into a table by the engine in rows mode (a materialized scan need not keep input order).
        ["rows", rows, mode === "rows" ? undefined : "MATERIALIZED "],
      ];
  const withParsed = `WITH ${pipelines.map(([name, sql, how]) => `${name} AS ${how ?? ""}(${sql})`).join(",\n  ")}`;
  if (mode === "rows") {
    const none: RowSelect = () => {
      throw new Error("the parsed-rows query has no report rows");
    };
    return {
      ctes: withParsed,
      params,
      row: none,
      notes: [],
      ordered,
      codes: [],
    };
  }
  const ord = (v: string, at: string) => `${at}, ${d.byteOrder(v)} NULLS LAST`;
  const count = (cond: string) => d.double(`count(*) FILTER (WHERE ${cond})`);
  const noCancel = cancelled === "false";
  // Level 1: customer-day, over used rows only (rejected rows are counted in `rep`). Feeds only the
  // customer level, so it is not materialized (25M rows at 10M customers). Only what needs the day level
  // is aggregated here: the report's counts of zero, negative and cancelled rows and the refunds netted
  // come from the few rows they concern (`special`), which keeps the two big groupings narrow.
  const cday = `SELECT _v_cid AS cid, _v_day AS day,
      ${d.double("count(*)")} AS n,
      ${count("NOT _v_refund")} AS np,
      sum(_v_val) AS amt${
        m.channel !== undefined
          ? `,
      ${d.firstBy("_v_ch", ord("_v_ch", "_v_ep"), "NOT _v_refund")} AS ch`
          : ""
      }${
        m.campaign !== undefined
          ? `,
      ${d.firstBy("_v_cp", ord("_v_cp", "_v_ep"), "NOT _v_refund")} AS cp`
          : ""
      }${ordered ? ", min(_v_rn) AS rn" : ""}${hashed ? ", min(_v_h) AS h_lo, max(_v_h) AS h_hi" : ""}
    FROM ${
      d.hashGroups
        ? "rows WHERE _v_code IS NULL"
        : // Sorted grouping: rows of a customer-day also in order of value, so that a day's amounts are
          // summed in the same order in every run. Parallel workers hand the rows over in a different order
          // each time, and a sum of three or more amounts can then differ in the last bit. The sort compares
          // values only between rows of one customer-day (2% of the rows of the 10M-row benchmark).
          "(SELECT * FROM rows WHERE _v_code IS NULL ORDER BY _v_cid, _v_day, _v_val) r"
    }
    GROUP BY _v_cid, _v_day`;
  // The row report from one scan of the rows: rows by reason and by written offset (NO_OFFSET when none was
  // written; NULL without a date), and the last day of a used row. An engine that groups by hashing groups
  // the rows by reason and offset. Grouping by sorting (PostgreSQL's pushdown) would sort all rows for a
  // handful of groups (3 s of 10M rows): there one ungrouped pass counts each reason of the closed set and
  // finds the smallest and largest offset; rows are grouped by offset only when those differ (a one-time
  // filter), which needs text dates written with several offsets. That pass also counts the rows `special`
  // reads, so the join is skipped where there are none.
  const special0 = "_v_code IS NULL AND (_v_refund OR _v_val = 0)";
  const rep = d.hashGroups
    ? `SELECT _v_code AS code, _v_tz AS tz, ${d.double("count(*)")} AS n,
      max(_v_day) FILTER (WHERE _v_code IS NULL) AS last_day
    FROM rows GROUP BY _v_code, _v_tz`
    : `SELECT ${d.double("count(*)")} AS n,${reasons.map((_, k) => `\n      ${count(`_v_code = '${reasons[k]![0]}'`)} AS n_${k},`).join("")}
      min(_v_tz) AS tz_lo, max(_v_tz) AS tz_hi, ${count("_v_tz IS NOT NULL")} AS n_tz,
      max(_v_day) FILTER (WHERE _v_code IS NULL) AS last_day, ${count(special0)} AS n_special
    FROM rows`;
  const cal =
    input.calibrationEndDay !== undefined
      ? bindDay(input.calibrationEndDay)
      : endDay !== undefined
        ? bindDay(endDay)
        : "last_day";
  // The last used day (also the calibration end when none is given).
  const ends = `SELECT CAST(${cal} AS BIGINT) AS cal, last_day FROM (SELECT max(last_day) AS last_day FROM rep) m`;
  // Without a calibration end every used day is on or before `cal` (the last used day, or the end date after
  // which rows are rejected): the holdout columns are 0, the day tests drop out, and the customer grouping
  // needs no join with `ends` (a third fewer conditions per customer-day at 1M customers).
  const holdout = input.calibrationEndDay !== undefined;
  const inCal = (cond: string) => (holdout ? `${cond} AND day <= ends.cal` : cond);
  // Level 2: customer. Everything that does not depend on the first purchase day f comes from one pass; the
  // few refund and zero-amount rows are split at f by a join afterwards (`special`), which is much cheaper
  // than a window over all customer-days. With row hashes, a customer's two-row days whose rows hash equally are copies (dup2);
  // customers with a day of three or more rows, or a refund-only day (which may lie before f), have their
  // copies counted row by row instead (dup_rows).
  const cust = `SELECT cid, min(CASE WHEN np > 0 THEN day END) AS f, sum(n) AS n_all,
      ${count(inCal("np > 0"))} - 1 AS x,
      max(CASE WHEN ${inCal("np > 0")} THEN day END) AS last_day,
      ${d.argMin("amt", "day", "np > 0", "double")} AS first_amount,
      sum(CASE WHEN ${inCal("np > 0")} THEN amt ELSE 0 END) AS purchase_sum,
      ${holdout ? "sum(CASE WHEN day <= ends.cal THEN amt ELSE 0 END)" : "sum(amt)"} AS cal_sum,
      ${holdout ? count("np > 0 AND day > ends.cal") : d.double("0")} AS xh,
      ${holdout ? "sum(CASE WHEN day > ends.cal THEN amt ELSE 0 END)" : d.double("0")} AS rh${[
        // Unmapped channel and campaign columns are left out of the materialized customers (10M rows).
        ...(m.channel !== undefined ? [`${d.argMin("ch", "day", "np > 0", "text")} AS ch`] : []),
        ...(m.campaign !== undefined ? [`${d.argMin("cp", "day", "np > 0", "text")} AS cp`] : []),
        ...(ordered ? ["min(rn) AS rn"] : []),
        ...(hashed
          ? [
              `${count("n = 2 AND h_lo = h_hi")} AS dup2`,
              `coalesce(bool_or(n > 2 OR np = 0), false) AS dup_rows`,
            ]
          : []),
      ]
        .map((c) => `,\n      ${c}`)
        .join("")}
    FROM cday${holdout ? " CROSS JOIN ends" : ""} GROUP BY cid`;
  // The used refunds and zero-amount purchases, per customer, split at the first purchase day f: refunds
  // before it are exactly the refund-only days before it, left out of the summary (REFUND_WITHOUT_PURCHASE);
  // from f on they are the report's negative, cancelled and zero-amount rows and the refunds netted. Such
  // rows are few, and the engine filters them while scanning.
  const cancel = noCancel ? "false" : "coalesce(r._v_cancel, false)";
  const early = "(c.f IS NULL OR r._v_day < c.f)";
  const special = `SELECT c.cid, ${count(`r._v_refund AND ${early}`)} AS n_before,
      sum(r._v_val) FILTER (WHERE r._v_refund AND ${early}) AS amt_before,
      ${count("NOT r._v_refund")} AS nz,
      ${count(`r._v_refund AND NOT ${early} AND NOT ${cancel}`)} AS nneg,
      ${noCancel ? d.double("0") : count(`r._v_refund AND NOT ${early} AND ${cancel}`)} AS ncanc,
      sum(r._v_val) FILTER (WHERE r._v_refund AND NOT ${early}) AS ref_amt
    FROM rows r JOIN cust c ON r._v_cid = c.cid
    WHERE r._v_code IS NULL AND (r._v_refund OR r._v_val = 0)${d.hashGroups ? "" : " AND (SELECT n_special > 0 FROM rep)"} GROUP BY c.cid`;
  const status = `CASE WHEN c.f IS NULL THEN 'REFUND_WITHOUT_PURCHASE' WHEN c.f > e.cal THEN 'FIRST_PURCHASE_AFTER_CALIBRATION' ELSE 'OK' END`;
  const cust2 = `SELECT c.cid, c.f, c.n_all AS n, coalesce(b.n_before, 0) AS n_before, c.x, c.last_day, c.first_amount,
      c.purchase_sum - c.first_amount AS repeat_sum, c.cal_sum - coalesce(b.amt_before, 0) AS historic, c.xh, c.rh,
      coalesce(b.nz, 0) AS nz, coalesce(b.nneg, 0) AS nneg, coalesce(b.ncanc, 0) AS ncanc,
      coalesce(b.ref_amt, 0) AS ref_amt,${m.channel !== undefined ? " c.ch," : ""}${m.campaign !== undefined ? " c.cp," : ""}${hashed ? " c.dup2, c.dup_rows," : ""}
      ${status} AS status${ordered ? ", c.rn" : ""}
    FROM cust c CROSS JOIN ends e LEFT JOIN special b ON b.cid = c.cid`;
  const D = (e: string) => d.double(e);
  const none = D("NULL");
  const layout = summaryLayout(input);
  // Report rows carry their counts n and v in the first two number columns.
  const row: RowSelect = (kind, cols) => {
    const numbers = [
      cols.first_day ?? cols.n,
      cols.last_day ?? cols.v,
      cols.x,
      cols.first_amount,
      cols.repeat_sum,
      cols.historic,
    ].map((e, i) => `${e ? D(e) : none} AS v${i}`);
    const optional = [
      ...(layout.holdout !== undefined
        ? [
            `${cols.x_holdout ? D(cols.x_holdout) : none} AS x_holdout`,
            `${cols.revenue_holdout ? D(cols.revenue_holdout) : none} AS revenue_holdout`,
          ]
        : []),
      ...(layout.channel !== undefined ? [`${cols.channel ?? nullText} AS channel`] : []),
      ...(layout.campaign !== undefined ? [`${cols.campaign ?? nullText} AS campaign`] : []),
      ...(layout.ord !== undefined ? [`${cols.ord ? D(cols.ord) : none} AS ord`] : []),
    ];
    return `SELECT ${D(String(ROW_KIND[kind]))} AS kind, ${cols.id ?? nullText} AS id, ${[...numbers, ...optional].join(", ")}`;
  };
  // The report's sums over summarized customers, from one scan of them.
  // start: where the backtest's tracking periods begin (the earliest first purchase). Read from this
  // materialized row: PostgreSQL re-ran it as an inline aggregate for every tracked day of a nested loop.
  const okt = `SELECT sum(n_before) AS n_before, sum(nz) AS nz, sum(nneg) AS nneg, sum(ncanc) AS ncanc,
      sum(ref_amt) AS ref_amt, min(f) AS start${hashed ? ", sum(CASE WHEN dup_rows THEN 0 ELSE dup2 END) AS dup2" : ""}
    FROM cust2 WHERE status = 'OK'`;
  const notes = ["ZERO_AMOUNT:nz", "NEGATIVE_AMOUNT:nneg", "CANCELLED_ORDER:ncanc"].map((s) => {
    const [code, c] = s.split(":");
    return `${row("N", { id: `'${code}'`, n: c })} FROM okt`;
  });
  // Kept duplicates of used rows of summarized customers, from the first purchase day on (refund-only days
  // before it are not part of the summary). Dropped duplicates are rejected rows, never used ones.
  const copies = hashed
    ? `SELECT count(*) - 1 AS extra FROM rows r JOIN cust2 c ON r._v_cid = c.cid
      WHERE r._v_code IS NULL AND c.dup_rows AND c.status = 'OK' AND r._v_day >= c.f
      GROUP BY r._v_cid, r._v_day, r._v_h HAVING count(*) > 1`
    : "";
  notes.push(
    dupMode !== "keep"
      ? row("N", { id: "'DUPLICATE_ROW'", n: "0" })
      : hashed
        ? `${row("N", { id: "'DUPLICATE_ROW'", n: "coalesce(okt.dup2, 0) + coalesce(k.extra, 0)" })}
  FROM okt CROSS JOIN (SELECT sum(extra) AS extra FROM (${copies}) k0) k`
        : `${row("N", { id: "'DUPLICATE_ROW'", n: "coalesce(sum(r._v_extra), 0)" })} FROM dr5 r JOIN cust2 c ON r._v_cid = c.cid
  WHERE r._v_code IS NULL AND c.status = 'OK' AND r._v_day >= c.f`,
  );
  // DuckDB re-reads the customers (one hash probe into the few special rows' customers) where it would
  // write a 10M-row copy of them; PostgreSQL keeps its materialized copy.
  const dupCtes = repeated.length ? [...repeated, ["dr5", classify("dr")]] : [];
  const ctes = `${withParsed},${dupCtes.map(([name, sql]) => `\n  ${name} AS (${sql}),`).join("")}
  cday AS (${cday}),
  rep AS MATERIALIZED (${rep}),
  ends AS MATERIALIZED (${ends}),
  cust AS MATERIALIZED (${cust}),
  special AS (${special}),
  cust2 AS ${d.name === "duckdb" ? "NOT " : ""}MATERIALIZED (${cust2}),
  okt AS MATERIALIZED (${okt})`;
  return { ctes, params, row, notes, ordered, codes: reasons.map(([code]) => code) };
}
