import { performance } from "node:perf_hooks";

/** One measured figure: what ran, how long it took, and the process's peak memory by then. */
export interface Measurement {
  readonly suite: string;
  readonly name: string;
  readonly seconds: number;
  /** Peak resident memory of the measuring process (or the child it ran) so far, in MB. */
  readonly peakMB: number;
  /** The target from the issue, in seconds, when there is one. */
  readonly targetSeconds?: number;
  readonly note?: string;
}

/** Peak resident set size of this process so far, in MB (getrusage maxrss). */
export function peakMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs `fn` once and measures its wall time. */
export async function measure<T>(
  suite: string,
  name: string,
  fn: () => T | Promise<T>,
  extra: { targetSeconds?: number; note?: string } = {},
): Promise<{ value: T; measurement: Measurement }> {
  const t0 = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const measurement: Measurement = { suite, name, seconds, peakMB: peakMB(), ...extra };
  const target = extra.targetSeconds !== undefined ? ` (target <= ${extra.targetSeconds} s)` : "";
  console.log(
    `${suite} | ${name}: ${seconds.toFixed(3)} s, peak ${measurement.peakMB.toFixed(0)} MB${target}`,
  );
  return { value, measurement };
}

/** A benchmark suite: runs its measurements and returns them. */
export type Suite = (options: { scale: number }) => Promise<Measurement[]>;

/**
 * Issue 3's end-to-end job as one command: CSV -> summaries -> BG/NBD + Gamma-Gamma -> a scores file, with
 * `--timings` so the note can say where the time went.
 */
export function oneCommandArgs(csv: string, scores: string): string[] {
  return [
    "predict",
    csv,
    "--model",
    "bgnbd",
    "--engine",
    "duckdb",
    "--out",
    scores,
    "--discount-rate",
    "0",
    "--timings",
  ];
}

/**
 * The run of median wall time among `runs` (the machine is shared: one run can be off by 20%), and a note
 * that gives every run's time when there were several.
 */
export function medianRun<T extends { seconds: number }>(
  runs: readonly T[],
  digits = 2,
): { run: T; note: string } {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const note =
    runs.length > 1
      ? `median of ${runs.length} runs: ${sorted.map((x) => x.seconds.toFixed(digits)).join(", ")} s`
      : "";
  return { run: sorted[Math.floor((runs.length - 1) / 2)]!, note };
}

/** The stage split of a command run with `--timings` ("summary 2.15 s, fit 0.64 s, …"), from its stderr. */
export function timingsOf(stderr: string): string | undefined {
  return /timings: ([^;]*);/.exec(stderr)?.[1];
}
