import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { buildEarlyDataset, splitEarlyByCohort } from "../../src/learn/early-features.ts";
import type { Transaction } from "../../src/summary/types.ts";

const DAY = 86_400_000;
const base = Date.UTC(2020, 0, 6); // a Monday
const t0 = base + 10 * 3_600_000;
const H = 60; // horizon in days

const fixture: Transaction[] = [
  // customer A
  { customerId: "A", at: t0, amount: 30, quantity: 2, category: "books", orderId: "o1", channel: "ads" },
  { customerId: "A", at: t0, amount: 20, quantity: 1, category: "music", orderId: "o1", country: "DE" },
  { customerId: "A", at: base + 2 * DAY, amount: 15, category: "books", orderId: "o2" },
  { customerId: "A", at: base + 3 * DAY, amount: 5, cancelled: true, orderId: "C1" },
  { customerId: "A", at: t0 + 7 * DAY, amount: 10, orderId: "o3" }, // last instant of the window
  { customerId: "A", at: t0 + 7 * DAY + 1, amount: 100, orderId: "o4" }, // first instant of the horizon
  { customerId: "A", at: t0 + 37 * DAY, amount: -20, orderId: "r1" },
  { customerId: "A", at: t0 + (7 + H) * DAY, amount: 7, orderId: "o5" }, // last instant of the horizon
  { customerId: "A", at: t0 + (7 + H) * DAY + 1, amount: 1000, orderId: "o6" },
  // customer B: an old refund before the first purchase; two lines at one instant without ids
  { customerId: "B", at: base - DAY, amount: -9 },
  { customerId: "B", at: base + DAY, amount: 40, campaign: "spring" },
  { customerId: "B", at: base + DAY, amount: 5 },
  // C: window still open at asOf; D: refunds only; E: window closed, horizon not
  { customerId: "C", at: base + 198 * DAY, amount: 12 },
  { customerId: "D", at: base + 5 * DAY, amount: -3 },
  { customerId: "E", at: base + 150 * DAY, amount: 8 },
];
const asOf = base + 200 * DAY;

describe("early features (issue 6)", () => {
  const ds = buildEarlyDataset(fixture, { days: 7, horizonDays: H, asOf });
  const byId = new Map(ds.customers.map((c) => [c.customerId, c]));

  it("computes every feature and the horizon label by hand on a fixture", () => {
    const a = byId.get("A")!;
    assert.equal(a.firstAt, t0);
    assert.deepEqual(a.features, {
      first_amount: 50,
      early_revenue: 50 + 15 - 5 + 10,
      early_orders: 3,
      early_items: 2 + 1 + 1 + 1,
      early_categories: 2,
      repeat_in_window: 1,
      days_to_second_order: 2 - 10 / 24,
      channel: "ads",
      campaign: undefined,
      country: "DE",
      first_weekday: "Mon",
    });
    assert.equal(a.label, 100 - 20 + 7);
    assert.ok(a.labelObserved);
    const b = byId.get("B")!;
    assert.equal(b.features.first_amount, 45);
    assert.equal(b.features.early_revenue, 45);
    assert.equal(b.features.early_orders, 1);
    assert.equal(b.features.repeat_in_window, 0);
    assert.equal(b.features.days_to_second_order, 7);
    assert.equal(b.features.campaign, "spring");
    assert.equal(b.features.first_weekday, "Tue");
    assert.equal(b.label, 0);
  });

  it("counts open windows and refund-only customers; unobserved horizons carry no label", () => {
    assert.deepEqual(
      ds.customers.map((c) => c.customerId),
      ["A", "B", "E"],
    );
    assert.equal(ds.windowOpen, 1);
    assert.equal(ds.noPurchase, 1);
    const e = byId.get("E")!;
    assert.equal(e.labelObserved, false);
    assert.equal(e.label, 0);
  });

  it("a burn-in keeps customers first seen before it out of the new-customer cohorts", () => {
    const late = buildEarlyDataset(fixture, { days: 7, horizonDays: H, asOf, acquiredFrom: base + DAY });
    assert.deepEqual(
      late.customers.map((c) => c.customerId),
      ["B", "E"],
    );
    assert.equal(late.beforeAcquisition, 1);
  });

  it("no outcome leaks into features: changing anything after the window changes only the label", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 90 }),
            amount: fc.integer({ min: -50, max: 500 }),
            qty: fc.integer({ min: 1, max: 5 }),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        fc.array(
          fc.record({ day: fc.integer({ min: 8, max: 90 }), amount: fc.integer({ min: 1, max: 900 }) }),
          {
            maxLength: 10,
          },
        ),
        (lines, future) => {
          const tx: Transaction[] = [
            { customerId: "X", at: base, amount: 25, quantity: 1 },
            ...lines.map((l) => ({
              customerId: "X",
              at: base + l.day * DAY,
              amount: l.amount,
              quantity: l.qty,
            })),
          ];
          const windowEnd = base + 7 * DAY;
          const early = tx.filter((t) => t.at <= windowEnd);
          const altered = [
            ...early,
            ...future.map((f) => ({
              customerId: "X",
              at: base + f.day * DAY,
              amount: f.amount,
              category: "new",
            })),
          ];
          const opts = { days: 7, horizonDays: 30, asOf: base + 200 * DAY };
          const x1 = buildEarlyDataset(tx, opts).customers[0]!;
          const x2 = buildEarlyDataset(altered, opts).customers[0]!;
          const x3 = buildEarlyDataset(early, opts).customers[0]!;
          assert.deepEqual(x1.features, x2.features);
          assert.deepEqual(x1.features, x3.features);
          assert.equal(x3.label, 0);
        },
      ),
    );
  });

  it("splits by acquisition time: backtest (both sides labelled) and production (score the unlabelled)", () => {
    const many: Transaction[] = [];
    for (let i = 0; i < 20; i++) many.push({ customerId: `c${i}`, at: base + i * DAY, amount: 10 + i });
    const d = buildEarlyDataset(many, { days: 7, horizonDays: 5, asOf: base + 25 * DAY });
    // windows close by day i + 7 <= 25 (i <= 18); horizons end by i + 12 <= 25 (i <= 13)
    assert.equal(d.customers.length, 19);
    const back = splitEarlyByCohort(d, { trainShare: 0.5 });
    assert.deepEqual(
      back.train.map((c) => c.customerId),
      ["c0", "c1", "c2", "c3", "c4", "c5", "c6"],
    );
    assert.deepEqual(
      back.test.map((c) => c.customerId),
      ["c7", "c8", "c9", "c10", "c11", "c12", "c13"],
    );
    assert.ok(
      back.train.every((c) => c.firstAt < back.trainEnd) &&
        back.test.every((c) => c.firstAt >= back.trainEnd),
    );
    const prod = splitEarlyByCohort(d);
    assert.equal(prod.train.length, 14);
    assert.deepEqual(
      prod.test.map((c) => c.customerId),
      ["c14", "c15", "c16", "c17", "c18"],
    );
  });
});
