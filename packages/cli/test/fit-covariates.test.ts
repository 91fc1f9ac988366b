// `valuecast fit --covariates` (issue 6): covariates from the source, a per-customer file, derived
// first-purchase columns; reference levels, LR test, penalty; real data (CDNOW, Online Retail, dunnhumby).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { CovariateModelDocument } from "../src/covariates/fit-covariates.ts";
import { penaltyOption } from "../src/covariates/options.ts";
import { DATA } from "./paths.ts";
import { run } from "./run.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const ORDERS = `${FIXTURES}channel-orders.csv`;
const CUSTOMERS = `${FIXTURES}channel-customers.csv`;
const DUNNHUMBY = `${DATA}real/dunnhumby_complete_journey/`;

async function fitJson(argv: string[]): Promise<CovariateModelDocument> {
  const r = await run(["fit", ...argv, "--json"]);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as CovariateModelDocument;
}

const coef = (doc: CovariateModelDocument, name: string) => {
  const c = doc.covariates.coefficients.find((k) => k.name === name);
  assert.ok(c, `no coefficient ${name} in ${doc.covariates.coefficients.map((k) => k.name).join(", ")}`);
  return c;
};

/** Each customer's value of `column` on their first row, straight from the fixture text. */
function firstRowValues(column: string): Map<string, string> {
  const [head, ...lines] = readFileSync(ORDERS, "utf8").trim().split("\n");
  const cols = head!.split(",");
  const at = cols.indexOf(column);
  const first = new Map<string, { date: string; v: string }>();
  for (const l of lines) {
    const f = l.split(",");
    const seen = first.get(f[0]!);
    if (!seen || f[1]! < seen.date) first.set(f[0]!, { date: f[1]!, v: f[at]! });
  }
  return new Map([...first].map(([k, v]) => [k, v.v]));
}

