import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { SpendRow } from "@valuecast/core";
import { buildReportInput, renderReport } from "../src/index.ts";
import { browserSkipReason, launch } from "./browser.ts";
import { cdnowTransactions } from "./fixtures.ts";

// SYNTHETIC: CDNOW has no channels; customers are assigned by id modulo 3 and the spend rows are invented.
const NAMES = ["Search", "Social", "Email"] as const;
const transactions = cdnowTransactions().map((t) => ({ ...t, channel: NAMES[Number(t.customerId) % 3]! }));
const SPEND: Record<string, number> = { Search: 9000, Social: 12000, Email: 1500 };
const spend: SpendRow[] = NAMES.flatMap((channel) =>
  ["1997-01", "1997-02", "1997-03"].map((month) => ({ month, channel, spend: SPEND[channel]! / 3 })),
);
const input = buildReportInput(transactions, {
  calibrationEnd: "1997-09-30",
  currency: "$",
  draws: 0,
  spend,
  budget: { total: 22500, exponent: 0.8 },
});

describe("channels in buildReportInput (synthetic channels and spend on the CDNOW sample)", () => {
  it("CAC = spend / customers acquired, LTV:CAC = predicted LTV / CAC", () => {
    const c = input.channels!;
    assert.equal(c.channels.length, 3);
    const ids = new Set(transactions.map((t) => t.customerId));
    for (const ch of c.channels) {
      const acquired = [...ids].filter((id) => NAMES[Number(id) % 3] === ch.channel).length;
      assert.equal(ch.customers, acquired);
      assert.ok(Math.abs(ch.cac! - SPEND[ch.channel]! / acquired) < 1e-9, `${ch.channel} CAC`);
      assert.ok(Math.abs(ch.ltvToCac! - ch.predictedLtv! / ch.cac!) < 1e-9);
    }
    assert.ok(input.budget?.recommended && input.budget.proposed);
    assert.ok(
      input.budget.recommended.value >= input.budget.proposed.value - 1e-6,
      "recommended is no worse",
    );
  });

  const skip = browserSkipReason();
  let dir = "";
  let browser: Awaited<ReturnType<typeof launch>> | null = null;
  before(async () => {
    if (skip) return;
    dir = mkdtempSync(join(tmpdir(), "valuecast-channels-"));
    writeFileSync(join(dir, "r.html"), renderReport(input));
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("draws LTV:CAC against the 3:1 line and the budget split", { skip: skip ?? false }, async () => {
    const page = await browser!.browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${pathToFileURL(join(dir, "r.html")).href}#channels`);
    await page.waitForSelector('main[data-page="channels"]');
    const sets = await page.evaluate(() =>
      (
        window as unknown as {
          valuecast: { charts: { data: { datasets: { label?: string; data: unknown[] }[] } }[] };
        }
      ).valuecast.charts.map((c) => c.data.datasets.map((d) => `${d.label}:${d.data.length}`)),
    );
    assert.deepEqual(sets, [
      ["LTV:CAC:3", "3:1 guide:3"],
      ["Proposed:3", "Recommended:3"],
    ]);
    const text = (await page.locator("main").textContent()) ?? "";
    assert.match(text, /Assumptions/);
    assert.deepEqual(errors, []);
  });
});
