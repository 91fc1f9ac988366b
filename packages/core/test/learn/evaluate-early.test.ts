import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValuecastError } from "../../src/errors/issues.ts";
import { buildEarlyDataset } from "../../src/learn/early-features.ts";
import {
  earlyModelFromJson,
  earlyModelToJson,
  scoreEarly,
  scoreNewCustomers,
  trainEarlyModel,
} from "../../src/learn/early-model.ts";
import { compareEarlyPredictions, evaluateEarly } from "../../src/learn/evaluate-early.ts";
import { createRng } from "../../src/math/random.ts";
import type { Transaction } from "../../src/summary/types.ts";

const DAY = 86_400_000;
const start = Date.UTC(2021, 0, 1);

/** 400 synthetic customers (stated as such): bigger first orders and the "email" channel come back more. */
function synthetic(): Transaction[] {
  const rng = createRng(8);
  const tx: Transaction[] = [];
  for (let c = 0; c < 400; c++) {
    const t0 = start + Math.floor(rng.uniform() * 120) * DAY;
    const channel = rng.uniform() < 0.5 ? "email" : "social";
    const amount = 10 + Math.floor(rng.uniform() * 90);
    tx.push({ customerId: `c${c}`, at: t0, amount, channel });
    const p = (channel === "email" ? 0.5 : 0.15) + amount / 400;
    if (rng.uniform() < p)
      tx.push({
        customerId: `c${c}`,
        at: t0 + (10 + Math.floor(rng.uniform() * 80)) * DAY,
        amount: amount * 2,
      });
  }
  return tx;
}

describe("evaluateEarly", () => {
  const ds = buildEarlyDataset(synthetic(), { days: 7, horizonDays: 90, asOf: start + 300 * DAY });

  it("compares the learned models, both baselines and extra named predictors on the later cohorts", () => {
    const seen: number[] = [];
    const ev = evaluateEarly(ds, {
      split: { trainShare: 0.6 },
      mlp: { hidden: [8], epochs: 30, seed: 2 },
      extra: [
        {
          name: "oracle",
          predict: (train, test) => {
            seen.push(train.length, test.length);
            return test.map((c) => c.label);
          },
        },
      ],
    });
    assert.deepEqual(
      ev.rows.map((r) => r.name),
      ["ziln_linear", "ziln_mlp", "first_order_value", "overall_mean", "oracle"],
    );
    assert.deepEqual(seen, [ev.trainCustomers, ev.testCustomers]);
    assert.equal(ev.trainCustomers + ev.testCustomers, 400);
    const g = Object.fromEntries(ev.rows.map((r) => [r.name, r.metrics.normalizedGini]));
    assert.equal(g.oracle, 1);
    assert.equal(g.overall_mean, 0);
    // the scored vectors come back with the rows, in test order, for the bootstrap to reuse
    assert.deepEqual(Object.keys(ev.predictions), Object.keys(g));
    assert.equal(ev.actual.length, ev.testCustomers);
    for (const r of ev.rows) {
      assert.equal(
        compareEarlyPredictions(ev.actual, { [r.name]: ev.predictions[r.name]! })[0]!.metrics.normalizedGini,
        r.metrics.normalizedGini,
      );
    }
    // the channel drives value here and only the learned models can see it
    assert.ok(g.ziln_linear! > g.first_order_value!, JSON.stringify(g));
    assert.ok(ev.training.ziln_linear!.epochs >= 1 && ev.training.ziln_mlp!.epochs >= 1);
  });

  it("rejects an extra predictor with the wrong number of predictions", () => {
    assert.throws(
      () => evaluateEarly(ds, { mlp: false, extra: [{ name: "bad", predict: () => [1, 2, 3] }] }),
      ValuecastError,
    );
  });

  it("compareEarlyPredictions computes the paper's metrics per named vector", () => {
    const rows = compareEarlyPredictions([0, 10, 0, 30], { perfect: [0, 1, 0, 3], flat: [10, 10, 10, 10] });
    assert.equal(rows[0]!.metrics.normalizedGini, 1);
    assert.equal(rows[0]!.metrics.spearman, 1);
    assert.equal(rows[1]!.metrics.normalizedGini, 0);
    assert.equal(rows[1]!.metrics.mae, 10);
    assert.equal(rows[1]!.metrics.decileMape, 0);
  });

  it("an early model survives a JSON round trip and scores identically", () => {
    const train = ds.customers.filter((c) => c.labelObserved);
    const model = trainEarlyModel(train, { hidden: [4], epochs: 5, seed: 3 });
    const back = earlyModelFromJson(JSON.parse(JSON.stringify(earlyModelToJson(model))));
    assert.deepEqual(scoreEarly(back, train).mean, scoreEarly(model, train).mean);
    assert.deepEqual(
      scoreEarly(
        model,
        train.slice(0, 3).map((c) => c.features),
      ).mean,
      scoreEarly(model, train.slice(0, 3)).mean,
    );
  });

  it("scoreNewCustomers trains on observed horizons and scores the newest cohorts", () => {
    // asOf = day 150: horizons (7 + 90 days) are observed for customers acquired by day 53
    const live = buildEarlyDataset(synthetic(), { days: 7, horizonDays: 90, asOf: start + 150 * DAY });
    const { model, scores } = scoreNewCustomers(live, { seed: 1 });
    const unobserved = live.customers.filter((c) => !c.labelObserved);
    assert.equal(
      model.ziln.training.trainRows + model.ziln.training.validationRows,
      live.customers.length - unobserved.length,
    );
    assert.deepEqual(
      scores.map((s) => s.customerId),
      unobserved.map((c) => c.customerId),
    );
    assert.ok(
      scores.every(
        (s) => s.pAny > 0 && s.pAny < 1 && Number.isFinite(s.expectedValue) && s.expectedValue > 0,
      ),
    );
    const early = buildEarlyDataset(synthetic(), { days: 7, horizonDays: 90, asOf: start + 60 * DAY });
    assert.throws(() => scoreNewCustomers(early), ValuecastError);
  });
});
