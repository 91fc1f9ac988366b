/**
 * `npm run bench [-- --scale 0.1] [-- --only core]`: runs the benchmark suites on this machine and
 * writes bench/out/latest.json and the results table of BENCHMARKS.md (between its markers);
 * `--keep-benchmarks` leaves BENCHMARKS.md alone.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Measurement, Suite } from "./lib.ts";
import { coreModels } from "./suites/core-models.ts";
import { endToEnd1M, endToEnd10M } from "./suites/end-to-end.ts";
import { pgPushdownSuite } from "./suites/pg-pushdown.ts";
import { scale10M } from "./suites/scale-10m.ts";

// The CLI runs from a bundle of its sources, rebuilt on the first start after any source change (0.5-1.3 s):
// built here, before anything is timed, so no suite's first command pays for it.
spawnSync(
  process.execPath,
  [fileURLToPath(new URL("../packages/cli/bin/valuecast.mjs", import.meta.url)), "--version"],
  {
    stdio: "ignore",
  },
);

const suites: Record<string, Suite> = { core: coreModels, e2e: endToEnd1M, e2e10m: endToEnd10M };
suites.scale10m = scale10M;
suites.pg = pgPushdownSuite;
suites.early = (await import("./suites/early-value.ts")).earlyValue; // issue 6: early pLTV at 1M
suites.load = (await import("./load/run.ts")).loadSuite; // issue 5: API load at 1,000 req/s + dashboard render, 1M

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    only: { type: "string" },
    // Measure at full size without rewriting BENCHMARKS.md (figures still go to bench/out/latest.json).
    "keep-benchmarks": { type: "boolean", default: false },
  },
});
const scale = Number(values.scale);
const chosen = values.only ? values.only.split(",") : Object.keys(suites);
const results: Measurement[] = [];
for (const name of chosen) {
  const suite = suites[name];
  if (!suite) throw new Error(`no suite ${name}; have ${Object.keys(suites).join(", ")}`);
  results.push(...(await suite({ scale })));
}

const root = new URL("..", import.meta.url);
mkdirSync(new URL("bench/out/", root), { recursive: true });
const machine = `${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
writeFileSync(new URL("bench/out/latest.json", root), JSON.stringify({ machine, scale, results }, null, 2));

if (scale === 1 && !values["keep-benchmarks"]) {
  const rows = results.map((m) => {
    const target =
      m.targetSeconds === undefined
        ? ""
        : `<= ${Number(m.targetSeconds.toPrecision(4))} s ${m.seconds <= m.targetSeconds ? "(met)" : "(missed)"}`;
    return `| ${m.suite} | ${m.name} | ${m.seconds.toFixed(m.seconds < 0.1 ? 3 : 2)} s | ${m.peakMB.toFixed(0)} MB | ${target} | ${m.note ?? ""} |`;
  });
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
    "",
    "| suite | what | wall time | peak RSS | target | note |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
  const file = new URL("BENCHMARKS.md", root);
  const text = readFileSync(file, "utf8");
  const start = "<!-- results:start -->";
  const end = "<!-- results:end -->";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < 0) throw new Error("BENCHMARKS.md has no results markers");
  writeFileSync(file, `${text.slice(0, i + start.length)}\n${table}\n${text.slice(j)}`);
  console.log("BENCHMARKS.md updated");
}
