import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  inverseSoftplus,
  sigmoid,
  softplus,
  ZILN_SIGMA_MIN,
  zilnLosses,
  zilnMean,
  zilnRowLoss,
} from "../../src/learn/ziln.ts";

const near = (a: number, b: number, tol: number) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b} (tol ${tol})`);

describe("ZILN loss (Wang, Liu & Miao 2019; google/lifetime_value zero_inflated_lognormal_test.py)", () => {
  it("reproduces the reference per-row losses 0.744397 and 1.878373", () => {
    const losses = zilnLosses(
      [
        [0.1, 0.2, 0.3],
        [0.4, 0.5, 0.6],
      ],
      [0, 1.5],
    );
    near(losses[0]!, 0.744397, 5e-7);
    near(losses[1]!, 1.878373, 5e-7);
  });
  it("reproduces the reference predicted means 0.923638 and 1.690755 (p * exp(mu + sigma^2/2))", () => {
    near(zilnMean(0.1, 0.2, 0.3), 0.923638, 5e-7);
    near(zilnMean(0.4, 0.5, 0.6), 1.690755, 5e-7);
  });
  it("analytic gradient matches central finite differences", () => {
    const points: [number, number, number, number][] = [
      [0.1, 0.2, 0.3, 0],
      [0.4, 0.5, 0.6, 1.5],
      [-3, 4, -1, 250],
      [2.5, -1, 1.7, 0.02],
      [-0.7, 2, -4, 7],
      [30, 0, 0, 3],
    ];
    const g = new Float64Array(3);
    for (const [lp, mu, ls, y] of points) {
      zilnRowLoss(lp, mu, ls, y, g);
      const x = [lp, mu, ls];
      for (let k = 0; k < 3; k++) {
        const h = 1e-5 * Math.max(1, Math.abs(x[k]!));
        const up = [...x];
        const dn = [...x];
        up[k]! += h;
        dn[k]! -= h;
        const fd =
          (zilnRowLoss(up[0]!, up[1]!, up[2]!, y) - zilnRowLoss(dn[0]!, dn[1]!, dn[2]!, y)) / (2 * h);
        near(g[k]!, fd, 1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });
  it("never returns NaN or Infinity at extreme logits", () => {
    const g = new Float64Array(3);
    for (const lp of [-800, -40, 0, 40, 800]) {
      for (const mu of [-500, 0, 500]) {
        for (const ls of [-800, -30, 0, 30, 800]) {
          for (const y of [0, 1e-300, 1, 1e300]) {
            const loss = zilnRowLoss(lp, mu, ls, y, g);
            assert.ok(Number.isFinite(loss), `loss ${loss} at ${lp},${mu},${ls},${y}`);
            assert.ok(g.every(Number.isFinite), `grad at ${lp},${mu},${ls},${y}`);
            assert.ok(Number.isFinite(zilnMean(lp, mu, ls)));
          }
        }
      }
    }
    // sigma is clamped below at sqrt(1e-7), as the reference implementation does
    near(
      zilnRowLoss(0, 0, -800, Math.E) - softplus(0) - 1,
      Math.log(ZILN_SIGMA_MIN) + 0.5 * Math.log(2 * Math.PI) + 0.5 / 1e-7,
      1e-3,
    );
  });
  it("stable helpers: softplus, sigmoid, inverse softplus", () => {
    assert.equal(softplus(0), Math.LN2);
    assert.equal(softplus(1000), 1000);
    assert.ok(softplus(-1000) >= 0 && softplus(-745) > 0);
    assert.equal(sigmoid(0), 0.5);
    assert.equal(sigmoid(-1000), 0);
    assert.equal(sigmoid(1000), 1);
    for (const v of [1e-6, 0.3, 5, 50]) near(softplus(inverseSoftplus(v)), v, 1e-12 * Math.max(1, v));
  });
});
