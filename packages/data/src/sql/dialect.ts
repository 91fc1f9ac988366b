import type { SourceColumn } from "./columns.ts";

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
  /**
   * Seconds since 1970-01-01 of a DATE value (NULL for an infinite date), where the engine has a cheaper
   * way for a date than `epochSeconds` (undefined: `epochSeconds`).
   */
  dateEpochSeconds?(expr: string): string;
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
  rowHash?(columns: readonly SourceColumn[]): string;
  /**
   * The engine groups by hashing, so a GROUP BY with a handful of groups (the row report's reasons and
   * offsets) is one pass over the rows. PostgreSQL's pushdown session turns hash aggregation off (see
   * engine/postgres.ts), and such a grouping would sort every row.
   */
  readonly hashGroups: boolean;
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
  // Columns of other kinds (json, geometry, …) by their text.
  rowHash: (columns) =>
    `hash(${columns.map((c) => (c.kind === "other" ? `CAST(${quote(c.name)} AS VARCHAR)` : quote(c.name))).join(", ")})`,
  byteOrder: (e) => e,
  hashGroups: true,
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
  // A date is a day number inside: subtracting is a third of the cost of date_part over a timestamp cast
  // (0.7 s of 10M rows). Infinite dates cannot be subtracted (an error), so they are NULL (BAD_DATE).
  dateEpochSeconds: (e) =>
    `CASE WHEN isfinite(${e}) THEN CAST(${e} - DATE '1970-01-01' AS double precision) * 86400 END`,
  firstBy: (v, o, f) => `(array_agg(${v} ORDER BY ${o}) FILTER (WHERE ${f}))[1]`,
  // array_agg(v ORDER BY k) sorts every group on its own (PostgreSQL 15 does not use the input order). For a
  // double, the smallest array [key, value] gives the same (keys are unique in the group, so the value never
  // decides) at about a tenth of the cost: 1M customer-days, 0.29 s -> 0.04 s of CPU over the plain grouping.
  argMin: (v, k, f, type) =>
    type === "double"
      ? `(min(ARRAY[CAST(${k} AS double precision), ${v}]) FILTER (WHERE ${f}))[2]`
      : `(array_agg(${v} ORDER BY ${k}) FILTER (WHERE ${f}))[1]`,
  // 64-bit hashes (PostgreSQL 14+), NULLs included. The GROUP BY over every column that found repeated rows
  // before was a full aggregation of the table (10M rows: 43.3 s of server CPU for the pushdown, 36.8 s with
  // a row hash). Each column is hashed by its type's own function, seeded by its position (so that values
  // trading places between columns hash differently), and the column hashes are XORed: equal rows hash
  // equally, different rows collide with a 2^-64 chance. hash_record_extended(ROW(…)) looks the types up row
  // by row and cost 1.6 s of 10M rows of three columns. A NULL (the hash functions return NULL for it)
  // becomes a constant of the column's position.
  rowHash: (columns) =>
    columns.map((c, i) => `coalesce(${pgHash(quote(c.name), c.type, i + 1)}, ${-1 - i})`).join(" # "),
  byteOrder: (e) => `${e} COLLATE "C"`,
  hashGroups: false,
  // trim copies every value: 0.7 s of 10M ids, the test 0.35 s. PostgreSQL's trim removes only spaces.
  trimText: (e) => `CASE WHEN ${e} LIKE ' %' OR ${e} LIKE '% ' THEN trim(${e}) ELSE ${e} END`,
  // OFFSET 0 keeps a subquery from being pulled up into its parent (a documented planner fence).
  fence: " OFFSET 0",
};

/**
 * A PostgreSQL column's 64-bit hash seeded by `seed`, by its type's own hash function (equal values hash
 * equally, as in the type's hash index). Dates and timestamps by the timestamp hash: a date becomes a
 * timestamp one to one (infinite dates too); a timestamptz is hashed in a record, since its cast to a
 * timestamp depends on the time zone and is not one to one where clocks turn back.
 */
function pgHash(e: string, type: string | undefined, seed: number): string {
  switch (type) {
    case "text":
    case "varchar":
    case "name":
      return `hashtextextended(CAST(${e} AS text), ${seed})`;
    case "bpchar":
      return `hashbpcharextended(${e}, ${seed})`;
    case "int2":
    case "int4":
    case "int8":
      return `hashint8extended(CAST(${e} AS bigint), ${seed})`;
    case "numeric":
      return `hash_numeric_extended(${e}, ${seed})`;
    case "float4":
    case "float8":
      return `hashfloat8extended(CAST(${e} AS double precision), ${seed})`;
    case "date":
    case "timestamp":
      return `timestamp_hash_extended(CAST(${e} AS timestamp), ${seed})`;
    default:
      // Others through the record hash: booleans, timestamptz, and by their text the types without a hash
      // function (json, point, …: kind "other", no type name here).
      return `hash_record_extended(ROW(${type === undefined ? `CAST(${e} AS text)` : e}), ${seed})`;
  }
}
