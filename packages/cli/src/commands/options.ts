import type { OptionSpec } from "../args.ts";

/** How to read a source: column mapping, time unit and period (shared by every command with a <source>). */
export const SOURCE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  input: {
    type: "string",
    value: "transactions|summary",
    choices: ["transactions", "summary"],
    description:
      "what the source holds (default transactions; summary = per-customer x,t_x,T or lifetimes' frequency,recency,T)",
  },
  customer: { type: "string", value: "COL", description: "customer id column (detected when omitted)" },
  date: { type: "string", value: "COL", description: "transaction date column (detected when omitted)" },
  amount: { type: "string", value: "COL", description: "amount column (detected; or quantity x unit price)" },
  channel: { type: "string", value: "COL", description: "acquisition channel column (first order's value)" },
  campaign: {
    type: "string",
    value: "COL",
    description: "acquisition campaign column (first order's value)",
  },
  "time-unit": {
    type: "string",
    value: "day|week|month",
    choices: ["day", "week", "month", "year"],
    description: "unit of x, t_x, T and of the fitted rates (default week)",
  },
  "calibration-end": {
    type: "string",
    value: "DATE",
    description: "end of the calibration period (later purchases become holdout actuals)",
  },
  end: {
    type: "string",
    value: "DATE",
    description: "end of the observation period (default: last date in the data)",
  },
  table: { type: "string", value: "NAME", description: "table to read when the source is a database URL" },
  query: { type: "string", value: "SQL", description: "query to read when the source is a database URL" },
  delimiter: {
    type: "string",
    value: "CHAR",
    description: "field delimiter for text files (detected when omitted)",
  },
  engine: {
    type: "string",
    value: "auto|memory|duckdb",
    choices: ["auto", "memory", "duckdb"],
    description:
      "where summaries are computed: memory (text files, exact rejected-row report), duckdb (any file or database, scales); auto picks",
  },
  rejected: {
    type: "string",
    value: "FILE",
    description: "write every rejected input row (with its reason) to FILE",
  },
};

/** The `<source>` positional as every command documents it. */
export const SOURCE_POSITIONAL = {
  name: "source",
  required: true,
  description:
    "a transaction file (CSV, TSV, whitespace, Parquet, JSON, NDJSON; gzip; a glob or directory of parts), or postgres://… / duckdb:path.db with --table/--query",
} as const;
