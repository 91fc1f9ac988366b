import { type Issue, issue } from "../../errors/issues.ts";
import { compressRfmData, validateRfm } from "../rfm-data.ts";
import type { RfmData } from "../types.ts";

/**
 * A covariate matrix: `values` row-major n × K (row i holds customer i's K covariates), one name per
 * column (encoded names such as `channel=Email` or `first_amount`).
 * @example const z: CovariateMatrix = { names: ["uk"], values: Float64Array.of(1, 0, 1) };
 */
export interface CovariateMatrix {
  readonly names: readonly string[];
  readonly values: Float64Array;
}

/**
 * Design data for a model with static covariates (CLVTools' "static covariates"): the customers'
 * (x, t_x, T[, weight]), their covariates z, and which columns of z enter the transaction process
 * (`trans`, acting on alpha) and which the lifetime / dropout process (`life`). A column may enter both.
 * @example const d: CovariateDesign = covariateDesign(rfm, z, { trans: ["uk"], life: ["uk"] });
 */
export interface CovariateDesign extends RfmData {
  readonly z: CovariateMatrix;
  /** Column numbers of z entering the transaction process, in parameter order. */
  readonly trans: readonly number[];
  /** Column numbers of z entering the lifetime process, in parameter order. */
  readonly life: readonly number[];
}

/**
 * Which covariates enter which process, by column name. A name may be an encoded column (`channel=Email`)
 * or a source column of `encodeCovariates` (`channel`, meaning all its dummy columns `channel=…`).
 * Absent `trans` / `life`: every column enters that process.
 * @example const s: CovariateSelection = { trans: ["channel", "first_amount"], life: ["channel"] };
 */
export interface CovariateSelection {
  readonly trans?: readonly string[];
  readonly life?: readonly string[];
}

/** Number of columns K of a covariate matrix over n rows (0 when there are none). */
function columnCount(z: CovariateMatrix): number {
  return z.names.length;
}

/** Resolves names (encoded or source columns) to column numbers, collecting unknown names as issues. */
function resolve(names: readonly string[] | undefined, z: CovariateMatrix, process: string, issues: Issue[]) {
  if (!names) return z.names.map((_, k) => k);
  const out: number[] = [];
  for (const name of names) {
    const exact = z.names.indexOf(name);
    const matches = exact >= 0 ? [exact] : z.names.flatMap((n, k) => (n.startsWith(`${name}=`) ? [k] : []));
    if (matches.length === 0) {
      issues.push(
        issue("MISSING_COLUMN", `covariates: no covariate named '${name}' for the ${process} process`, {
          field: name,
        }),
      );
    }
    for (const k of matches) if (!out.includes(k)) out.push(k);
  }
  return out;
}

/**
 * Builds a `CovariateDesign`, resolving the selection to column numbers. Throws nothing: problems
 * (unknown names, shape mismatches, non-finite covariates) are reported by `validateCovariateDesign`
 * and by `fitModel` through the spec; unknown names are returned as issues here.
 * @example
 * const { design } = covariateDesign(rfmData([0, 2], [0, 30], [39, 39]), { names: ["uk"], values: Float64Array.of(1, 0) });
 * design.trans; // [0]
 */
export function covariateDesign(
  rfm: RfmData,
  z: CovariateMatrix,
  selection: CovariateSelection = {},
): { design: CovariateDesign; issues: Issue[] } {
  const issues: Issue[] = [];
  const trans = resolve(selection.trans, z, "transaction", issues);
  const life = resolve(selection.life, z, "lifetime", issues);
  const base = { x: rfm.x, t_x: rfm.t_x, T: rfm.T, z, trans, life };
  return { design: rfm.weight ? { ...base, weight: rfm.weight } : base, issues };
}

