import { parseArgs } from "node:util";
import { type Issue, issue, ValuecastError } from "@valuecast/core";

/** One command-line option, as the help text and the parser both see it. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** Placeholder shown in help, e.g. "DATE". */
  readonly value?: string;
  readonly description: string;
  /** Accepted values (checked after parsing, reported as BAD_OPTION_VALUE). */
  readonly choices?: readonly string[];
}

/** A positional argument of a command. */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
}

/** A command's interface: what `--help` prints and what the parser accepts. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly positionals: readonly PositionalSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly examples?: readonly string[];
  readonly notes?: readonly string[];
}

/** Options every command takes. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  json: { type: "boolean", description: "print one JSON document on stdout (for scripts)" },
  debug: { type: "boolean", description: "print stack traces for errors" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

/** Parsed option values by long name. */
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

/** A command's parsed arguments. */
export interface ParsedCommandArgs {
  readonly positionals: readonly string[];
  readonly values: OptionValues;
}

/**
 * A usage error (exit code 2) with one message.
 * @example throw usageError("fit: --model is required", "--model")
 */
export function usageError(message: string, field?: string): ValuecastError {
  return new ValuecastError([issue("USAGE", message, field ? { field } : undefined)]);
}

/**
 * A bad option value (exit code 2).
 * @example throw badOption("horizon", "--horizon needs a number and a unit")
 */
export function badOption(name: string, message: string): ValuecastError {
  return new ValuecastError([issue("BAD_OPTION_VALUE", message, { field: `--${name}` })]);
}

/**
 * Parses a command's arguments with `node:util` `parseArgs` (strict: unknown options are errors), then
 * checks choices and positionals, reporting every problem found at once as USAGE / BAD_OPTION_VALUE issues.
 * @example parseCommandArgs(fitSpec, ["data.csv", "--model", "bgnbd"]).values.model // "bgnbd"
 */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedCommandArgs {
  const all = { ...spec.options, ...COMMON_OPTIONS };
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [name, o] of Object.entries(all)) {
    options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // parseArgs' messages name the option; drop its hint about '--', which only confuses here.
    throw usageError(`${spec.name}: ${message.split(". To specify")[0]!.split("\n")[0]}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { positionals: parsed.positionals, values };
  const issues: Issue[] = [];
  for (const [name, o] of Object.entries(all)) {
    const v = values[name];
    if (o.choices && typeof v === "string" && !o.choices.includes(v)) {
      issues.push(
        issue("BAD_OPTION_VALUE", `--${name} must be one of ${o.choices.join(", ")} (got '${v}')`, {
          field: `--${name}`,
        }),
      );
    }
  }
  const required = spec.positionals.filter((p) => p.required).length;
  if (parsed.positionals.length < required) {
    const missing = spec.positionals.slice(parsed.positionals.length).filter((p) => p.required);
    issues.push(
      issue("USAGE", `${spec.name}: missing ${missing.map((p) => `<${p.name}>`).join(" ")}`, {
        field: missing[0]?.name ?? "",
      }),
    );
  }
  if (parsed.positionals.length > spec.positionals.length) {
    const extra = parsed.positionals.slice(spec.positionals.length);
    issues.push(
      issue("USAGE", `${spec.name}: unexpected argument(s) ${extra.map((a) => `'${a}'`).join(" ")}`),
    );
  }
  if (issues.length > 0) throw new ValuecastError(issues);
  return { positionals: parsed.positionals, values };
}

/**
 * The string value of an option, or undefined.
 * @example stringOption({ model: "bgnbd" }, "model") // "bgnbd"
 */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/**
 * A finite number option within [min, max] (inclusive), or the default when absent.
 * @example numberOption({ margin: "0.3" }, "margin", 1, { min: 0 }) // 0.3
 */
export function numberOption(
  values: OptionValues,
  name: string,
  fallback: number,
  range: { min?: number; max?: number; minExclusive?: boolean } = {},
): number {
  const text = stringOption(values, name);
  if (text === undefined) return fallback;
  const v = text.trim() === "" ? Number.NaN : Number(text.trim().replace(/%$/, ""));
  const value = text.trim().endsWith("%") ? v / 100 : v;
  const { min, max, minExclusive } = range;
  const tooLow = min !== undefined && (minExclusive ? !(value > min) : !(value >= min));
  const tooHigh = max !== undefined && !(value <= max);
  if (!Number.isFinite(value) || tooLow || tooHigh) {
    const bounds = [
      min !== undefined ? `${minExclusive ? ">" : ">="} ${min}` : "",
      max !== undefined ? `<= ${max}` : "",
    ].filter(Boolean);
    throw badOption(
      name,
      `--${name} needs a number${bounds.length ? ` ${bounds.join(" and ")}` : ""} (got '${text}')`,
    );
  }
  return value;
}

/**
 * A calendar date option (YYYY-MM-DD, or YYYYMMDD), returned as an ISO date string.
 * @example dateOption({ "calibration-end": "1997-09-30" }, "calibration-end") // "1997-09-30"
 */
export function dateOption(values: OptionValues, name: string): string | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const m = /^\s*(\d{4})-?(\d{2})-?(\d{2})\s*$/.exec(text);
  if (m) {
    const iso = `${m[1]}-${m[2]}-${m[3]}`;
    const d = new Date(`${iso}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso) return iso;
  }
  throw badOption(name, `--${name} needs a date YYYY-MM-DD (got '${text}')`);
}

function optionLabel(name: string, o: OptionSpec): string {
  const short = o.short ? `-${o.short}, ` : "";
  const value = o.type === "string" ? ` ${o.value ?? (o.choices ? o.choices.join("|") : "VALUE")}` : "";
  return `${short}--${name}${value}`;
}

/**
 * The `--help` text of a command.
 * @example io.stdout(formatCommandHelp(fitSpec))
 */
export function formatCommandHelp(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`)).join(" ");
  const lines = [`valuecast ${spec.name}${pos ? ` ${pos}` : ""} [options]`, "", `  ${spec.summary}`, ""];
  if (spec.positionals.length > 0) {
    lines.push("Arguments:");
    const w = Math.max(...spec.positionals.map((p) => p.name.length));
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(w)}  ${p.description}`);
    lines.push("");
  }
  const entries = [...Object.entries(spec.options), ...Object.entries(COMMON_OPTIONS)];
  const labels = entries.map(([n, o]) => optionLabel(n, o));
  const w = Math.max(...labels.map((l) => l.length));
  lines.push("Options:");
  entries.forEach(([, o], i) => {
    lines.push(`  ${labels[i]!.padEnd(w)}  ${o.description}`);
  });
  if (spec.notes?.length) lines.push("", ...spec.notes.map((n) => `  ${n}`));
  if (spec.examples?.length) lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join("\n")}\n`;
}
