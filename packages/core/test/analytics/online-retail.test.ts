import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { channelEconomics } from "../../src/analytics/channels.ts";
import { cohortTable } from "../../src/analytics/cohorts.ts";
import { customerHistories } from "../../src/analytics/histories.ts";
import type { SpendRow } from "../../src/analytics/spend.ts";
import { readOnlineRetail, retailTransactions } from "./online-retail-loader.ts";

// SYNTHETIC spend file, made up for this test (the data set has no spend): monthly spend per country.
const monthlySpend: Record<string, number> = {
  "United Kingdom": 20000,
  Germany: 2000,
  France: 1500,
  EIRE: 500,
};
const spend: SpendRow[] = [];
for (let m = 1; m <= 11; m++)
  for (const [channel, amount] of Object.entries(monthlySpend))
    spend.push({ month: `2011-${String(m).padStart(2, "0")}`, channel, spend: amount });

describe("UCI Online Retail (Country as a stand-in channel, synthetic spend)", () => {
  const rows = readOnlineRetail();
  const data = customerHistories(retailTransactions(rows));

  it("keeps the data's published totals: 4,372 customers and GBP 8,300,066 net revenue with a CustomerID", () => {
    assert.equal(data.histories.length + data.customersWithoutOrders, 4372);
    const t = cohortTable(data, { grain: "month" });
    const revenue = t.rows.reduce((s, r) => s + r.cells.reduce((a, c) => a + c.revenue, 0), 0);
    // customers seen only through returns (bought before the data starts) have no cohort: their net
    // revenue is the difference from the published total
    const buyers = new Set(
      rows.filter((r) => !r.invoice.startsWith("C") && r.amount >= 0).map((r) => r.customer),
    );
    const returnsOnly = rows.filter((r) => !buyers.has(r.customer));
    assert.equal(new Set(returnsOnly.map((r) => r.customer)).size, data.customersWithoutOrders);
    const returnsOnlyRevenue = returnsOnly.reduce((s, r) => s + r.amount, 0);
    assert.ok(returnsOnlyRevenue < 0);
    assert.equal(Math.round(revenue + returnsOnlyRevenue), 8300066);
    assert.equal(t.endDate, "2011-12-09");
    // December 2011 is partly observed
    assert.equal(t.rows[0]?.cells.at(-1)?.complete, false);
  });

  it("CAC per country and month equals synthetic spend / a direct count of first orders", () => {
    const report = channelEconomics(data, { spend, predictedClv: () => 0, margin: 0.25 });
    // direct count: each customer's first non-cancelled, non-negative line; its country and month
    const first = new Map<string, { ymd: string; country: string }>();
    for (const r of rows) {
      if (r.invoice.startsWith("C") || r.amount < 0) continue;
      const f = first.get(r.customer);
      if (!f || r.ymd < f.ymd) first.set(r.customer, { ymd: r.ymd, country: r.country });
    }
    const counts = new Map<string, number>();
    for (const f of first.values()) {
      const k = `${f.country}|${f.ymd.slice(0, 7)}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    let checked = 0;
    for (const row of report.cacByPeriod.filter((r) => r.campaign === null)) {
      const n = counts.get(`${row.channel}|${row.period}`) ?? 0;
      assert.equal(row.newCustomers, n, `${row.channel} ${row.period}`);
      assert.equal(row.cac, n > 0 ? (monthlySpend[row.channel] as number) / n : null);
      checked++;
    }
    assert.equal(checked, 44);
    const uk = report.channels.find((c) => c.channel === "United Kingdom")!;
    let ukNew = 0;
    for (let m = 1; m <= 11; m++)
      ukNew += counts.get(`United Kingdom|2011-${String(m).padStart(2, "0")}`) ?? 0;
    assert.ok(Math.abs((uk.cac ?? 0) - 220000 / ukNew) < 1e-9);
    // LTV:CAC = mean(margin x historic revenue) / CAC, with zero predicted CLV
    const ukIds = new Set(
      [...first.entries()].filter(([, f]) => f.country === "United Kingdom").map(([id]) => id),
    );
    let ukRevenue = 0;
    for (const r of rows)
      if (ukIds.has(r.customer)) ukRevenue += r.invoice.startsWith("C") ? -Math.abs(r.amount) : r.amount;
    const ltv = (0.25 * ukRevenue) / ukIds.size;
    assert.ok(Math.abs((uk.predictedLtv ?? 0) - ltv) < 1e-6 * ltv);
    assert.ok(Math.abs((uk.ltvToCac ?? 0) - ltv / (220000 / ukNew)) < 1e-6);
    assert.equal(uk.customers, ukIds.size);
  });
});
