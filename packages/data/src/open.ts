import { issue, ValuecastError } from "@valuecast/core";
import { type FileReadOptions, openDuckDbDatabase, openDuckDbFiles } from "./engine/duckdb.ts";
import type { Source } from "./engine/source.ts";

/**
 * Where transactions come from: a file path or glob (or several), with optional read options; or a database
 * URL (`postgres://…`, `duckdb:path.db`) with a table or a query.
 */
export type SourceSpec =
  | string
  | readonly string[]
  | ({ readonly path: string | readonly string[] } & FileReadOptions)
  | { readonly url: string; readonly table?: string; readonly query?: string };

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url);

/**
 * Opens a source in the engine that fits it: DuckDB (embedded) for files and DuckDB databases,
 * PostgreSQL pushdown for `postgres://` URLs. Close the returned source when done.
 * @example
 * const src = await openSource("/data/by-day/*.csv");                       // 305 CSV parts, one relation
 * const pg = await openSource({ url: process.env.DATABASE_URL!, table: "sales.orders" });
 */
export async function openSource(spec: SourceSpec): Promise<Source> {
  if (typeof spec === "string" || Array.isArray(spec)) {
    const paths = typeof spec === "string" ? [spec] : (spec as readonly string[]);
    for (const p of paths) {
      if (isPostgres(p) || p.startsWith("duckdb:")) {
        throw new ValuecastError([
          issue("USAGE", `${p} is a database: name a table or a query (--table / --query)`),
        ]);
      }
    }
    return openDuckDbFiles(paths);
  }
  if ("path" in spec) {
    const { path, ...read } = spec as { path: string | readonly string[] } & FileReadOptions;
    return openDuckDbFiles(typeof path === "string" ? [path] : path, read);
  }
  const { url, table, query } = spec as { url: string; table?: string; query?: string };
  if ((table === undefined) === (query === undefined)) {
    throw new ValuecastError([issue("USAGE", `${url}: give exactly one of a table or a query`)]);
  }
  if (url.startsWith("duckdb:")) {
    return openDuckDbDatabase(url.slice("duckdb:".length), {
      ...(table ? { table } : {}),
      ...(query ? { query } : {}),
    });
  }
  if (isPostgres(url)) {
    const { openPostgres } = await import("./engine/postgres.ts");
    return openPostgres(url, { ...(table ? { table } : {}), ...(query ? { query } : {}) });
  }
  throw new ValuecastError([
    issue("UNSUPPORTED_FORMAT", `unknown database URL ${url} (postgres://… or duckdb:path.db)`),
  ]);
}
