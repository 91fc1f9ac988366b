import { readFileSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import {
  buildEarlyDataset,
  isoDateToDay,
  issue,
  normalizeCustomerId,
  scoreNewCustomers,
  type Transaction,
  ValuecastError,
  valueTiers,
} from "@valuecast/core";
import type { ContactRecord, ExportCustomer, ExportFile } from "@valuecast/data";
import {
  type CommandSpec,
  dateOption,
  numberOption,
  type OptionValues,
  stringOption,
  usageError,
} from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { loadCustomers } from "../sources.ts";
import { transactionsOf } from "./analytics-input.ts";
import { SOURCE_OPTIONS, SOURCE_POSITIONAL } from "./options.ts";
import { MODEL_OPTIONS, predictSettings, resolveModel, scoreWithModel } from "./predict.ts";

const FORMATS = ["audience", "google-ads", "customer-match", "meta-capi", "meta-audience"] as const;
type ExportFormat = (typeof FORMATS)[number];
const DAY_MS = 86_400_000;

/** `valuecast export`: its help text and the options its parser accepts. */
export const exportSpec: CommandSpec = {
  name: "export",
  summary:
    "files for CRMs and ad platforms: audience CSV, Google Ads conversions, Customer Match, Meta CAPI / value audience",
  positionals: [SOURCE_POSITIONAL],
  options: {
    format: {
      type: "string",
      value: FORMATS.join("|"),
      choices: FORMATS,
      description: "the file to write (required)",
    },
    out: { type: "string", value: "FILE", description: "where to write it (required)" },
    tier: {
      type: "string",
      value: "NAME",
      description: "only customers of this value tier (top, middle, low)",
    },
    value: {
      type: "string",
      value: "clv|early",
      choices: ["clv", "early"],
      description:
        "clv (default): the fitted model's predicted CLV for every customer; early: the learned early-value model's 12-month value for customers acquired recently (Meta pLTV)",
    },
    contacts: {
      type: "string",
      value: "contacts.csv",
      description:
        "customer_id plus any of email, phone, first_name, last_name, country, zip, gclid (needed by every format but audience)",
    },
    currency: {
      type: "string",
      value: "USD",
      description: "ISO 4217 code for google-ads / meta-capi (default USD)",
    },
    "conversion-name": {
      type: "string",
      value: "NAME",
      description: "google-ads conversion action name (default 'Predicted CLV')",
    },
    "time-zone": {
      type: "string",
      value: "TZ",
      description: "google-ads: write a Parameters:TimeZone= line (e.g. Europe/London)",
    },
    "event-name": {
      type: "string",
      value: "NAME",
      description: "meta-capi event name (default PredictedLTV)",
    },
    "calling-code": {
      type: "string",
      value: "N",
      description: "country calling code for phone numbers written without one (e.g. 1, 44)",
    },
    "early-days": {
      type: "string",
      value: "N",
      description: "--value early: days after the first purchase the model may see (default 7)",
    },
    "acquired-within": {
      type: "string",
      value: "DAYS",
      description:
        "--value early: export customers acquired within this many days of the data's end (default 30)",
    },
    "early-horizon-days": {
      type: "string",
      value: "DAYS",
      description: "--value early: value horizon after the window, in days (default 365.25 = 12 months)",
    },
    "as-of": {
      type: "string",
      value: "DATE",
      description: "--value early: end of the data the model may use (default: the last transaction)",
    },
    seed: { type: "string", value: "N", description: "--value early: training seed (default 1)" },
    ...MODEL_OPTIONS,
    ...SOURCE_OPTIONS,
  },
  notes: [
    "audience columns: customer_id,tier,p_alive,predicted_clv. google-ads: Google Click ID,Conversion Name,",
    "Conversion Time,Conversion Value,Conversion Currency (rows with a gclid). customer-match: Email,Phone,",
    "First Name,Last Name,Country,Zip, normalised and SHA-256 hashed. meta-capi: { data: [events] } with",
    "custom_data.value, currency, predicted_ltv. meta-audience: hashed identifiers plus a value column.",
    "--value early trains core's ZILN early-value model on the earlier cohorts whose horizon is observed and",
    "scores those acquired within --acquired-within days (p_alive then holds P(any value in the horizon)).",
    "Without --model / --model-file, BG/NBD (+ Gamma-Gamma) is fitted. valuecast writes files; it sends nothing.",
  ],
  examples: [
    "valuecast export orders.csv --format audience --tier top --out top.csv",
    "valuecast export orders.csv --format meta-capi --value early --contacts crm.csv --out events.json",
    "valuecast export orders.csv --format google-ads --contacts crm.csv --time-zone Europe/London --out conv.csv",
  ],
};

/** Reads a contacts CSV (as `POST /datasets/{id}/contacts` does), ids normalised like the summaries'. */
async function readContacts(path: string): Promise<Map<string, ContactRecord>> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ValuecastError([
      issue("SOURCE_NOT_FOUND", `cannot read contacts file '${path}'`, { file: basename(path) }),
    ]);
  }
  const { parseContactsCsv } = await import("@valuecast/server");
  const { contacts, issues } = parseContactsCsv(text);
  if (issues.length > 0)
    throw new ValuecastError(
      issues.map((i) => ({ ...i, location: { ...i.location, file: basename(path) } })),
    );
  const m = new Map<string, ContactRecord>();
  for (const c of contacts) {
    const id = normalizeCustomerId(c.customerId) ?? c.customerId;
    m.set(id, { ...c, customerId: id });
  }
  return m;
}

