import { readFileSync } from "node:fs";
import { type Issue, ValuecastError } from "@valuecast/core";
import { formatCommandHelp, parseCommandArgs } from "./args.ts";
import { type Command, type CommandContext, toJson } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";
import { formatIssues } from "./format/issues.ts";
import type { CliIo } from "./io.ts";

export { bufferIo, type CliIo, processIo } from "./io.ts";

/** Exit codes: the command-line contract (DESIGN, issue 3). */
export const EXIT = { ok: 0, badInput: 1, usage: 2 } as const;

/** Issue codes that mean the command line itself was wrong (exit 2) rather than the input (exit 1). */
const USAGE_CODES = new Set<string>(["USAGE", "BAD_OPTION_VALUE", "UNKNOWN_MODEL"]);

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function globalHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.spec.name.length));
  return [
    "valuecast: predictive customer lifetime value from a transaction log",
    "",
    "Usage: valuecast <command> [arguments] [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(w)}  ${c.spec.summary}`),
    "",
    "Run `valuecast <command> --help` for a command's options.",
    "Exit codes: 0 success, 1 bad input (every problem is listed), 2 usage error.",
    "",
  ].join("\n");
}

/** Levenshtein distance, for "did you mean" on mistyped commands. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.spec.name === name);
}

/**
 * The exit code for a user's error: 2 when every issue is about the command line, else 1.
 * @example exitCodeFor([issue("USAGE")]) // 2
 */
export function exitCodeFor(issues: readonly Issue[]): number {
  return issues.length > 0 && issues.every((i) => USAGE_CODES.has(i.code)) ? EXIT.usage : EXIT.badInput;
}

/**
 * Runs the CLI: parses `argv` (without the node and script paths), runs the command, and reports errors.
 * A user's mistake (a `ValuecastError`) prints every issue with its code and location, never a stack
 * trace (unless `--debug`); anything else is our bug and says so. Returns the exit code.
 * @example const io = bufferIo(); const code = await main(["fit", "--help"], io);
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes("--debug");
  const json = argv.includes("--json");
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    const target = first === "help" && rest[0] ? findCommand(rest[0]) : undefined;
    if (target) {
      io.stdout(formatCommandHelp(target.spec));
      return EXIT.ok;
    }
    (first === undefined ? io.stderr : io.stdout)(globalHelp());
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === "--version" || first === "-v") {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const ctx: CommandContext = {
    io,
    json,
    printJson: (value) => io.stdout(`${toJson(value)}\n`),
    note: (text) => {
      if (!json) io.stderr(text.endsWith("\n") ? text : `${text}\n`);
    },
  };
  try {
    const command = findCommand(first);
    if (!command) {
      const names = COMMANDS.map((c) => c.spec.name);
      const close = names.filter((n) => editDistance(n, first) <= 2);
      throw new ValuecastError([
        {
          code: "USAGE",
          message: `unknown command '${first}'${close.length ? ` (did you mean ${close.join(" or ")}?)` : ""}; commands: ${names.join(", ")}`,
        },
      ]);
    }
    const args = parseCommandArgs(command.spec, rest);
    if (args.values.help) {
      io.stdout(formatCommandHelp(command.spec));
      return EXIT.ok;
    }
    return (await command.run(args, ctx)) ?? EXIT.ok;
  } catch (err) {
    if (err instanceof ValuecastError) {
      const code = exitCodeFor(err.issues);
      if (json) io.stderr(`${toJson({ error: { exitCode: code, issues: err.issues } })}\n`);
      else {
        io.stderr(formatIssues(err.issues));
        if (code === EXIT.usage)
          io.stderr(`Run \`valuecast ${findCommand(first) ? `${first} ` : ""}--help\` for usage.\n`);
      }
      if (debug && err.stack) io.stderr(`${err.stack}\n`);
      return code;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    io.stderr(`internal error: ${e.message}\n`);
    io.stderr(
      debug && e.stack
        ? `${e.stack}\n`
        : "This is a bug in valuecast; rerun with --debug for the stack trace.\n",
    );
    return EXIT.badInput;
  }
}
