// `predict` with the pieces of issue 6: the early pLTV in the per-customer profile (--early), and model
// files written by `fit --covariates`.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { earlyScoreColumns } from "../src/early/score-columns.ts";
import { readEarlyTransactions } from "../src/early/transactions.ts";
import {
  ageBands,
  CUSTOMERS,
  expectedPredictor,
  fitChannelCovariates,
  ORDERS,
} from "./channel-covariates.ts";
import { DATA } from "./paths.ts";
import { run } from "./run.ts";

type Row = Record<string, number | string | null>;

const SAMPLE = fileURLToPath(new URL("../data/CDNOW_sample.txt", import.meta.url));
const DAY = 86_400_000;
// CDNOW's customers all arrive in Q1 1997: with the data closed on 1997-09-30, a 30-week horizon after
// the first week is fully observed for the oldest arrivals (the early model trains on them) and still
// open for the newest (the ones it scores).
const END = "1997-09-30";
const EARLY = ["--early", "--end", END, "--early-horizon", "30 weeks"];

describe("predict --profile --early (CDNOW sample, first week -> 30 weeks, data to 1997-09-30)", () => {
  it("carries the early pLTV of the customers in their early window: equal to segments --early and to the early model itself, null for everyone else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vc-pe-"));
    const out = join(dir, "profiles.json");
    const r = await run([
      "predict",
      SAMPLE,
      "--model",
      "bgnbd",
      "--profile",
      ...EARLY,
      "--out",
      out,
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as { customers: number; early: Record<string, number> };
    assert.equal(report.customers, 2357);
    assert.deepEqual(report.early, {
      observeDays: 7,
      horizonDays: 210,
      trainedOn: 1531,
      scored: 818,
      inTable: 818,
      windowOpen: 0,
    });
    const rows = JSON.parse(readFileSync(out, "utf8")) as Row[];
    assert.equal(rows.length, 2357);
    // the early columns come after the profile's
    assert.deepEqual(Object.keys(rows[0]!).slice(-4), [
      "next_order_status",
      "not_enough_data",
      "early_pltv",
      "early_p_any",
    ]);

    // 1. the early model straight from core (through the CLI's column wrapper), on the same data
    const { transactions } = readEarlyTransactions(SAMPLE, {}, process.cwd());
    const asOf = Date.parse(`${END}T00:00:00Z`) + DAY - 1;
    const early = earlyScoreColumns(
      transactions.filter((t) => t.at <= asOf),
      { observeDays: 7, horizonDays: 210, asOf },
    );
    const direct = new Map(early.customerIds.map((id, i) => [id, [early.earlyPltv[i]!, early.pAny[i]!]]));
    assert.equal(direct.size, 818);
    // 2. segments --early on the same options
    const segOut = join(dir, "segments.csv");
    const seg = await run(["segments", SAMPLE, "--model", "bgnbd", ...EARLY, "--out", segOut]);
    assert.equal(seg.code, 0, seg.err);
    const segLines = readFileSync(segOut, "utf8").trim().split("\n");
    const at = segLines[0]!.split(",").indexOf("early_pltv");
    const fromSegments = new Map(
      segLines.slice(1).map((l) => {
        const f = l.split(",");
        return [f[0]!, f[at] === "" ? null : Number(f[at])] as const;
      }),
    );
    // 3. who is in the early window: first purchase after END - 7 days - 210 days (horizon still open);
    // a purchase has a positive amount (customer 16921's only order is $0.00: never scored)
    const first = new Map<string, number>();
    for (const t of transactions)
      if (t.amount > 0) first.set(t.customerId, Math.min(first.get(t.customerId) ?? t.at, t.at));
    let scored = 0;
    let sum = 0;
    for (const row of rows) {
      const id = String(row.customer_id);
      const f = first.get(id);
      const open = f !== undefined && f + 217 * DAY > asOf;
      const d = direct.get(id);
      if (!open) {
        assert.equal(row.early_pltv, null, id);
        assert.equal(row.early_p_any, null, id);
        assert.equal(d, undefined, id);
        assert.equal(fromSegments.get(id), null, id);
        continue;
      }
      scored++;
      sum += row.early_pltv as number;
      assert.ok(d, id);
      assert.equal(row.early_pltv, d[0], id);
      assert.equal(row.early_p_any, d[1], id);
      assert.equal(fromSegments.get(id), row.early_pltv, id);
      assert.ok((row.early_pltv as number) > 0 && (row.early_p_any as number) > 0, id);
    }
    assert.equal(scored, 818);
    // Measured: the 818 newest customers' mean early pLTV over 30 weeks is $34.06 (min 11.41, max 741.15).
    assert.ok(sum / scored > 10 && sum / scored < 80, `mean early pLTV ${sum / scored}`);
  });

  it("without --early the profile is unchanged (no early columns)", async () => {
    const r = await run(["predict", SAMPLE, "--model", "bgnbd", "--profile", "--top", "1", "--json"]);
    assert.equal(r.code, 0, r.err);
    const row = (JSON.parse(r.out) as { top: Row[] }).top[0]!;
    assert.equal(Object.keys(row).at(-1), "not_enough_data");
    assert.equal("early" in JSON.parse(r.out), false);
  });

  it("--early on a summary file says it needs the transactions", async () => {
    const summary = join(DATA, "cdnow_customers_summary_with_transactions.csv");
    const r = await run(["predict", summary, "--input", "summary", "--model", "bgnbd", "--early"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /INVALID_DATA --early: --early needs the transactions/);
  });
});

