import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BIN, REPO } from "./paths.ts";

const ORDERS = join(REPO, "packages/cli/test/fixtures/channel-orders.csv");

function launch(argv: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...argv], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("launcher: cached bundle of the sources", () => {
  it("prints exactly what the sources run through tsx print (predict, and an error's exit code)", () => {
    const args = ["predict", ORDERS, "--model", "bgnbd", "--engine", "memory", "--json"];
    const bundled = launch(args);
    const sources = launch(args, { VALUECAST_NO_BUNDLE: "1" });
    assert.equal(bundled.code, 0, bundled.err);
    assert.equal(sources.code, 0, sources.err);
    assert.equal(bundled.out, sources.out);
    assert.ok(JSON.parse(bundled.out).customers > 0);
    const bad = launch(["predict", "no-such-file.csv", "--model", "bgnbd"]);
    assert.equal(
      bad.code,
      launch(["predict", "no-such-file.csv", "--model", "bgnbd"], { VALUECAST_NO_BUNDLE: "1" }).code,
    );
    assert.match(bad.err, /SOURCE_NOT_FOUND/);
  });

  it("records every source file it bundled, with its size and mtime, to rebuild when one changes", () => {
    launch(["--version"]);
    const manifest = JSON.parse(
      readFileSync(join(REPO, "node_modules/.cache/valuecast-cli/current.json"), "utf8"),
    ) as { files: [string, number, number][] };
    const files = manifest.files.map((f) => f[0]);
    for (const f of [
      "packages/cli/src/main.ts",
      "packages/core/src/index.ts",
      "packages/cli/bin/bundle-cache.mjs",
    ])
      assert.ok(files.includes(join(REPO, f)), f);
    for (const [, mtimeMs, size] of manifest.files) assert.ok(mtimeMs > 0 && size >= 0);
  });
});