describe("fit --covariates on the channel fixture", () => {
  it("one-hot encodes channel against the named reference level and reads a source column's first-row value", async () => {
    const doc = await fitJson([
      ORDERS,
      "--model",
      "pnbd",
      "--channel",
      "channel",
      "--covariates",
      "channel,region,first_amount",
      "--reference",
      "channel=organic",
      "--covariates-life",
      "none",
      "--covariates-trans",
      "channel,region,first_amount",
    ]);
    const [channel, region, amount] = doc.covariates.columns;
    assert.equal(channel?.kind, "categorical");
    assert.ok(channel?.kind === "categorical");
    assert.equal(channel.reference, "organic");
    assert.deepEqual(channel.counts, { organic: 28, email: 18, paid: 14 });
    assert.deepEqual(channel.columns, ["channel=email", "channel=paid"]);
    // region changes from row to row: the covariate is the first purchase row's value
    const regions = [...firstRowValues("region").values()];
    assert.ok(region?.kind === "categorical");
    assert.equal(region.counts.south, regions.filter((r) => r === "south").length);
    assert.equal(region.counts.north, regions.filter((r) => r === "north").length);
    assert.equal(amount?.kind, "numeric");
    assert.deepEqual(doc.covariates.trans, ["channel=email", "channel=paid", "region=south", "first_amount"]);
    assert.deepEqual(doc.covariates.life, []);
    assert.equal(doc.model, "pnbd+covariates");
    // the fixture simulates email customers at twice organic's mean purchase rate, paid at half
    assert.ok(coef(doc, "trans.channel=email").estimate > 0.4);
    assert.ok(coef(doc, "trans.channel=paid").estimate < -0.4);
    for (const c of doc.covariates.coefficients) {
      assert.ok(c.standardError !== null && c.standardError > 0, c.name);
      assert.ok(Math.abs(c.multiplier - Math.exp(c.estimate)) < 1e-12);
    }
    // the LR test is 2 (LL_cov - LL_base) on one df per coefficient
    const lr = doc.covariates.likelihoodRatio;
    assert.equal(lr.df, 4);
    assert.ok(Math.abs(lr.statistic - 2 * (doc.logLikelihood - doc.covariates.base.logLikelihood)) < 1e-9);
    assert.ok(lr.pValue > 0.01 && lr.pValue < 0.05, `${lr.pValue}`);
  });

  it("the no-covariate model inside the covariate fit is exactly `fit --model pnbd` on the same customers", async () => {
    const plain = await run(["fit", ORDERS, "--model", "pnbd", "--json"]);
    const base = JSON.parse(plain.out) as { logLikelihood: number; params: Record<string, number> };
    const doc = await fitJson([ORDERS, "--model", "pnbd", "--channel", "channel", "--covariates", "channel"]);
    assert.ok(Math.abs(doc.covariates.base.logLikelihood - base.logLikelihood) < 1e-6);
    for (const k of ["r", "alpha", "s", "beta"])
      assert.ok(Math.abs(doc.covariates.base.params[k]! / base.params[k]! - 1) < 1e-4, k);
    assert.ok(doc.logLikelihood >= doc.covariates.base.logLikelihood);
  });

  it("predicts a new customer per channel: Pareto/NBD E[X(t)] at the channel's individual alpha (Schmittlein et al. 1987)", async () => {
    const doc = await fitJson([
      ORDERS,
      "--model",
      "pnbd",
      "--channel",
      "channel",
      "--covariates",
      "channel,first_amount",
      "--covariates-trans",
      "channel,first_amount",
    ]);
    const nc = doc.covariates.newCustomers;
    assert.equal(nc.horizon.inModelUnits, 365.25 / 7);
    assert.deepEqual(
      nc.profiles.map((p) => p.covariates.channel),
      ["organic", "email", "paid"],
    );
    const { r, alpha, s, beta } = doc.params as Record<string, number>;
    const meanAmount = nc.profiles[0]!.covariates.first_amount as number;
    const t = nc.horizon.inModelUnits;
    for (const p of nc.profiles) {
      const dummy =
        p.covariates.channel === "organic" ? 0 : doc.params[`trans.channel=${p.covariates.channel}`]!;
      const a = alpha! * Math.exp(-(dummy + doc.params["trans.first_amount"]! * meanAmount));
      // E[X(t)] = r beta / (alpha (s - 1)) [1 - (beta / (beta + t))^(s - 1)]  (Schmittlein, Morrison & Colombo 1987)
      const expected = ((r! * beta!) / (a * (s! - 1))) * (1 - (beta! / (beta! + t)) ** (s! - 1));
      assert.ok(Math.abs(p.expectedPurchases / expected - 1) < 1e-9, `${p.expectedPurchases} vs ${expected}`);
      assert.ok(Math.abs(p.value! - p.expectedPurchases * nc.spendPerPurchase!) < 1e-9);
    }
    const [organic, email, paid] = nc.profiles.map((p) => p.expectedPurchases);
    assert.ok(email! > organic! && organic! > paid!);
  });

  it("joins a per-customer file on the id and counts the customers it leaves out", async () => {
    const doc = await fitJson([
      ORDERS,
      "--model",
      "bgnbd",
      "--covariates-file",
      CUSTOMERS,
      "--covariates",
      "age_band,household_size",
      "--categorical",
      "household_size",
      "--covariates-trans",
      "age_band,household_size",
    ]);
    assert.equal(doc.covariates.customers, 58);
    assert.deepEqual(doc.covariates.leftOut, { notInCovariatesFile: 2 });
    const size = doc.covariates.columns[1]!;
    assert.ok(size.kind === "categorical");
    assert.equal(
      Object.values(size.counts).reduce((a, b) => a + b, 0),
      58,
    );
    assert.match(size.origin, /channel-customers\.csv, column household_size/);
  });

  it("an L2 penalty shrinks the coefficients and is reported beside the unpenalised log-likelihood", async () => {
    const args = [ORDERS, "--model", "pnbd", "--channel", "channel", "--covariates-trans", "channel"];
    const free = await fitJson(args);
    const held = await fitJson([...args, "--penalty", "0.05"]);
    assert.deepEqual(held.covariates.penalty, { trans: 0.05, life: 0.05 });
    for (const name of ["trans.channel=email", "trans.channel=paid"]) {
      assert.ok(Math.abs(coef(held, name).estimate) < Math.abs(coef(free, name).estimate), name);
    }
    // penalty = n λ Σγ²: the objective sits below the log-likelihood by exactly that
    const g = held.covariates.coefficients.reduce((s, c) => s + c.estimate ** 2, 0);
    assert.ok(Math.abs(held.logLikelihood - held.covariates.penalisedLogLikelihood - 60 * 0.05 * g) < 1e-6);
    assert.deepEqual(penaltyOption("trans=0.1,life=2"), { trans: 0.1, life: 2 });
  });

  it("reports problems as data: unknown columns (with what is available), bad references, models without covariates", async () => {
    const unknown = await run(["fit", ORDERS, "--model", "pnbd", "--covariates", "nope"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /MISSING_COLUMN.*no column 'nope'.*available: .*first_amount.*region/);
    const ref = await run([
      "fit",
      ORDERS,
      "--model",
      "pnbd",
      "--channel",
      "channel",
      "--covariates",
      "channel",
      "--reference",
      "channel=tv",
    ]);
    assert.equal(ref.code, 2);
    assert.match(ref.err, /BAD_OPTION_VALUE.*reference level 'tv' does not occur in 'channel'/);
    const model = await run(["fit", ORDERS, "--model", "mbgnbd", "--covariates", "first_amount"]);
    assert.equal(model.code, 2);
    assert.match(model.err, /pnbd and bgnbd/);
    // ln of a $0 first order: every customer named by id (CDNOW sample: 8 customers with a $0 first day)
    const zero = await run([
      "fit",
      `${DATA}CDNOW_sample.txt`,
      "--model",
      "pnbd",
      "--covariates",
      "first_amount",
      "--log-covariates",
      "first_amount",
    ]);
    assert.equal(zero.code, 1);
    assert.match(zero.err, /'first_amount' in customer 16921 is not a positive number \(0\)/);
    assert.match(zero.err, /8 problems found/);
    const orphan = await run(["fit", ORDERS, "--model", "pnbd", "--penalty", "1"]);
    assert.equal(orphan.code, 2);
  });

  it("prints the coefficients, the reference levels and the LR test as a table", async () => {
    const r = await run([
      "fit",
      ORDERS,
      "--model",
      "pnbd",
      "--channel",
      "channel",
      "--covariates-trans",
      "channel",
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /channel: categorical, reference level 'organic' \(customers per level: organic 28, email 18, paid 14\)/,
    );
    assert.match(r.out, /trans\.channel=email +-?\d+\.\d{4} +\d+\.\d{4}/);
    assert.match(r.out, /Likelihood-ratio test \(all coefficients 0\): [\d.]+ on 2 df, p /);
  });
});

describe("fit --covariates on real data", () => {
  it("CDNOW sample: the base model is the published Pareto/NBD (LL -9594.98) and first order amount raises the purchase rate", async () => {
    const doc = await fitJson([
      `${DATA}CDNOW_sample.txt`,
      "--model",
      "pnbd",
      "--calibration-end",
      "1997-09-30",
      "--covariates",
      "first_amount",
    ]);
    // Fader, Hardie & Lee (2005) / BTYD / lifetimes: Pareto/NBD on the CDNOW sample, LL -9594.98
    assert.ok(Math.abs(doc.covariates.base.logLikelihood - -9594.98) < 0.01);
    assert.equal(doc.covariates.customers, 2357);
    const t = coef(doc, "trans.first_amount");
    assert.ok(Math.abs(t.estimate - 0.0074) < 5e-4, `${t.estimate}`);
    assert.ok(t.pValue !== null && t.pValue < 1e-6);
    assert.ok(Math.abs(doc.covariates.likelihoodRatio.statistic - 45.69) < 0.05);
  });

  it("Online Retail: country (rare countries pooled) does not shift the purchase rate (LR p > 0.1)", async () => {
    const doc = await fitJson([
      `${DATA}real/uci_online_retail/by-day/*.csv`,
      "--model",
      "bgnbd",
      "--covariates-trans",
      "Country",
      "--min-level",
      "20",
    ]);
    const country = doc.covariates.columns[0]!;
    assert.ok(country.kind === "categorical");
    assert.equal(country.reference, "United Kingdom");
    assert.equal(country.counts["United Kingdom"], 3921);
    assert.deepEqual(country.levels, ["other", "Germany", "France", "Spain", "Belgium", "Switzerland"]);
    assert.equal(country.pooled?.length, 31);
    assert.equal(doc.covariates.likelihoodRatio.df, 6);
    assert.ok(Math.abs(doc.covariates.likelihoodRatio.statistic - 6.96) < 0.05);
    assert.ok(doc.covariates.likelihoodRatio.pValue > 0.1);
  });

  it("dunnhumby: household demographics joined from demographics.csv (801 of 2,377 households)", async () => {
    const doc = await fitJson([
      `${DUNNHUMBY}transactions_sample.csv`,
      "--customer",
      "household_id",
      "--date",
      "transaction_timestamp",
      "--amount",
      "sales_value",
      "--model",
      "bgnbd",
      "--covariates-file",
      `${DUNNHUMBY}demographics.csv`,
      "--covariates-trans",
      "kids_count",
      "--categorical",
      "kids_count",
    ]);
    assert.equal(doc.covariates.customers, 801);
    assert.equal(doc.covariates.leftOut.notInCovariatesFile, 2377 - 801);
    const kids = doc.covariates.columns[0]!;
    assert.ok(kids.kind === "categorical");
    assert.equal(kids.reference, "0");
    assert.deepEqual(kids.counts, { "0": 513, "1": 159, "3+": 69, "2": 60 });
    const two = coef(doc, "trans.kids_count=2");
    assert.ok(Math.abs(two.estimate - 0.1445) < 2e-3, `${two.estimate}`);
    assert.ok(Math.abs(two.standardError! - 0.0702) < 2e-3);
  });
});

describe("fit --covariates with a summary file and a real channel (FLO omnichannel)", () => {
  it("FLO: the ordering platform shifts the purchase rate (Desktop and mobile web buy less often than the apps)", async () => {
    // FLO is one summary row per customer (no license to redistribute: read in place, converted here).
    // x = orders - 1, t_x = last - first order, T = 2021-06-01 - first order, in weeks.
    const flo = `${DATA}real/flo_omnichannel/flo_data_20k.csv`;
    const [head, ...lines] = readFileSync(flo, "utf8").trim().split("\n");
    const h = head!.split(",");
    const col = (name: string) => h.indexOf(name);
    const day = (s: string) => Date.parse(`${s.slice(0, 10)}T00:00:00Z`) / 86_400_000;
    const end = day("2021-06-01");
    const rows = lines.map((l) => {
      const f = l.split(",");
      const x =
        Number(f[col("order_num_total_ever_online")]) + Number(f[col("order_num_total_ever_offline")]) - 1;
      const first = day(f[col("first_order_date")]!);
      const last = day(f[col("last_order_date")]!);
      return `${f[col("master_id")]},${x},${(last - first) / 7},${(end - first) / 7}`;
    });
    const dir = mkdtempSync(join(tmpdir(), "vc-flo-"));
    const summary = join(dir, "flo-summary.csv");
    writeFileSync(summary, `customer_id,x,t_x,T\n${rows.join("\n")}\n`);
    const doc = await fitJson([
      summary,
      "--input",
      "summary",
      "--model",
      "bgnbd",
      "--covariates-file",
      flo,
      "--covariates-trans",
      "order_channel",
    ]);
    assert.equal(doc.covariates.customers, 19945);
    const ch = doc.covariates.columns[0]!;
    assert.ok(ch.kind === "categorical");
    assert.equal(ch.reference, "Android App");
    assert.deepEqual(ch.counts, { "Android App": 9495, Mobile: 4882, "Ios App": 2833, Desktop: 2735 });
    const desktop = coef(doc, "trans.order_channel=Desktop");
    const mobile = coef(doc, "trans.order_channel=Mobile");
    const ios = coef(doc, "trans.order_channel=Ios App");
    assert.ok(Math.abs(desktop.estimate - -0.747) < 0.01, `${desktop.estimate}`);
    assert.ok(Math.abs(mobile.estimate - -0.399) < 0.01, `${mobile.estimate}`);
    assert.ok(Math.abs(ios.estimate) < 0.1);
    assert.ok(desktop.standardError! < 0.03);
    assert.ok(doc.covariates.likelihoodRatio.statistic > 2000);
  });
});
