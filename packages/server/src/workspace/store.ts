import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  BOOLEAN,
  DOUBLE,
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  VARCHAR,
} from "@duckdb/node-api";
import type { SummaryColumns } from "@valuecast/core";

/**
 * The workspace tables. Every statement below is fixed text; user values only ever travel as bound
 * parameters or through the appender, never inside SQL.
 */
const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS datasets (id VARCHAR PRIMARY KEY, name VARCHAR, created_at VARCHAR, meta VARCHAR)",
  `CREATE TABLE IF NOT EXISTS customers (dataset_id VARCHAR, idx INTEGER, customer_id VARCHAR, x DOUBLE,
     t_x DOUBLE, "T" DOUBLE, monetary DOUBLE, first_day DOUBLE, first_amount DOUBLE, historic_revenue DOUBLE,
     orders DOUBLE, channel VARCHAR, campaign VARCHAR, x_holdout DOUBLE, revenue_holdout DOUBLE)`,
  `CREATE TABLE IF NOT EXISTS transactions (dataset_id VARCHAR, customer_id VARCHAR, at_ms DOUBLE, amount DOUBLE,
     channel VARCHAR, campaign VARCHAR, cancelled BOOLEAN)`,
  "CREATE TABLE IF NOT EXISTS models (id VARCHAR PRIMARY KEY, dataset_id VARCHAR, created_at VARCHAR, doc VARCHAR)",
  `CREATE TABLE IF NOT EXISTS score_sets (id VARCHAR PRIMARY KEY, dataset_id VARCHAR, model_id VARCHAR,
     settings VARCHAR, has_spend BOOLEAN)`,
  `CREATE TABLE IF NOT EXISTS scores (score_id VARCHAR, idx INTEGER, p_alive DOUBLE, expected_purchases DOUBLE,
     discounted_purchases DOUBLE, expected_spend DOUBLE, clv DOUBLE, clv_undiscounted DOUBLE)`,
  `CREATE TABLE IF NOT EXISTS results (key VARCHAR PRIMARY KEY, dataset_id VARCHAR, kind VARCHAR,
     created_at VARCHAR, body VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS contacts (dataset_id VARCHAR, customer_id VARCHAR, email VARCHAR, phone VARCHAR,
     first_name VARCHAR, last_name VARCHAR, country VARCHAR, zip VARCHAR, click_id VARCHAR)`,
  "CREATE TABLE IF NOT EXISTS api_keys (id VARCHAR PRIMARY KEY, label VARCHAR, salt VARCHAR, hash VARCHAR, created_at VARCHAR)",
];

type Bindable = string | number | boolean | null;

/** A stored row of one of the JSON-document tables. */
export interface StoredDocument {
  readonly id: string;
  readonly datasetId: string;
  readonly createdAt: string;
  readonly body: string;
}

/** Stored transaction columns (for cohorts, channels and the lookup page's purchase timeline). */
export interface StoredTransactions {
  readonly customerId: string[];
  readonly at: Float64Array;
  readonly amount: Float64Array;
  readonly channel: (string | null)[];
  readonly campaign: (string | null)[];
  readonly cancelled: Uint8Array;
}

/** Score columns, one entry per customer in the dataset's order. */
export interface StoredScores {
  readonly pAlive: Float64Array;
  readonly expectedPurchases: Float64Array;
  readonly discountedPurchases: Float64Array;
  readonly expectedSpend: Float64Array;
  readonly clv: Float64Array;
  readonly clvUndiscounted: Float64Array;
}

/**
 * The persistent workspace: one DuckDB database file (or `:memory:`) holding datasets (their customer
 * summaries and transactions), fitted models, score sets, analytics results, contacts and hashed API keys.
 * Calls are serialised on one connection (DuckDB writes are single-writer anyway).
 */
export interface WorkspaceStore {
  readonly path: string;
  exec(sql: string, params?: readonly Bindable[]): Promise<void>;
  rows(sql: string, params?: readonly Bindable[]): Promise<Record<string, unknown>[]>;
  columns(sql: string, params?: readonly Bindable[]): Promise<Record<string, unknown[]>>;
  /** Appends rows to a table through DuckDB's appender (fast bulk insert). `table` is one of the fixed names. */
  append(
    table: "customers" | "transactions" | "scores" | "contacts",
    fill: (a: DuckDBAppender) => void,
  ): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) a workspace database at `path` (`:memory:` for a throw-away one).
 * @example const store = await openWorkspaceStore("/srv/valuecast/workspace.duckdb")
 */
