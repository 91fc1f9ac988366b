// ENGINE CONTRACT SUITE: core's in-memory summarizer and every SQL engine give identical summaries and
// identical row accounting on the same input.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { summarizeTransactions } from "@valuecast/core";
import { summarizeSource } from "../../src/index.ts";
import { assertSameReport, assertSameSummaries } from "../helpers/compare.ts";
import { DATASETS } from "./datasets.ts";
import { contractEngines } from "./engines.ts";

const { engines, missing } = await contractEngines();
const tmp = mkdtempSync(join(tmpdir(), "valuecast-contract-"));

describe("engine contract: PostgreSQL is configured under CI", () => {
  it("has VALUECAST_PG_URL when CI=true", () => {
    if (process.env.CI === "true") assert.equal(missing, undefined, missing);
    else if (missing) console.log(`# postgres engine not run: ${missing}`);
  });
});

for (const engine of engines) {
  describe(`engine contract: ${engine.name}`, () => {
    after(() => engine.close());
    for (const dataset of DATASETS) {
      it(`${dataset.name}: same summaries and row report as core`, async () => {
        const core = summarizeTransactions(dataset.transactions(), dataset.options);
        const source = await engine.open(dataset);
        try {
          const rejectedRowsFile =
            dataset.rows < 100_000 ? join(tmp, `${engine.name}-${dataset.rows}.csv`) : undefined;
          const got = await summarizeSource(source, {
            ...dataset.options,
            ...(dataset.columns ? { columns: dataset.columns } : {}),
            ...(rejectedRowsFile ? { rejectedRowsFile } : {}),
          });
          if (rejectedRowsFile) {
            // The rejected-rows file holds exactly the rows the report counts, with the same reasons.
            const lines = readFileSync(rejectedRowsFile, "utf8").split("\n").slice(1).filter(Boolean);
            assert.equal(got.rejectedRowsWritten, got.report.rowsRejected);
            assert.equal(lines.length, got.report.rowsRejected);
            const byReason: Record<string, number> = {};
            for (const l of lines) {
              const reason = l.slice(l.lastIndexOf(",") + 1);
              byReason[reason] = (byReason[reason] ?? 0) + 1;
            }
            assert.deepEqual(byReason, got.report.rejected);
          }
          assert.equal(got.report.rowsRead, dataset.rows, "every input row is read");
          assert.equal(core.report.rowsRead, dataset.rows);
          assertSameSummaries(got.columns, core.columns, `${engine.name} vs core`);
          assertSameReport(got.report, core.report, `${engine.name} vs core`);
        } finally {
          await source.close();
        }
      });
    }
  });
}
