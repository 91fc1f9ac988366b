import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { type DiscreteRfData, type Issue, issue, ValuecastError } from "@valuecast/core";
import { type NumericTable, optionalColumn, pickColumn, splitLine } from "./summary-file.ts";

/**
 * BG/BB input from a summary table: x (`frequency`), t_x (`recency`), n (`periods` or `n`) and optional
 * `weights` / `weight` / `count` (patterns shared by many customers, as in Fader, Hardie & Shang's
 * donation data).
 * @example fitModel(bgbbModel.spec, discreteFromTable(readNumericTable("donations.csv")))
 */
export function discreteFromTable(table: NumericTable): DiscreteRfData {
  const x = pickColumn(table, ["x", "frequency"], "transactions (x)");
  const t_x = pickColumn(table, ["t_x", "recency"], "last transaction opportunity (t_x)");
  const n = pickColumn(table, ["n", "periods", "n_periods"], "opportunities (n)");
  const weight = optionalColumn(table, ["weights", "weight", "count"]);
  return weight ? { x, t_x, n, weight } : { x, t_x, n };
}

/**
 * sBG survivor curves from a long CSV `cohort,period,active` (active customers of each cohort at each
 * period since acquisition, period 0 = cohort size; `customers` or `survivors` also accepted for
 * `active`). Periods of a cohort must run 0, 1, 2, ... without gaps.
 * @example readSurvivorFile("retention.csv") // [[1000, 631, 468, ...]]
 */
export function readSurvivorFile(path: string, shown = basename(path)): number[][] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ValuecastError([issue("SOURCE_NOT_FOUND", `cannot read '${path}'`, { file: shown })]);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = splitLine(lines[0] ?? "", ",").map((h) => h.trim().toLowerCase());
  const ci = header.indexOf("cohort");
  const pi = header.indexOf("period");
  const ai = ["active", "customers", "survivors"].map((n) => header.indexOf(n)).find((i) => i >= 0) ?? -1;
  if (pi < 0 || ai < 0) {
    throw new ValuecastError([
      issue(
        "MISSING_COLUMN",
        "an sBG survivor file needs columns period and active (and cohort for several)",
        {
          file: shown,
        },
      ),
    ]);
  }
  const issues: Issue[] = [];
  const cohorts = new Map<string, number[]>();
  lines.slice(1).forEach((line, i) => {
    const f = splitLine(line, ",").map((c) => c.trim());
    const period = Number(f[pi]);
    const active = Number(f[ai]);
    const cohort = ci >= 0 ? (f[ci] ?? "") : "all";
    if (!Number.isInteger(period) || period < 0 || f[ai] === "" || !Number.isFinite(active)) {
      issues.push(
        issue("BAD_SUMMARY_VALUE", `period '${f[pi]}' / active '${f[ai]}' is not valid`, {
          file: shown,
          line: i + 2,
        }),
      );
      return;
    }
    const curve = cohorts.get(cohort) ?? [];
    if (period !== curve.length) {
      issues.push(
        issue("BAD_SUMMARY_VALUE", `cohort '${cohort}' jumps to period ${period} after ${curve.length - 1}`, {
          file: shown,
          line: i + 2,
        }),
      );
      return;
    }
    curve.push(active);
    cohorts.set(cohort, curve);
  });
  if (issues.length > 0) throw new ValuecastError(issues);
  return [...cohorts.values()];
}
