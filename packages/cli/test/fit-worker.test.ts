import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { fitModel, gammaGammaSpec, spendData, ValuecastError } from "@valuecast/core";
import { fitOnWorker } from "../src/commands/fit.ts";
import { BIN, DATA, REPO } from "./paths.ts";

/** The 946 CDNOW repeat buyers' (x, zbar) of Fader, Hardie & Lee (2005). */
function cdnowSpend() {
  const rows = readFileSync(`${DATA}cdnow_customers_summary_with_transactions.csv`, "utf8")
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(",").map(Number));
  return spendData(
    rows.map((r) => r[1]!),
    rows.map((r) => r[4]!),
  ).data;
}

const BUNDLED_CORE = Symbol.for("valuecast.bundledCore");
const globals = globalThis as Record<symbol, unknown>;
after(() => {
  delete globals[BUNDLED_CORE];
});

describe("fitOnWorker: a core fit on a worker thread", () => {
  const data = cdnowSpend();
  const here = fitModel(gammaGammaSpec, data);

  it("gives exactly the fit of this thread, core loaded from the sources (tsx)", async () => {
    const r = await fitOnWorker("gammaGammaSpec", data, {}, () => assert.fail("the worker failed"));
    assert.equal(data.x.length, 946);
    assert.deepEqual(r, here);
    assert.ok(Object.isFrozen(r) && Object.isFrozen(r.params));
    assert.ok(Math.abs(r.params.p! - 6.25) < 0.01, `p ${r.params.p}`);
  });

  it("gives exactly the same fit with core from the launcher's bundle", async () => {
    assert.equal(spawnSync(process.execPath, [BIN, "--version"]).status, 0);
    const cache = join(REPO, "node_modules/.cache/valuecast-cli");
    const { dir } = JSON.parse(readFileSync(join(cache, "current.json"), "utf8")) as { dir: string };
    globals[BUNDLED_CORE] = pathToFileURL(join(cache, dir, "core.js")).href;
    const r = await fitOnWorker("gammaGammaSpec", data, { standardErrors: false }, () =>
      assert.fail("the worker failed"),
    );
    assert.deepEqual(r.params, here.params);
    assert.deepEqual(r.standardErrors, { p: null, q: null, gamma: null });
  });

  it("returns core's issues as a ValuecastError, and fits here when the worker cannot start", async () => {
    delete globals[BUNDLED_CORE];
    const bad = { x: Float64Array.of(1, 2), zbar: Float64Array.of(10, -1) };
    await assert.rejects(
      fitOnWorker("gammaGammaSpec", bad, {}, () => assert.fail("the worker failed")),
      (e) => e instanceof ValuecastError && e.issues[0]?.code === "NON_POSITIVE_SPEND",
    );
    globals[BUNDLED_CORE] = pathToFileURL(join(REPO, "no-such-core.js")).href;
    let fittedHere = false;
    const r = await fitOnWorker("gammaGammaSpec", data, {}, () => {
      fittedHere = true;
      return here;
    });
    assert.equal(fittedHere, true);
    assert.equal(r, here);
  });
});
