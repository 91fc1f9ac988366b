import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitModel } from "@valuecast/core";
import { createLikelihoodPool } from "../../src/parallel/likelihood-pool.ts";
import { normalSpec } from "./normal-spec.fixture.ts";

describe("likelihood pool (worker threads over shared memory)", () => {
  const v = Float64Array.from({ length: 100_001 }, (_, i) => 3 + Math.sin(i * 0.37) * 2);
  const specUrl = new URL("./normal-spec.fixture.ts", import.meta.url).href;

  it("gives the same log-likelihood and gradient as the single-threaded spec", async () => {
    const pool = await createLikelihoodPool(normalSpec, specUrl, "normalSpec", { v }, { threads: 3 });
    try {
      const p = Float64Array.of(2.5, 1.7);
      const g1 = new Float64Array(2);
      const g2 = new Float64Array(2);
      const a = normalSpec.logLikelihood(p, { v }, g1);
      const b = pool.evaluator(p, g2);
      assert.ok(Math.abs(a - b) < 1e-9 * Math.abs(a), `${a} vs ${b}`);
      for (let i = 0; i < 2; i++) assert.ok(Math.abs(g1[i]! - g2[i]!) < 1e-9 * Math.abs(g1[i]!) + 1e-9);
      // Repeated evaluations stay in step (generation counter), with and without a gradient.
      assert.ok(Math.abs(pool.evaluator(p, undefined) - a) < 1e-9 * Math.abs(a));
    } finally {
      await pool.close();
    }
  });

  it("drives fitModel to the same optimum as the plain evaluation", async () => {
    const pool = await createLikelihoodPool(normalSpec, specUrl, "normalSpec", { v }, { threads: 2 });
    try {
      const plain = fitModel(normalSpec, { v });
      const parallel = fitModel(normalSpec, { v }, { evaluator: () => pool.evaluator });
      assert.ok(Math.abs(plain.params.mu! - parallel.params.mu!) < 1e-9);
      assert.ok(Math.abs(plain.params.sigma! - parallel.params.sigma!) < 1e-9);
    } finally {
      await pool.close();
    }
  });
});
