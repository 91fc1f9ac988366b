import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseDayOrMonth, periodIndex, periodLabel, periodStartDay } from "../../src/analytics/dates.ts";

describe("calendar periods", () => {
  it("labels and starts of weeks (Monday), months and quarters", () => {
    const d = parseDayOrMonth("1997-01-01")!; // a Wednesday
    assert.equal(d, 9862);
    assert.equal(periodLabel(periodIndex(d, "week"), "week"), "1996-12-30");
    assert.equal(periodLabel(periodIndex(d, "month"), "month"), "1997-01");
    assert.equal(periodLabel(periodIndex(parseDayOrMonth("1997-11-30")!, "quarter"), "quarter"), "1997-Q4");
    assert.equal(parseDayOrMonth("1997-02"), parseDayOrMonth("1997-02-01"));
    assert.equal(parseDayOrMonth("1997-02-30"), undefined);
    assert.equal(parseDayOrMonth("1997-13"), undefined);
  });

  it("every day lies in [start of its period, start of the next) and periods are consecutive (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -20000, max: 80000 }),
        fc.constantFrom("week", "month", "quarter"),
        (day, g) => {
          const grain = g as "week" | "month" | "quarter";
          const p = periodIndex(day, grain);
          assert.ok(periodStartDay(p, grain) <= day && day < periodStartDay(p + 1, grain));
          assert.equal(periodIndex(periodStartDay(p + 1, grain), grain), p + 1);
          if (grain === "week") assert.equal(new Date(periodStartDay(p, grain) * 86400000).getUTCDay(), 1);
        },
      ),
      { numRuns: 500 },
    );
  });
});
