import type { CommandSpec, ParsedCommandArgs } from "./args.ts";
import type { CliIo } from "./io.ts";

/** What a running command gets: the io, and whether the user asked for JSON. */
export interface CommandContext {
  readonly io: CliIo;
  readonly json: boolean;
  /** Prints a value as one JSON document on stdout. */
  printJson(value: unknown): void;
  /** A note for people on stderr (suppressed with --json so stdout/stderr stay parseable). */
  note(text: string): void;
}

/** A subcommand: its spec (help text and parser) and what it does. Returns the exit code (default 0). */
export interface Command {
  readonly spec: CommandSpec;
  run(args: ParsedCommandArgs, ctx: CommandContext): Promise<number | undefined>;
}

/**
 * JSON with non-finite numbers as null (JSON has no NaN/Infinity) and typed arrays as arrays.
 * @example toJson({ ll: Number.NaN }) // "{\n  \"ll\": null\n}"
 */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v === "number" && !Number.isFinite(v)) return null;
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as Float64Array);
      return v;
    },
    indent,
  );
}
