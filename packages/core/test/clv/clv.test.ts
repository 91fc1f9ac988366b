import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  customerClv,
  discountedIncrease,
  discountedIncreaseDiscrete,
  resolveClvOptions,
  scoreCustomers,
} from "../../src/clv/index.ts";
import { ValuecastError } from "../../src/errors/issues.ts";
import { integrate } from "../../src/math/quadrature.ts";
import { bgbbPredictor } from "../../src/models/bgbb/index.ts";
import { bgnbdPredictor } from "../../src/models/bgnbd/index.ts";
import { gammaGammaPredictor } from "../../src/models/gamma-gamma/index.ts";
import { mbgnbdPredictor } from "../../src/models/mbgnbd/index.ts";
import { pnbdPredictor } from "../../src/models/pnbd/index.ts";
import type { PurchasePredictor } from "../../src/models/purchase-model.ts";
import { rfmData } from "../../src/models/rfm-data.ts";

const BG = bgnbdPredictor({ r: 0.2425982, alpha: 4.413684, a: 0.7929899, b: 2.426167 });
const MBG = mbgnbdPredictor({ r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 });
const WEEKLY_10 = Math.log(1.1) * (7 / 365.25);

/** The same predictor without the factorised method: forces the scorer's generic per-customer path. */
function generic(p: PurchasePredictor): PurchasePredictor {
  return {
    model: p.model,
    params: p.params,
    pAlive: (x, tx, T) => p.pAlive(x, tx, T),
    conditionalExpectedPurchases: (t, x, tx, T) => p.conditionalExpectedPurchases(t, x, tx, T),
    expectedPurchases: (t) => p.expectedPurchases(t),
    probabilityOfPurchases: (n, t) => p.probabilityOfPurchases(n, t),
  };
}

/** Brute force 1: e^(-dH) CET(H) + d ∫ e^(-dt) CET(t) dt by adaptive quadrature on many pieces. */
function byParts(p: PurchasePredictor, H: number, d: number, x: number, tx: number, T: number): number {
  const f = (t: number) => Math.exp(-d * t) * p.conditionalExpectedPurchases(t, x, tx, T);
  let s = 0;
  let lo = 0;
  for (const c of [1e-9, 1e-6, 1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.2, 0.4, 0.7, 1]) {
    s += integrate(f, lo, c * H, { relTol: 1e-14 });
    lo = c * H;
  }
  return Math.exp(-d * H) * p.conditionalExpectedPurchases(H, x, tx, T) + d * s;
}

/** Brute force 2: the Stieltjes sum Σ e^(-d t_mid) (CET(t_k+1) - CET(t_k)) on a fine grid. */
function stieltjes(
  p: PurchasePredictor,
  H: number,
  d: number,
  x: number,
  tx: number,
  T: number,
  steps = 200_000,
) {
  let s = 0;
  let prev = 0;
  for (let k = 1; k <= steps; k++) {
    const t = (H * k) / steps;
    const cur = p.conditionalExpectedPurchases(t, x, tx, T);
    s += Math.exp(-d * (t - (0.5 * H) / steps)) * (cur - prev);
    prev = cur;
  }
  return s;
}

function close(actual: number, expected: number, relTol: number, what: string) {
  const err = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(err <= relTol, `${what}: ${actual} vs ${expected} (relative error ${err.toExponential(2)})`);
}

describe("continuous discounting of expected purchases", () => {
  it("is exact for a linear curve: ∫_0^H e^(-dt) c dt = c (1 - e^(-dH))/d", () => {
    close(
      discountedIncrease((t) => 2 * t, 10, 0.1),
      (2 * (1 - Math.exp(-1))) / 0.1,
      1e-14,
      "linear",
    );
    close(
      discountedIncrease((t) => 2 * t, 3650, 0.01),
      (2 * (1 - Math.exp(-36.5))) / 0.01,
      1e-12,
      "long",
    );
  });

  it("converts the annual rate with continuousRatePerUnit: 10% a year is ln(1.1)·7/365.25 per week", () => {
    close(
      resolveClvOptions({ horizon: 52, discountRate: 0.1, timeUnit: "week" }).delta,
      WEEKLY_10,
      1e-15,
      "delta",
    );
    assert.equal(resolveClvOptions({ horizon: 52 }).delta, 0);
  });

  it("agrees with brute-force integrals to 1e-8 relative (BG/NBD and MBG/NBD, new and old customers, long horizons)", () => {
    const cases = [
      [BG, 52, WEEKLY_10, 26, 216 / 7, 31],
      [BG, 52, WEEKLY_10, 0, 0, 39],
      [BG, 520, WEEKLY_10, 0, 0, 0.01],
      [BG, 3650, Math.log(1.5) / 365.25, 3, 2, 5],
      [BG, 52, 20 * WEEKLY_10, 10, 20, 39],
      [MBG, 104, WEEKLY_10, 2, 10, 38],
      [MBG, 52, WEEKLY_10, 0, 0, 0.5],
    ] as const;
    for (const [p, H, d, x, tx, T] of cases) {
      const got = customerClv(p, 1, x, tx, T, { horizon: H, discountRate: 0 }).expectedPurchases;
      assert.ok(got > 0);
      const disc = discountedIncrease((t) => p.conditionalExpectedPurchases(t, x, tx, T), H, d);
      close(disc, byParts(p, H, d, x, tx, T), 1e-8, `${p.model} H ${H} x ${x} T ${T}`);
    }
  });

  it("agrees with a Stieltjes sum of e^(-dt) dCET(t) (checks the integration by parts)", () => {
    const d = 5 * WEEKLY_10;
    const disc = discountedIncrease((t) => BG.conditionalExpectedPurchases(t, 3, 20, 39), 52, d);
    close(disc, stieltjes(BG, 52, d, 3, 20, 39), 1e-8, "Stieltjes");
  });
});

