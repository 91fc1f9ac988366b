import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { run, spawnCli } from "./run.ts";

describe("valuecast command line: help, usage errors and bad input", () => {
  it("lists the commands with --help and exits 0; no command is a usage error (2)", async () => {
    const help = await run(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.out, /Commands:\n\s+\w+/);
    assert.match(help.out, /fit\s+fit a purchase model/);
    const none = await run([]);
    assert.equal(none.code, 2);
    assert.match(none.err, /Usage: valuecast <command>/);
  });

  it("prints per-command help listing every option", async () => {
    const r = await run(["fit", "--help"]);
    assert.equal(r.code, 0);
    for (const opt of [
      "--model",
      "--spend",
      "--input",
      "--time-unit",
      "--calibration-end",
      "--out",
      "--json",
    ])
      assert.ok(r.out.includes(opt), `fit --help mentions ${opt}`);
    const same = await run(["help", "fit"]);
    assert.equal(same.out, r.out);
  });

  it("exits 2 with a USAGE issue and no stack trace for unknown commands and options", async () => {
    const cmd = await run(["fti"]);
    assert.equal(cmd.code, 2);
    assert.match(cmd.err, /error USAGE: unknown command 'fti' \(did you mean fit\?\)/);
    const opt = await run(["fit", "x.csv", "--model", "bgnbd", "--bogus"]);
    assert.equal(opt.code, 2);
    assert.match(opt.err, /Unknown option '--bogus'/);
    assert.doesNotMatch(opt.err, /\n\s+at /);
  });

  it("reports several usage problems at once (exit 2)", async () => {
    const r = await run(["fit", "--model", "foo", "--time-unit", "fortnight"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /BAD_OPTION_VALUE --time-unit/);
    assert.match(r.err, /BAD_OPTION_VALUE --model: --model must be one of bgnbd, pnbd, mbgnbd, bgbb, sbg/);
    assert.match(r.err, /USAGE source: fit: missing <source>/);
    assert.match(r.err, /3 problems found/);
  });

  it("exits 1 with every bad cell located by file, line and column, and no stack trace", async () => {
    const file = join(tmpdir(), `vc-bad-${process.pid}.csv`);
    writeFileSync(file, "ID,frequency,recency,T\n1,2,abc,3\n2,1\n3,x,0,5\n");
    const r = await run(["fit", file, "--input", "summary", "--model", "bgnbd"]);
    assert.equal(r.code, 1);
    const name = file.split("/").pop();
    assert.ok(r.err.includes(`error BAD_SUMMARY_VALUE ${file}:2:recency: 'abc' is not a number`), r.err);
    assert.ok(r.err.includes(`error BAD_DELIMITER ${file}:3: expected 4 fields, found 2`), r.err);
    assert.ok(r.err.includes(`:4:frequency: 'x' is not a number`), r.err);
    assert.match(r.err, /3 problems found/);
    assert.doesNotMatch(r.err, /\n\s+at /);
    assert.ok(name);
    const debug = await run(["fit", file, "--input", "summary", "--model", "bgnbd", "--debug"]);
    assert.match(debug.err, /\n\s+at /, "--debug adds the stack");
  });

  it("reports errors as JSON on stderr with --json", async () => {
    const r = await run(["fit", "missing.csv", "--input", "summary", "--model", "bgnbd", "--json"]);
    assert.equal(r.code, 1);
    assert.equal(r.out, "");
    const e = JSON.parse(r.err) as { error: { exitCode: number; issues: { code: string }[] } };
    assert.equal(e.error.exitCode, 1);
    assert.equal(e.error.issues[0]!.code, "SOURCE_NOT_FOUND");
  });

  it("the real binary runs, prints help and returns the exit codes", () => {
    const ok = spawnCli(["--help"]);
    assert.equal(ok.code, 0);
    assert.match(ok.out, /valuecast: predictive customer lifetime value/);
    const usage = spawnCli(["fit", "--model", "bgnbd"]);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /missing <source>/);
    assert.doesNotMatch(usage.err, /\n\s+at /);
  });
});
