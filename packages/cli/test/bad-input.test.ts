import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { run } from "./run.ts";

const dir = mkdtempSync(join(tmpdir(), "vc-bad-"));

describe("bad transaction input: every row accounted for, clear messages, no stack traces", () => {
  it("counts rejected rows by reason and writes them with file, line and reason", async () => {
    const file = join(dir, "t.csv");
    writeFileSync(
      file,
      [
        "customer_id,date,amount",
        "a,2024-01-01,10", // used
        ",2024-01-02,5", // MISSING_CUSTOMER_ID (line 3)
        "a,2024-13-01,5", // BAD_DATE (line 4)
        "b,2024-01-03,abc", // BAD_AMOUNT (line 5)
        "a,2024-02-01,7", // used
        "c,2024-03-01,-4", // REFUND_WITHOUT_PURCHASE: c never bought (line 7)
        "b,2024-01-04,3", // used
        "b,2024-05-01,3", // DATE_AFTER_END with --end 2024-04-30 (line 9)
      ].join("\n"),
    );
    const rejected = join(dir, "rejected.csv");
    const r = await run(["summarize", file, "--end", "2024-04-30", "--rejected", rejected, "--json"]);
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as {
      report: { rowsRead: number; rowsUsed: number; rejected: Record<string, number> };
    };
    assert.equal(rep.report.rowsRead, 8);
    assert.equal(rep.report.rowsUsed, 3);
    assert.deepEqual(rep.report.rejected, {
      MISSING_CUSTOMER_ID: 1,
      BAD_DATE: 1,
      BAD_AMOUNT: 1,
      DATE_AFTER_END: 1,
      REFUND_WITHOUT_PURCHASE: 1,
    });
    const lines = readFileSync(rejected, "utf8").trim().split("\n");
    assert.equal(lines[0], "file,line,reason,row");
    const byLine = new Map(lines.slice(1).map((l) => [Number(l.split(",")[1]), l.split(",")[2]]));
    assert.deepEqual(
      [...byLine.entries()].sort((p, q) => p[0] - q[0]),
      [
        [3, "MISSING_CUSTOMER_ID"],
        [4, "BAD_DATE"],
        [5, "BAD_AMOUNT"],
        [7, "REFUND_WITHOUT_PURCHASE"],
        [9, "DATE_AFTER_END"],
      ],
    );
  });

  it("a binary file, an empty file and a file without the needed columns fail with exit 1 and say why", async () => {
    const bin = join(dir, "x.csv");
    writeFileSync(bin, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]));
    const b = await run(["summarize", bin]);
    assert.equal(b.code, 1);
    assert.match(b.err, /BINARY_INPUT/);
    const empty = join(dir, "empty.csv");
    writeFileSync(empty, "");
    const e = await run(["summarize", empty]);
    assert.equal(e.code, 1);
    assert.match(e.err, /EMPTY_INPUT/);
    const semi = join(dir, "semi.txt");
    writeFileSync(semi, "who|when|what\na|2024-01-01|3\n");
    const s = await run(["summarize", semi]);
    assert.equal(s.code, 1);
    assert.match(s.err, /MISSING_COLUMN .*no customer id column found/);
    assert.match(s.err, /name it with --customer/);
    assert.doesNotMatch(s.err, /\n\s+at /);
    const missing = await run(["summarize", join(dir, "nope.csv")]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /SOURCE_NOT_FOUND/);
  });
});
