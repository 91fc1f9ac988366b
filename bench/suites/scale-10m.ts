/**
 * Issue 3's 10M target: 10,000,000 customers (about 25.6M transactions, 665 MB of CSV) from CSV to a
 * scores file in one `valuecast predict` command, <= 40 s wall and <= 6 GB peak memory; then the same
 * job in stages (summarize -> summary CSV, fit, predict from the summary) for the per-stage figures.
 *
 * Peak memory is the resident set of the whole process tree (DuckDB allocates natively, outside the V8
 * heap; worker threads share the process): GNU time's maximum RSS of the command, and /proc sampled every
 * 250 ms over the command's process and its descendants, which also gives the memory timeline.
 *
 *   npm run bench -- --only scale10m --keep-benchmarks   (run.ts; without the flag it rewrites BENCHMARKS.md)
 *   node --import tsx bench/suites/scale-10m.ts [--scale 1] [--no-stages] [--no-one-command]
 *     (direct: prints the figures and writes bench/out/scale-10m.json, never BENCHMARKS.md)
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateTransactions } from "../gen-transactions.ts";
import { type Measurement, medianRun, oneCommandArgs, type Suite, timingsOf } from "../lib.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = `${root}packages/cli/bin/valuecast.mjs`;

/** What `runMeasured` saw of one command. */
export interface ChildRun {
  readonly seconds: number;
  /** GNU time's maximum resident set of the command, MB. */
  readonly maxRssMB: number;
  /** User + system CPU seconds of the command (GNU time): less sensitive than wall time to others' load. */
  readonly cpuSeconds: number;
  /** Highest sum of VmRSS over the command's process tree seen by sampling, MB. */
  readonly treePeakMB: number;
  /** (seconds since start, tree RSS MB), one sample every `sampleMs`. */
  readonly timeline: readonly (readonly [number, number])[];
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

function rssKB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/** The process and all its descendants (from /proc/<pid>/task/<tid>/children). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, "utf8").split(" ")) {
          if (c.trim()) out.push(Number(c));
        }
      } catch {
        // the task ended
      }
    }
  }
  return out;
}

/**
 * Runs `command args` under /usr/bin/time and samples the resident memory of its whole process tree.
 * @example const r = await runMeasured(process.execPath, [bin, "predict", "tx.csv", "--model", "bgnbd"])
 */
export function runMeasured(
  command: string,
  args: readonly string[],
  options: { sampleMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ChildRun> {
  const sampleMs = options.sampleMs ?? 250;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "__time %e %M %U %S", command, ...args], {
      cwd: root,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
    });
    const timeline: [number, number][] = [];
    let peak = 0;
    const timer = setInterval(() => {
      if (child.pid === undefined) return;
      let kb = 0;
      for (const p of processTree(child.pid)) kb += rssKB(p);
      // /usr/bin/time itself is a few hundred kB; it is part of the tree and counted.
      const mb = kb / 1024;
      peak = Math.max(peak, mb);
      timeline.push([(performance.now() - t0) / 1000, Math.round(mb)]);
    }, sampleMs);
    child.on("error", (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on("close", (status) => {
      clearInterval(timer);
      const wall = (performance.now() - t0) / 1000;
      const m = /__time ([0-9.]+) ([0-9]+) ([0-9.]+) ([0-9.]+)/.exec(stderr);
      resolve({
        seconds: m ? Number(m[1]) : wall,
        maxRssMB: m ? Number(m[2]) / 1024 : 0,
        cpuSeconds: m ? Number(m[3]) + Number(m[4]) : 0,
        treePeakMB: peak,
        timeline,
        stdout,
        stderr: stderr.replace(/__time [0-9. ]+\n?/, ""),
        status,
      });
    });
  });
}

/** The summary stage's own time and its split, from the CLI's note "columns: … (duckdb, 12.34 s: parse …)". */
function engineSeconds(stdout: string): { seconds: number; stages: string } | undefined {
  const m = /\((?:duckdb|postgres), ([0-9.]+) s(?:: ([^)]*))?\)/.exec(stdout);
  return m ? { seconds: Number(m[1]), stages: m[2] ?? "" } : undefined;
}

/** The load average: the figures mean little when others are using the 2 cores at the same time. */
export function machineLoad(): string {
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  return `load average ${load}`;
}

/** About 24 evenly spaced samples of a memory timeline, as "seconds:MB" text. */
function timelineText(t: readonly (readonly [number, number])[]): string {
  const step = Math.max(1, Math.ceil(t.length / 24));
  return t
    .filter((_, i) => i % step === 0)
    .map(([s, mb]) => `${s.toFixed(0)}s:${mb}`)
    .join(" ");
}

