import { issue, parseAmountText, parseTimestampText, type TimeUnit, ValuecastError } from "@valuecast/core";
import {
  type MappingOverrides,
  openSource,
  type Source,
  type SourceSpec,
  type SourceSummary,
  summarizeSource,
} from "@valuecast/data";
import type { StoredTransactions } from "../workspace/store.ts";

/** How to summarise a source (the CLI's summarize options). */
export interface IngestOptions {
  readonly timeUnit: TimeUnit;
  readonly calibrationEnd?: string;
  readonly end?: string;
  readonly columns?: MappingOverrides;
}

/** Progress callback: share done (0..1) and the stage in words. */
export type Progress = (done: number, stage: string) => void;

const TRUTHY = new Set(["true", "t", "1", "yes", "y"]);

/**
 * The transactions of an opened source, read with the mapping the summary used: customer id, time, signed
 * amount (or quantity x unit price), channel, campaign and the cancellation flag. Identifiers come only from
 * the source's own column list (quoted by the dialect); no user text enters the SQL. Lines whose date or
 * amount do not parse are left out here: the summary report already counts them by reason.
 * @example const tx = await readTransactions(src, summary.mapping.mapping)
 */
export async function readTransactions(
  source: Source,
  mapping: SourceSummary["mapping"]["mapping"],
): Promise<StoredTransactions> {
  const d = source.dialect;
  const known = new Set(source.columns.map((c) => c.name));
  const col = (name: string | undefined) => {
    if (name === undefined) return d.text("NULL");
    if (!known.has(name))
      throw new ValuecastError([issue("MISSING_COLUMN", `no column '${name}' in the source`)]);
    return d.text(d.ident(name));
  };
  const sql = `SELECT ${[
    col(mapping.customer),
    col(mapping.date),
    col(mapping.amount),
    col(mapping.quantity),
    col(mapping.unitPrice),
    col(mapping.channel),
    col(mapping.campaign),
    col(mapping.cancelled),
    col(mapping.order),
  ].join(", ")} FROM ${source.relation}`;
  const out = {
    customerId: [] as string[],
    at: [] as number[],
    amount: [] as number[],
    channel: [] as (string | null)[],
    campaign: [] as (string | null)[],
    cancelled: [] as number[],
  };
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v).trim() || null);
  const prefix = mapping.cancelPrefix;
  // Dates repeat (a few hundred distinct days over millions of lines): each distinct text is parsed once.
  // parseTimestampText is a pure function of the text; the cache stops growing at 100k distinct texts.
  const atOf = new Map<string, number | undefined>();
  const timestamp = (t: string | null) => {
    if (t === null) return undefined;
    if (atOf.has(t)) return atOf.get(t);
    const at = parseTimestampText(t)?.at;
    if (atOf.size < 100_000) atOf.set(t, at);
    return at;
  };
  // Unmapped columns are SQL NULL in every row: not read.
  const cell = (b: Parameters<Parameters<Source["stream"]>[1]>[0], c: number, r: number, mapped: unknown) =>
    mapped === undefined ? null : text(b.value(c, r));
  await source.stream({ sql, params: [] }, (b) => {
    for (let r = 0; r < b.rowCount; r++) {
      const id = text(b.value(0, r));
      const at = timestamp(text(b.value(1, r)));
      const amount =
        mapping.amount !== undefined
          ? parseAmountText(text(b.value(2, r)))
          : (parseAmountText(text(b.value(3, r))) ?? Number.NaN) *
            (parseAmountText(text(b.value(4, r))) ?? Number.NaN);
      if (id === null || at === undefined || amount === undefined || !Number.isFinite(amount)) continue;
      const flag = cell(b, 7, r, mapping.cancelled);
      const order = cell(b, 8, r, mapping.order);
      // "123.0" -> "123" (ids read as numbers); only a text with a dot can match
      out.customerId.push(id.includes(".") ? id.replace(/^(\d+)\.0+$/, "$1") : id);
      out.at.push(at);
      out.amount.push(amount);
      out.channel.push(cell(b, 5, r, mapping.channel));
      out.campaign.push(cell(b, 6, r, mapping.campaign));
      out.cancelled.push(
        (flag !== null && TRUTHY.has(flag.toLowerCase())) || (prefix && order?.startsWith(prefix)) ? 1 : 0,
      );
    }
  });
  return {
    customerId: out.customerId,
    at: Float64Array.from(out.at),
    amount: Float64Array.from(out.amount),
    channel: out.channel,
    campaign: out.campaign,
    cancelled: Uint8Array.from(out.cancelled),
  };
}

/**
 * Opens a source, summarises it inside its engine (DuckDB or PostgreSQL pushdown) and reads its
 * transactions for cohorts and channels, reporting progress by stage.
 * @example const { summary, transactions } = await ingestSource("/data/CDNOW_sample.txt", { timeUnit: "week" })
 */
export async function ingestSource(
  spec: SourceSpec,
  options: IngestOptions,
  progress: Progress = () => {},
): Promise<{ summary: SourceSummary; transactions: StoredTransactions }> {
  progress(0.05, "opening the source");
  const src = await openSource(spec);
  try {
    progress(0.1, "summarising customers");
    const summary = await summarizeSource(src, {
      timeUnit: options.timeUnit,
      ...(options.calibrationEnd ? { calibrationEnd: options.calibrationEnd } : {}),
      ...(options.end ? { observationEnd: options.end } : {}),
      ...(options.columns ? { columns: options.columns } : {}),
    });
    progress(0.6, "reading transactions");
    const transactions = await readTransactions(src, summary.mapping.mapping);
    return { summary, transactions };
  } finally {
    await src.close();
  }
}