export async function openWorkspaceStore(path: string): Promise<WorkspaceStore> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const instance = await DuckDBInstance.create(path);
  const conn: DuckDBConnection = await instance.connect();
  let queue: Promise<unknown> = Promise.resolve();
  // One connection, one statement at a time: chain every call on a promise queue.
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = queue.then(f, f);
    queue = next.catch(() => undefined);
    return next;
  };
  for (const s of SCHEMA) await conn.run(s);
  const store: WorkspaceStore = {
    path,
    exec: (sql, params = []) =>
      serial(async () => {
        await conn.run(sql, params as Bindable[] as never);
      }),
    rows: (sql, params = []) =>
      serial(
        async () =>
          (await conn.runAndReadAll(sql, params as never)).getRowObjectsJS() as Record<string, unknown>[],
      ),
    columns: (sql, params = []) =>
      serial(
        async () =>
          (await conn.runAndReadAll(sql, params as never)).getColumnsObjectJS() as Record<string, unknown[]>,
      ),
    append: (table, fill) =>
      serial(async () => {
        const a = await conn.createAppender(table);
        try {
          fill(a);
        } finally {
          a.closeSync();
        }
      }),
    close: () =>
      serial(async () => {
        conn.closeSync();
        instance.closeSync();
      }),
  };
  return store;
}

const CHUNK = 2048;

/**
 * Appends `rows` rows in data chunks of 2,048: `column(c, start, n)` gives column c's values for rows
 * [start, start + n). A value at a time through the appender cost about 12 s for a million customers'
 * 2.5 million transactions (endRow alone 5 s); whole chunks cost a fraction of that. One chunk serves
 * every full block (the appender copies it; every value is rewritten each time).
 */
function appendChunks(
  a: DuckDBAppender,
  types: readonly DuckDBType[],
  rows: number,
  column: (c: number, start: number, n: number) => readonly DuckDBValue[],
): void {
  let full: DuckDBDataChunk | undefined;
  for (let start = 0; start < rows; start += CHUNK) {
    const n = Math.min(CHUNK, rows - start);
    if (!full && n === CHUNK) full = DuckDBDataChunk.create([...types], CHUNK);
    const chunk = n === CHUNK ? full! : DuckDBDataChunk.create([...types], n);
    for (let c = 0; c < types.length; c++) chunk.setColumnValues(c, column(c, start, n));
    a.appendDataChunk(chunk);
  }
}

/** Values [start, start + n) of a column (numbers as they are, missing text as NULL). */
function slice<T>(values: ArrayLike<T>, start: number, n: number): T[] {
  const out = new Array<T>(n);
  for (let r = 0; r < n; r++) out[r] = values[start + r]!;
  return out;
}

const num = (v: unknown): number =>
  typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : Number.NaN;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * Saves a dataset's customer summaries (one row each, in order).
 * @example await saveSummaries(store, "ds_1", columns)
 */
export async function saveSummaries(
  store: WorkspaceStore,
  datasetId: string,
  c: SummaryColumns,
): Promise<void> {
  const h = c.holdout;
  const nulls = new Array<null>(CHUNK).fill(null);
  const doubles = [c.x, c.t_x, c.T, c.monetary, c.firstDay, c.firstAmount, c.historicRevenue, c.orders];
  await store.append("customers", (a) =>
    appendChunks(
      a,
      [VARCHAR, INTEGER, VARCHAR, ...doubles.map(() => DOUBLE), VARCHAR, VARCHAR, DOUBLE, DOUBLE],
      c.length,
      (col, start, n) => {
        if (col === 0) return new Array<string>(n).fill(datasetId);
        if (col === 1) return Array.from({ length: n }, (_, r) => start + r);
        if (col === 2) return slice(c.customerId, start, n);
        if (col < 3 + doubles.length) return slice(doubles[col - 3]!, start, n);
        const k = col - 3 - doubles.length;
        const text = k === 0 ? c.channel : k === 1 ? c.campaign : undefined;
        if (k < 2) return text ? slice(text, start, n).map((v) => v ?? null) : nulls.slice(0, n);
        const holdout = k === 2 ? h?.x : h?.revenue;
        return holdout ? slice(holdout, start, n) : nulls.slice(0, n);
      },
    ),
  );
}

