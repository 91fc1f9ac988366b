// The channel fixture's covariate model (pnbd, transaction covariates channel and age_band), fitted by
// the CLI as a user would, for the tests that score with it.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { covariatePredictor, type PurchasePredictor, pnbdPredictor } from "@valuecast/core";
import type { CovariateModelDocument } from "../src/covariates/fit-covariates.ts";
import { run } from "./run.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
/** 60 customers' orders with an acquisition channel column. */
export const ORDERS = `${FIXTURES}channel-orders.csv`;
/** Per-customer covariates (age_band, household_size) for 58 of them (c59, c60 have no row). */
export const CUSTOMERS = `${FIXTURES}channel-customers.csv`;

/**
 * Runs `fit ORDERS --model pnbd --covariates-file CUSTOMERS --covariates-trans channel,age_band --out`.
 * @example const { file, doc } = await fitChannelCovariates()
 */
export async function fitChannelCovariates(): Promise<{ file: string; doc: CovariateModelDocument }> {
  const file = join(mkdtempSync(join(tmpdir(), "vc-cov-")), "model.json");
  const fit = await run([
    "fit",
    ORDERS,
    "--model",
    "pnbd",
    "--channel",
    "channel",
    "--covariates-file",
    CUSTOMERS,
    "--covariates-trans",
    "channel,age_band",
    "--out",
    file,
  ]);
  assert.equal(fit.code, 0, fit.err);
  return { file, doc: JSON.parse(readFileSync(file, "utf8")) as CovariateModelDocument };
}

/**
 * Customer id -> age band, read straight from the covariates file.
 * @example ageBands().get("c01") // "55+"
 */
export function ageBands(): Map<string, string> {
  return new Map(
    readFileSync(CUSTOMERS, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",") as [string, string]),
  );
}

/**
 * What core's covariate predictor gives a customer of this channel and age band: the model at the
 * customer's individual parameters (one-hot levels as the fit encoded them); without an age band (no row
 * in the covariates file) the model fitted without covariates on the same customers.
 * @example expectedPredictor(doc, "email", "18-34").pAlive(2, 30, 50)
 */
export function expectedPredictor(
  doc: CovariateModelDocument,
  channel: string | undefined,
  age: string | undefined,
): PurchasePredictor {
  if (age === undefined) return pnbdPredictor(doc.covariates.base.params);
  const z: Record<string, number> = {};
  for (const [name, level] of [
    ["channel", channel],
    ["age_band", age],
  ] as const) {
    const c = doc.covariates.columns.find((col) => col.name === name);
    assert.ok(c && c.kind === "categorical", name);
    c.levels.forEach((l, j) => {
      z[c.columns[j]!] = l === level ? 1 : 0;
    });
  }
  return covariatePredictor("pnbd", doc.params, z);
}
