import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { SummaryColumns, SummaryReport, Transaction } from "@valuecast/core";
import type { ContactRecord } from "@valuecast/data";
import type { ApiKeyRecord } from "../auth.ts";
import type { ModelDocument } from "../compose/models.ts";
import { type ScoreSettings, scoreKey, scoreWithDocument } from "../compose/scoring.ts";
import {
  loadScores,
  loadSummaries,
  loadTransactions,
  openWorkspaceStore,
  type StoredScores,
  type StoredTransactions,
  type SummaryShape,
  saveScores,
  saveSummaries,
  saveTransactions,
  storedSummaries,
  type WorkspaceStore,
} from "./store.ts";

/** What the API says about a dataset (`GET /api/v1/datasets/:id`). */
export interface DatasetInfo {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  /** Where it came from, for people ("file CDNOW_sample.txt", "postgres table sales.orders", "upload"). */
  readonly source: string;
  readonly customers: number;
  readonly transactions: number;
  readonly shape: SummaryShape;
  /** Column mapping chosen, in words. */
  readonly mapping: string;
  /** The ingest report (rows read, used, rejected by reason), as `summarize --json` prints it. */
  readonly report: SummaryReport | null;
}

/** A stored model: its id, dataset, and the `fit --json` document. */
export interface ModelInfo {
  readonly id: string;
  readonly datasetId: string;
  readonly createdAt: string;
  readonly doc: ModelDocument;
  readonly notes: readonly string[];
}

/** A dataset held in memory: columns, the id -> row index, and lazily its transactions. */
export interface LoadedDataset {
  readonly info: DatasetInfo;
  readonly columns: SummaryColumns;
  readonly index: ReadonlyMap<string, number>;
  transactions(): Promise<readonly Transaction[]>;
  /** Row indices of each customer's transactions (for one customer's purchase timeline). */
  purchasesOf(customerId: string): Promise<readonly { date: string; amount: number }[]>;
}

/** A score set in memory. */
export interface LoadedScores {
  readonly id: string;
  readonly modelId: string;
  readonly settings: ScoreSettings;
  readonly hasSpend: boolean;
  readonly horizonInUnits: number;
  readonly scores: StoredScores;
}

/**
 * The persistent workspace with its in-memory caches: datasets (summaries + an id index for fast
 * single-customer lookups), models, score sets, analytics results and contacts. Everything computed is
 * written to the DuckDB file, so a restart reads it back instead of recomputing.
 */
export interface Workspace {
  readonly store: WorkspaceStore;
  /** Folder for uploaded files. */
  readonly uploadDir: string;
  addDataset(
    input: Omit<DatasetInfo, "id" | "createdAt" | "customers" | "transactions">,
    columns: SummaryColumns,
    tx: StoredTransactions,
  ): Promise<DatasetInfo>;
  listDatasets(): Promise<DatasetInfo[]>;
  dataset(id: string): Promise<DatasetInfo | undefined>;
  load(id: string): Promise<LoadedDataset | undefined>;
  addModel(datasetId: string, doc: ModelDocument, notes: readonly string[]): Promise<ModelInfo>;
  model(id: string): Promise<ModelInfo | undefined>;
  listModels(datasetId: string): Promise<ModelInfo[]>;
  scores(data: LoadedDataset, model: ModelInfo, settings: ScoreSettings): Promise<LoadedScores>;
  result<T>(key: string): Promise<T | undefined>;
  putResult(key: string, datasetId: string, kind: string, body: unknown): Promise<void>;
  saveContacts(datasetId: string, contacts: readonly ContactRecord[]): Promise<number>;
  contacts(datasetId: string): Promise<Map<string, ContactRecord>>;
  /** Stores a hashed API key (`hashApiKey`); the plain key is never written. */
  addApiKey(record: ApiKeyRecord): Promise<void>;
  /** The hashed API keys stored in this workspace (`valuecast serve --create-key`). */
  apiKeys(): Promise<ApiKeyRecord[]>;
  close(): Promise<void>;
}

/** Options of `openWorkspace`. */
export interface WorkspaceOptions {
  /** Folder of the workspace (`workspace.duckdb` and `uploads/` inside); default `.valuecast`. */
  readonly dir?: string;
  /** The database file; default `<dir>/workspace.duckdb`; `:memory:` for a throw-away workspace. */
  readonly path?: string;
}

/**
 * Stored transaction columns as `Transaction` objects, the optional fields set only when present. Plain
 * assignments rather than object spreads: a million customers' 2.5 million lines in about a second.
 */
