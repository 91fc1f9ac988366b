import assert from "node:assert/strict";
import { describe, it } from "node:test";
import gammaln from "@stdlib/math-base-special-gammaln";
import fc from "fast-check";
import {
  digamma,
  lbeta,
  lgamma,
  log1mexp,
  log1pexp,
  logDiffExp,
  logSumExp,
  logSumExp2,
  trigamma,
} from "../../src/math/special.ts";

/** |got - want| <= rel * |want| + abs, with a message that shows both. */
function close(got: number, want: number, rel: number, abs = 0, what = ""): void {
  const err = Math.abs(got - want);
  assert.ok(err <= rel * Math.abs(want) + abs, `${what} got ${got}, want ${want}, error ${err}`);
}

describe("lgamma", () => {
  it("matches @stdlib/math-base-special-gammaln to 1e-13 relative (1e-14 absolute near the zeros)", () => {
    const points: number[] = [1e-300, 1e-8, 1e-3, 0.1, 0.5, 1, 2, 3, 10, 1e4, 1e7, 1e15, 1e300];
    for (let i = 1; i <= 4000; i++) points.push(i * 0.005); // dense over (0, 20]
    for (let i = 0; i <= 200; i++) points.push(10 ** (-6 + i * 0.06)); // log-spaced 1e-6 .. 1e6
    let worst = 0;
    for (const x of points) {
      const want = gammaln(x);
      const got = lgamma(x);
      const err = Math.abs(got - want);
      if (Math.abs(want) > 1e-3) {
        assert.ok(err <= 1e-13 * Math.abs(want), `x = ${x}: got ${got}, want ${want}`);
        worst = Math.max(worst, err / Math.abs(want));
      } else {
        assert.ok(err <= 1e-14, `x = ${x}: got ${got}, want ${want}`);
      }
    }
    // The largest gap (4e-14 near x = 1.2) is @stdlib's: mpmath agrees with us there (next test).
    assert.ok(worst < 5e-14, `worst relative error ${worst}`);
  });

  it("keeps relative accuracy next to its zeros at 1 and 2 (mpmath 1.3.0, 50 digits, at the doubles)", () => {
    const ref: [number, number][] = [
      [1.001, -0.0005763935982833062],
      [0.999, 0.0005780385328913802],
      [1.01, -0.005690307946069651],
      [1.2, -0.08537409000331583],
      [0.8, 0.15205967839983756],
      [1.9, -0.03898427592308336],
      [2.1, 0.04543773854448518],
      [2.001, 0.000423106734800117],
      [1.999, -0.0004224618006921073],
      [1.5, -0.12078223763524522],
      [0.75, 0.20328095143129538],
      [2.25, 0.1248717148923966],
      [1e7, 151180949.3694739],
      [1e15, 3.3538776394910668e16],
    ];
    for (const [x, want] of ref) close(lgamma(x), want, 2e-15, 0, `lgamma(${x})`);
    assert.equal(lgamma(1), 0);
    assert.equal(lgamma(2), 0);
  });

  it("gives exact log-factorials", () => {
    let logFact = 0;
    for (let n = 1; n <= 170; n++) {
      logFact += Math.log(n);
      close(lgamma(n + 1), logFact, 1e-14, 1e-15, `ln ${n}!`);
    }
  });

  it("reflects to negative x and returns +Infinity at the poles (mpmath 1.3.0)", () => {
    close(lgamma(-0.5), 1.2655121234846454, 1e-14);
    close(lgamma(-2.3), 0.36956666345500805, 1e-13);
    close(lgamma(-10.7), -15.416789096416636, 1e-13);
    assert.equal(lgamma(0), Number.POSITIVE_INFINITY);
    assert.equal(lgamma(-3), Number.POSITIVE_INFINITY);
    assert.equal(lgamma(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
    // Subnormal x: ln Gamma(x) = -ln x - gamma_E x + ..., finite.
    close(lgamma(5e-324), -Math.log(5e-324), 1e-15, 0, "lgamma(5e-324)");
    close(lgamma(1e-310), -Math.log(1e-310), 1e-15, 0, "lgamma(1e-310)");
  });

  it("satisfies lgamma(x + 1) = lgamma(x) + ln x and never returns NaN (fast-check)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e8, noNaN: true }), (x) => {
        const lhs = lgamma(x + 1);
        const rhs = lgamma(x) + Math.log(x);
        assert.ok(Number.isFinite(lhs) && Number.isFinite(rhs));
        // ln x + lgamma(x) may cancel (x near 1); scale the tolerance by the parts.
        const scale = Math.abs(lgamma(x)) + Math.abs(Math.log(x)) + 1e-300;
        assert.ok(Math.abs(lhs - rhs) <= 4e-15 * scale + 1e-16, `x = ${x}: ${lhs} vs ${rhs}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("lbeta", () => {
  it("stays accurate when one argument is huge (mpmath 1.3.0, 50 digits)", () => {
    const ref: [number, number, number][] = [
      [0.79, 10000, -7.114335116347545],
      [0.5, 1e10, -10.940560522033028],
      [1e-8, 1e8, 18.4206805539734],
      [12, 1e6, -148.2838848494444],
      [50, 60, -76.52272335335051],
      [2.5, 12.5, -6.172190800329316],
      [1e4, 1e4, -13866.28325676141],
      [3, 7, -5.529429087511423],
    ];
    for (const [a, b, want] of ref) {
      close(lbeta(a, b), want, 2e-14, 0, `lbeta(${a}, ${b})`);
      close(lbeta(b, a), want, 2e-14, 0, `lbeta(${b}, ${a})`);
    }
  });

  it("agrees with the three log-gammas where they do not cancel, and B(1, b) = 1/b (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 30, noNaN: true }),
        fc.double({ min: 1e-3, max: 30, noNaN: true }),
        (a, b) => {
          const want = lgamma(a) + lgamma(b) - lgamma(a + b);
          const scale = Math.abs(lgamma(a)) + Math.abs(lgamma(b)) + Math.abs(lgamma(a + b));
          assert.ok(Math.abs(lbeta(a, b) - want) <= 1e-14 * scale + 1e-15, `lbeta(${a}, ${b})`);
        },
      ),
      { numRuns: 2000 },
    );
    for (const b of [0.3, 1, 7, 15, 1e3, 1e9]) close(lbeta(1, b), -Math.log(b), 1e-14, 1e-15, `B(1, ${b})`);
  });
});

describe("digamma and trigamma", () => {
  it("match known values (Abramowitz & Stegun 6.3.2, 6.3.3, 6.4.2; mpmath 1.3.0 elsewhere)", () => {
    const ref: [number, number, number][] = [
      [1, -0.5772156649015329, 1.6449340668482264],
      [0.5, -1.9635100260214235, 4.934802200544679],
      [1e-8, -100000000.57721564, 1.0000000000000002e16],
      [3.3, 1.0348224890596216, 0.3535015418410618],
      [9.99, 2.250700372831201, 0.10527695014824179],
      [10, 2.251752589066721, 0.10516633568168575],
      [100, 4.600161852738087, 0.010050166663333571],
      [1e6, 13.815510057964191, 1.0000005000001667e-6],
      [-0.5, 0.03648997397857652, 8.934802200544679],
      [-2.3, 3.3173231575618227, 14.725912160961292],
    ];
    for (const [x, psi, psi1] of ref) {
      close(digamma(x), psi, 1e-14, 1e-15, `digamma(${x})`);
      close(trigamma(x), psi1, 1e-14, 0, `trigamma(${x})`);
    }
    // Next to the root of digamma (x0 = 1.46163214496836234...): absolute accuracy only.
    close(digamma(1.4616321449683622), -9.241265521729427e-17, 0, 1e-15, "digamma near its root");
  });

  it("are the derivatives of lgamma and satisfy the recurrences (fast-check)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 1e4, noNaN: true }), (x) => {
        close(digamma(x + 1), digamma(x) + 1 / x, 1e-13, 1e-14, `psi recurrence at ${x}`);
        close(trigamma(x + 1), trigamma(x) - 1 / (x * x), 1e-12, 1e-15, `psi' recurrence at ${x}`);
        const h = 1e-5 * x;
        const fd = (lgamma(x + h) - lgamma(x - h)) / (2 * h);
        close(digamma(x), fd, 1e-6, 1e-6, `psi vs finite difference at ${x}`);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("log-space arithmetic", () => {
  it("logSumExp2 and logSumExp handle huge, tiny and -Infinity entries", () => {
    close(logSumExp2(Math.log(2), Math.log(3)), Math.log(5), 1e-15);
    close(logSumExp2(1000, 1000), 1000 + Math.LN2, 1e-15);
    close(logSumExp2(-1000, -1001), -1000 + Math.log1p(Math.exp(-1)), 1e-15);
    assert.equal(logSumExp2(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY), Number.NEGATIVE_INFINITY);
    assert.equal(logSumExp2(Number.NEGATIVE_INFINITY, 3), 3);
    assert.equal(logSumExp2(Number.POSITIVE_INFINITY, 3), Number.POSITIVE_INFINITY);
    close(logSumExp([1000, 1000, 1000]), 1000 + Math.log(3), 1e-15);
    close(logSumExp([Math.log(1), Math.log(2), Number.NEGATIVE_INFINITY]), Math.log(3), 1e-15);
    close(logSumExp(new Float64Array([-800, -800.5])), -800 + Math.log1p(Math.exp(-0.5)), 1e-15);
    assert.equal(logSumExp([]), Number.NEGATIVE_INFINITY);
    assert.equal(logSumExp([Number.NEGATIVE_INFINITY]), Number.NEGATIVE_INFINITY);
  });

  it("log1mexp is accurate on both sides of -ln 2 (Maechler 2012)", () => {
    close(log1mexp(-1e-20), Math.log(1e-20), 1e-15);
    close(log1mexp(-50), -Math.exp(-50), 1e-15);
    close(log1mexp(-Math.LN2), -Math.LN2, 1e-15);
    close(log1mexp(-1), Math.log(1 - Math.exp(-1)), 1e-15);
    assert.equal(log1mexp(0), Number.NEGATIVE_INFINITY);
    assert.ok(log1mexp(Number.NEGATIVE_INFINITY) === 0);
  });

  it("logDiffExp and log1pexp", () => {
    close(logDiffExp(Math.log(5), Math.log(3)), Math.log(2), 1e-15);
    close(logDiffExp(1000, 999), 1000 + Math.log1p(-Math.exp(-1)), 1e-15);
    close(logDiffExp(0, -1e-12), Math.log(1e-12), 1e-10);
    assert.equal(logDiffExp(2, 2), Number.NEGATIVE_INFINITY);
    assert.equal(logDiffExp(2, Number.NEGATIVE_INFINITY), 2);
    assert.equal(log1pexp(0), Math.LN2);
    close(log1pexp(-50), Math.exp(-50), 1e-15);
    close(log1pexp(20), 20 + Math.exp(-20), 1e-16);
    assert.equal(log1pexp(800), 800);
    fc.assert(
      fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (x) => {
        close(log1pexp(x), logSumExp2(0, x), 1e-15, 1e-300);
      }),
    );
  });
});
