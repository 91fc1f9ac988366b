// earlyScoreColumns (issue 6): the early score of the newest customers as per-customer columns.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildEarlyDataset,
  normalizedGini,
  scoreEarly,
  splitEarlyByCohort,
  trainEarlyModel,
} from "@valuecast/core";
import { alignEarlyScores, earlyScoreColumns, earlyScoreOf } from "../src/early/score-columns.ts";
import { readEarlyTransactions } from "../src/early/transactions.ts";
import { DATA } from "./paths.ts";

describe("earlyScoreColumns", () => {
  it("CDNOW scored as of 1997-05-15 (13-week horizon): ranks the value those customers then brought better than their first order", () => {
    const { transactions } = readEarlyTransactions(`${DATA}CDNOW_master.txt`, {}, process.cwd());
    const asOf = Date.UTC(1997, 4, 15);
    // only what was known on 1997-05-15 goes in
    const known = transactions.filter((t) => t.at <= asOf);
    const early = earlyScoreColumns(known, { horizonDays: 91, asOf });
    // trained on customers acquired by 1997-02-06 (7 + 91 days observed), scored: the later ones
    assert.equal(early.trainedOn, 9721);
    assert.equal(early.customerIds.length, 13779);
    assert.equal(early.firstPurchaseAt[0], "1997-02-07");
    assert.equal(early.firstPurchaseAt.at(-1), "1997-03-25");
    assert.equal(early.windowOpen, 0);
    // what those customers actually spent in their 13 weeks, from the full data
    const full = buildEarlyDataset(transactions, { days: 7, horizonDays: 91 });
    const byId = new Map(full.customers.map((c) => [c.customerId, c]));
    const actual = Float64Array.from(early.customerIds, (id) => byId.get(id)!.label);
    const first = Float64Array.from(early.customerIds, (id) => byId.get(id)!.features.first_amount);
    const gini = normalizedGini(actual, early.earlyPltv);
    assert.ok(gini > 0.44, `${gini}`);
    assert.ok(gini > normalizedGini(actual, first) + 0.05);
    let predicted = 0;
    let realised = 0;
    for (let i = 0; i < actual.length; i++) {
      predicted += early.earlyPltv[i]!;
      realised += actual[i]!;
    }
    // aggregate calibration: within 10% (20.35 predicted vs 18.78 realised per customer)
    assert.ok(Math.abs(predicted / realised - 1) < 0.1, `${predicted / realised}`);
    for (const v of early.earlyPltv) assert.ok(Number.isFinite(v) && v >= 0);
    for (const p of early.pAny) assert.ok(p > 0 && p < 1);
  });

  it("Online Retail: scores the cohorts whose 6-month horizon is still open, exactly as core's learn API does", () => {
    const { transactions } = readEarlyTransactions(
      `${DATA}real/uci_online_retail/by-day/*.csv`,
      { channel: "Country" },
      process.cwd(),
    );
    const options = { horizonDays: 182.625, acquiredFrom: Date.UTC(2011, 0, 1) };
    const early = earlyScoreColumns(transactions, options);
    assert.equal(early.customerIds.length, 1568);
    assert.equal(early.trainedOn, 1850);
    assert.equal(early.windowOpen, 35); // acquired in the last 7 days of the data
    assert.equal(early.firstPurchaseAt[0], "2011-06-03");
    assert.equal(early.channel[0] !== null, true);
    // the same numbers as training and scoring through core directly
    const ds = buildEarlyDataset(transactions, { days: 7, ...options });
    const { train, test } = splitEarlyByCohort(ds);
    const mean = scoreEarly(trainEarlyModel(train, { seed: 1 }), test).mean;
    assert.deepEqual(
      early.customerIds,
      test.map((c) => c.customerId),
    );
    for (let i = 0; i < mean.length; i++) assert.equal(early.earlyPltv[i], mean[i]);
    // lookups accept ids as the source writes them
    const i = early.customerIds.indexOf("17509");
    assert.ok(i >= 0);
    assert.equal(earlyScoreOf(early, "17509.0")?.earlyPltv, early.earlyPltv[i]);
    assert.equal(earlyScoreOf(early, "12346"), undefined); // acquired 2011-01-18, horizon observed
    const aligned = alignEarlyScores(early, ["12346", "17509.0", "nobody"]);
    assert.deepEqual(aligned.earlyPltv, [null, early.earlyPltv[i], null]);
    assert.deepEqual(aligned.pAny, [null, early.pAny[i], null]);
  });

  it("says when nothing can be learned yet", () => {
    const day = 86_400_000;
    const tx = [
      { customerId: "a", at: 0, amount: 10 },
      { customerId: "b", at: 5 * day, amount: 20 },
      { customerId: "b", at: 20 * day, amount: 20 },
    ];
    assert.throws(
      () => earlyScoreColumns(tx, { horizonDays: 365.25 }),
      (e: Error & { issues?: { code: string }[] }) => e.issues?.[0]?.code === "NOT_ENOUGH_DATA",
    );
  });
});
