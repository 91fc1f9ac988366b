// Loads each contract data set into PostgreSQL (text columns, exactly the fields DuckDB reads from the
// files) through a separate writable connection, then opens it read-only through the public API.
import pg from "pg";
import { openSource } from "../../src/index.ts";
import type { ContractDataset } from "./datasets.ts";
import type { ContractEngine } from "./engines.ts";

const SCHEMA = "valuecast_contract";

const slug = (s: string) =>
  `t_${s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 50)}`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

async function load(url: string, dataset: ContractDataset): Promise<string> {
  const table = slug(dataset.name);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    const exists = await admin.query(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2",
      [SCHEMA, table],
    );
    if (exists.rowCount) {
      const n = await admin.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.${ident(table)}`);
      if (n.rows[0].n === dataset.rows) return `${SCHEMA}.${table}`;
      await admin.query(`DROP TABLE ${SCHEMA}.${ident(table)}`);
    }
    const files = await openSource({ path: dataset.files, ...dataset.read });
    try {
      const names = files.columns.map((c) => c.name);
      await admin.query(
        `CREATE TABLE ${SCHEMA}.${ident(table)} (${names.map((n) => `${ident(n)} text`).join(", ")})`,
      );
      const insert = `INSERT INTO ${SCHEMA}.${ident(table)} SELECT * FROM unnest(${names.map((_, i) => `$${i + 1}::text[]`).join(", ")})`;
      let batch: (string | null)[][] = names.map(() => []);
      let size = 0;
      const flush = async () => {
        if (size === 0) return;
        await admin.query(insert, batch);
        batch = names.map(() => []);
        size = 0;
      };
      const pending: (string | null)[][] = [];
      await files.stream({ sql: `SELECT * FROM ${files.relation}`, params: [] }, (b) => {
        for (let r = 0; r < b.rowCount; r++) {
          pending.push(
            names.map((_, c) => {
              const v = b.value(c, r);
              return v === null || v === undefined ? null : String(v);
            }),
          );
        }
      });
      for (const row of pending) {
        for (let i = 0; i < row.length; i++) batch[i]!.push(row[i]!);
        if (++size === 50_000) await flush();
      }
      await flush();
    } finally {
      await files.close();
    }
  } finally {
    await admin.end();
  }
  return `${SCHEMA}.${table}`;
}

export function postgresEngine(url: string): ContractEngine {
  return {
    name: "postgres",
    async open(dataset) {
      const table = await load(url, dataset);
      return openSource({ url, table });
    },
    close: async () => {},
  };
}

/**
 * PostgreSQL as a server before 14 sees it: without hash_record_extended, so kept duplicates are found by
 * grouping on every column (the dialect without its row hash, as the engine picks it for such a server).
 */
export function postgresWithoutRowHash(url: string): ContractEngine {
  const engine = postgresEngine(url);
  return {
    name: "postgres (before 14: no row hash)",
    async open(dataset) {
      const source = await engine.open(dataset);
      return { ...source, dialect: { ...source.dialect, rowHash: undefined } };
    },
    close: engine.close,
  };
}
