import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { buildReportInput, renderReport } from "../src/index.ts";
import type { ReportInput } from "../src/types.ts";
import { browserSkipReason, launch } from "./browser.ts";
import { cdnowTransactions } from "./fixtures.ts";

const input: ReportInput = buildReportInput(cdnowTransactions(), {
  calibrationEnd: "1997-09-30",
  currency: "$",
  generatedAt: "2026-11-22T00:00:00Z",
});

describe("buildReportInput on the CDNOW sample (2,357 customers, calibration to 1997-09-30)", () => {
  it("has the headline figures from the summaries and scores", () => {
    assert.equal(input.overview.customers, 2357);
    assert.equal(input.segments.pAlive.customers, 2357);
    const tierCustomers = input.segments.tiers.reduce((s, t) => s + t.customers, 0);
    assert.equal(tierCustomers, 2357, "tiers partition the customers");
    const iv = input.overview.predictedRevenueInterval;
    assert.ok(iv && iv.lower < input.overview.predictedRevenue && input.overview.predictedRevenue < iv.upper);
    assert.ok(input.overview.averageClv > 0);
  });
  it("has cohorts with forecast cells after the observed ones, and a holdout backtest", () => {
    const rows = input.cohorts?.rows ?? [];
    assert.equal(rows.length, 3, "CDNOW's cohort is acquired Jan-Mar 1997");
    for (const r of rows) {
      const firstForecast = r.cells.findIndex((c) => c.forecast);
      assert.ok(firstForecast > 0);
      assert.ok(r.cells.slice(firstForecast).every((c) => c.forecast));
    }
    const q = input.quality;
    assert.ok(q);
    // holdout purchases are counted from the data: the tracking's last actual minus calibration repeats
    assert.ok(q.metrics.actualTotal > 1000 && q.metrics.predictedTotal > 1000);
    assert.equal(
      q.buckets.reduce((s, b) => s + b.customers, 0),
      2357,
    );
  });
});

describe("buildReportInput with a calibration end on an acquisition day (CDNOW sample, 1997-03-25)", () => {
  it("leaves customers first seen that day (T = 0) out of the fit, says so, and still shows them", () => {
    const early = buildReportInput(cdnowTransactions(), { calibrationEnd: "1997-03-25" });
    const note = early.notes.find((n) => n.includes("left out of the fit (T = 0)"));
    assert.ok(note, "a note names the customers left out of the fit");
    const leftOut = Number(/^(\d+) customers/.exec(note)?.[1]);
    assert.ok(leftOut > 0);
    assert.ok(Number.isFinite(early.overview.predictedRevenue) && early.overview.averageClv > 0);
    assert.equal(early.segments.pAlive.customers, early.overview.customers);
  });
});

describe("forecast against the holdout (CDNOW sample)", () => {
  it("actual revenue per forecast month equals a direct sum of the transactions", () => {
    const f = input.forecast!;
    const actual = f.actualRevenue ?? [];
    const whole = actual.filter((v) => v !== null).length;
    // the data ends 273 days after 1997-09-30: 8 whole months of 30.44 days
    assert.equal(whole, 8);
    const cal = Date.UTC(1997, 8, 30) / 86_400_000;
    const monthDays = 365.25 / 12;
    const tx = cdnowTransactions();
    for (let k = 0; k < whole; k++) {
      let direct = 0;
      for (const t of tx) {
        const day = t.at / 86_400_000;
        if (day > cal + k * monthDays && day <= cal + (k + 1) * monthDays) direct += t.amount;
      }
      assert.ok(Math.abs(actual[k]! - direct) < 1e-6, `month ${k + 1}: ${actual[k]} vs ${direct}`);
    }
  });
});