async function scale10m(
  scale: number,
  parts: { oneCommand: boolean; stages: boolean },
): Promise<Measurement[]> {
  const customers = Math.round(10_000_000 * scale);
  const label = `${customers / 1e6}M customers`;
  const full = scale === 1;
  const csv = `${root}bench/out/tx-${customers}.csv`;
  if (!existsSync(csv)) {
    console.log(`generating ${csv} (about 50 s at 10M customers) …`);
    await generateTransactions(customers, csv);
  }
  const out: Measurement[] = [];
  const cli = async (
    name: string,
    args: string[],
    targets: { seconds?: number; memoryMB?: number } = {},
    runs = 1,
  ): Promise<ChildRun> => {
    const before = machineLoad();
    // The run of median wall time when there are several; the peak is the highest of them.
    const all: ChildRun[] = [];
    for (let i = 0; i < runs; i++) all.push(await runMeasured(process.execPath, [bin, ...args]));
    const { run: r, note: runsNote } = medianRun(all, 1);
    const peakMB = Math.max(...all.map((x) => Math.max(x.maxRssMB, x.treePeakMB)));
    const memoryNote =
      targets.memoryMB !== undefined
        ? `peak memory target <= ${(targets.memoryMB / 1024).toFixed(0)} GB ${peakMB <= targets.memoryMB ? "(met)" : "(missed)"}; `
        : "";
    const engine = engineSeconds(`${r.stdout}\n${r.stderr}`);
    const timings = timingsOf(r.stderr);
    const medianNote = runsNote ? `${runsNote}; ` : "";
    const failed =
      r.status !== 0 ? `FAILED (exit ${r.status}): ${r.stderr.trim().split("\n").slice(-2).join(" ")}; ` : "";
    const m: Measurement = {
      suite: "scale-10m",
      name: `${label}: ${name}`,
      seconds: r.seconds,
      peakMB,
      ...(targets.seconds !== undefined ? { targetSeconds: targets.seconds } : {}),
      note: `${failed}${memoryNote}${medianNote}CPU ${r.cpuSeconds.toFixed(1)} s; ${timings ? `stages ${timings}; ` : ""}${engine !== undefined ? `summary ${engine.seconds.toFixed(1)} s (${engine.stages}); ` : ""}${before}`,
    };
    console.log(
      `scale-10m | ${m.name}: ${m.seconds.toFixed(2)} s, peak ${peakMB.toFixed(0)} MB (time ${r.maxRssMB.toFixed(0)}, tree ${r.treePeakMB.toFixed(0)}) | ${m.note}`,
    );
    console.log(`  memory timeline (s:MB): ${timelineText(r.timeline)}`);
    out.push(m);
    return r;
  };
  const summary = `${root}bench/out/summary-${customers}.csv`;
  const model = `${root}bench/out/model-${customers}.json`;
  const scores = `${root}bench/out/scores-${customers}.parquet`;
  if (parts.oneCommand) {
    await cli(
      "CSV -> summaries -> BG/NBD + Gamma-Gamma fit -> scores file (one command)",
      oneCommandArgs(csv, scores),
      full ? { seconds: 40, memoryMB: 6 * 1024 } : {},
      3,
    );
  }
  if (parts.stages) {
    const s1 = await cli("stage 1: CSV -> summaries (DuckDB) -> summary CSV", [
      "summarize",
      csv,
      "--engine",
      "duckdb",
      "--out",
      summary,
    ]);
    if (s1.status === 0) {
      const s2 = await cli("stage 2: BG/NBD + Gamma-Gamma fit from the summary CSV", [
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
      if (s2.status === 0) {
        await cli("stage 3: score every customer from the summary CSV to Parquet", [
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
      }
    }
  }
  return out;
}

/** The 10M-customer end-to-end benchmark (`--only scale10m`). */
export const scale10M: Suite = ({ scale }) => scale10m(scale, { oneCommand: true, stages: true });

/**
 * Child mode (`--engine-child CSV [--memory-limit 3GB]`): only the DuckDB summary stage through the library
 * (openSource + summarizeSource, what the CLI runs first), to see what DuckDB's memory_limit does to the
 * peak and the time. Run by `--engine-only` under runMeasured.
 */
async function engineChild(csv: string, memoryLimit: string | undefined): Promise<void> {
  const { openSource, summarizeSource } = await import("@valuecast/data");
  const t0 = performance.now();
  const src = await openSource({ path: csv, ...(memoryLimit ? { memoryLimit } : {}) });
  const s = await summarizeSource(src, { timeUnit: "week" });
  await src.close();
  console.log(
    `engine stage: ${s.report.customers} customers, query + streaming ${s.seconds.toFixed(1)} s, total ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      "engine-child": { type: "string" },
      "engine-only": { type: "boolean", default: false },
      "memory-limit": { type: "string" },
      scale: { type: "string", default: "1" },
      "no-stages": { type: "boolean", default: false },
      "no-one-command": { type: "boolean", default: false },
    },
  });
  if (values["engine-child"]) {
    await engineChild(values["engine-child"], values["memory-limit"]);
    process.exit(0);
  }
  if (values["engine-only"]) {
    const customers = Math.round(10_000_000 * Number(values.scale));
    const limit = values["memory-limit"];
    const r = await runMeasured(process.execPath, [
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      "--engine-child",
      `${root}bench/out/tx-${customers}.csv`,
      ...(limit ? ["--memory-limit", limit] : []),
    ]);
    console.log(
      `${r.stdout.trim()}\nDuckDB memory_limit ${limit ?? "default"}: ${r.seconds.toFixed(1)} s wall, CPU ${r.cpuSeconds.toFixed(1)} s, peak ${Math.max(r.maxRssMB, r.treePeakMB).toFixed(0)} MB; ${machineLoad()}\n  memory timeline (s:MB): ${timelineText(r.timeline)}`,
    );
    if (r.status !== 0) console.log(r.stderr);
    process.exit(0);
  }
  const results = await scale10m(Number(values.scale), {
    oneCommand: !values["no-one-command"],
    stages: !values["no-stages"],
  });
  writeFileSync(`${root}bench/out/scale-10m.json`, JSON.stringify(results, null, 2));
  console.log(`wrote bench/out/scale-10m.json (${results.length} figures)`);
}
