import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type BudgetChannel, budgetScenario } from "../../src/analytics/budget.ts";

const channels: BudgetChannel[] = [
  { channel: "search", observedSpend: 1000, observedNewCustomers: 10, ltvPerCustomer: 300 },
  { channel: "social", observedSpend: 1000, observedNewCustomers: 20, ltvPerCustomer: 100 },
  { channel: "tv", observedSpend: 5000, observedNewCustomers: 20, ltvPerCustomer: 200 },
];
const proposedShares = { search: 0.2, social: 0.3, tv: 0.5 };

/** Projected value of a spend vector under customers = k s^e. */
function projectedValue(cs: readonly BudgetChannel[], spends: readonly number[], e: number): number {
  return cs.reduce((v, c, i) => {
    const s = spends[i] as number;
    return v + (s > 0 ? (c.ltvPerCustomer * c.observedNewCustomers * s ** e) / c.observedSpend ** e : 0);
  }, 0);
}

describe("budgetScenario", () => {
  it("projects the proposed split by hand (e = 1: customers = spend / CAC)", () => {
    const r = budgetScenario(channels, { totalBudget: 10000, proposedShares });
    assert.deepEqual(r.issues, []);
    const p = r.proposed!;
    // search 2000 / CAC 100 = 20 x 300; social 3000 / 50 = 60 x 100; tv 5000 / 250 = 20 x 200
    assert.deepEqual(
      p.channels.map((c) => [c.spend, c.newCustomers, c.value, c.cac]),
      [
        [2000, 20, 6000, 100],
        [3000, 60, 6000, 50],
        [5000, 20, 4000, 250],
      ],
    );
    assert.equal(p.value, 16000);
    assert.equal(p.netValue, 6000);
  });

  it("with e = 1 says the optimum is a corner and fills the best LTV/CAC channel up to its max share", () => {
    const bounded = channels.map((c) =>
      c.channel === "search" ? { ...c, maxShare: 0.6 } : { ...c, minShare: 0.1 },
    );
    const r = budgetScenario(bounded, { totalBudget: 10000, proposedShares });
    assert.equal(r.cornerSolution, true);
    assert.ok(r.assumptions.some((a) => a.includes("corner solution")));
    // value per dollar: search 3, social 2, tv 0.8. Minimums 1000 each for social and tv, search to 6000, rest social
    assert.deepEqual(
      r.recommended!.channels.map((c) => c.spend),
      [6000, 3000, 1000],
    );
    assert.equal(r.recommended!.value, 18000 + 6000 + 800);
    assert.ok((r.valueGain ?? 0) > 0);
  });

  it("with e < 1 matches the closed form and satisfies the KKT conditions", () => {
    const two = channels.slice(0, 2);
    const r = budgetScenario(two, {
      totalBudget: 2000,
      proposedShares: { search: 0.5, social: 0.5 },
      exponent: 0.5,
    });
    // interior optimum: s_c proportional to a_c^(1/(1-e)) = a_c^2, a = ltv k: 300 x 10/sqrt(1000) : 100 x 20/sqrt(1000) = 3 : 2
    assert.ok(Math.abs((r.recommended!.channels[0]?.share ?? 0) - 9 / 13) < 1e-9);
    const m = r.recommended!.channels.map((c) => c.marginalValuePerSpend ?? 0);
    assert.ok(Math.abs((m[0] as number) - (m[1] as number)) < 1e-9 * (m[0] as number));
    assert.ok(Math.abs((r.marginalValueOfBudget ?? 0) - (m[0] as number)) < 1e-9 * (m[0] as number));
    assert.ok(r.recommended!.value >= r.proposed!.value);
    assert.ok(r.assumptions.some((a) => a.includes("spend^0.5")));
  });

  it("the concave optimum satisfies KKT with bounds and no feasible split beats it (property)", () => {
    let checked = 0;
    let interior = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            spend: fc.double({ min: 10, max: 1e5, noNaN: true }),
            customers: fc.double({ min: 1, max: 1e3, noNaN: true }),
            ltv: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1e3, noNaN: true })),
            min: fc.double({ min: 0, max: 0.15, noNaN: true }),
            max: fc.double({ min: 0.3, max: 1, noNaN: true }),
          }),
          { minLength: 2, maxLength: 6 },
        ),
        fc.double({ min: 0.05, max: 0.99, noNaN: true }),
        fc.double({ min: 100, max: 1e6, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (rows, e, budget, weights) => {
          const cs: BudgetChannel[] = rows.map((r, i) => ({
            channel: `c${i}`,
            observedSpend: r.spend,
            observedNewCustomers: r.customers,
            ltvPerCustomer: r.ltv,
            minShare: r.min,
            maxShare: r.max,
          }));
          const sumMin = rows.reduce((s, r) => s + r.min, 0);
          const sumMax = rows.reduce((s, r) => s + r.max, 0);
          if (sumMin > 1 || sumMax < 1) return; // infeasible bounds are tested elsewhere
          const shares = Object.fromEntries(cs.map((c) => [c.channel, 1 / cs.length]));
          const r = budgetScenario(cs, { totalBudget: budget, proposedShares: shares, exponent: e });
          if (r.issues.length > 0) return; // equal shares may break a bound; not this test's subject
          const rec = r.recommended!;
          const spends = rec.channels.map((c) => c.spend);
          assert.ok(Math.abs(spends.reduce((a, b) => a + b, 0) - budget) < 1e-7 * budget);
          // KKT: interior channels share lambda; at the lower bound marginal <= lambda, at the upper >= lambda
          const lambda = r.marginalValueOfBudget;
          rec.channels.forEach((c, i) => {
            const lo = rows[i]!.min * budget;
            const hi = rows[i]!.max * budget;
            assert.ok(c.spend >= lo - 1e-7 * budget && c.spend <= hi + 1e-7 * budget);
            if (lambda === null || c.marginalValuePerSpend === null) return;
            const mv = c.marginalValuePerSpend;
            const tol = 1e-5 * lambda;
            if (c.spend > lo + 1e-6 * budget && c.spend < hi - 1e-6 * budget)
              assert.ok(Math.abs(mv - lambda) <= tol);
            else if (c.spend <= lo + 1e-6 * budget) assert.ok(mv <= lambda + tol);
            else assert.ok(mv >= lambda - tol);
          });
          // a random feasible split (mix of bounds) never beats it
          const lo = rows.map((x) => x.min * budget);
          const room = rows.map((x) => (x.max - x.min) * budget);
          let left = budget - lo.reduce((a, b) => a + b, 0);
          const alt = lo.slice();
          const order = rows.map((_, i) => i).sort((i, j) => (weights[i] as number) - (weights[j] as number));
          for (const i of order) {
            const add = Math.min(left, (room[i] as number) * (weights[i] as number));
            alt[i] = (alt[i] as number) + add;
            left -= add;
          }
          for (const i of order) {
            const add = Math.min(left, rows[i]!.max * budget - (alt[i] as number));
            alt[i] = (alt[i] as number) + add;
            left -= add;
          }
          checked++;
          if (lambda !== null) interior++;
          const best = projectedValue(cs, spends, e);
          assert.ok(Math.abs(best - rec.value) <= 1e-9 * Math.max(1, best));
          assert.ok(projectedValue(cs, alt, e) <= best * (1 + 1e-9) + 1e-9);
          // the proposal (equal shares) is only comparable when it respects the same bounds
          if (rows.every((x) => x.min <= 1 / rows.length && 1 / rows.length <= x.max))
            assert.ok(best >= r.proposed!.value * (1 - 1e-12) - 1e-9);
        },
      ),
      { numRuns: 300 },
    );
    assert.ok(checked > 100 && interior > 50, `checked ${checked}, with an interior channel ${interior}`);
  });

  it("does not overflow for e close to 1 and excludes channels it cannot calibrate", () => {
    const cs: BudgetChannel[] = [
      ...channels,
      { channel: "new", observedSpend: 0, observedNewCustomers: 0, ltvPerCustomer: 100 },
    ];
    const r = budgetScenario(cs, {
      totalBudget: 1e7,
      proposedShares: { ...proposedShares },
      exponent: 0.999,
    });
    assert.deepEqual(r.issues, []);
    assert.equal(r.excluded[0]?.channel, "new");
    assert.equal(r.recommended!.channels[3]?.spend, 0);
    assert.equal(r.proposed!.channels[3]?.newCustomers, null);
    for (const c of r.recommended!.channels) assert.ok(Number.isFinite(c.spend));
    assert.ok(Number.isFinite(r.recommended!.value));
    // almost linear: nearly everything goes to search, the best value per dollar
    assert.ok((r.recommended!.channels[0]?.share ?? 0) > 0.99);
  });

  it("reports bad inputs as issues instead of numbers", () => {
    const r = budgetScenario(channels, {
      totalBudget: 100,
      proposedShares: { search: 0.5, radio: 0.2 },
      exponent: 1.5,
    });
    assert.equal(r.recommended, null);
    const codes = r.issues.map((i) => i.message);
    assert.ok(codes.some((m) => m.includes("exponent")));
    assert.ok(codes.some((m) => m.includes("radio")));
    assert.ok(codes.some((m) => m.includes("sum to 0.7")));
    const inf = budgetScenario(
      channels.map((c) => ({ ...c, maxShare: 0.2 })),
      { totalBudget: 100, proposedShares },
    );
    assert.ok(inf.issues.some((i) => i.message.includes("bounds")));
  });
});
