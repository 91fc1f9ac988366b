import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DATA, REPO } from "./paths.ts";
import { run } from "./run.ts";

describe("valuecast fit from raw CDNOW transactions", () => {
  for (const [label, file] of [
    ["shared CDNOW_sample.txt", join(DATA, "CDNOW_sample.txt")],
    ["bundled copy in packages/cli/data", join(REPO, "packages/cli/data/CDNOW_sample.txt")],
  ] as const) {
    it(`${label}, calibration end 1997-09-30 in weeks: the BG/NBD parameters of Fader, Hardie & Lee (2005)`, async () => {
      const r = await run([
        "fit",
        file,
        "--model",
        "bgnbd",
        "--calibration-end",
        "1997-09-30",
        "--time-unit",
        "week",
        "--json",
      ]);
      assert.equal(r.code, 0, r.err);
      const doc = JSON.parse(r.out) as { n: number; params: Record<string, number>; logLikelihood: number };
      assert.equal(doc.n, 2357);
      assert.ok(Math.abs(doc.params.r! - 0.2426) < 5e-5);
      assert.ok(Math.abs(doc.params.alpha! - 4.4136) < 5e-4);
      assert.ok(Math.abs(doc.params.a! - 0.7929) < 5e-4);
      assert.ok(Math.abs(doc.params.b! - 2.4259) < 5e-3);
      assert.ok(Math.abs(doc.logLikelihood - -9582.43) < 0.05);
    });
  }
});
