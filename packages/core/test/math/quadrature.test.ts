import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gaussLegendre, integrate, integrateWithError } from "../../src/math/quadrature.ts";
import { lbeta } from "../../src/math/special.ts";

function close(got: number, want: number, rel: number, what = ""): void {
  assert.ok(
    Math.abs(got - want) <= rel * Math.abs(want),
    `${what} got ${got}, want ${want}, rel ${Math.abs(got - want) / Math.abs(want)}`,
  );
}

describe("integrate (adaptive Gauss-Kronrod G7-K15)", () => {
  it("reproduces known integrals to 1e-10 relative", () => {
    close(integrate(Math.exp, 0, 1), Math.E - 1, 1e-13, "exp");
    close(integrate(Math.sin, 0, Math.PI), 2, 1e-13, "sin");
    close(
      integrate((t) => 1 / (1 + t * t), 0, 1),
      Math.PI / 4,
      1e-13,
      "atan",
    );
    close(
      integrate((t) => Math.log(t), 0, 1),
      -1,
      1e-10,
      "log endpoint singularity",
    );
    close(
      integrate((t) => 1 / Math.sqrt(t), 0, 1),
      2,
      1e-10,
      "1/sqrt endpoint singularity",
    );
    close(
      integrate((t) => Math.cos(40 * t), 0, 1),
      Math.sin(40) / 40,
      1e-10,
      "oscillatory",
    );
    close(
      integrate((t) => Math.exp(-t * t), -10, 10),
      Math.sqrt(Math.PI),
      1e-12,
      "gaussian",
    );
    // Beta integral: int_0^1 t^(a-1) (1-t)^(b-1) dt = B(a, b), here with a sharp peak.
    close(
      integrate((t) => t ** 49 * (1 - t) ** 59, 0, 1),
      Math.exp(lbeta(50, 60)),
      1e-10,
      "beta(50,60)",
    );
    close(
      integrate((t) => t ** -0.5 * (1 - t) ** 2.5, 0, 1),
      Math.exp(lbeta(0.5, 3.5)),
      1e-9,
      "beta(0.5,3.5)",
    );
  });

  it("handles infinite ranges and reversed limits", () => {
    close(
      integrate((t) => 1 / (1 + t * t), 0, Number.POSITIVE_INFINITY),
      Math.PI / 2,
      1e-12,
      "[0,inf)",
    );
    close(
      integrate((t) => Math.exp(-t * t), Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
      Math.sqrt(Math.PI),
      1e-12,
    );
    close(
      integrate((t) => Math.exp(t), Number.NEGATIVE_INFINITY, 0),
      1,
      1e-12,
      "(-inf,0]",
    );
    close(
      integrate((t) => t ** 3 * Math.exp(-2 * t), 0, Number.POSITIVE_INFINITY),
      6 / 16,
      1e-12,
      "gamma",
    );
    close(integrate(Math.exp, 1, 0), 1 - Math.E, 1e-13, "reversed");
    assert.equal(integrate(Math.exp, 2, 2), 0);
  });

  it("stops at the rounding floor for integrals that cancel to zero", () => {
    const r = integrateWithError(Math.sin, -1, 1);
    assert.ok(r.converged);
    assert.ok(Math.abs(r.value) < 1e-15, `${r.value}`);
    assert.ok(r.evaluations <= 15 * 3, `evaluations ${r.evaluations}`);
  });

  it("reports convergence, error and work", () => {
    const r = integrateWithError(Math.exp, 0, 1, { relTol: 1e-12 });
    assert.ok(r.converged);
    assert.equal(r.evaluations, 15); // one rule suffices for a smooth integrand
    assert.ok(Math.abs(r.value - (Math.E - 1)) <= r.error + 1e-15);
    const hard = integrateWithError((t) => Math.sin(1 / t), 1e-6, 1, { relTol: 1e-14, maxIntervals: 20 });
    assert.equal(hard.converged, false);
    assert.ok(Number.isFinite(hard.value));
  });
});

describe("gaussLegendre", () => {
  it("has the known 2- and 3-point rules (Abramowitz & Stegun table 25.4)", () => {
    const g2 = gaussLegendre(2);
    close(g2.nodes[1]!, 1 / Math.sqrt(3), 1e-15);
    close(g2.weights[0]!, 1, 1e-15);
    const g3 = gaussLegendre(3);
    assert.equal(g3.nodes[1], 0);
    close(g3.nodes[2]!, Math.sqrt(0.6), 1e-15);
    close(g3.weights[1]!, 8 / 9, 1e-15);
    close(g3.weights[0]!, 5 / 9, 1e-15);
    assert.equal(gaussLegendre(3), g3, "cached");
  });

  it("integrates polynomials of degree 2n - 1 exactly and its weights sum to 2", () => {
    for (const n of [1, 4, 7, 16, 33, 64, 100]) {
      const { nodes, weights } = gaussLegendre(n);
      let wsum = 0;
      for (let i = 0; i < n; i++) wsum += weights[i]!;
      close(wsum, 2, 1e-14, `sum of weights n = ${n}`);
      for (let i = 1; i < n; i++) assert.ok(nodes[i]! > nodes[i - 1]!, "ascending");
      const deg = 2 * n - 2; // even degree: int_-1^1 t^deg = 2 / (deg + 1)
      let s = 0;
      for (let i = 0; i < n; i++) s += weights[i]! * nodes[i]! ** deg;
      close(s, 2 / (deg + 1), 1e-13, `t^${deg} with n = ${n}`);
    }
  });
});