/** The non-column facts of a summary set, kept in the dataset's meta. */
export type SummaryShape = Pick<SummaryColumns, "timeUnit" | "calibrationEnd" | "cohort"> & {
  readonly holdout: { readonly observationEnd: string; readonly duration: number } | null;
  readonly hasChannel: boolean;
  readonly hasCampaign: boolean;
};

/**
 * The summary columns exactly as `loadSummaries` reads them back after `saveSummaries` (the same numbers
 * and texts, the fields the shape names), from the columns in memory: a just-registered dataset needs no
 * read of a million rows.
 * @example const columns = storedSummaries(summary.columns, info.shape)
 */
export function storedSummaries(c: SummaryColumns, shape: SummaryShape): SummaryColumns {
  const f = (a: Float64Array) => Float64Array.from(a);
  const text = (a: readonly (string | null)[] | undefined) =>
    Array.from({ length: c.length }, (_, i) => str(a?.[i]));
  return {
    timeUnit: shape.timeUnit,
    length: c.length,
    calibrationEnd: shape.calibrationEnd,
    customerId: Array.from(c.customerId, (v) => String(v)),
    x: f(c.x),
    t_x: f(c.t_x),
    T: f(c.T),
    monetary: f(c.monetary),
    firstDay: f(c.firstDay),
    firstAmount: f(c.firstAmount),
    historicRevenue: f(c.historicRevenue),
    orders: f(c.orders),
    ...(shape.hasChannel ? { channel: text(c.channel) } : {}),
    ...(shape.hasCampaign ? { campaign: text(c.campaign) } : {}),
    cohort: shape.cohort,
    ...(shape.holdout
      ? {
          holdout: {
            observationEnd: shape.holdout.observationEnd,
            x: c.holdout ? f(c.holdout.x) : new Float64Array(c.length).fill(Number.NaN),
            revenue: c.holdout ? f(c.holdout.revenue) : new Float64Array(c.length).fill(Number.NaN),
            duration: shape.holdout.duration,
          },
        }
      : {}),
  };
}

/**
 * Reads a dataset's summaries back into columns.
 * @example const columns = await loadSummaries(store, "ds_1", meta.shape)
 */
export async function loadSummaries(
  store: WorkspaceStore,
  datasetId: string,
  shape: SummaryShape,
): Promise<SummaryColumns> {
  const c = await store.columns(
    `SELECT customer_id, x, t_x, "T", monetary, first_day, first_amount, historic_revenue, orders, channel,
       campaign, x_holdout, revenue_holdout FROM customers WHERE dataset_id = ? ORDER BY idx`,
    [datasetId],
  );
  // plain loops, as in loadTransactions (a million customers)
  const f = (k: string) => {
    const v = c[k] ?? [];
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = num(v[i]);
    return out;
  };
  const ids = c.customer_id ?? [];
  const customerId = new Array<string>(ids.length);
  for (let i = 0; i < ids.length; i++) customerId[i] = String(ids[i]);
  return {
    timeUnit: shape.timeUnit,
    length: ids.length,
    calibrationEnd: shape.calibrationEnd,
    customerId,
    x: f("x"),
    t_x: f("t_x"),
    T: f("T"),
    monetary: f("monetary"),
    firstDay: f("first_day"),
    firstAmount: f("first_amount"),
    historicRevenue: f("historic_revenue"),
    orders: f("orders"),
    ...(shape.hasChannel ? { channel: (c.channel ?? []).map(str) } : {}),
    ...(shape.hasCampaign ? { campaign: (c.campaign ?? []).map(str) } : {}),
    cohort: shape.cohort,
    ...(shape.holdout
      ? {
          holdout: {
            observationEnd: shape.holdout.observationEnd,
            x: f("x_holdout"),
            revenue: f("revenue_holdout"),
            duration: shape.holdout.duration,
          },
        }
      : {}),
  };
}

