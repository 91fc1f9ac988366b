/**
 * Prints the pushdown summary query that `valuecast summarize postgres://… --table T` runs, and its
 * EXPLAIN (ANALYZE, BUFFERS) plan, for finding where PostgreSQL spends the time.
 *
 *   node --import tsx bench/pg/explain.ts --table bench_tx [--analyze [--no-timing]] [--sql]
 *     [--duplicates keep|drop|ignore] [--work-mem 256MB] [--file variant.sql] [--set name=value …]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { buildSummaryQuery, openSource, resolveMapping } from "@valuecast/data";
import pg from "pg";
import { pushdownSettings } from "../../packages/data/src/engine/postgres.ts";
import { postgresCpuSeconds } from "./cpu.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: process.env.VALUECAST_PG_URL },
    table: { type: "string", default: "bench_tx" },
    analyze: { type: "boolean", default: false },
    sql: { type: "boolean", default: false },
    file: { type: "string" },
    set: { type: "string", multiple: true, default: [] },
    duplicates: { type: "string", default: "keep" },
    "work-mem": { type: "string", default: "256MB" },
    timing: { type: "boolean", default: true },
    "no-timing": { type: "boolean", default: false },
  },
});
if (!values.url) throw new Error("set VALUECAST_PG_URL (source scripts/pg-start.sh) or pass --url");
const src = await openSource({ url: values.url, table: values.table });
const mapping = resolveMapping(src.columns).mapping;
const built = buildSummaryQuery(src.dialect, {
  relation: src.relation,
  columns: src.columns,
  mapping,
  options: { timeUnit: "week", duplicates: values.duplicates as "keep" | "drop" | "ignore" },
});
await src.close();
// --file runs hand-written SQL instead (a variant of the summary query, or the plain GROUP BY).
const query = values.file ? { sql: readFileSync(values.file, "utf8"), params: [] } : built;
if (values.sql) console.log(query.sql, query.params);
const client = new pg.Client({ connectionString: values.url });
await client.connect();
// The pushdown session's settings (engine/postgres.ts); --set overrides them.
for (const setting of pushdownSettings(values["work-mem"]!)) await client.query(setting);
// --set name=value: session settings to try (enable_hashagg=off, max_parallel_workers_per_gather=0, …).
for (const kv of values.set ?? []) {
  const [name, value] = kv.split("=");
  if (!name || value === undefined || !/^[a-z_]+$/.test(name))
    throw new Error(`--set ${kv}: want name=value`);
  await client.query(`SELECT set_config($1, $2, false)`, [name, value]);
}
const cpu = postgresCpuSeconds;
const c0 = cpu();
const t0 = performance.now();
const plan = await client.query(
  `EXPLAIN (${values.analyze ? `ANALYZE, BUFFERS, TIMING ${values.timing && !values["no-timing"] ? "ON" : "OFF"}, ` : ""}COSTS OFF) ${query.sql}`,
  query.params,
);
for (const r of plan.rows) console.log(r["QUERY PLAN"]);
console.log(
  `wall ${((performance.now() - t0) / 1000).toFixed(2)} s, PostgreSQL CPU ${(cpu() - c0).toFixed(2)} s`,
);
await client.end();
