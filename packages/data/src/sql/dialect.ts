/**
 * The few places where DuckDB and PostgreSQL SQL differ. The summary query is written once
 * (`summary-query.ts`) in terms of these functions, so both engines run the same logic.
 */
export interface Dialect {
  readonly name: "duckdb" | "postgres";
  /** A quoted identifier ("a""b"). */
  ident(name: string): string;
  /** Cast to text. */
  text(expr: string): string;
  /** Cast to a double. */
  double(expr: string): string;
  /** True when the whole of `expr` matches the (anchor-free) regular expression. */
  fullMatch(expr: string, pattern: string): string;
  /** The first capture group of `pattern` in `expr`, NULL when it does not match. */
  extract(expr: string, pattern: string): string;
  /** Seconds since 1970-01-01 of a DATE / TIMESTAMP / TIMESTAMPTZ value. */
  epochSeconds(expr: string): string;
  /** The `value` of the first row by `orderBy` within a group (NULL values included), restricted by `filter`. */
  firstBy(value: string, orderBy: string, filter: string): string;
  /**
   * The `value` (NULL included) of the row with the smallest `key` (a day number, unique within the group),
   * restricted by `filter`; `type` is the value's type.
   */
  argMin(value: string, key: string, filter: string, type: "double" | "text"): string;
  /**
   * Days since 1970-01-01 when the text is exactly a plain calendar date `YYYY-MM-DD` (year 0001 or later),
   * NULL for anything else (other forms, 2011-02-30); undefined when the engine has no cheap non-failing
   * date cast.
   */
  plainDateDays?(expr: string): string;
  /**
   * The text without leading and trailing spaces, as `trim` gives it, where the engine can skip `trim` for
   * values that have nothing to trim (undefined: plain `trim`).
   */
  trimText?(expr: string): string;
  /**
   * A 64-bit hash of a row's columns (NULLs included) where the engine has a cheap one: equal rows hash
   * equally, so rows whose hash occurs once cannot be repeated.
   */
  rowHash?(exprs: string): string;
  /** A sort key for text that compares by code point (PostgreSQL's default collation would not). */
  byteOrder(expr: string): string;
  /**
   * Appended to a layer's SELECT so the planner computes its columns once per row instead of inlining the
   * expressions into the next layer (PostgreSQL would otherwise copy each parsing step many times over).
   */
  readonly fence: string;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** DuckDB (embedded, the default engine). */
export const duckdbDialect: Dialect = {
  name: "duckdb",
  ident: quote,
  text: (e) => `CAST(${e} AS VARCHAR)`,
  double: (e) => `CAST(${e} AS DOUBLE)`,
  fullMatch: (e, p) => `regexp_full_match(${e}, ${literal(p)})`,
  extract: (e, p) => `NULLIF(regexp_extract(${e}, ${literal(p)}, 1), '')`,
  epochSeconds: (e) => `epoch(CAST(${e} AS TIMESTAMP))`,
  firstBy: (v, o, f) => `first(${v} ORDER BY ${o}) FILTER (WHERE ${f})`,
  // arg_min skips NULL values; arg_min_null keeps them (a first order without a channel has none).
  argMin: (v, k, f) => `arg_min_null(${v}, ${k}) FILTER (WHERE ${f})`,
  // DuckDB's date cast also takes 2011-1-5, 2011/01/05, ' 2011-01-05' and a time after the date. Only text
  // of ten characters that the cast writes back unchanged is a plain date ('infinity' and 10000-01-01 also
  // come back unchanged): this replaces a regular expression and the year-0000 test (year 0 comes back as
  // '0001-01-01 (BC)'), about 40% of the date parsing cost. Anything else takes the general parse.
  plainDateDays: (e) =>
    `CASE WHEN length(${e}) = 10 AND CAST(TRY_CAST(${e} AS DATE) AS VARCHAR) = ${e} THEN CAST(TRY_CAST(${e} AS DATE) - DATE '1970-01-01' AS BIGINT) END`,
  // trim copies every value (about 0.15 us a value, three columns of 2.5M rows at 1M customers). It removes
  // spaces and non-ASCII space characters (not tabs), so a value that neither starts nor ends with a space and
  // is all ASCII (byte length = character length) is already trimmed.
  trimText: (e) =>
    `CASE WHEN starts_with(${e}, ' ') OR ends_with(${e}, ' ') OR strlen(${e}) <> length(${e}) THEN trim(${e}) ELSE ${e} END`,
  rowHash: (e) => `hash(${e})`,
  byteOrder: (e) => e,
  fence: "",
};

/** PostgreSQL (pushdown): no arg_min, no TRY_CAST, POSIX regular expressions, collation-aware text order. */
export const postgresDialect: Dialect = {
  name: "postgres",
  ident: quote,
  text: (e) => `CAST(${e} AS text)`,
  double: (e) => `CAST(${e} AS double precision)`,
  fullMatch: (e, p) => `(${e} ~ ${literal(`^(?:${p})$`)})`,
  extract: (e, p) => `substring(${e} from ${literal(p)})`,
  // date_part gives a double directly; EXTRACT gives numeric (PostgreSQL 14+), which is slow to make.
  epochSeconds: (e) => `date_part('epoch', CAST(${e} AS timestamp))`,
  firstBy: (v, o, f) => `(array_agg(${v} ORDER BY ${o}) FILTER (WHERE ${f}))[1]`,
  // array_agg(v ORDER BY k) sorts every group on its own (PostgreSQL 15 does not use the input order). For a
  // double, the smallest array [key, value] gives the same (keys are unique in the group, so the value never
  // decides) at about a tenth of the cost: 1M customer-days, 0.29 s -> 0.04 s of CPU over the plain grouping.
  argMin: (v, k, f, type) =>
    type === "double"
      ? `(min(ARRAY[CAST(${k} AS double precision), ${v}]) FILTER (WHERE ${f}))[2]`
      : `(array_agg(${v} ORDER BY ${k}) FILTER (WHERE ${f}))[1]`,
  // PostgreSQL 14+ hashes a row value to 64 bits, NULLs included. The GROUP BY over every column that found
  // repeated rows before was a full aggregation of the table: on 10M rows the pushdown used 36.8 s of server
  // CPU with the hash instead of 43.3 s.
  rowHash: (e) => `hash_record_extended(ROW(${e}), 0)`,
  byteOrder: (e) => `${e} COLLATE "C"`,
  // OFFSET 0 keeps a subquery from being pulled up into its parent (a documented planner fence).
  fence: " OFFSET 0",
};
