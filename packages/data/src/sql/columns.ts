/** What an engine tells us about a source column's type, reduced to what the summary query needs. */
export type ColumnKind = "text" | "number" | "date" | "timestamp" | "timestamptz" | "boolean" | "other";

/** A source column and its kind. */
export interface SourceColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** The engine's own type name where the dialect needs it (PostgreSQL: int4, numeric, text, …). */
  readonly type?: string;
}

/**
 * Which source columns hold what. `amount` is the line value; without it the value is
 * `quantity * unitPrice`. A row is a cancellation when `cancelled` is true-ish ("true", "t", "1", "yes",
 * "y") or when `order` starts with `cancelPrefix` (UCI Online Retail: "C").
 */
export interface ColumnMapping {
  readonly customer: string;
  readonly date: string;
  readonly amount?: string;
  readonly quantity?: string;
  readonly unitPrice?: string;
  readonly channel?: string;
  readonly campaign?: string;
  readonly order?: string;
  readonly cancelled?: string;
  readonly cancelPrefix?: string;
}

/** Maps a DuckDB or PostgreSQL type name to a kind. */
export function columnKind(typeName: string): ColumnKind {
  const t = typeName.toLowerCase();
  if (t === "date") return "date";
  if (t.startsWith("timestamp with time zone") || t === "timestamptz" || t === "timestamp_tz")
    return "timestamptz";
  if (t.startsWith("timestamp")) return "timestamp";
  if (t === "boolean" || t === "bool") return "boolean";
  if (
    /^(tinyint|smallint|integer|int|bigint|hugeint|utinyint|usmallint|uinteger|ubigint|uhugeint|float|double|real|decimal|numeric|int2|int4|int8|float4|float8|double precision)/.test(
      t,
    )
  ) {
    return "number";
  }
  if (/^(varchar|text|character|char|string|bpchar|name|uuid)/.test(t)) return "text";
  return "other";
}