describe("CLV for the Pareto/NBD (generic per-customer path)", () => {
  const PNBD = pnbdPredictor({ r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 });

  it("agrees with brute-force integrals to 1e-8 relative", () => {
    for (const [x, tx, T] of [
      [26, 216 / 7, 31],
      [0, 0, 39],
      [2, 1, 1.5],
    ] as const) {
      const disc = discountedIncrease((t) => PNBD.conditionalExpectedPurchases(t, x, tx, T), 104, WEEKLY_10);
      close(disc, byParts(PNBD, 104, WEEKLY_10, x, tx, T), 1e-8, `x ${x} T ${T}`);
    }
  });

  it("over a very long horizon equals the Pareto/NBD's own DERT (Fader, Hardie & Lee 2005 JMR), independently computed", () => {
    const d = 0.15 / 52;
    for (const [x, tx, T] of [
      [26, 216 / 7, 31],
      [2, 30.43, 38.86],
      [0, 0, 38.86],
    ] as const) {
      const s = scoreCustomers(PNBD, 1, rfmData([x], [tx], [T]), {
        horizon: 60_000,
        discountRate: Math.expm1(d * 52),
        timeUnit: "week",
      });
      close(
        s.discountedPurchases[0]!,
        PNBD.dert(Math.log1p(Math.expm1(d * 52)) * (7 / 365.25), x, tx, T),
        1e-7,
        `x ${x}`,
      );
    }
  });
});

describe("CLV for the BG/BB (discrete opportunities)", () => {
  const BGBB = bgbbPredictor({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 });

  it("discounts each whole opportunity: Σ e^(-δk) (CET(k) - CET(k-1))", () => {
    close(
      discountedIncreaseDiscrete((k) => 0.5 * k, 3, Math.log(1.1)),
      0.5 * (1 / 1.1 + 1 / 1.21 + 1 / 1.331),
      1e-14,
      "linear",
    );
  });

  it("over a long horizon equals the BG/BB's own DERT at d = 10% per opportunity (Fader, Hardie & Shang 2010), independently computed", () => {
    const data = rfmData([0, 2, 6, 4], [0, 4, 6, 5], [6, 6, 6, 6]);
    // An annual opportunity: 10% a year is delta = ln(1.1) per opportunity.
    const s = scoreCustomers(BGBB, 1, data, { horizon: 400, discountRate: 0.1, timeUnit: "year" });
    for (let i = 0; i < 4; i++) {
      const dert = BGBB.dert(0.1, data.x[i]!, data.t_x[i]!, data.T[i]!);
      close(s.discountedPurchases[i]!, dert, 1e-9, `customer ${i}`);
    }
  });

  it("defaults to discrete timing for bgbb, uses the BG/BB CET undiscounted, and needs a whole horizon", () => {
    const data = rfmData([4], [5], [6]);
    const s = scoreCustomers(BGBB, 1, data, { horizon: 10 });
    close(s.expectedPurchases[0]!, BGBB.conditionalExpectedPurchases(10, 4, 5, 6), 1e-15, "10-period CET");
    const d = scoreCustomers(BGBB, 1, data, { horizon: 10, discountRate: 0.1, timeUnit: "year" });
    const explicit = scoreCustomers(BGBB, 1, data, {
      horizon: 10,
      discountRate: 0.1,
      timeUnit: "year",
      timing: "discrete",
    });
    assert.equal(d.clv[0], explicit.clv[0]);
    assert.ok(d.clv[0]! < s.clv[0]!);
    assert.throws(() => scoreCustomers(BGBB, 1, data, { horizon: 10.5 }), ValuecastError);
  });
});

