import { type Issue, issue, ValuecastError } from "../../errors/issues.ts";
import type { CovariateMatrix } from "./design.ts";

/**
 * How one source column becomes covariates.
 * - "categorical" (channel, campaign, country): one 0/1 column `name=level` per level except the
 *   reference level, which is `reference` when given, else the most frequent level (ties: the level
 *   that sorts first). Coefficients are then effects relative to the reference level.
 * - "numeric" (first_amount, items): passed through raw by default, as CLVTools does (coefficients per
 *   unit of the raw value); `standardise: true` centres and scales it to mean 0, SD 1 (coefficients per
 *   standard deviation; the mean and SD are returned so new customers are encoded the same way).
 *   `log: true` takes ln(value) first (values must be > 0), e.g. for amounts.
 * @example const c: CovariateColumn = { name: "channel", kind: "categorical", reference: "Organic" };
 */
export interface CovariateColumn {
  readonly name: string;
  readonly kind: "categorical" | "numeric";
  readonly reference?: string;
  readonly standardise?: boolean;
  readonly log?: boolean;
}

/**
 * The encoding applied to one source column, enough to encode new customers identically.
 * @example const e: ColumnEncoding = { name: "channel", kind: "categorical", reference: "Organic", levels: ["Email", "Paid"], columns: ["channel=Email", "channel=Paid"] };
 */
export type ColumnEncoding =
  | {
      readonly name: string;
      readonly kind: "categorical";
      /** The reference level (all dummies 0). */
      readonly reference: string;
      /** The non-reference levels, in column order. */
      readonly levels: readonly string[];
      readonly columns: readonly string[];
      /** Customers per level, reference included. */
      readonly counts: Readonly<Record<string, number>>;
    }
  | {
      readonly name: string;
      readonly kind: "numeric";
      readonly log: boolean;
      /** Centre and scale subtracted / divided (0 and 1 when passed through raw). */
      readonly center: number;
      readonly scale: number;
      readonly columns: readonly string[];
    };

/**
 * Result of `encodeCovariates`: the matrix (row-major, input row order), the encodings, and every
 * problem found (missing columns, empty or non-finite values with their row, unknown reference level,
 * a categorical column with a single level). When `issues` is not empty the matrix must not be used.
 * @example const { matrix, encodings, issues }: EncodedCovariates = encodeCovariates(columns, specs);
 */
export interface EncodedCovariates {
  readonly matrix: CovariateMatrix;
  readonly encodings: readonly ColumnEncoding[];
  readonly issues: readonly Issue[];
}

/**
 * A source table: column name -> one value per customer (strings from a CSV, numbers, or missing).
 * @example const t: CovariateTable = { channel: ["Email", "Paid"], first_amount: ["35.10", 20] };
 */
export type CovariateTable = Readonly<Record<string, ArrayLike<string | number | null | undefined>>>;

const MAX_ISSUES = 20;

function isMissing(v: string | number | null | undefined): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