/** Customers valued by the fitted purchase (+ spend) model: every customer, tiers over the CLV. */
async function clvCustomers(
  ctx: CommandContext,
  values: OptionValues,
  loaded: Awaited<ReturnType<typeof loadCustomers>>,
): Promise<{ customers: ExportCustomer[]; basis: string }> {
  const chosen =
    stringOption(values, "model") || stringOption(values, "model-file")
      ? values
      : { ...values, model: "bgnbd" };
  const doc = await resolveModel(ctx, chosen, loaded.columns);
  const settings = predictSettings(values);
  const { scores, hasSpend } = scoreWithModel(doc, loaded.columns, settings);
  const value = hasSpend ? scores.clv : scores.expectedPurchases;
  const tiers = valueTiers(value);
  const customers = loaded.columns.ids.map((customerId, i) => ({
    customerId,
    tier: tiers.tiers[tiers.tierOf[i]!]?.name ?? null,
    pAlive: scores.pAlive[i]!,
    predictedClv: value[i]!,
  }));
  const h = `${settings.horizon.value} ${settings.horizon.unit}${settings.horizon.value === 1 ? "" : "s"}`;
  return {
    customers,
    basis: hasSpend
      ? `${doc.model} + gamma-gamma CLV over ${h}`
      : `${doc.model} expected purchases over ${h} (no spend model: values are purchase counts)`,
  };
}

/**
 * Customers valued by core's early-value (ZILN) model: trained on the cohorts whose horizon is observed
 * by `asOf`, applied to the customers acquired within the last `acquiredWithin` days whose `days`-day
 * window has closed. The value is what they spent in the window plus the expected value over the horizon.
 * @example earlyCustomers(tx, { days: 7, acquiredWithin: 30, horizonDays: 365.25, seed: 1 })
 */
export function earlyCustomers(
  transactions: readonly Transaction[],
  o: { days: number; acquiredWithin: number; horizonDays: number; asOf?: number; seed: number },
): { customers: ExportCustomer[]; trained: number; basis: string } {
  // The rows the summaries reject (no customer id, no date, no amount) are left out here too (the ingest
  // report counts them by reason); with --as-of, so are the rows after it.
  const tx = transactions.filter(
    (t) =>
      normalizeCustomerId(t.customerId) !== undefined &&
      Number.isFinite(t.at) &&
      Number.isFinite(t.amount) &&
      (o.asOf === undefined || t.at <= o.asOf),
  );
  const ds = buildEarlyDataset(tx, {
    days: o.days,
    horizonDays: o.horizonDays,
    ...(o.asOf !== undefined ? { asOf: o.asOf } : {}),
  });
  const { model, scores } = scoreNewCustomers(ds, { seed: o.seed });
  const since = ds.asOf - o.acquiredWithin * DAY_MS;
  const byId = new Map(ds.customers.map((c) => [c.customerId, c]));
  const recent = scores.filter((s) => s.firstAt >= since);
  if (recent.length === 0)
    throw new ValuecastError([
      issue(
        "NOT_ENOUGH_DATA",
        `no customer acquired within the last ${o.acquiredWithin} days has a closed ${o.days}-day window (raise --acquired-within)`,
        { field: "--acquired-within" },
      ),
    ]);
  const value = recent.map((s) => (byId.get(s.customerId)?.features.early_revenue ?? 0) + s.expectedValue);
  const tiers = valueTiers(value);
  return {
    customers: recent.map((s, i) => ({
      customerId: normalizeCustomerId(s.customerId) ?? s.customerId,
      tier: tiers.tiers[tiers.tierOf[i]!]?.name ?? null,
      pAlive: s.pAny,
      predictedClv: value[i]!,
    })),
    trained: model.ziln.training.trainRows + model.ziln.training.validationRows,
    basis: `early-value ZILN model (${o.days}-day window, ${Math.round(o.horizonDays)}-day horizon): first-window revenue + expected value`,
  };
}

