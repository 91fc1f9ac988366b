// Scoring with a model document written by `fit --covariates --out` (for predict --model-file).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { summarizeTransactions } from "@valuecast/core";
import { isCovariateDocument, scoreWithCovariateDocument } from "../src/covariates/score-covariates.ts";
import { columnsFromSummaryColumns } from "../src/customers.ts";
import { readTransactionFiles } from "../src/transactions-file.ts";
import {
  ageBands,
  CUSTOMERS,
  expectedPredictor,
  fitChannelCovariates,
  ORDERS,
} from "./channel-covariates.ts";

describe("scoreWithCovariateDocument", () => {
  it("scores each customer at their channel's individual parameters, and customers without covariates with the base model", async () => {
    const { doc } = await fitChannelCovariates();
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
    const age = ageBands();
    const channelOf = new Map(columns.ids.map((id, i) => [id, columns.source!.channel![i]!]));
    columns.ids.forEach((id, i) => {
      const pred = expectedPredictor(doc, channelOf.get(id), age.get(id));
      const expected = pred.conditionalExpectedPurchases(52, columns.x[i]!, columns.t_x[i]!, columns.T[i]!);
      assert.ok(Math.abs(scores.expectedPurchases[i]! - expected) < 1e-9 * Math.max(1, expected), id);
      assert.ok(
        Math.abs(scores.pAlive[i]! - pred.pAlive(columns.x[i]!, columns.t_x[i]!, columns.T[i]!)) < 1e-12,
      );
    });
  });
});
