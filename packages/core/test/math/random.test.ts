import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mvnormalSampler } from "../../src/math/linalg.ts";
import {
  beta,
  binomial,
  createRng,
  exponential,
  gamma,
  geometric,
  normal,
  poisson,
} from "../../src/math/random.ts";

const N = 100_000;

/** Sample mean and variance of n draws. */
function moments(draw: () => number, n = N): { mean: number; variance: number } {
  let m = 0;
  let s = 0;
  for (let i = 1; i <= n; i++) {
    const x = draw();
    assert.ok(Number.isFinite(x), `draw ${x}`);
    const d = x - m;
    m += d / i;
    s += d * (x - m);
  }
  return { mean: m, variance: s / (n - 1) };
}

/** Mean within 5 standard errors, variance within 5 of its (approximate, kurtosis-aware) standard errors. */
function checkMoments(
  name: string,
  draw: () => number,
  mean: number,
  variance: number,
  kurtosisExcess = 0,
): void {
  const got = moments(draw);
  const seMean = Math.sqrt(variance / N);
  const seVar = variance * Math.sqrt((2 + kurtosisExcess) / N);
  assert.ok(Math.abs(got.mean - mean) < 5 * seMean, `${name}: mean ${got.mean} vs ${mean} (se ${seMean})`);
  assert.ok(
    Math.abs(got.variance - variance) < 5 * seVar,
    `${name}: variance ${got.variance} vs ${variance}`,
  );
}

describe("createRng (xoshiro128**)", () => {
  it("produces the reference xoshiro128** outputs from state (1, 2, 3, 4) (Blackman & Vigna's C code)", () => {
    const rng = createRng(0);
    rng.state.set([1, 2, 3, 4]);
    assert.deepEqual([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()], [11520, 0, 5927040]);
  });

  it("is reproducible for a seed and differs between seeds", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    assert.deepEqual(
      xs,
      Array.from({ length: 5 }, () => b.uniform()),
    );
    assert.notDeepEqual(
      xs,
      Array.from({ length: 5 }, () => c.uniform()),
    );
    assert.notEqual(createRng(1).uniform(), createRng(1.5).uniform());
  });

  it("draws uniforms strictly inside (0, 1) with mean 1/2, variance 1/12 and no serial correlation", () => {
    const rng = createRng(7);
    let prev = rng.uniform();
    let cross = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < N; i++) {
      const u = rng.uniform();
      assert.ok(u > 0 && u < 1);
      cross += (u - 0.5) * (prev - 0.5);
      prev = u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    // lag-1 autocorrelation within 5 standard errors of 0 (se = 1/sqrt(N))
    assert.ok(Math.abs(cross / N / (1 / 12)) < 5 / Math.sqrt(N));
    assert.ok(min < 1e-4 && max > 1 - 1e-4);
    checkMoments("uniform", () => rng.uniform(), 0.5, 1 / 12, -1.2);
  });
});

describe("samplers: mean and variance over 100k draws within 5 standard errors", () => {
  const rng = createRng(2026);
  it("normal and exponential", () => {
    checkMoments("normal", () => normal(rng), 0, 1);
    checkMoments("exponential(2)", () => exponential(rng, 2), 0.5, 0.25, 6);
  });

  it("gamma for shape below and above 1 (BG/NBD r = 0.2426, alpha = 4.4136 among them)", () => {
    for (const [shape, rate] of [
      [0.2426, 4.4136],
      [0.05, 1],
      [1, 3],
      [6.25, 3.74],
      [200, 0.5],
    ] as const) {
      checkMoments(
        `gamma(${shape}, ${rate})`,
        () => gamma(rng, shape, rate),
        shape / rate,
        shape / (rate * rate),
        6 / shape,
      );
    }
  });

  it("beta including tiny shapes", () => {
    for (const [a, b] of [
      [0.7929, 2.4259],
      [1.204, 0.75],
      [5, 7],
      [0.02, 0.03],
    ] as const) {
      const mean = a / (a + b);
      const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
      const ex =
        (6 * ((a - b) ** 2 * (a + b + 1) - a * b * (a + b + 2))) / (a * b * (a + b + 2) * (a + b + 3));
      checkMoments(`beta(${a}, ${b})`, () => beta(rng, a, b), mean, variance, ex);
    }
    const tiny = beta(createRng(3), 1e-3, 1e-3);
    assert.ok(tiny >= 0 && tiny <= 1);
  });

  it("poisson by inversion and by PTRS", () => {
    for (const mean of [0.3, 3.5, 9.99, 10, 47.2, 5000]) {
      checkMoments(`poisson(${mean})`, () => poisson(rng, mean), mean, mean, 1 / mean);
    }
    assert.equal(poisson(rng, 0), 0);
  });

  it("poisson matches its probability mass function (chi-square over cells, mean 12)", () => {
    const mean = 12;
    const counts = new Float64Array(40);
    for (let i = 0; i < N; i++) counts[Math.min(39, poisson(rng, mean))]! += 1;
    let chi2 = 0;
    let cells = 0;
    let p = Math.exp(-mean);
    for (let k = 0; k < 39; k++) {
      const expected = N * p;
      if (expected > 5) {
        chi2 += (counts[k]! - expected) ** 2 / expected;
        cells++;
      }
      p *= mean / (k + 1);
    }
    // 99.99% quantile of chi-square with ~30 degrees of freedom is about 70.
    assert.ok(chi2 < 70, `chi2 ${chi2} over ${cells} cells`);
  });

  it("binomial by inversion and by beta splitting, and geometric", () => {
    for (const [n, p] of [
      [10, 0.3],
      [40, 0.9],
      [1000, 0.5],
      [1_000_000, 0.0004],
      [123457, 0.731],
    ] as const) {
      const ex = (1 - 6 * p * (1 - p)) / (n * p * (1 - p));
      checkMoments(`binomial(${n}, ${p})`, () => binomial(rng, n, p), n * p, n * p * (1 - p), ex);
    }
    assert.equal(binomial(rng, 7, 1), 7);
    assert.equal(binomial(rng, 7, 0), 0);
    checkMoments("geometric(0.25)", () => geometric(rng, 0.25), 4, 0.75 / 0.0625, 6 + 0.0625 / 0.75);
    assert.equal(geometric(rng, 1), 1);
  });

  it("mvnormalSampler reproduces the mean and covariance", () => {
    const cov = [4, 1.2, -0.6, 1.2, 1, 0.3, -0.6, 0.3, 0.5];
    const draw = mvnormalSampler([1, -2, 0.5], cov, createRng(11));
    const sum = new Float64Array(3);
    const cross = new Float64Array(9);
    const x = new Float64Array(3);
    for (let i = 0; i < N; i++) {
      draw(x);
      for (let j = 0; j < 3; j++) sum[j]! += x[j]!;
      for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) cross[j * 3 + k]! += x[j]! * x[k]!;
    }
    const mean = [1, -2, 0.5];
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(sum[j]! / N - mean[j]!) < 5 * Math.sqrt(cov[j * 4]! / N));
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 3; k++) {
        const c = cross[j * 3 + k]! / N - (sum[j]! / N) * (sum[k]! / N);
        const se = Math.sqrt((cov[j * 4]! * cov[k * 4]! + cov[j * 3 + k]! ** 2) / N);
        assert.ok(Math.abs(c - cov[j * 3 + k]!) < 5 * se, `cov[${j},${k}] ${c} vs ${cov[j * 3 + k]}`);
      }
    assert.throws(() => mvnormalSampler([0, 0], [1, 2, 2, 1], createRng(1)), /not positive definite/);
  });
});
