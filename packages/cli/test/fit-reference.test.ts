import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DATA } from "./paths.ts";
import { run, spawnCli } from "./run.ts";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);

describe("valuecast fit reproduces the published CDNOW estimates", () => {
  it("BG/NBD from lifetimes' summary file: r 0.2426, alpha 4.4136, a 0.7929, b 2.4259, LL -9582.43 (Fader, Hardie & Lee 2005)", () => {
    const r = spawnCli([
      "fit",
      join(DATA, "cdnow_customers_summary.csv"),
      "--input",
      "summary",
      "--model",
      "bgnbd",
      "--time-unit",
      "week",
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as Record<string, unknown> & {
      params: Record<string, number>;
      standardErrors: Record<string, number>;
    };
    for (const k of [
      "model",
      "params",
      "logLikelihood",
      "standardErrors",
      "converged",
      "iterations",
      "n",
      "timeUnit",
    ])
      assert.ok(k in doc, `fit --json has ${k}`);
    assert.equal(doc.model, "bgnbd");
    assert.equal(doc.timeUnit, "week");
    assert.equal(doc.n, 2357);
    assert.equal(doc.converged, true);
    close(doc.params.r!, 0.2426, 5e-5, "r");
    close(doc.params.alpha!, 4.4136, 5e-4, "alpha");
    close(doc.params.a!, 0.7929, 5e-4, "a");
    close(doc.params.b!, 2.4259, 5e-3, "b");
    close(doc.logLikelihood as number, -9582.43, 5e-3, "LL");
    assert.deepEqual(Object.keys(doc.standardErrors), ["r", "alpha", "a", "b"]);
  });

  it("Gamma-Gamma beside it: p 6.25, q 3.74, gamma 15.44 (Fader, Hardie & Lee 2005 JMR); --out writes the model file", async () => {
    const out = join(tmpdir(), `vc-model-${process.pid}.json`);
    const r = await run([
      "fit",
      join(DATA, "cdnow_customers_summary_with_transactions.csv"),
      "--input",
      "summary",
      "--model",
      "bgnbd",
      "--spend",
      "gamma-gamma",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /r\s+0\.2426\s+0\.01\d\d/);
    assert.match(r.out, /gamma-gamma: 946 repeat buyers/);
    const doc = JSON.parse(readFileSync(out, "utf8")) as { spend: { params: Record<string, number> } };
    rmSync(out);
    close(doc.spend.params.p!, 6.25, 5e-3, "p");
    close(doc.spend.params.q!, 3.74, 5e-3, "q");
    close(doc.spend.params.gamma!, 15.44, 1e-2, "gamma");
  });
});

describe("valuecast fit for the discrete and contractual models", () => {
  it("BG/BB on the donation data: alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL -33,225.6 (Fader, Hardie & Shang 2010)", async () => {
    const r = await run([
      "fit",
      join(DATA, "donations.csv"),
      "--input",
      "summary",
      "--model",
      "bgbb",
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as {
      n: number;
      params: Record<string, number>;
      logLikelihood: number;
      timeUnit: null;
    };
    assert.equal(doc.n, 11104);
    assert.equal(doc.timeUnit, null);
    close(doc.params.alpha!, 1.204, 5e-4, "alpha");
    close(doc.params.beta!, 0.75, 5e-4, "beta");
    close(doc.params.gamma!, 0.657, 5e-4, "gamma");
    close(doc.params.delta!, 2.783, 5e-3, "delta");
    close(doc.logLikelihood, -33225.6, 0.05, "LL");
  });

  it("sBG on the 'Regular' survivor curve: alpha 0.704, beta 1.182 (Fader & Hardie 2007)", async () => {
    const file = join(tmpdir(), `vc-sbg-${process.pid}.csv`);
    writeFileSync(file, "period,active\n0,1000\n1,631\n2,468\n3,382\n4,326\n5,289\n6,262\n7,241\n");
    const r = await run(["fit", file, "--input", "summary", "--model", "sbg", "--json"]);
    rmSync(file);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { params: Record<string, number> };
    close(doc.params.alpha!, 0.704, 5e-4, "alpha");
    close(doc.params.beta!, 1.182, 5e-4, "beta");
  });

  it("asks for --input summary when bgbb is given transactions (exit 1, no stack)", async () => {
    const r = await run(["fit", join(DATA, "CDNOW_sample.txt"), "--model", "bgbb"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /bgbb is fitted on discrete-opportunity summaries/);
  });
});