describe("predict --model-file with a model fitted with covariates", () => {
  it("scores every customer as core's covariate predictor does at that customer's covariates", async () => {
    const { file, doc } = await fitChannelCovariates();
    assert.equal(doc.model, "pnbd+covariates");
    assert.equal(doc.timeUnit, "week");
    const r = await run([
      "predict",
      ORDERS,
      "--model-file",
      file,
      "--channel",
      "channel",
      "--covariates-file",
      CUSTOMERS,
      "--horizon",
      "52 weeks",
      "--discount-rate",
      "0",
      "--profile",
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as { model: string; covariates: Record<string, number>; scores: Row[] };
    assert.equal(report.model, "pnbd+covariates");
    assert.deepEqual(report.covariates, { scoredWithCovariates: 58, scoredWithBase: 2 });
    assert.equal(report.scores.length, 60);
    const age = ageBands();
    // each customer's acquisition channel: the channel of its first order
    const channelOf = new Map<string, string>();
    const orders = readFileSync(ORDERS, "utf8").trim().split("\n").slice(1);
    const sorted = orders.map((l) => l.split(",")).sort((p, q) => p[1]!.localeCompare(q[1]!));
    for (const [id, , , ch] of sorted) if (!channelOf.has(id!)) channelOf.set(id!, ch!);
    let withOwnParams = 0;
    for (const row of report.scores) {
      const id = String(row.customer_id);
      const pred = expectedPredictor(doc, channelOf.get(id), age.get(id));
      if (age.has(id)) withOwnParams++;
      const [x, tx, T] = [row.x as number, row.t_x as number, row.T as number];
      const cet = pred.conditionalExpectedPurchases(52, x, tx, T);
      assert.ok(Math.abs((row.expected_purchases as number) - cet) < 1e-9 * Math.max(1, cet), id);
      assert.ok(Math.abs((row.p_alive as number) - pred.pAlive(x, tx, T)) < 1e-12, id);
      assert.ok(["expected", "none_within_horizon", "unavailable"].includes(String(row.next_order_status)));
    }
    assert.equal(withOwnParams, 58);
  });

  it("reports a covariate the model needs but no source holds as MISSING_COLUMN, without a stack trace", async () => {
    const { file } = await fitChannelCovariates();
    const r = await run(["predict", ORDERS, "--model-file", file, "--channel", "channel"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /MISSING_COLUMN/);
    assert.match(r.err, /fitted with covariates channel, age_band; no column 'age_band'/);
    assert.match(r.err, /--covariates-file/);
    assert.doesNotMatch(r.err, /\n\s+at /);
    // the commands that score without covariates say so, instead of an unknown model name
    const seg = await run(["segments", ORDERS, "--model-file", file]);
    assert.equal(seg.code, 2); // UNKNOWN_MODEL is a usage error, as for --model foo
    assert.match(seg.err, /UNKNOWN_MODEL --model-file: the model file holds pnbd\+covariates/);
    assert.match(seg.err, /`valuecast predict --model-file` scores it/);
  });
});
