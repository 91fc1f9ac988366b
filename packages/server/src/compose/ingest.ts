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
  await source.stream({ sql, params: [] }, (b) => {
    for (let r = 0; r < b.rowCount; r++) {
      const id = text(b.value(0, r));
      const at = parseTimestampText(text(b.value(1, r)))?.at;
      const amount =
        mapping.amount !== undefined
          ? parseAmountText(text(b.value(2, r)))
          : (parseAmountText(text(b.value(3, r))) ?? Number.NaN) *
            (parseAmountText(text(b.value(4, r))) ?? Number.NaN);
      if (id === null || at === undefined || amount === undefined || !Number.isFinite(amount)) continue;
      const flag = text(b.value(7, r));
      const order = text(b.value(8, r));
      out.customerId.push(id.replace(/^(\d+)\.0+$/, "$1"));
      out.at.push(at);
      out.amount.push(amount);
      out.channel.push(text(b.value(5, r)));
      out.campaign.push(text(b.value(6, r)));
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
