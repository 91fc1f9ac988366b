import type { CovariatePenalty } from "@valuecast/core";
import { badOption, type OptionSpec, type OptionValues, stringOption } from "../args.ts";

/** The `fit` options that add static covariates (issue 6). */
export const COVARIATE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  covariates: {
    type: "string",
    value: "COLS",
    description:
      "static covariates (pnbd, bgnbd): columns of --covariates-file, derived first-purchase columns (first_amount, first_items, first_weekday, channel, campaign) or any transaction column (value on the first purchase row)",
  },
  "covariates-file": {
    type: "string",
    value: "customers.csv",
    description: "per-customer covariates, joined on the customer id (customers without a row are left out)",
  },
  "covariates-id": {
    type: "string",
    value: "COL",
    description: "customer id column of --covariates-file (detected when omitted)",
  },
  "covariates-trans": {
    type: "string",
    value: "COLS|none",
    description: "covariates entering the transaction process (default: all of --covariates)",
  },
  "covariates-life": {
    type: "string",
    value: "COLS|none",
    description: "covariates entering the lifetime (dropout) process (default: all of --covariates)",
  },
  reference: {
    type: "string",
    value: "COL=LEVEL,...",
    description: "reference level of a categorical covariate (default: its most frequent level)",
  },
  categorical: {
    type: "string",
    value: "COLS",
    description: "treat these numeric-looking covariates as categorical (store or region codes)",
  },
  "log-covariates": {
    type: "string",
    value: "COLS",
    description: "take ln of these numeric covariates (values must be > 0), e.g. first_amount",
  },
  "min-level": {
    type: "string",
    value: "N",
    description: "pool categorical levels with fewer than N customers into 'other' (default 1: no pooling)",
  },
  penalty: {
    type: "string",
    value: "L2|trans=L2,life=L2",
    description: "L2 penalty on the covariate coefficients (CLVTools' reg.lambdas; default none)",
  },
};

/** The user's covariate request, parsed. */
export interface CovariateRequest {
  readonly names: readonly string[];
  /** Covariate names entering each process. */
  readonly trans: readonly string[];
  readonly life: readonly string[];
  readonly references: Readonly<Record<string, string>>;
  readonly categorical: readonly string[];
  readonly log: readonly string[];
  readonly minLevel: number;
  readonly penalty: CovariatePenalty;
}

function list(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "" && s.toLowerCase() !== "none");
}

/**
 * Parses the covariate options; null when none was given. When neither --covariates-trans nor
 * --covariates-life is given every covariate enters both processes; when one or both are given, each
 * process gets exactly its list (an absent list means none), and names in those lists need not be
 * repeated in --covariates.
 * @example covariateRequest({ covariates: "channel", "covariates-trans": "channel" })?.life // []
 */
export function covariateRequest(values: OptionValues): CovariateRequest | null {
  const base = list(stringOption(values, "covariates"));
  const transText = stringOption(values, "covariates-trans");
  const lifeText = stringOption(values, "covariates-life");
  if (base.length === 0 && transText === undefined && lifeText === undefined) {
    for (const o of ["covariates-file", "reference", "categorical", "log-covariates", "penalty"]) {
      if (stringOption(values, o) !== undefined)
        throw badOption(o, `--${o} needs --covariates (the covariate columns to use)`);
    }
    return null;
  }
  const explicit = transText !== undefined || lifeText !== undefined;
  const trans = explicit ? list(transText) : base;
  const life = explicit ? list(lifeText) : base;
  const names = [...new Set([...base, ...trans, ...life])];
  if (names.length === 0)
    throw badOption("covariates", "--covariates needs at least one column (e.g. channel,first_amount)");
  const references: Record<string, string> = {};
  for (const part of list(stringOption(values, "reference"))) {
    const at = part.indexOf("=");
    if (at <= 0) throw badOption("reference", `--reference needs COLUMN=LEVEL pairs (got '${part}')`);
    references[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  const minText = stringOption(values, "min-level");
  const minLevel = minText === undefined ? 1 : Number(minText);
  if (!(Number.isInteger(minLevel) && minLevel >= 1))
    throw badOption("min-level", `--min-level needs a whole number >= 1 (got '${minText}')`);
  return {
    names,
    trans,
    life,
    references,
    categorical: list(stringOption(values, "categorical")),
    log: list(stringOption(values, "log-covariates")),
    minLevel,
    penalty: penaltyOption(stringOption(values, "penalty")),
  };
}

/**
 * `--penalty 0.1` (both processes) or `--penalty trans=0.1,life=0.5`.
 * @example penaltyOption("trans=0.1") // { trans: 0.1 }
 */
export function penaltyOption(text: string | undefined): CovariatePenalty {
  if (text === undefined) return {};
  const bad = () => badOption("penalty", `--penalty needs a number >= 0 or trans=L2,life=L2 (got '${text}')`);
  const num = (s: string) => {
    const v = s.trim() === "" ? Number.NaN : Number(s);
    if (!(Number.isFinite(v) && v >= 0)) throw bad();
    return v;
  };
  if (!text.includes("=")) {
    const v = num(text);
    return { trans: v, life: v };
  }
  const out: { trans?: number; life?: number } = {};
  for (const part of text.split(",")) {
    const [k, v] = part.split("=");
    const key = k?.trim();
    if ((key !== "trans" && key !== "life") || v === undefined) throw bad();
    out[key] = num(v);
  }
  return out;
}
