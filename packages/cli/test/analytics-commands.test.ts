import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { bgnbdModel, fitModel } from "@valuecast/core";
import { DATA } from "./paths.ts";
import { run } from "./run.ts";

const MASTER = join(DATA, "CDNOW_master.txt");
const RETAIL = join(DATA, "real/uci_online_retail/by-day/*.csv");

/** CDNOW_master rows as (id, YYYYMMDD). */
function masterRows(): [string, string][] {
  return readFileSync(MASTER, "utf8")
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4)
    .map((f) => [f[0]!, f[1]!]);
}

describe("valuecast segments, cohorts, channels, forecast", () => {
  it("segments: tiers partition the customers (top 10% / next 40% / rest) and lifecycle states cover everyone", async () => {
    const r = await run([
      "segments",
      MASTER,
      "--calibration-end",
      "1998-06-30",
      "--model",
      "bgnbd",
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out) as {
      tiers: { tiers: { name: string; customers: number; shareOfValue: number }[] };
      lifecycle: { counts: Record<string, number> };
      pAliveCut: { flagged: number; expectedTruePositives: number; expectedFalsePositives: number };
    };
    const sizes = s.tiers.tiers.map((t) => t.customers);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      23570,
    );
    assert.deepEqual(
      s.tiers.tiers.map((t) => t.name),
      ["top", "middle", "low"],
    );
    assert.ok(sizes[0]! <= 2357);
    const shares = s.tiers.tiers.reduce((a, t) => a + t.shareOfValue, 0);
    assert.ok(Math.abs(shares - 1) < 1e-9);
    assert.equal(
      Object.values(s.lifecycle.counts).reduce((a, b) => a + b, 0),
      23570,
    );
    const c = s.pAliveCut;
    assert.ok(Math.abs(c.expectedTruePositives + c.expectedFalsePositives - c.flagged) < 1e-6);
  });

  it("cohorts: the 1997-01 cohort size and its period-1 active customers equal a direct count on CDNOW_master", async () => {
    const r = await run(["cohorts", MASTER, "--grain", "month", "--json"]);
    assert.equal(r.code, 0, r.err);
    const t = JSON.parse(r.out) as {
      rows: {
        cohort: string;
        customers: number;
        cells: { period: number; activeCustomers: number | null }[];
      }[];
    };
    const first = new Map<string, string>();
    const days = new Map<string, Set<string>>();
    for (const [id, d] of masterRows()) {
      if (!first.has(id) || d < first.get(id)!) first.set(id, d);
      if (!days.has(id)) days.set(id, new Set());
      days.get(id)!.add(d.slice(0, 6));
    }
    const jan = [...first.entries()].filter(([, d]) => d.startsWith("199701")).map(([id]) => id);
    const activeFeb = jan.filter((id) => days.get(id)!.has("199702")).length;
    const row = t.rows.find((x) => x.cohort === "1997-01")!;
    assert.equal(row.customers, jan.length);
    assert.equal(row.cells[1]!.activeCustomers, activeFeb);
  });

  it("channels: CAC = spend / new customers, and a budget scenario (Online Retail, Country as channel, SYNTHETIC spend file)", async () => {
    const spend = join(tmpdir(), `vc-spend-${process.pid}.csv`);
    // Synthetic spend, made up for this test: the data set has no marketing spend.
    writeFileSync(
      spend,
      "month,channel,spend\n2011-01,Germany,3000\n2011-02,Germany,1000\n2011-01,United Kingdom,50000\n",
    );
    const base = ["channels", RETAIL, "--channel", "Country", "--spend-file", spend, "--margin", "0.3"];
    const r = await run([...base, "--model", "bgnbd", "--budget", "20000", "--exponent", "1", "--json"]);
    rmSync(spend);
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as {
      channels: {
        channel: string;
        spend: number | null;
        newCustomersInSpendPeriods: number;
        cac: number | null;
        predictedLtv: number | null;
      }[];
      budget: {
        cornerSolution: boolean;
        proposed: { value: number; spend: number };
        recommended: { value: number; spend: number; channels: { channel: string; spend: number }[] };
      };
    };
    const de = rep.channels.find((c) => c.channel === "Germany")!;
    assert.equal(de.spend, 4000);
    assert.ok(de.newCustomersInSpendPeriods > 0);
    assert.equal(de.cac, 4000 / de.newCustomersInSpendPeriods);
    assert.equal(rep.channels.find((c) => c.channel === "France")!.cac, null);
    // Constant CAC (e = 1): value is linear in spend, so the whole budget goes to the best LTV/CAC channel.
    const b = rep.budget;
    assert.equal(b.cornerSolution, true);
    assert.ok(Math.abs(b.recommended.spend - 20000) < 1e-6);
    assert.ok(b.recommended.value >= b.proposed.value - 1e-6);
    const ratio = (name: string) => {
      const c = rep.channels.find((x) => x.channel === name)!;
      return c.predictedLtv! / c.cac!;
    };
    const best = ratio("Germany") > ratio("United Kingdom") ? "Germany" : "United Kingdom";
    assert.ok(Math.abs(b.recommended.channels.find((c) => c.channel === best)!.spend - 20000) < 1e-6);
    const usage = await run(["channels", RETAIL]);
    assert.equal(usage.code, 2);
  });

  it("forecast: existing customers' orders per period equal the sum of core's conditional expectations", async () => {
    const file = join(DATA, "cdnow_customers_summary.csv");
    const r = await run([
      "forecast",
      file,
      "--input",
      "summary",
      "--model",
      "bgnbd",
      "--period",
      "week",
      "--periods",
      "4",
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const f = JSON.parse(r.out) as {
      periods: { existingOrders: number; totalRevenue: number }[];
      totalRevenue: number;
    };
    const rows = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",").map(Number));
    const x = Float64Array.from(rows, (v) => v[1]!);
    const tx = Float64Array.from(rows, (v) => v[2]!);
    const T = Float64Array.from(rows, (v) => v[3]!);
    const p = bgnbdModel.predictor(fitModel(bgnbdModel.spec, { x, t_x: tx, T }).params);
    let week2 = 0;
    for (let i = 0; i < x.length; i++)
      week2 +=
        p.conditionalExpectedPurchases(2, x[i]!, tx[i]!, T[i]!) -
        p.conditionalExpectedPurchases(1, x[i]!, tx[i]!, T[i]!);
    assert.equal(f.periods.length, 4);
    assert.ok(
      Math.abs(f.periods[1]!.existingOrders - week2) < 1e-6,
      `${f.periods[1]!.existingOrders} vs ${week2}`,
    );
    const sum = f.periods.reduce((a, q) => a + q.totalRevenue, 0);
    assert.ok(Math.abs(sum - f.totalRevenue) < 1e-6);
  });

  it("forecast --intervals: parameter draws from the fitted covariance bracket the point forecast, reproducibly by seed", async () => {
    const file = join(DATA, "cdnow_customers_summary_with_transactions.csv");
    const args = [
      "forecast",
      file,
      "--input",
      "summary",
      "--model",
      "bgnbd",
      "--period",
      "month",
      "--periods",
      "3",
    ];
    const r = await run([...args, "--intervals", "60", "--seed", "7", "--json"]);
    assert.equal(r.code, 0, r.err);
    const f = JSON.parse(r.out) as {
      periods: { totalRevenue: number }[];
      totalRevenue: number;
      intervals: {
        level: number;
        draws: number;
        periods: { lower: number; median: number; upper: number }[];
        total: { lower: number; upper: number };
      };
    };
    assert.equal(f.intervals.level, 0.9);
    assert.equal(f.intervals.draws, 60);
    f.intervals.periods.forEach((q, k) => {
      assert.ok(q.lower <= q.median && q.median <= q.upper);
      assert.ok(
        q.lower < f.periods[k]!.totalRevenue && f.periods[k]!.totalRevenue < q.upper,
        `period ${k + 1}`,
      );
    });
    assert.ok(f.intervals.total.lower < f.totalRevenue && f.totalRevenue < f.intervals.total.upper);
    const again = await run([...args, "--intervals", "60", "--seed", "7", "--json"]);
    assert.deepEqual((JSON.parse(again.out) as typeof f).intervals, f.intervals);
  });
});
