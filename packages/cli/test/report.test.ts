import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { REPO } from "./paths.ts";
import { run } from "./run.ts";

const SAMPLE = join(REPO, "packages/cli/data/CDNOW_sample.txt");
const dir = mkdtempSync(join(tmpdir(), "vc-report-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The CDNOW sample's customers and dollars to the calibration end 1997-09-30, read directly from the file. */
function direct(): { customers: number; revenue: number } {
  const ids = new Set<string>();
  let revenue = 0;
  for (const line of readFileSync(SAMPLE, "utf8").split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    ids.add(f[0]!);
    if (f[2]! <= "19970930") revenue += Number(f[4]);
  }
  return { customers: ids.size, revenue };
}

describe("valuecast report", () => {
  it("writes one self-contained HTML file (no http(s) reference, no external script or style) holding the CDNOW sample's figures", async () => {
    const out = join(dir, "report.html");
    const r = await run([
      "report",
      SAMPLE,
      "--calibration-end",
      "1997-09-30",
      "--draws",
      "20",
      "--title",
      "CDNOW sample",
      "--out",
      out,
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const summary = JSON.parse(r.out) as { customers: number; pages: { quality: boolean } };
    assert.equal(summary.customers, 2357);
    assert.equal(summary.pages.quality, true);
    const html = readFileSync(out, "utf8");
    assert.doesNotMatch(html, /https?:\/\//i, "no network reference");
    assert.doesNotMatch(html, /<script[^>]+src=/i);
    assert.doesNotMatch(html, /<link[^>]+href=/i);
    assert.match(html, /<title>CDNOW sample<\/title>/);
    const json = /<script type="application\/json" id="valuecast-data">(.*?)<\/script>/s.exec(html)?.[1];
    assert.ok(json, "the data are embedded");
    const data = JSON.parse(json) as {
      overview: { customers: number; historicRevenue: number; calibrationEnd: string };
      quality: { tracking: unknown[] } | null;
      customers: { profile: { customerId: string } }[];
    };
    const d = direct();
    assert.equal(data.overview.customers, d.customers);
    assert.ok(
      Math.abs(data.overview.historicRevenue - d.revenue) < 0.01,
      `${data.overview.historicRevenue} vs ${d.revenue}`,
    );
    assert.equal(data.overview.calibrationEnd, "1997-09-30");
    assert.ok((data.quality?.tracking.length ?? 0) >= 78, "78 weeks of tracking");
    assert.equal(data.customers.length, 25, "only the top customers are embedded");
  });

  it("fills the channels page and the budget scenario from --channel and --spend", async () => {
    // CDNOW sample with a channel column: customers split by id parity into two channels
    const lines = readFileSync(SAMPLE, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "")
      .map((l) => {
        const f = l.trim().split(/\s+/);
        const d = f[2]!;
        return `${f[0]},${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)},${f[4]},${Number(f[0]) % 2 ? "search" : "social"}`;
      });
    const tx = join(dir, "tx.csv");
    writeFileSync(tx, `customer,date,amount,channel\n${lines.join("\n")}\n`);
    const spend = join(dir, "spend.csv");
    writeFileSync(
      spend,
      "month,channel,spend\n1997-01,search,9000\n1997-02,search,6000\n1997-03,search,3000\n1997-01,social,4000\n1997-02,social,4000\n1997-03,social,4000\n",
    );
    const out = join(dir, "channels.html");
    const r = await run([
      "report",
      tx,
      "--channel",
      "channel",
      "--spend",
      spend,
      "--budget",
      "30000",
      "--draws",
      "0",
      "--out",
      out,
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const pages = (JSON.parse(r.out) as { pages: Record<string, boolean> }).pages;
    assert.deepEqual(pages, { quality: false, channels: true, budget: true });
    const html = readFileSync(out, "utf8");
    const data = JSON.parse(
      /<script type="application\/json" id="valuecast-data">(.*?)<\/script>/s.exec(html)![1]!,
    ) as { channels: { channels: { channel: string; spend: number | null }[] } };
    const search = data.channels.channels.find((c) => c.channel === "search");
    assert.equal(search?.spend, 18000);
  });

  it("needs --out, and --budget needs --spend (usage errors, exit 2)", async () => {
    assert.equal((await run(["report", SAMPLE])).code, 2);
    assert.equal((await run(["report", SAMPLE, "--out", join(dir, "x.html"), "--budget", "5"])).code, 2);
  });
});
