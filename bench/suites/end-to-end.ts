import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateTransactions } from "../gen-transactions.ts";
import { type Measurement, medianRun, oneCommandArgs, type Suite, timingsOf } from "../lib.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = `${root}packages/cli/bin/valuecast.mjs`;

/**
 * Runs the real CLI under GNU time and returns wall seconds, CPU seconds (user + system, all threads: the
 * figure to compare when other work shares the machine) and the child's peak RSS in MB.
 */
function runCli(args: string[]): {
  seconds: number;
  cpuSeconds: number;
  peakMB: number;
  output: string;
  stderr: string;
} {
  const r = spawnSync("/usr/bin/time", ["-f", "__time %e %M %U %S", process.execPath, bin, ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const m = /__time ([0-9.]+) ([0-9]+) ([0-9.]+) ([0-9.]+)/.exec(r.stderr ?? "");
  if (r.status !== 0 || !m) throw new Error(`valuecast ${args.join(" ")} failed:\n${r.stderr}`);
  return {
    seconds: Number(m[1]),
    cpuSeconds: Number(m[3]) + Number(m[4]),
    peakMB: Number(m[2]) / 1024,
    output: r.stdout,
    stderr: r.stderr,
  };
}

async function endToEnd(customers: number, target: number | undefined): Promise<Measurement[]> {
  const label = `${customers / 1e6}M customers`;
  const csv = `${root}bench/out/tx-${customers}.csv`;
  if (!existsSync(csv)) await generateTransactions(customers, csv);
  const out: Measurement[] = [];
  /**
   * Runs a stage `runs` times and records the run of median wall time (the machine is shared: one run can
   * be off by 20%); the note gives every run's time and, with --timings, where the median run's time went.
   */
  const stage = (name: string, args: string[], targetSeconds?: number, runs = 1) => {
    const { run: r, note: runsNote } = medianRun(Array.from({ length: runs }, () => runCli(args)));
    const timings = timingsOf(r.stderr);
    const summary = /\((?:duckdb|postgres), ([0-9.]+ s: [^)]*)\)/.exec(r.stderr)?.[1];
    const m: Measurement = {
      suite: "end-to-end",
      name: `${label}: ${name}`,
      seconds: r.seconds,
      peakMB: r.peakMB,
      ...(targetSeconds !== undefined ? { targetSeconds } : {}),
      note: [
        `CPU ${r.cpuSeconds.toFixed(2)} s`,
        ...(runsNote ? [runsNote] : []),
        ...(timings ? [`stages ${timings}`] : []),
        ...(summary ? [`summary ${summary}`] : []),
      ].join("; "),
    };
    console.log(
      `end-to-end | ${m.name}: ${m.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s), peak ${m.peakMB.toFixed(0)} MB`,
    );
    out.push(m);
    return r;
  };
  const summary = `${root}bench/out/summary-${customers}.csv`;
  const model = `${root}bench/out/model-${customers}.json`;
  const scores = `${root}bench/out/scores-${customers}.parquet`;
  stage(
    "CSV -> summaries -> BG/NBD + Gamma-Gamma fit -> scores file (one command)",
    oneCommandArgs(csv, scores),
    target,
    3,
  );
  stage("stage 1: CSV -> summaries (DuckDB)", ["summarize", csv, "--engine", "duckdb", "--out", summary]);
  stage("stage 2: BG/NBD + Gamma-Gamma fit from summaries", [
    "fit",
    summary,
    "--input",
    "summary",
    "--model",
    "bgnbd",
    "--spend",
    "gamma-gamma",
    "--out",
    model,
  ]);
  stage("stage 3: score every customer to Parquet", [
    "predict",
    summary,
    "--input",
    "summary",
    "--model-file",
    model,
    "--out",
    scores,
    "--discount-rate",
    "0",
  ]);
  return out;
}

export const endToEnd1M: Suite = ({ scale }) =>
  endToEnd(Math.round(1_000_000 * scale), scale === 1 ? 4 : undefined);
export const endToEnd10M: Suite = ({ scale }) =>
  endToEnd(Math.round(10_000_000 * scale), scale === 1 ? 40 : undefined);