/**
 * Every problem with a design at once: the (x, t_x, T) checks of `validateRfm`, the covariate matrix's
 * shape, non-finite covariates (row and column named, at most 20), column numbers out of range, and
 * covariates that are constant over all customers (they duplicate alpha / beta and make the likelihood
 * flat along a direction: the coefficient is not identified).
 * @example validateCovariateDesign(design, "pnbd") // [] when usable
 */
export function validateCovariateDesign(d: CovariateDesign, model: string): Issue[] {
  const issues = validateRfm(d, model);
  const n = d.x.length;
  const K = columnCount(d.z);
  if (d.z.values.length !== n * K) {
    issues.push(
      issue(
        "INVALID_DATA",
        `${model}: the covariate matrix has ${d.z.values.length} values, expected ${n} rows × ${K} columns`,
      ),
    );
    return issues;
  }
  for (const k of [...d.trans, ...d.life]) {
    if (!(Number.isInteger(k) && k >= 0 && k < K)) {
      issues.push(issue("INVALID_DATA", `${model}: covariate column ${k} does not exist (K = ${K})`));
      return issues;
    }
  }
  let bad = 0;
  for (let i = 0; i < n && bad < 20; i++) {
    for (let k = 0; k < K; k++) {
      const v = d.z.values[i * K + k]!;
      if (!Number.isFinite(v)) {
        bad++;
        issues.push(
          issue(
            "INVALID_DATA",
            `${model}: covariate '${d.z.names[k]}' of row ${i} is not a finite number (${v})`,
            {
              index: i,
              column: d.z.names[k]!,
            },
          ),
        );
      }
    }
  }
  if (bad > 0) return issues;
  for (const k of new Set([...d.trans, ...d.life])) {
    let constant = true;
    const first = n > 0 ? d.z.values[k]! : 0;
    for (let i = 1; i < n && constant; i++) {
      if ((d.weight ? d.weight[i]! : 1) > 0 && d.z.values[i * K + k] !== first) constant = false;
    }
    if (constant && n > 0) {
      issues.push(
        issue(
          "INVALID_DATA",
          `${model}: covariate '${d.z.names[k]}' has the same value (${first}) for every customer, so its coefficient cannot be estimated`,
          { column: d.z.names[k]! },
        ),
      );
    }
  }
  return issues;
}

/**
 * Customers grouped by their covariate vector (restricted to the columns the model uses): within a
 * group every customer has the same individual parameters, so the likelihood of a group is the
 * no-covariate likelihood at those parameters, and the existing per-row code (tabulated per distinct
 * x, (x, t_x), (x, T)) does the work. `rows[g]` is the group's own RfmData; `z[g · K + k]` its covariates.
 * @example const g = covariateGroups(design); g.rows.length // number of distinct covariate vectors
 */
export interface CovariateGroups {
  readonly rows: readonly RfmData[];
  /** Row-major (groups × K) covariate values of each group (all K columns). */
  readonly z: Float64Array;
  /** For each input row, its group number. */
  readonly groupOf: Int32Array;
  /** For each input row, its position inside its group. */
  readonly positionOf: Int32Array;
}

const groupCache = new WeakMap<CovariateDesign, CovariateGroups>();

/**
 * Groups the rows of a design by the values of the covariates the model uses (cached per design object,
 * which is immutable during a fit). One string key per row, built once per design, not per evaluation.
 * @example covariateGroups(design).rows[0]!.x // the x of the first group's customers
 */
