import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { bgnbdPredictor } from "../../../src/models/bgnbd/index.ts";
import { mbgnbdPredictor } from "../../../src/models/mbgnbd/index.ts";

interface Case {
  readonly model: "bgnbd" | "mbgnbd";
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
  readonly t: number;
  readonly x?: number;
  readonly t_x?: number;
  readonly T?: number;
  readonly pAlive?: number;
  readonly cet?: number;
  readonly expected?: number;
  readonly pmf?: Readonly<Record<string, number>>;
}

/** mpmath references (fixtures/extremes-mpmath.py: 50-digit tanh-sinh quadrature over p, cross-checked by the 2F1 closed form at 120 digits where it does not cancel). */
const cases = JSON.parse(
  readFileSync(new URL("./fixtures/extremes-mpmath.json", import.meta.url), "utf8"),
) as readonly Case[];

function relErr(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe("BG/NBD and MBG/NBD at extreme a, b (degenerate dropout: a, b up to 1e8, a/(a+b) = 0.5 and 0.2)", () => {
  const predictorOf = (c: Case) =>
    (c.model === "bgnbd" ? bgnbdPredictor : mbgnbdPredictor)({ r: c.r, alpha: c.alpha, a: c.a, b: c.b });

  it("CET and P(alive) match mpmath for x = 0 and x = 10,000 at t_x = T = 40, t = 52 and 10,000 (before the fix: half the value at a = 1e8, b = 4e8, 1e-10 off at a = b = 1.6e6)", () => {
    let worst = 0;
    let n = 0;
    for (const c of cases) {
      if (c.cet === undefined) continue;
      const p = predictorOf(c);
      const alive = p.pAlive(c.x!, c.t_x!, c.T!);
      assert.ok(
        relErr(alive, c.pAlive!) <= 1e-14,
        `${c.model} a ${c.a} x ${c.x}: P(alive) ${alive} vs ${c.pAlive}`,
      );
      const cet = p.conditionalExpectedPurchases(c.t, c.x!, c.t_x!, c.T!);
      const err = relErr(cet, c.cet);
      worst = Math.max(worst, err);
      n++;
      assert.ok(err <= 1e-10, `${c.model} a ${c.a} b ${c.b} x ${c.x} t ${c.t}: CET ${cet} vs ${c.cet}`);
    }
    assert.equal(n, 64);
    assert.ok(worst <= 1e-10, `worst ${worst}`);
  });

  it("unconditional E[X(52)] and P(X(52) = n) for n = 0, 1, 2, 10 match mpmath", () => {
    let n = 0;
    for (const c of cases) {
      if (c.expected === undefined) continue;
      const p = predictorOf(c);
      const ex = p.expectedPurchases(c.t);
      assert.ok(relErr(ex, c.expected) <= 1e-10, `${c.model} a ${c.a}: E[X] ${ex} vs ${c.expected}`);
      for (const [k, want] of Object.entries(c.pmf!)) {
        const got = p.probabilityOfPurchases(Number(k), c.t);
        // ln B(a, b + n) - ln B(a, b) subtracts lgamma values of size ~(a + b) ln(a + b) (2e9 at
        // a = b = 1e8), so the PMF keeps ~1e-16 x that in relative accuracy.
        const tol = Math.max(1e-12, 4e-16 * (c.a + c.b) * Math.log(c.a + c.b));
        assert.ok(relErr(got, want) <= tol, `${c.model} a ${c.a} P(X = ${k}) ${got} vs ${want}`);
      }
      n++;
    }
    assert.equal(n, 16);
  });

  it("tends to the deterministic-dropout limit: CET = P(alive) (1 - (1 + p t/(alpha+T))^-(r+x))/p as a, b -> infinity", () => {
    // With p fixed for everyone the bracket is g(p) exactly, at the posterior mean p = a/(a + b + x);
    // at a = b = 1e8 the Beta spread is 5e-5, so the limit holds to ~1e-9.
    const [r, alpha, T, t] = [0.25, 4, 40, 52];
    for (const x of [0, 1, 10_000]) {
      const pr = bgnbdPredictor({ r, alpha, a: 1e8, b: 1e8 });
      const p = 1e8 / (2e8 + x);
      const limit = -Math.expm1(-(r + x) * Math.log1p((p * t) / (alpha + T))) / p;
      const got = pr.conditionalExpectedPurchases(t, x, T, T) / pr.pAlive(x, T, T);
      assert.ok(relErr(got, limit) <= 1e-7, `x ${x}: ${got} vs ${limit}`);
    }
  });
});
