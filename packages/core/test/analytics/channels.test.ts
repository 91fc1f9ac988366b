import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { channelEconomics } from "../../src/analytics/channels.ts";
import { customerHistories } from "../../src/analytics/histories.ts";
import { DAYS_PER_MONTH, paybackMonth } from "../../src/analytics/ltv-curve.ts";
import type { SpendRow } from "../../src/analytics/spend.ts";
import type { Transaction } from "../../src/summary/types.ts";

const at = (iso: string): number => Date.parse(`${iso}T09:00:00Z`);
const tx = (
  customerId: string,
  date: string,
  amount: number,
  channel: string,
  campaign?: string,
): Transaction => ({
  customerId,
  at: at(date),
  amount,
  channel,
  ...(campaign ? { campaign } : {}),
});

// Small fixture, data end 2026-06-30 (channel of the first order counts).
const fixture: Transaction[] = [
  tx("s1", "2026-01-10", 40, "search", "brand"),
  tx("s1", "2026-02-20", 40, "social"), // later orders' channel does not matter
  tx("s1", "2026-04-15", 40, "search"),
  tx("s2", "2026-01-20", 60, "search", "brand"),
  tx("s3", "2026-02-05", 50, "search", "generic"),
  tx("s3", "2026-03-20", 50, "search"),
  tx("m1", "2026-01-15", 20, "social"),
  tx("m2", "2026-03-01", 10, "social"),
  tx("d1", "2026-01-05", 30, "direct"),
  tx("d1", "2026-02-10", 30, "direct"),
  tx("d1", "2026-03-01", 60, "direct"),
];
const spend: SpendRow[] = [
  { month: "2026-01", channel: "search", campaign: "brand", spend: 300 },
  { date: "2026-02-14", channel: "search", campaign: "generic", spend: 60 },
  { date: "2026-02-20", channel: "search", campaign: "generic", spend: 40 },
  { month: "2026-01", channel: "social", spend: 200 },
  { month: "2026-01", channel: "direct", spend: 50 },
  { month: "2026-13", channel: "direct", spend: 5 }, // bad month: reported, not used
];
const predicted: Record<string, number> = { s1: 100, s2: 100, s3: 100, m1: 10, m2: 10, d1: 0 };

describe("channelEconomics on a hand-computed fixture", () => {
  const data = customerHistories(fixture, { end: "2026-06-30" });
  const report = channelEconomics(data, {
    spend,
    margin: 0.5,
    predictedClv: (id) => predicted[id],
    minCustomersObserved: 1,
    curve: { timeUnit: "day", expectedRepeatPurchases: (t) => t / DAYS_PER_MONTH, spendPerOrder: 50 },
  });
  const ch = (name: string) => report.channels.find((c) => c.channel === name)!;

  it("computes CAC = spend / new customers per channel and period", () => {
    assert.equal(report.issues.length, 1);
    assert.equal(report.issues[0]?.code, "BAD_DATE");
    const rows = report.cacByPeriod.filter((r) => r.channel === "search" && r.campaign === null);
    assert.deepEqual(
      rows.map((r) => [r.period, r.spend, r.newCustomers, r.cac]),
      [
        ["2026-01", 300, 2, 150],
        ["2026-02", 100, 1, 100],
      ],
    );
    assert.ok(Math.abs((ch("search").cac ?? 0) - 400 / 3) < 1e-12);
    // m2 was acquired in March, when social had no spend: not in the denominator
    assert.equal(ch("social").customers, 2);
    assert.equal(ch("social").newCustomersInSpendPeriods, 1);
    assert.equal(ch("social").cac, 200);
    assert.equal(ch("direct").cac, 50);
  });

  it("computes predicted LTV, LTV:CAC, the 3:1 guide and the below-one flag by hand", () => {
    // search: mean of 0.5 x (120, 60, 100) + 100 = 146.67; / 133.33 = 1.1
    assert.ok(Math.abs((ch("search").predictedLtv ?? 0) - (0.5 * 280) / 3 - 100) < 1e-12);
    assert.ok(Math.abs((ch("search").ltvToCac ?? 0) - 1.1) < 1e-12);
    assert.equal(ch("search").belowOne, false);
    assert.equal(ch("search").meetsGuide, false);
    // social: 0.5 x 15 + 10 = 17.5; / 200
    assert.ok(Math.abs((ch("social").ltvToCac ?? 0) - 17.5 / 200) < 1e-12);
    assert.equal(ch("social").belowOne, true);
    assert.ok(Math.abs((ch("direct").ltvToCac ?? 0) - 60 / 50) < 1e-12);
  });

  it("gives historic LTV at fixed ages over the customers observed that long", () => {
    const h = ch("search").historicLtv;
    assert.deepEqual(
      h.map((x) => [x.days, x.ltv, x.customersObserved]),
      [
        [30, 50, 3],
        [90, 80, 3],
        [180, null, 0],
        [365, null, 0],
      ],
    );
  });

  it("finds the payback month: observed for direct, projected on the curve for search", () => {
    // direct: margin 0.5 x cumulative revenue: month 1: 15, month 2: 60 >= CAC 50
    assert.deepEqual([ch("direct").payback.month, ch("direct").payback.source], [2, "observed"]);
    // search: observed cumulative revenue 50, 80, 80, 93.3, 90 (5 months); projected
    // 0.5 x (90 + 50 (m - 5)) >= 133.33 first at m = 9
    assert.equal(ch("search").payback.observedMonths, 5);
    assert.deepEqual([ch("search").payback.month, ch("search").payback.source], [9, "projected"]);
  });

  it("reports campaigns within channels", () => {
    const brand = report.campaigns.find((c) => c.campaign === "brand")!;
    const generic = report.campaigns.find((c) => c.campaign === "generic")!;
    assert.equal(brand.customers, 2);
    assert.equal(brand.cac, 150);
    assert.equal(generic.cac, 100);
  });

  it("returns null CAC with a reason when no customer was acquired, never NaN or Infinity", () => {
    const r = channelEconomics(data, { spend: [{ month: "2026-05", channel: "tv", spend: 1000 }] });
    const tv = r.channels.find((c) => c.channel === "tv")!;
    assert.equal(tv.customers, 0);
    assert.equal(tv.cac, null);
    assert.ok(tv.reasons.some((x) => x.field === "cac"));
    assert.equal(r.cacByPeriod.find((x) => x.channel === "tv")?.cac, null);
    const walk = (v: unknown): void => {
      if (typeof v === "number") assert.ok(Number.isFinite(v));
      else if (v && typeof v === "object") for (const x of Object.values(v)) walk(x);
    };
    walk(r);
    walk(report);
  });
});

describe("paybackMonth", () => {
  it("is the first month where margin x cumulative revenue reaches CAC", () => {
    assert.deepEqual(paybackMonth([30, 45, 60, 120], 30, 0.5, undefined, 36).month, 3);
    const none = paybackMonth([30, 45, 60], 50, 0.5, undefined, 36);
    assert.equal(none.month, null);
    assert.ok(none.reason?.includes("no model curve"));
    // weekly curve: one repeat order of 20 per month after the observed 3 months; 0.5 x (60 + 20 k) >= 50 at k = 2
    const weekly = paybackMonth(
      [30, 45, 60],
      50,
      0.5,
      { timeUnit: "week", expectedRepeatPurchases: (t) => (t * 7) / DAYS_PER_MONTH, spendPerOrder: 20 },
      36,
    );
    assert.deepEqual([weekly.month, weekly.source], [5, "projected"]);
  });
});