function toTransactions(t: StoredTransactions): Transaction[] {
  const n = t.customerId.length;
  const out = new Array<Transaction>(n);
  for (let i = 0; i < n; i++) {
    const tx: { -readonly [K in keyof Transaction]: Transaction[K] } = {
      customerId: t.customerId[i]!,
      at: t.at[i]!,
      amount: t.amount[i]!,
    };
    if (t.cancelled[i]) tx.cancelled = true;
    const channel = t.channel[i];
    if (channel != null) tx.channel = channel;
    const campaign = t.campaign[i];
    if (campaign != null) tx.campaign = campaign;
    out[i] = tx;
  }
  return out;
}

const newId = (prefix: string) => `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 16)}`;

/**
 * Opens a workspace (creating the DuckDB file and its tables when new).
 * @example const ws = await openWorkspace({ dir: "/srv/valuecast" })
 */
export async function openWorkspace(options: WorkspaceOptions = {}): Promise<Workspace> {
  const dir = options.dir ?? ".valuecast";
  const store = await openWorkspaceStore(options.path ?? join(dir, "workspace.duckdb"));
  const loaded = new Map<string, Promise<LoadedDataset | undefined>>();
  // The transactions a dataset was just registered with, kept for a minute: `valuecast serve` builds the
  // dashboard right after registering, and reading 2.5 million lines back from DuckDB costs seconds. After
  // that (or once used) the stored rows are read as usual; they are the same values.
  const justAdded = new Map<string, StoredTransactions>();
  const justAddedColumns = new Map<string, SummaryColumns>();
  const scoreCache = new Map<string, Promise<LoadedScores>>();
  const contactCache = new Map<string, Promise<Map<string, ContactRecord>>>();
  // Models are small and read on every scored request: keep them in memory after the first read.
  const modelCache = new Map<string, ModelInfo>();
  const modelLists = new Map<string, ModelInfo[]>();

  const parseInfo = (row: Record<string, unknown>): DatasetInfo =>
    JSON.parse(String(row.meta)) as DatasetInfo;
  const parseModel = (row: Record<string, unknown>): ModelInfo => JSON.parse(String(row.doc)) as ModelInfo;

  const ws: Workspace = {
    store,
    uploadDir: join(dir, "uploads"),
    async addDataset(input, columns, tx) {
      const info: DatasetInfo = {
        ...input,
        id: newId("ds"),
        createdAt: new Date().toISOString(),
        customers: columns.length,
        transactions: tx.at.length,
      };
      await saveSummaries(store, info.id, columns);
      await saveTransactions(store, info.id, tx);
      justAdded.set(info.id, tx);
      justAddedColumns.set(info.id, storedSummaries(columns, info.shape));
      setTimeout(() => {
        justAdded.delete(info.id);
        justAddedColumns.delete(info.id);
      }, 60_000).unref();
      // The dataset row goes last: a dataset is listed only once its rows are all written.
      await store.exec("INSERT INTO datasets VALUES (?, ?, ?, ?)", [
        info.id,
        info.name,
        info.createdAt,
        JSON.stringify(info),
      ]);
      return info;
    },
    async listDatasets() {
      return (await store.rows("SELECT meta FROM datasets ORDER BY created_at")).map(parseInfo);
    },
    async dataset(id) {
      const r = await store.rows("SELECT meta FROM datasets WHERE id = ?", [id]);
      return r[0] ? parseInfo(r[0]) : undefined;
    },
    load(id) {
      let p = loaded.get(id);
      if (!p) {
        p = (async () => {
          const info = await ws.dataset(id);
          if (!info) return undefined;
          const columns = justAddedColumns.get(id) ?? (await loadSummaries(store, id, info.shape));
          justAddedColumns.delete(id);
          const index = new Map<string, number>();
          for (let i = 0; i < columns.length; i++) index.set(columns.customerId[i]!, i);
          let txPromise: Promise<readonly Transaction[]> | null = null;
          let byCustomer: Promise<Map<string, { date: string; amount: number }[]>> | null = null;
          const transactions = () => {
            if (!txPromise) {
              const fresh = justAdded.get(id);
              justAdded.delete(id);
              txPromise = (fresh ? Promise.resolve(fresh) : loadTransactions(store, id)).then(toTransactions);
            }
            return txPromise;
          };
          const purchasesOf = async (customerId: string) => {
            byCustomer ??= transactions().then((tx) => {
              const m = new Map<string, { date: string; amount: number }[]>();
              for (const t of tx) {
                let list = m.get(t.customerId);
                if (!list) {
                  list = [];
                  m.set(t.customerId, list);
                }
                list.push({ date: new Date(t.at).toISOString().slice(0, 10), amount: t.amount });
              }
              for (const list of m.values())
                list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
              return m;
            });
            return (await byCustomer).get(customerId) ?? [];
          };
          return { info, columns, index, transactions, purchasesOf };
        })();
        loaded.set(id, p);
        p.catch(() => loaded.delete(id));
      }
      return p;
    },
    async addModel(datasetId, doc, notes) {
      const info: ModelInfo = { id: newId("m"), datasetId, createdAt: new Date().toISOString(), doc, notes };
      await store.exec("INSERT INTO models VALUES (?, ?, ?, ?)", [
        info.id,
        datasetId,
        info.createdAt,
        JSON.stringify(info),
      ]);
      modelCache.set(info.id, info);
      modelLists.get(datasetId)?.push(info);
      return info;
    },
    async model(id) {
      const hit = modelCache.get(id);
      if (hit) return hit;
      const r = await store.rows("SELECT doc FROM models WHERE id = ?", [id]);
      const m = r[0] ? parseModel(r[0]) : undefined;
      if (m) modelCache.set(id, m);
      return m;
    },
    async listModels(datasetId) {
      const hit = modelLists.get(datasetId);
      if (hit) return [...hit];
      const list = (
        await store.rows("SELECT doc FROM models WHERE dataset_id = ? ORDER BY created_at", [datasetId])
      ).map(parseModel);
      modelLists.set(datasetId, list);
      for (const m of list) modelCache.set(m.id, m);
      return [...list];
    },
    scores(data, model, settings) {
      const key = `${data.info.id}|${scoreKey(model.id, settings)}`;
      let p = scoreCache.get(key);
      if (!p) {
        p = (async () => {
          const found = await store.rows("SELECT id, settings, has_spend FROM score_sets WHERE id = ?", [
            key,
          ]);
          if (found[0]) {
            const meta = JSON.parse(String(found[0].settings)) as { horizonInUnits: number };
            return {
              id: key,
              modelId: model.id,
              settings,
              hasSpend: found[0].has_spend === true,
              horizonInUnits: meta.horizonInUnits,
              scores: await loadScores(store, key),
            };
          }
          const c = data.columns;
          const r = scoreWithDocument(model.doc, { ...c, monetary: c.monetary }, settings);
          await saveScores(store, key, r.scores);
          await store.exec("INSERT INTO score_sets VALUES (?, ?, ?, ?, ?)", [
            key,
            data.info.id,
            model.id,
            JSON.stringify({ ...settings, horizonInUnits: r.horizonInUnits }),
            r.hasSpend,
          ]);
          return {
            id: key,
            modelId: model.id,
            settings,
            hasSpend: r.hasSpend,
            horizonInUnits: r.horizonInUnits,
            scores: r.scores,
          };
        })();
        scoreCache.set(key, p);
        p.catch(() => scoreCache.delete(key));
      }
      return p;
    },
    async result<T>(key: string) {
      const r = await store.rows("SELECT body FROM results WHERE key = ?", [key]);
      return r[0] ? (JSON.parse(String(r[0].body)) as T) : undefined;
    },
    async putResult(key, datasetId, kind, body) {
      await store.exec("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)", [
        key,
        datasetId,
        kind,
        new Date().toISOString(),
        JSON.stringify(body),
      ]);
    },
    async saveContacts(datasetId, contacts) {
      await store.exec("DELETE FROM contacts WHERE dataset_id = ?", [datasetId]);
      await store.append("contacts", (a) => {
        for (const c of contacts) {
          a.appendVarchar(datasetId);
          a.appendVarchar(c.customerId);
          for (const v of [c.email, c.phone, c.firstName, c.lastName, c.country, c.zip, c.clickId]) {
            if (v == null || v === "") a.appendNull();
            else a.appendVarchar(v);
          }
          a.endRow();
        }
      });
      contactCache.delete(datasetId);
      return contacts.length;
    },
    contacts(datasetId) {
      let p = contactCache.get(datasetId);
      if (!p) {
        p = store
          .rows(
            "SELECT customer_id, email, phone, first_name, last_name, country, zip, click_id FROM contacts WHERE dataset_id = ?",
            [datasetId],
          )
          .then((rows) => {
            const m = new Map<string, ContactRecord>();
            const s = (v: unknown) => (v == null ? null : String(v));
            for (const r of rows)
              m.set(String(r.customer_id), {
                customerId: String(r.customer_id),
                email: s(r.email),
                phone: s(r.phone),
                firstName: s(r.first_name),
                lastName: s(r.last_name),
                country: s(r.country),
                zip: s(r.zip),
                clickId: s(r.click_id),
              });
            return m;
          });
        contactCache.set(datasetId, p);
      }
      return p;
    },
    async addApiKey(record) {
      await store.exec("INSERT INTO api_keys VALUES (?, ?, ?, ?, ?)", [
        record.id,
        record.label,
        record.salt,
        record.hash,
        new Date().toISOString(),
      ]);
    },
    async apiKeys() {
      return (await store.rows("SELECT id, label, salt, hash FROM api_keys ORDER BY created_at")).map(
        (r) => ({
          id: String(r.id),
          label: String(r.label),
          salt: String(r.salt),
          hash: String(r.hash),
        }),
      );
    },
    close: () => store.close(),
  };
  return ws;
}
