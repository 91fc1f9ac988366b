import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
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
