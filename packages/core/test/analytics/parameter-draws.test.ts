import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parameterDraws } from "../../src/analytics/parameter-draws.ts";

function normalSource(seed: number): () => number {
  let a = seed >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

// BG/NBD-like fit: r, alpha with a correlated covariance
const fit = {
  params: { r: 0.25, alpha: 4 },
  paramNames: ["r", "alpha"],
  covariance: [
    [0.0001, 0.001],
    [0.001, 0.04],
  ],
};

describe("parameterDraws", () => {
  it("log-scale draws have the delta-method mean and covariance of log theta, all positive", () => {
    const n = 40000;
    const r = parameterDraws(fit, n, normalSource(7));
    assert.equal(r.draws.length, n);
    const lr = r.draws.map((d) => Math.log(d.r as number));
    const la = r.draws.map((d) => Math.log(d.alpha as number));
    const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
    const mr = mean(lr);
    const ma = mean(la);
    const cov = (x: number[], mx: number, y: number[], my: number): number =>
      x.reduce((s, xi, i) => s + (xi - mx) * ((y[i] as number) - my), 0) / (x.length - 1);
    // target: Cov(log r, log alpha) = Sigma / (r alpha) etc.
    const close = (a: number, b: number, rel: number): void =>
      assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);
    close(mr, Math.log(0.25), 1e-3);
    close(ma, Math.log(4), 1e-3);
    close(cov(lr, mr, lr, mr), 0.0001 / 0.0625, 0.03);
    close(cov(la, ma, la, ma), 0.04 / 16, 0.03);
    close(cov(lr, mr, la, ma), 0.001 / 1, 0.05);
    assert.ok(r.draws.every((d) => (d.r as number) > 0 && (d.alpha as number) > 0));
  });

  it("natural-scale draws reject non-positive values and count them", () => {
    const wide = {
      ...fit,
      covariance: [
        [0.04, 0],
        [0, 0.04],
      ],
    }; // sd of r = 0.2 for r = 0.25: often negative
    const r = parameterDraws(wide, 1000, normalSource(3), { scale: "natural" });
    assert.equal(r.draws.length, 1000);
    assert.ok(r.rejected > 50);
    assert.ok(r.draws.every((d) => (d.r as number) > 0));
  });

  it("gives no draws, with a reason, without a usable covariance", () => {
    assert.equal(parameterDraws({ ...fit, covariance: null }, 10, normalSource(1)).reasons.length, 1);
    const bad = parameterDraws(
      {
        ...fit,
        covariance: [
          [1, 2],
          [2, 1],
        ],
      },
      10,
      normalSource(1),
    );
    assert.equal(bad.draws.length, 0);
    assert.ok(bad.reasons[0]?.reason.includes("positive definite"));
  });
});
