import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bfgs } from "../../src/optim/bfgs.ts";

describe("bfgs", () => {
  it("minimises the Rosenbrock function from (-1.2, 1) to (1, 1)", () => {
    const r = bfgs(
      (x, g) => {
        const a = x[0]!;
        const b = x[1]!;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      [-1.2, 1],
    );
    assert.equal(r.converged, true, r.reason);
    assert.ok(Math.abs(r.x[0]! - 1) < 1e-6 && Math.abs(r.x[1]! - 1) < 1e-6, `${r.x}`);
    assert.ok(r.iterations < 100, `iterations ${r.iterations}`);
  });

  it("finds the minimum of an ill-conditioned quadratic exactly", () => {
    const scales = [1, 1e3, 1e-2, 50];
    const r = bfgs(
      (x, g) => {
        let f = 0;
        for (let i = 0; i < 4; i++) {
          const d = x[i]! - (i + 1);
          f += 0.5 * scales[i]! * d * d;
          g[i] = scales[i]! * d;
        }
        return f;
      },
      [0, 0, 0, 0],
    );
    assert.equal(r.converged, true);
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(r.x[i]! - (i + 1)) < 1e-7, `x${i} = ${r.x[i]}`);
  });

  it("shortens steps into regions where the objective is not finite", () => {
    // f is +Infinity for x <= 0 (like a log-likelihood evaluated at a negative rate).
    const r = bfgs(
      (x, g) => {
        const v = x[0]!;
        if (v <= 0) {
          g[0] = Number.NaN;
          return Number.NaN;
        }
        g[0] = 1 - 1 / v;
        return v - Math.log(v);
      },
      [10],
    );
    assert.equal(r.converged, true, r.reason);
    assert.ok(Math.abs(r.x[0]! - 1) < 1e-7);
  });

  it("reports a non-finite start instead of iterating", () => {
    const r = bfgs(
      (_x, g) => {
        g[0] = 0;
        return Number.NaN;
      },
      [1],
    );
    assert.equal(r.converged, false);
    assert.equal(r.reason, "non-finite-start");
  });
});