/**
 * Saves a dataset's transactions.
 * @example await saveTransactions(store, "ds_1", tx)
 */
export async function saveTransactions(
  store: WorkspaceStore,
  datasetId: string,
  t: StoredTransactions,
): Promise<void> {
  const columns: readonly ((start: number, n: number) => DuckDBValue[])[] = [
    (_start, n) => new Array<string>(n).fill(datasetId),
    (start, n) => slice(t.customerId, start, n),
    (start, n) => slice(t.at, start, n),
    (start, n) => slice(t.amount, start, n),
    (start, n) => slice(t.channel, start, n).map((v) => v ?? null),
    (start, n) => slice(t.campaign, start, n).map((v) => v ?? null),
    (start, n) => Array.from({ length: n }, (_, r) => t.cancelled[start + r] === 1),
  ];
  await store.append("transactions", (a) =>
    appendChunks(
      a,
      [VARCHAR, VARCHAR, DOUBLE, DOUBLE, VARCHAR, VARCHAR, BOOLEAN],
      t.at.length,
      (c, start, n) => columns[c]!(start, n),
    ),
  );
}

/**
 * Reads a dataset's transactions back.
 * @example (await loadTransactions(store, "ds_1")).at.length
 */
export async function loadTransactions(
  store: WorkspaceStore,
  datasetId: string,
): Promise<StoredTransactions> {
  const c = await store.columns(
    "SELECT customer_id, at_ms, amount, channel, campaign, cancelled FROM transactions WHERE dataset_id = ? ORDER BY rowid",
    [datasetId],
  );
  // plain loops: typed-array `from` with a map function is several times slower over 2.5 million lines
  const ids = c.customer_id ?? [];
  const n = ids.length;
  const col = (k: string) => c[k] ?? new Array<unknown>(n).fill(null);
  const [atCol, amountCol, channelCol, campaignCol, cancelledCol] = [
    col("at_ms"),
    col("amount"),
    col("channel"),
    col("campaign"),
    col("cancelled"),
  ];
  const out = {
    customerId: new Array<string>(n),
    at: new Float64Array(n),
    amount: new Float64Array(n),
    channel: new Array<string | null>(n),
    campaign: new Array<string | null>(n),
    cancelled: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    out.customerId[i] = String(ids[i]);
    out.at[i] = num(atCol[i]);
    out.amount[i] = num(amountCol[i]);
    out.channel[i] = str(channelCol[i]);
    out.campaign[i] = str(campaignCol[i]);
    out.cancelled[i] = cancelledCol[i] === true ? 1 : 0;
  }
  return out;
}

/**
 * Saves a score set's columns.
 * @example await saveScores(store, "sc_1", scores)
 */
export async function saveScores(store: WorkspaceStore, scoreId: string, s: StoredScores): Promise<void> {
  await store.append("scores", (a) => {
    for (let i = 0; i < s.pAlive.length; i++) {
      a.appendVarchar(scoreId);
      a.appendInteger(i);
      a.appendDouble(s.pAlive[i]!);
      a.appendDouble(s.expectedPurchases[i]!);
      a.appendDouble(s.discountedPurchases[i]!);
      a.appendDouble(s.expectedSpend[i]!);
      a.appendDouble(s.clv[i]!);
      a.appendDouble(s.clvUndiscounted[i]!);
      a.endRow();
    }
  });
}

/**
 * Reads a score set back.
 * @example const s = await loadScores(store, "sc_1")
 */
export async function loadScores(store: WorkspaceStore, scoreId: string): Promise<StoredScores> {
  const c = await store.columns(
    `SELECT p_alive, expected_purchases, discounted_purchases, expected_spend, clv, clv_undiscounted
       FROM scores WHERE score_id = ? ORDER BY idx`,
    [scoreId],
  );
  const f = (k: string) => Float64Array.from(c[k] ?? [], num);
  return {
    pAlive: f("p_alive"),
    expectedPurchases: f("expected_purchases"),
    discountedPurchases: f("discounted_purchases"),
    expectedSpend: f("expected_spend"),
    clv: f("clv"),
    clvUndiscounted: f("clv_undiscounted"),
  };
}
