import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { run, spawnCli } from "./run.ts";

describe("valuecast demo", () => {
  it("runs the whole CDNOW flow with the real binary: three fitted models, the backtest, top customers by CLV", () => {
    const started = Date.now();
    const r = spawnCli(["demo"]);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(r.code, 0, r.err);
    for (const m of ["bgnbd", "pnbd", "mbgnbd"])
      assert.match(r.out, new RegExp(`^${m} \\(rates per week\\)`, "m"));
    assert.match(r.out, /gamma-gamma: [\d,]+ repeat buyers/);
    assert.match(r.out, /2\. Holdout backtest/);
    assert.match(r.out, /^7\+\s+[\d,]+\s+\d+\.\d{3}/m);
    assert.match(r.out, /Best model: (bgnbd|pnbd|mbgnbd)\. .*lowest per-customer holdout MAE/);
    assert.match(r.out, /Top 10 customers by predicted CLV/);
    assert.ok(seconds < 30, `demo took ${seconds} s`);
  });

  it("--json gives the models, the backtest and the predictions for scripts", async () => {
    const r = await run(["demo", "--json"]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as {
      models: { model: string; converged: boolean; spend: { model: string } | null }[];
      backtest: { comparison: { best: string } };
      predict: { top: { clv: number }[] };
    };
    assert.deepEqual(
      doc.models.map((m) => m.model),
      ["bgnbd", "pnbd", "mbgnbd"],
    );
    assert.ok(doc.models.every((m) => m.converged && m.spend?.model === "gamma-gamma"));
    assert.equal(doc.predict.top.length, 10);
    const clv = doc.predict.top.map((t) => t.clv);
    assert.deepEqual(
      clv,
      [...clv].sort((a, b) => b - a),
    );
  });
});