describe("scoreCustomers", () => {
  const data = {
    ...rfmData(
      [0, 1, 2, 26, 10, 0, 5, 5],
      [0, 3, 30.43, 216 / 7, 20, 0, 12, 12],
      [39, 38, 38.86, 31, 39, 0.5, 39, 39],
    ),
    zbar: Float64Array.of(0, 12.5, 22.35, 40, 15, 0, 30, 30),
  };
  const gg = gammaGammaPredictor({ p: 6.25, q: 3.74, gamma: 15.44 });
  const opts = { horizon: 52, discountRate: 0.1, timeUnit: "week" as const, margin: 0.3 };

  it("CLV = margin × expected spend × discounted purchases, with the undiscounted figure beside it", () => {
    const s = scoreCustomers(BG, gg, data, opts);
    for (let i = 0; i < data.x.length; i++) {
      const x = data.x[i]!;
      const tx = data.t_x[i]!;
      const T = data.T[i]!;
      close(s.pAlive[i]!, BG.pAlive(x, tx, T), 1e-15, "pAlive");
      close(s.expectedPurchases[i]!, BG.conditionalExpectedPurchases(52, x, tx, T), 1e-14, "E purchases");
      close(s.expectedSpend[i]!, gg.conditionalExpectedSpend(x, data.zbar[i]!), 1e-15, "spend");
      close(s.clv[i]!, 0.3 * s.expectedSpend[i]! * byParts(BG, 52, WEEKLY_10, x, tx, T), 1e-8, "clv");
      close(
        s.clvUndiscounted[i]!,
        0.3 * s.expectedSpend[i]! * s.expectedPurchases[i]!,
        1e-14,
        "undiscounted",
      );
    }
  });

  it("the factorised (per distinct x, T) path equals the generic per-customer path", () => {
    for (const p of [BG, MBG]) {
      const fast = scoreCustomers(p, 25, data, opts);
      const slow = scoreCustomers(generic(p), 25, data, opts);
      for (let i = 0; i < data.x.length; i++) {
        close(fast.clv[i]!, slow.clv[i]!, 1e-12, `${p.model} clv ${i}`);
        close(fast.clvUndiscounted[i]!, slow.clvUndiscounted[i]!, 1e-12, `${p.model} undiscounted ${i}`);
      }
    }
  });

  it("discounted CLV is below undiscounted, falls as the rate rises, and tends to it as the rate goes to 0", () => {
    const rates = [0, 1e-10, 0.01, 0.05, 0.1, 0.2, 0.5, 1];
    const runs = rates.map((r) => scoreCustomers(BG, 25, data, { ...opts, discountRate: r }));
    for (let i = 0; i < data.x.length; i++) {
      const und = runs[0]!.clvUndiscounted[i]!;
      assert.equal(runs[0]!.clv[i], und);
      close(runs[1]!.clv[i]!, und, 1e-8, "delta -> 0");
      for (let k = 2; k < rates.length; k++) {
        assert.ok(runs[k]!.clv[i]! < runs[k - 1]!.clv[i]!, `customer ${i}: not falling at rate ${rates[k]}`);
        assert.equal(runs[k]!.clvUndiscounted[i], und);
      }
    }
  });

  it("accepts one spend per customer and rejects a spend model without zbar", () => {
    const spend = Float64Array.from(data.x, (_, i) => 10 + i);
    const s = scoreCustomers(MBG, spend, data, { horizon: 26 });
    close(s.clv[3]!, 13 * MBG.conditionalExpectedPurchases(26, 26, 216 / 7, 31), 1e-13, "per-customer spend");
    assert.throws(() => scoreCustomers(BG, gg, rfmData([1], [1], [2]), opts), ValuecastError);
    assert.throws(() => scoreCustomers(BG, 10, data, { horizon: 52, discountRate: 0.1 }), ValuecastError);
    assert.throws(() => scoreCustomers(BG, 10, data, { horizon: -1 }), ValuecastError);
    assert.throws(
      () => scoreCustomers(BG, 10, rfmData([1, 2], [5, Number.NaN], [4, 3]), { horizon: 52 }),
      (e: unknown) => e instanceof ValuecastError && e.issues.length === 2,
    );
    // A customer acquired at the very end of the data (T = 0) is scored, not rejected.
    const fresh = scoreCustomers(BG, 10, rfmData([0], [0], [0]), { horizon: 52 });
    close(fresh.expectedPurchases[0]!, BG.expectedPurchases(52), 1e-12, "T = 0 is a new customer");
  });

  it("scores many customers quickly and without NaN", () => {
    const n = 200_000;
    const x = new Float64Array(n);
    const tx = new Float64Array(n);
    const T = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      T[i] = 26 + ((i * 7919) % 365) / 7;
      x[i] = i % 7 === 0 ? 0 : (i * 31) % 13;
      tx[i] = x[i]! > 0 ? (T[i]! * ((i * 17) % 100)) / 100 : 0;
    }
    const start = performance.now();
    const s = scoreCustomers(BG, 30, { x, t_x: tx, T }, opts);
    const ms = performance.now() - start;
    for (let i = 0; i < n; i++) assert.ok(Number.isFinite(s.clv[i]!) && s.clv[i]! >= 0);
    assert.ok(ms < 2000, `${ms} ms`);
  });
});
