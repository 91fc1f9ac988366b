import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { customerHistories } from "../../src/analytics/histories.ts";
import type { Transaction } from "../../src/summary/types.ts";

const at = (iso: string): number => Date.parse(`${iso}T10:00:00Z`);

describe("customerHistories", () => {
  it("sorts unsorted input by day, merges same-day lines, nets refunds and takes the first order's channel", () => {
    const tx: Transaction[] = [
      { customerId: "a", at: at("2026-03-01"), amount: 10, channel: "late" },
      { customerId: "b", at: at("2026-01-02"), amount: 5, channel: "tv" },
      { customerId: "a", at: at("2026-01-15"), amount: -3 }, // refund before the first order: kept as revenue
      { customerId: "a", at: at("2026-02-01"), amount: 7, channel: "search", campaign: "x" },
      { customerId: "a", at: at("2026-02-01"), amount: 8, channel: "social" }, // same day, later line
      { customerId: "a", at: at("2026-03-01"), amount: 4, cancelled: true },
      { customerId: "a", at: at("2026-04-01"), amount: 1, channel: "after" },
    ];
    const h = customerHistories(tx, { end: "2026-03-31" });
    assert.equal(h.linesAfterEnd, 1);
    const a = h.histories.find((x) => x.customerId === "a")!;
    const day = (iso: string): number =>
      Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8))) / 86400000;
    assert.equal(a.firstDay, day("2026-02-01"));
    assert.equal(a.channel, "search");
    assert.equal(a.campaign, "x");
    assert.deepEqual(a.orderDays, [day("2026-02-01"), day("2026-03-01")]);
    assert.deepEqual(a.revenueDays, [day("2026-01-15"), day("2026-02-01"), day("2026-03-01")]);
    assert.deepEqual(a.revenueAmounts, [-3, 15, 6]);
    assert.deepEqual(
      h.histories.map((x) => x.customerId),
      ["a", "b"],
    );
  });
});
