import cliProgress from "cli-progress";
import type { CliIo } from "./io.ts";

/** A progress indicator for a long step; a no-op unless stdout is a terminal. */
export interface Progress {
  /** Sets the completed amount (same unit as `total`). */
  update(done: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => {}, stop: () => {} };

/**
 * A progress bar on stderr when stdout is a terminal (and not --json); quiet otherwise, so piped output
 * stays parseable.
 * @example const p = progress(ctx.io, "fitting bgnbd", 1); ...; p.update(1); p.stop();
 */
export function progress(io: CliIo, label: string, total: number, enabled = true): Progress {
  if (!enabled || !io.isTTY || !io.progressStream) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(28)} [{bar}] {percentage}% {duration_formatted}`,
      stream: io.progressStream,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}

/**
 * Runs `fn` with a bar that fills in steps, one per finished item.
 * @example await stepped(io, "fitting", ["bgnbd", "pnbd"], (m) => fit(m))
 */
export async function stepped<T, R>(
  io: CliIo,
  label: string,
  items: readonly T[],
  fn: (item: T) => R | Promise<R>,
  enabled = true,
): Promise<R[]> {
  const bar = progress(io, label, items.length, enabled);
  const out: R[] = [];
  try {
    for (const item of items) {
      out.push(await fn(item));
      bar.update(out.length);
    }
  } finally {
    bar.stop();
  }
  return out;
}