function toNumber(v: string | number | null | undefined): number {
  if (typeof v === "number") return v;
  if (isMissing(v)) return Number.NaN;
  const t = (v as string).trim();
  // Number("") is 0 and Number("0x1A") is 26: accept only plain decimal / scientific numbers.
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

/**
 * One-hot encodes categorical columns against a reference level and passes numeric columns through
 * (raw, or log and/or standardised on request), collecting every problem as an issue (code INVALID_DATA
 * with the row index and column, MISSING_COLUMN, BAD_OPTION_VALUE for an unknown reference level).
 * Nothing is dropped silently: a missing or non-numeric value is an issue, not a zero.
 * @example
 * const { matrix, encodings } = encodeCovariates(
 *   { channel: ["Email", "Paid", "Email"], first_amount: [20, 35, 50] },
 *   [{ name: "channel", kind: "categorical" }, { name: "first_amount", kind: "numeric" }],
 * );
 * matrix.names; // ["channel=Paid", "first_amount"] (reference "Email", the most frequent)
 */
export function encodeCovariates(
  table: CovariateTable,
  columns: readonly CovariateColumn[],
): EncodedCovariates {
  const issues: Issue[] = [];
  const present = columns.filter((c) => {
    if (table[c.name] !== undefined) return true;
    issues.push(issue("MISSING_COLUMN", `covariates: no column '${c.name}'`, { column: c.name }));
    return false;
  });
  const lengths = new Set(present.map((c) => table[c.name]!.length));
  if (lengths.size > 1) {
    issues.push(issue("INVALID_DATA", "covariates: the columns have different lengths"));
    return { matrix: { names: [], values: new Float64Array(0) }, encodings: [], issues };
  }
  const n = present.length > 0 ? table[present[0]!.name]!.length : 0;
  const encodings: ColumnEncoding[] = [];
  const blocks: Float64Array[] = []; // one n-vector per output column
  for (const c of present) {
    const src = table[c.name]!;
    if (c.kind === "categorical") {
      const counts = new Map<string, number>();
      const labels: string[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (isMissing(v)) {
          if (issues.length < MAX_ISSUES) {
            issues.push(
              issue("INVALID_DATA", `covariates: '${c.name}' is empty in row ${i}`, {
                index: i,
                column: c.name,
              }),
            );
          }
          continue;
        }
        const label = String(v).trim();
        labels[i] = label;
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      const byFrequency = [...counts.keys()].sort(
        (a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0),
      );
      if (c.reference !== undefined && !counts.has(c.reference)) {
        issues.push(
          issue(
            "BAD_OPTION_VALUE",
            `covariates: reference level '${c.reference}' does not occur in '${c.name}' (levels: ${byFrequency.slice(0, 10).join(", ")})`,
            {
              column: c.name,
            },
          ),
        );
        continue;
      }
      if (counts.size < 2) {
        issues.push(
          issue(
            "INVALID_DATA",
            `covariates: '${c.name}' has ${counts.size} level(s); a categorical covariate needs at least 2`,
            {
              column: c.name,
            },
          ),
        );
        continue;
      }
      const reference = c.reference ?? byFrequency[0]!;
      const levels = byFrequency.filter((l) => l !== reference);
      const names = levels.map((l) => `${c.name}=${l}`);
      const at = new Map(levels.map((l, j) => [l, j]));
      const cols = levels.map(() => new Float64Array(n));
      for (let i = 0; i < n; i++) {
        const j = labels[i] === undefined ? undefined : at.get(labels[i]!);
        if (j !== undefined) cols[j]![i] = 1;
      }
      blocks.push(...cols);
      encodings.push({
        name: c.name,
        kind: "categorical",
        reference,
        levels,
        columns: names,
        counts: Object.fromEntries(counts),
      });
    } else {
      const col = new Float64Array(n);
      let bad = false;
      for (let i = 0; i < n; i++) {
        let v = toNumber(src[i]);
        if (c.log) v = v > 0 ? Math.log(v) : Number.NaN;
        if (!Number.isFinite(v)) {
          bad = true;
          if (issues.length < MAX_ISSUES) {
            issues.push(
              issue(
                "INVALID_DATA",
                `covariates: '${c.name}' in row ${i} is ${c.log ? "not a positive number" : "not a finite number"} (${String(src[i])})`,
                { index: i, column: c.name },
              ),
            );
          }
        }
        col[i] = v;
      }
      let center = 0;
      let scale = 1;
      if (c.standardise && !bad && n > 1) {
        let mean = 0;
        for (let i = 0; i < n; i++) mean += (col[i]! - mean) / (i + 1);
        let ss = 0;
        for (let i = 0; i < n; i++) ss += (col[i]! - mean) ** 2;
        const sd = Math.sqrt(ss / (n - 1));
        if (!(sd > 0)) {
          issues.push(
            issue("INVALID_DATA", `covariates: '${c.name}' is constant and cannot be standardised`, {
              column: c.name,
            }),
          );
        } else {
          center = mean;
          scale = sd;
          for (let i = 0; i < n; i++) col[i] = (col[i]! - mean) / sd;
        }
      }
      blocks.push(col);
      encodings.push({
        name: c.name,
        kind: "numeric",
        log: c.log ?? false,
        center,
        scale,
        columns: [c.name],
      });
    }
  }
  const names = encodings.flatMap((e) => e.columns);
  const K = names.length;
  const values = new Float64Array(n * K);
  for (let k = 0; k < K; k++) {
    const b = blocks[k]!;
    for (let i = 0; i < n; i++) values[i * K + k] = b[i]!;
  }
  return { matrix: { names, values }, encodings, issues };
}

/**
 * Encodes ONE customer's raw covariates (e.g. a new customer: `{ channel: "Email", first_amount: 35 }`)
 * with the encodings of a fit, giving the record of encoded columns that `covariatePredictor` takes.
 * The reference level gives all-zero dummies; an unseen level or a bad number throws INVALID_DATA.
 * @example encodeCovariateRow(encodings, { channel: "Paid", first_amount: 35 }) // { "channel=Paid": 1, first_amount: 35 }
 */
export function encodeCovariateRow(
  encodings: readonly ColumnEncoding[],
  raw: Readonly<Record<string, string | number | null | undefined>>,
): Record<string, number> {
  const issues: Issue[] = [];
  const out: Record<string, number> = {};
  for (const e of encodings) {
    const v = raw[e.name];
    if (e.kind === "categorical") {
      const label = isMissing(v) ? undefined : String(v).trim();
      if (label === undefined || (label !== e.reference && !e.levels.includes(label))) {
        issues.push(
          issue(
            "INVALID_DATA",
            `covariates: '${e.name}' = ${String(v)} is not a level seen in the fit (${[e.reference, ...e.levels].join(", ")})`,
            {
              column: e.name,
            },
          ),
        );
        continue;
      }
      for (const [j, level] of e.levels.entries()) out[e.columns[j]!] = level === label ? 1 : 0;
    } else {
      let x = toNumber(v);
      if (e.log) x = x > 0 ? Math.log(x) : Number.NaN;
      if (!Number.isFinite(x)) {
        issues.push(
          issue("INVALID_DATA", `covariates: '${e.name}' = ${String(v)} is not a valid number`, {
            column: e.name,
          }),
        );
        continue;
      }
      out[e.name] = (x - e.center) / e.scale;
    }
  }
  if (issues.length > 0) throw new ValuecastError(issues);
  return out;
}
