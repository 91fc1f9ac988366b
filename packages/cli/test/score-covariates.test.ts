// Scoring with a model document written by `fit --covariates --out` (for predict --model-file).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { covariatePredictor, pnbdPredictor, summarizeTransactions } from "@valuecast/core";
import type { CovariateModelDocument } from "../src/covariates/fit-covariates.ts";
import { isCovariateDocument, scoreWithCovariateDocument } from "../src/covariates/score-covariates.ts";
import { columnsFromSummaryColumns } from "../src/customers.ts";
import { readTransactionFiles } from "../src/transactions-file.ts";
import { run } from "./run.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const ORDERS = `${FIXTURES}channel-orders.csv`;
const CUSTOMERS = `${FIXTURES}channel-customers.csv`;

describe("scoreWithCovariateDocument", () => {
  it("scores each customer at their channel's individual parameters, and customers without covariates with the base model", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vc-cov-"));
    const file = join(dir, "model.json");
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
    const doc = JSON.parse(readFileSync(file, "utf8")) as CovariateModelDocument;
    assert.ok(isCovariateDocument(doc));
    const read = readTransactionFiles(ORDERS, { channel: "channel" });
    const columns = columnsFromSummaryColumns(
      summarizeTransactions(read.transactions, { timeUnit: "week" }).columns,
    );
    const { scores, scoredWithBase, scoredWithCovariates } = scoreWithCovariateDocument(
      doc,
      columns,
      { horizonInUnits: 52, discountRate: 0, margin: 1 },
      { transactions: read.transactions, file: { path: CUSTOMERS, shown: "channel-customers.csv" } },
    );
    assert.equal(scoredWithCovariates, 58);
    assert.equal(scoredWithBase, 2); // c59, c60 have no row in channel-customers.csv
    const age = new Map(
      readFileSync(CUSTOMERS, "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",") as [string, string]),
    );
    const channelOf = new Map(columns.ids.map((id, i) => [id, columns.source!.channel![i]!]));
    const [ageCol, channelCol] = [
      doc.covariates.columns.find((c) => c.name === "age_band")!,
      doc.covariates.columns.find((c) => c.name === "channel")!,
    ];
    assert.ok(ageCol.kind === "categorical" && channelCol.kind === "categorical");
    columns.ids.forEach((id, i) => {
      const a = age.get(id);
      const pred = a
        ? covariatePredictor("pnbd", doc.params, {
            ...Object.fromEntries(
              channelCol.levels.map((l, j) => [channelCol.columns[j]!, channelOf.get(id) === l ? 1 : 0]),
            ),
            ...Object.fromEntries(ageCol.levels.map((l, j) => [ageCol.columns[j]!, a === l ? 1 : 0])),
          })
        : pnbdPredictor(doc.covariates.base.params);
      const expected = pred.conditionalExpectedPurchases(52, columns.x[i]!, columns.t_x[i]!, columns.T[i]!);
      assert.ok(Math.abs(scores.expectedPurchases[i]! - expected) < 1e-9 * Math.max(1, expected), id);
      assert.ok(
        Math.abs(scores.pAlive[i]! - pred.pAlive(columns.x[i]!, columns.t_x[i]!, columns.T[i]!)) < 1e-12,
      );
    });
  });
});
