import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { loadDashboardAssets } from "../src/index.ts";
import type { ReportInput } from "../src/types.ts";
import { browserSkipReason, launch } from "./browser.ts";
import { startRealServer } from "./real-server.ts";

const KEY = "test-key-123";

describe("loadDashboardAssets", () => {
  it("gives index.html, app.js (with Chart.js) and styles.css with their content types", async () => {
    const a = await loadDashboardAssets();
    assert.deepEqual([...a.keys()].sort(), ["app.js", "index.html", "styles.css"]);
    assert.match(String(a.get("index.html")?.body), /<script src="\/app.js">/);
    assert.ok(String(a.get("app.js")?.body).length > 100_000);
    assert.equal(a.get("styles.css")?.contentType, "text/css; charset=utf-8");
    assert.match(
      String((await loadDashboardAssets({ apiKey: "k<" })).get("index.html")?.body),
      /content="k&#60;"/,
    );
  });
});

describe("dashboard in chromium over HTTP against the real server (CDNOW sample workspace)", () => {
  const skip = browserSkipReason();
  let server: Awaited<ReturnType<typeof startRealServer>> | null = null;
  let browser: Awaited<ReturnType<typeof launch>> | null = null;
  let input: ReportInput;
  before(async () => {
    if (skip) return;
    [server, browser] = await Promise.all([startRealServer(KEY), launch()]);
    const res = await fetch(`${server.url}/api/v1/dashboard`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    input = (await res.json()) as ReportInput;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("asks for the key, shows the API's issue on a wrong key, then every page without console errors", {
    skip: skip ?? false,
  }, async () => {
    const page = await browser!.browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      // the 401 of the wrong key is logged by the browser as a failed resource; everything else is an error
      if (m.type() === "error" && !m.text().includes("401")) errors.push(m.text());
    });
    await page.goto(server!.url);
    await page.fill("#api-key", "wrong");
    await page.click("#key-form button");
    await page.waitForSelector("#api-error");
    const err = (await page.locator("#api-error").textContent()) ?? "";
    assert.match(err, /401/);
    assert.match(err, /UNAUTHORIZED/);
    assert.match(err, /authorization/);
    await page.fill("#api-key", KEY);
    await page.click("#key-form button");
    await page.waitForSelector('main[data-page="overview"]');
    assert.match((await page.locator("main").textContent()) ?? "", /2,357/);
    for (const p of ["overview", "segments", "cohorts", "channels", "forecast", "customer", "quality"]) {
      await page.click(`nav a[data-page="${p}"]`);
      await page.waitForSelector(`main[data-page="${p}"]`);
      const points = await page.evaluate(() =>
        (
          window as unknown as { valuecast: { charts: { data: { datasets: { data: unknown[] }[] } }[] } }
        ).valuecast.charts.map((c) => c.data.datasets.reduce((s, d) => s + d.data.length, 0)),
      );
      if (["overview", "segments", "forecast", "quality"].includes(p))
        assert.ok(points.length > 0 && points.every((n) => n > 0), `${p}: ${points}`);
      // VALUECAST_SCREENSHOTS=1 refreshes the README pictures (docs/img/dashboard-*.png)
      if (process.env.VALUECAST_SCREENSHOTS === "1" && (p === "overview" || p === "segments")) {
        mkdirSync(new URL("../../../docs/img/", import.meta.url), { recursive: true });
        await page.screenshot({
          path: new URL(`../../../docs/img/dashboard-${p}.png`, import.meta.url).pathname,
          fullPage: p === "overview",
        });
      }
    }
    assert.deepEqual(errors, []);
  });

  it("moves the slider (counts change), looks up a customer through the API, downloads exports", {
    skip: skip ?? false,
  }, async () => {
    const page = await browser!.browser.newPage();
    await page.goto(`${server!.url}/#segments`);
    await page.evaluate((k) => sessionStorage.setItem("valuecast-api-key", k), KEY);
    await page.reload();
    await page.waitForSelector('main[data-page="segments"]');
    const read = async () => (await page.locator("main .kpis.compact").first().textContent()) ?? "";
    await page.locator("#cut-slider").fill("2");
    const a = await read();
    await page.locator("#cut-slider").fill("19");
    const b = await read();
    assert.notEqual(a, b);
    assert.match(
      b,
      new RegExp(`Flagged ?${input.segments.pAlive.atEdges[19]!.flagged.toLocaleString("en-US")}`),
    );

    await page.click('nav a[data-page="customer"]');
    const id = input.customers[3]!.profile.customerId;
    await page.fill("#customer-id", id);
    await page.click("form.lookup button");
    await page.waitForSelector("#customer-card .card-title");
    assert.match((await page.locator("#customer-card").textContent()) ?? "", new RegExp(`Customer ${id}`));
    await page.fill("#customer-id", "nobody");
    await page.click("form.lookup button");
    await page.waitForSelector("#customer-card .error");

    await page.selectOption("#export-select", "valuecast-tiers.csv");
    const [d1] = await Promise.all([page.waitForEvent("download"), page.click("#export-button")]);
    const tiers = readFileSync((await d1.path())!, "utf8")
      .trim()
      .split("\n");
    assert.equal(
      tiers[0],
      "tier,customers,share_of_customers,predicted_value,share_of_value,min_value,max_value",
    );
    assert.equal(tiers.length, 1 + input.segments.tiers.length);
    await page.selectOption("#export-select", "audience:top");
    const [d2] = await Promise.all([page.waitForEvent("download"), page.click("#export-button")]);
    assert.equal(d2.suggestedFilename(), "valuecast-audience-top.csv");
    const audience = readFileSync((await d2.path())!, "utf8")
      .trim()
      .split("\n");
    assert.equal(audience[0], "customer_id,tier,p_alive,predicted_clv");
    // the server writes every customer of the tier (its own score set), highest CLV first
    assert.ok(audience.length > 100 && audience.length < 2357, `${audience.length}`);
    assert.ok(audience.slice(1).every((l) => l.split(",")[1] === "top"));
  });
});