describe("renderReport: one self-contained HTML file", () => {
  const html = renderReport(input);
  it("inlines the script, styles and data, and references nothing on the network", () => {
    assert.ok(html.startsWith("<!doctype html>"));
    assert.ok(html.length > 100_000, "Chart.js is inlined");
    assert.doesNotMatch(html, /<script[^>]+src=/i);
    assert.doesNotMatch(html, /<link[^>]+href=/i);
    assert.match(html, /id="valuecast-data"/);
  });

  const skip = browserSkipReason();
  let dir = "";
  let file = "";
  let browser: Awaited<ReturnType<typeof launch>> | null = null;
  before(async () => {
    if (skip) return;
    dir = mkdtempSync(join(tmpdir(), "valuecast-report-"));
    file = join(dir, "report.html");
    writeFileSync(file, html);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("opens offline and renders every page with data, no console errors", {
    skip: skip ?? false,
  }, async () => {
    const page = await browser!.browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    for (const p of ["overview", "segments", "cohorts", "channels", "forecast", "customer", "quality"]) {
      await page.click(`nav a[data-page="${p}"]`);
      await page.waitForSelector(`main[data-page="${p}"]`);
      const points = await page.evaluate(() => {
        const w = window as unknown as {
          valuecast: { charts: { data: { datasets: { data: unknown[] }[] } }[] };
        };
        return w.valuecast.charts.map((c) => c.data.datasets.reduce((s, d) => s + d.data.length, 0));
      });
      if (p === "overview" || p === "segments" || p === "forecast" || p === "quality") {
        assert.ok(points.length > 0 && points.every((n) => n > 0), `${p}: charts with data (${points})`);
        const painted = await page.evaluate(() =>
          [...document.querySelectorAll("canvas")].every((c) => {
            const ctx = c.getContext("2d");
            const d = ctx?.getImageData(0, 0, c.width, c.height).data ?? [];
            for (let i = 3; i < d.length; i += 4) if ((d[i] ?? 0) > 0) return true;
            return false;
          }),
        );
        assert.ok(painted, `${p}: every canvas has painted pixels`);
      }
      if (p === "forecast") {
        const labels = await page.evaluate(() =>
          (
            window as unknown as { valuecast: { charts: { data: { datasets: { label?: string }[] } }[] } }
          ).valuecast.charts[0]?.data.datasets.map((d) => d.label),
        );
        assert.ok(labels?.includes("Actual (holdout)") && labels.includes("90% interval"), String(labels));
      }
      if (p === "cohorts") assert.ok((await page.locator("table.heatmap td.cell.forecast").count()) > 0);
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], "no network request");
  });

  it("moves the threshold slider and the expected hits and misses change", {
    skip: skip ?? false,
  }, async () => {
    const page = await browser!.browser.newPage();
    await page.goto(`${pathToFileURL(file).href}#segments`);
    const read = async () =>
      ((await page.locator("main .kpis.compact").first().textContent()) ?? "").replace(/\s+/g, " ");
    const slider = page.locator("#cut-slider");
    await slider.fill("4");
    const low = await read();
    await slider.fill("16");
    const high = await read();
    assert.notEqual(low, high);
    // the flagged count equals the histogram's customers at or above the cut
    const c = input.segments.pAlive.atEdges[16]!;
    assert.match(high, new RegExp(`Flagged ?${c.flagged.toLocaleString("en-US")}`));
    assert.match(
      high,
      new RegExp(
        `Expected hits \\(active, flagged\\) ?${Math.round(c.expectedTruePositives).toLocaleString("en-US")}`,
      ),
    );
  });

  it("looks up an embedded customer and shows the profile card", { skip: skip ?? false }, async () => {
    const page = await browser!.browser.newPage();
    await page.goto(`${pathToFileURL(file).href}#customer`);
    const top = input.customers[0]!.profile;
    await page.fill("#customer-id", top.customerId);
    await page.click("form.lookup button");
    await page.waitForSelector("#customer-card .card-title");
    const text = (await page.locator("#customer-card").textContent()) ?? "";
    assert.match(text, new RegExp(`Customer ${top.customerId}`));
    assert.match(text, /P\(ALIVE\)|P\(alive\)/i);
    await page.fill("#customer-id", "no-such-customer");
    await page.click("form.lookup button");
    await page.waitForSelector("#customer-card .error");
  });
});