/** Writes one format from valued customers and contacts (the same writers the API uses). */
async function writeFormat(
  format: ExportFormat,
  customers: readonly ExportCustomer[],
  contacts: ReadonlyMap<string, ContactRecord>,
  values: OptionValues,
  tier: string | undefined,
): Promise<ExportFile> {
  const data = await import("@valuecast/data");
  if (format === "audience") return data.audienceCsv(customers, tier);
  const selected = tier === undefined ? customers : customers.filter((k) => k.tier === tier);
  const now = Date.now();
  const currency = stringOption(values, "currency") ?? "USD";
  const code = stringOption(values, "calling-code");
  const cc = code ? { defaultCallingCode: code } : {};
  switch (format) {
    case "google-ads": {
      const tz = stringOption(values, "time-zone");
      return data.googleAdsConversionsCsv(
        selected.filter((k) => contacts.get(k.customerId)?.clickId),
        contacts,
        {
          conversionName: stringOption(values, "conversion-name") ?? "Predicted CLV",
          currency,
          conversionTime: now,
          ...(tz ? { timeZone: tz } : {}),
        },
      );
    }
    case "customer-match": {
      const keep = new Set(selected.map((k) => k.customerId));
      return data.customerMatchCsv(
        [...contacts.values()].filter((k) => keep.has(k.customerId)),
        cc,
      );
    }
    case "meta-capi": {
      const eventName = stringOption(values, "event-name");
      return data.metaConversionsPayload(
        selected.filter((k) => contacts.has(k.customerId)),
        contacts,
        { currency, eventTime: now, ...(eventName ? { eventName } : {}), ...cc },
      ).file;
    }
    default:
      return data.metaValueAudienceCsv(
        selected.filter((k) => contacts.has(k.customerId)),
        contacts,
        cc,
      );
  }
}

/** `valuecast export`. @example await main(["export", "orders.csv", "--format", "audience", "--out", "a.csv"], processIo()) */
export const exportCommand: Command = {
  spec: exportSpec,
  async run(args, ctx) {
    const v = args.values;
    const format = stringOption(v, "format") as ExportFormat | undefined;
    const out = stringOption(v, "out");
    if (!format || !out)
      throw usageError("export: --format and --out are required", format ? "--out" : "--format");
    const early = stringOption(v, "value") === "early";
    const contactsPath = stringOption(v, "contacts");
    if (format !== "audience" && !contactsPath)
      throw usageError(
        `export: --format ${format} needs --contacts FILE (emails, phones, click ids)`,
        "--contacts",
      );
    const tier = stringOption(v, "tier");
    const early_ = early
      ? {
          days: numberOption(v, "early-days", 7, { min: 0 }),
          acquiredWithin: numberOption(v, "acquired-within", 30, { min: 0, minExclusive: true }),
          horizonDays: numberOption(v, "early-horizon-days", 365.25, { min: 0, minExclusive: true }),
          seed: Math.floor(numberOption(v, "seed", 1, {})),
          asOf: dateOption(v, "as-of"),
        }
      : null;
    const contacts = contactsPath ? await readContacts(resolve(ctx.io.cwd, contactsPath)) : new Map();
    const loaded = await loadCustomers(
      args.positionals[0]!,
      early ? { ...v, engine: stringOption(v, "engine") ?? "memory" } : v,
      ctx,
    );
    for (const n of loaded.notes) ctx.note(n);
    let valued: { customers: ExportCustomer[]; basis: string };
    if (early_) {
      const asOfDay = early_.asOf ? isoDateToDay(early_.asOf) : undefined;
      valued = earlyCustomers(transactionsOf(loaded, "export --value early"), {
        days: early_.days,
        acquiredWithin: early_.acquiredWithin,
        horizonDays: early_.horizonDays,
        seed: early_.seed,
        // the whole as-of day is in the data
        ...(asOfDay !== undefined ? { asOf: (asOfDay + 1) * DAY_MS - 1 } : {}),
      });
    } else valued = await clvCustomers(ctx, v, loaded);
    const file = await writeFormat(format, valued.customers, contacts, v, tier);
    const path = resolve(ctx.io.cwd, out);
    writeFileSync(path, file.content);
    const report = {
      format,
      out: path,
      rows: file.rows,
      skipped: file.skipped.length,
      customers: valued.customers.length,
      value: valued.basis,
      ...(tier ? { tier } : {}),
      skippedIssues: file.skipped.slice(0, 20),
    };
    if (ctx.json) ctx.printJson(report);
    else {
      ctx.io.stdout(
        `wrote ${out}: ${file.rows} rows (${format}; ${valued.basis}; ${valued.customers.length} customers valued${tier ? `, tier ${tier}` : ""})\n`,
      );
      if (file.skipped.length > 0)
        ctx.note(
          `${file.skipped.length} left out, e.g. ${file.skipped
            .slice(0, 3)
            .map((i) => i.message)
            .join("; ")}`,
        );
    }
    return 0;
  },
};
