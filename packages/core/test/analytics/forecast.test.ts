import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { revenueForecast } from "../../src/analytics/forecast.ts";
import { customerIntervals, forecastIntervals } from "../../src/analytics/intervals.ts";

/** Small seeded generator for the simulations (mulberry32) and a standard normal by Box-Muller. */
function rng(seed: number): { uniform(): number; normal(): number } {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()),
  };
}

describe("revenueForecast", () => {
  it("adds existing customers' per-period expectations and planned cohorts (hand computation)", () => {
    const rates = [0.5, 0.25];
    const spends = [10, 40];
    const f = revenueForecast({
      timeUnit: "week",
      periodLength: 4,
      periods: 3,
      startDate: "2026-01-31",
      existing: {
        kind: "curves",
        count: 2,
        cumulativeExpectedPurchases: (i, t) => (rates[i] as number) * t,
        expectedSpend: (i) => spends[i] as number,
      },
      planned: {
        newCustomersPerPeriod: [10, 0, 5],
        curve: {
          timeUnit: "week",
          expectedRepeatPurchases: (t) => 0.1 * t,
          spendPerOrder: 20,
          firstOrderValue: 30,
        },
      },
    });
    // existing: orders (0.5 + 0.25) x 4 = 3 per period; revenue 4 x (0.5 x 10 + 0.25 x 40) = 60
    assert.deepEqual(
      f.periods.map((p) => [p.existingOrders, p.existingRevenue]),
      [
        [3, 60],
        [3, 60],
        [3, 60],
      ],
    );
    // planned: 10 x (30 + 20 x 0.4) = 380; 10 x 8 = 80; 10 x 8 + 5 x (30 + 8) = 270
    const nr = f.periods.map((p) => p.newCohortRevenue);
    for (const [i, v] of [380, 80, 270].entries()) assert.ok(Math.abs((nr[i] as number) - v) < 1e-9);
    assert.ok(Math.abs(f.totalRevenue - (180 + 730)) < 1e-9);
    assert.deepEqual(
      f.periods.map((p) => p.startDate),
      ["2026-02-01", "2026-03-01", "2026-03-29"],
    );
    assert.ok(f.assumptions.some((a) => a.includes("start of their period")));
  });

  it("converts the new-customer curve's unit and takes precomputed per-period totals", () => {
    const f = revenueForecast({
      timeUnit: "day",
      periodLength: 7,
      periods: 2,
      existing: { kind: "perPeriod", orders: [1, 2], revenue: [10, 20] },
      planned: {
        newCustomersPerPeriod: [1],
        curve: { timeUnit: "week", expectedRepeatPurchases: (t) => t, spendPerOrder: 5 },
      },
    });
    // 7 days = 1 week: one repeat purchase per period after acquisition; first order worth spendPerOrder
    assert.deepEqual(
      f.periods.map((p) => p.totalRevenue),
      [10 + 5 + 5, 20 + 5],
    );
  });

  it("skips customers without finite predictions and says so, never NaN", () => {
    const f = revenueForecast({
      timeUnit: "week",
      periodLength: 1,
      periods: 2,
      existing: {
        kind: "curves",
        count: 2,
        cumulativeExpectedPurchases: (i, t) => (i === 0 ? t : Number.NaN),
        expectedSpend: () => 1,
      },
    });
    assert.deepEqual(
      f.periods.map((p) => p.existingRevenue),
      [1, 1],
    );
    assert.ok(f.assumptions.some((a) => a.includes("1 customer(s)")));
  });
});

describe("intervals from parameter draws", () => {
  it("a 90% aggregate interval covers 85-95% of simulated truths (Poisson-rate simulation)", () => {
    // truth: each of n customers buys at rate lambda per week, spend s; observed for T weeks.
    // estimate lambda-hat = N / (n T) with sd sqrt(N) / (n T); draws from N(lambda-hat, sd^2);
    // forecast for 3 periods of 4 weeks: n x lambda x 4 x s per period.
    const r = rng(20261122);
    const n = 200;
    const T = 20;
    const lambda = 0.3;
    const s = 25;
    const reps = 600;
    let covered = 0;
    let coveredTotal = 0;
    for (let rep = 0; rep < reps; rep++) {
      const mean = lambda * n * T;
      const N = Math.max(1, Math.round(mean + Math.sqrt(mean) * r.normal())); // Poisson(1200) ~ normal
      const hat = N / (n * T);
      const sd = Math.sqrt(N) / (n * T);
      const draws = Array.from({ length: 200 }, () => hat + sd * r.normal());
      const iv = forecastIntervals(200, (d) => [1, 2, 3].map(() => n * (draws[d] as number) * 4 * s), 0.9)!;
      const truth = n * lambda * 4 * s;
      const p = iv.periods[0]!;
      if (p.lower <= truth && truth <= p.upper) covered++;
      if (iv.total.lower <= 3 * truth && 3 * truth <= iv.total.upper) coveredTotal++;
    }
    const cov = covered / reps;
    assert.ok(cov >= 0.85 && cov <= 0.95, `coverage ${cov}`);
    assert.ok(coveredTotal / reps >= 0.85 && coveredTotal / reps <= 0.95);
  });

  it("summarises per period and total with type-7 quantiles and drops non-finite draws", () => {
    const iv = forecastIntervals(102, (d) => (d === 101 ? [Number.NaN, 0] : [d, 2 * d]), 0.9)!;
    assert.equal(iv.draws, 101);
    assert.deepEqual(iv.periods[0], { mean: 50, median: 50, lower: 5, upper: 95 });
    assert.deepEqual(iv.total, { mean: 150, median: 150, lower: 15, upper: 285 });
    assert.equal(
      forecastIntervals(3, () => [Number.POSITIVE_INFINITY]),
      null,
    );
  });

  it("per-customer intervals are exact across chunk boundaries and stream without keeping results", () => {
    const fill = (d: number, from: number, to: number, out: Float64Array): void => {
      for (let i = from; i < to; i++) out[i - from] = i + ((d * 37) % 101); // draws are a permutation of i..i+100
    };
    const r = customerIntervals({ customers: 25, draws: 101, chunkSize: 7, fill });
    for (let i = 0; i < 25; i++) {
      assert.equal(r.lower[i], i + 5);
      assert.equal(r.median[i], i + 50);
      assert.equal(r.upper[i], i + 95);
    }
    const seen: number[] = [];
    const s = customerIntervals({
      customers: 25,
      draws: 101,
      chunkSize: 7,
      fill,
      onChunk: (from, lo) => {
        lo.forEach((v, c) => {
          seen[from + c] = v;
        });
      },
    });
    assert.equal(s.lower.length, 0);
    assert.deepEqual(seen, r.lower);
  });

  it("handles 200,000 customers x 100 draws in chunks (timing printed)", () => {
    const t0 = performance.now();
    let max = 0;
    const r = customerIntervals({
      customers: 200_000,
      draws: 100,
      fill: (d, from, to, out) => {
        for (let i = from; i < to; i++) out[i - from] = ((i * 7919 + d * 104729) % 1000) / 10;
      },
      onChunk: (_from, _lo, _med, up) => {
        for (const v of up) max = Math.max(max, v);
      },
    });
    const ms = performance.now() - t0;
    console.log(`customerIntervals: 200k customers x 100 draws in ${ms.toFixed(0)} ms`);
    assert.equal(r.customers, 200_000);
    assert.ok(max > 90 && max < 100);
    assert.equal(r.customersWithoutFiniteDraws, 0);
  });
});