export function covariateGroups(d: CovariateDesign): CovariateGroups {
  const hit = groupCache.get(d);
  if (hit) return hit;
  const n = d.x.length;
  const K = columnCount(d.z);
  const used = [...new Set([...d.trans, ...d.life])].sort((a, b) => a - b);
  const keyOf = new Map<string, number>();
  const groupOf = new Int32Array(n);
  const positionOf = new Int32Array(n);
  const sizes: number[] = [];
  const firstRow: number[] = [];
  for (let i = 0; i < n; i++) {
    let key = "";
    for (const k of used) key += `${d.z.values[i * K + k]! + 0},`;
    let g = keyOf.get(key);
    if (g === undefined) {
      g = sizes.length;
      keyOf.set(key, g);
      sizes.push(0);
      firstRow.push(i);
    }
    groupOf[i] = g;
    positionOf[i] = sizes[g]!;
    sizes[g] = sizes[g]! + 1;
  }
  const G = sizes.length;
  const cols = sizes.map((m) => ({
    x: new Float64Array(m),
    t_x: new Float64Array(m),
    T: new Float64Array(m),
    weight: new Float64Array(m),
  }));
  for (let i = 0; i < n; i++) {
    const c = cols[groupOf[i]!]!;
    const p = positionOf[i]!;
    c.x[p] = d.x[i]!;
    c.t_x[p] = d.t_x[i]!;
    c.T[p] = d.T[i]!;
    c.weight[p] = d.weight ? d.weight[i]! : 1;
  }
  const z = new Float64Array(G * K);
  for (let g = 0; g < G; g++) z.set(d.z.values.subarray(firstRow[g]! * K, firstRow[g]! * K + K), g * K);
  const result: CovariateGroups = { rows: cols, z, groupOf, positionOf };
  groupCache.set(d, result);
  return result;
}

/**
 * Unique (x, t_x, T, z) rows with summed weights: each covariate group is compressed on its own with
 * `compressRfmData`, so fitting the result gives exactly the likelihood of the input.
 * @example compressCovariateDesign(design).weight // counts of identical customers
 */
export function compressCovariateDesign(d: CovariateDesign): CovariateDesign {
  const groups = covariateGroups(d);
  const K = columnCount(d.z);
  const parts = groups.rows.map((rows) => compressRfmData(rows));
  const m = parts.reduce((s, p) => s + p.x.length, 0);
  const x = new Float64Array(m);
  const tx = new Float64Array(m);
  const T = new Float64Array(m);
  const w = new Float64Array(m);
  const z = new Float64Array(m * K);
  let o = 0;
  parts.forEach((p, g) => {
    x.set(p.x, o);
    tx.set(p.t_x, o);
    T.set(p.T, o);
    w.set(p.weight!, o);
    const zg = groups.z.subarray(g * K, g * K + K);
    for (let i = 0; i < p.x.length; i++) z.set(zg, (o + i) * K);
    o += p.x.length;
  });
  return { x, t_x: tx, T, weight: w, z: { names: d.z.names, values: z }, trans: d.trans, life: d.life };
}

/**
 * Every `stride`-th row with its covariates and weight (for the fit pipeline's warm start).
 * @example subsampleCovariateDesign(design, 10).x.length // about a tenth of the rows
 */
export function subsampleCovariateDesign(d: CovariateDesign, stride: number): CovariateDesign {
  const step = Math.max(1, Math.floor(stride));
  const K = columnCount(d.z);
  const m = Math.ceil(d.x.length / step);
  const x = new Float64Array(m);
  const tx = new Float64Array(m);
  const T = new Float64Array(m);
  const w = new Float64Array(m);
  const z = new Float64Array(m * K);
  for (let j = 0, i = 0; i < d.x.length; i += step, j++) {
    x[j] = d.x[i]!;
    tx[j] = d.t_x[i]!;
    T[j] = d.T[i]!;
    w[j] = d.weight ? d.weight[i]! : 1;
    z.set(d.z.values.subarray(i * K, i * K + K), j * K);
  }
  return { x, t_x: tx, T, weight: w, z: { names: d.z.names, values: z }, trans: d.trans, life: d.life };
}

/**
 * The design without its covariates (the no-covariate model's data).
 * @example fitModel(pnbdSpec, designRfm(design))
 */
export function designRfm(d: CovariateDesign): RfmData {
  const base = { x: d.x, t_x: d.t_x, T: d.T };
  return d.weight ? { ...base, weight: d.weight } : base;
}
