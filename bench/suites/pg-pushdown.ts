/**
 * Issue 3's PostgreSQL target: the pushdown summary of 10M transaction rows within 1.5x of PostgreSQL's own
 * GROUP BY time for the same query.
 *
 * Loads the first 10M rows of the generated log (bench/out/tx-10000000.csv, about 3.9M customers) into a
 * typed table (customer_id text, date date, amount numeric(12,2)) with COPY, then times, in one session
 * with the pushdown's settings (work_mem 256MB, jit off, read-only):
 * - PostgreSQL's GROUP BY: `SELECT customer_id, count(*), min(date), max(date), sum(amount) FROM t GROUP BY
 *   customer_id`, every result row streamed to Node the same way the pushdown streams its rows (run before
 *   and after the pushdown; the mean is the reference, which evens out drift in machine load);
 * - the pushdown: `openSource` + `summarizeSource` (the summary SQL in PostgreSQL, the summaries streamed
 *   into columns), which is what `valuecast summarize postgres://… --table t` does before writing its file;
 * - PostgreSQL's own two-level GROUP BY of the same summary (frequency, recency, T, monetary), for
 *   comparison: what the validation, the report and the refund rules cost on top of the bare computation;
 * - the CLI command itself, writing the summary CSV (for reference; not part of the ratio).
 * The table is dropped at the end. Needs VALUECAST_PG_URL (`source scripts/pg-start.sh`) and psql.
 *
 *   npm run bench -- --only pg --keep-benchmarks   (run.ts; without the flag it rewrites BENCHMARKS.md)
 *   node --import tsx bench/suites/pg-pushdown.ts [--scale 1] [--no-cli]
 *     (direct: prints the figures and writes bench/out/pg-pushdown.json, never BENCHMARKS.md)
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildSummaryQuery, openSource, resolveMapping, summarizeSource } from "@valuecast/data";
import pg from "pg";
import { pushdownSettings, streamRows } from "../../packages/data/src/engine/postgres.ts";
import { generateTransactions } from "../gen-transactions.ts";
import { type Measurement, peakMB, type Suite } from "../lib.ts";
import { postgresCpuSeconds } from "../pg/cpu.ts";
import { machineLoad, runMeasured } from "./scale-10m.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = `${root}packages/cli/bin/valuecast.mjs`;
const SCHEMA = "valuecast_bench";
const WORK_MEM = "256MB"; // the pushdown's session default (engine/postgres.ts)

function psqlBinary(): string {
  const onPath = spawnSync("sh", ["-c", "command -v psql"], { encoding: "utf8" }).stdout.trim();
  if (onPath) return onPath;
  const found = spawnSync("sh", ["-c", "ls -d /usr/lib/postgresql/*/bin/psql | sort -V | tail -n 1"], {
    encoding: "utf8",
  }).stdout.trim();
  if (!found) throw new Error("psql not found (source scripts/pg-start.sh installs PostgreSQL)");
  return found;
}

/** Loads the first `rows` data rows of `csv` into a new typed table with COPY; returns its name. */
function load(url: string, csv: string, rows: number): string {
  const table = `${SCHEMA}.tx_${rows}`;
  const psql = psqlBinary();
  const sql = (s: string) => {
    const r = spawnSync(psql, [url, "-v", "ON_ERROR_STOP=1", "-q", "-c", s], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
    return r.stdout;
  };
  sql(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  sql(`DROP TABLE IF EXISTS ${table}`);
  // UNLOGGED: the load is not what is measured, and WAL for 10M rows only slows the setup.
  sql(`CREATE UNLOGGED TABLE ${table} (customer_id text, date date, amount numeric(12,2))`);
  const t0 = performance.now();
  const quoted = `'${csv.replaceAll("'", "'\\''")}'`;
  const copy = spawnSync(
    "sh",
    [
      "-c",
      `head -n ${rows + 1} ${quoted} | ${psql} '${url}' -v ON_ERROR_STOP=1 -q -c "\\copy ${table} FROM STDIN WITH (FORMAT csv, HEADER true)"`,
    ],
    { encoding: "utf8" },
  );
  if (copy.status !== 0) throw new Error(`COPY failed: ${copy.stderr}`);
  // Sets hint bits and statistics once, so neither timed query pays for the first read of fresh rows.
  sql(`VACUUM (ANALYZE) ${table}`);
  console.log(
    `pg-pushdown | loaded ${rows} rows into ${table} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return table;
}

/** Wall seconds, PostgreSQL server CPU seconds and this process's CPU seconds of `fn`. */
async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; seconds: number; serverCpu: number; nodeCpu: number }> {
  const c0 = postgresCpuSeconds();
  const n0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const n = process.cpuUsage(n0);
  return { value, seconds, serverCpu: postgresCpuSeconds() - c0, nodeCpu: (n.user + n.system) / 1e6 };
}

/** Runs `sql` in a new session after `settings`, every row streamed to Node as the pushdown streams; the row count. */
async function streamedRowCount(url: string, settings: readonly string[], sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: "valuecast-bench" });
  await client.connect();
  try {
    for (const setting of settings) await client.query(setting);
    let rows = 0;
    await streamRows(client, { sql, params: [] }, (b) => {
      rows += b.rowCount;
    });
    return rows;
  } finally {
    await client.end();
  }
}

/** PostgreSQL's own GROUP BY, every row streamed to Node (same transport and settings as the pushdown). */
function groupBy(url: string, table: string): Promise<number> {
  return streamedRowCount(
    url,
    ["SET jit = off", `SET work_mem = '${WORK_MEM}'`],
    `SELECT customer_id, count(*), min(date), max(date), sum(amount) FROM ${table} GROUP BY customer_id`,
  );
}

/**
 * The same summary as PostgreSQL computes it with its own GROUP BYs, as an analyst would write it: purchases
 * of a day merged (customer-day level), then per customer frequency, recency, T and the mean repeat-day
 * value, every row streamed to Node. No validation, no report, no refunds. In the pushdown session's
 * settings (sorted grouping), where it is fastest: 13 s inside PostgreSQL on 10M rows against 31 s with
 * hash aggregation, whose 10M customer-day groups spill.
 */
function sameSummaryGroupBy(url: string, table: string): Promise<number> {
  return streamedRowCount(
    url,
    pushdownSettings(WORK_MEM),
    `SELECT customer_id, count(*) - 1 AS frequency, max(day) - min(day) AS recency,
    (SELECT max(date) FROM ${table}) - min(day) AS t,
    (sum(amt) - (min(ARRAY[CAST(day - DATE '1970-01-01' AS numeric), amt]))[2]) / NULLIF(count(*) - 1, 0)
      AS monetary_value
  FROM (SELECT customer_id, date AS day, sum(amount) AS amt FROM ${table} GROUP BY customer_id, date) d
  GROUP BY customer_id`,
  );
}

/**
 * The pushdown's own summary SQL run inside PostgreSQL alone (EXPLAIN ANALYZE with TIMING OFF executes it
 * fully but sends no rows): how much of the pushdown is the query and how much is getting rows to Node.
 */
async function summarySqlAlone(url: string, table: string): Promise<void> {
  const src = await openSource({ url, table });
  const query = buildSummaryQuery(src.dialect, {
    relation: src.relation,
    columns: src.columns,
    mapping: resolveMapping(src.columns).mapping,
    options: { timeUnit: "week" },
  });
  await src.close();
  const client = new pg.Client({ connectionString: url, application_name: "valuecast-bench" });
  await client.connect();
  try {
    // The pushdown session's settings (engine/postgres.ts), so this is the same plan.
    for (const setting of pushdownSettings(WORK_MEM)) await client.query(setting);
    await client.query(`EXPLAIN (ANALYZE, TIMING OFF) ${query.sql}`, query.params);
  } finally {
    await client.end();
  }
}

async function pgPushdown(scale: number, withCli: boolean): Promise<Measurement[]> {
  const url = process.env.VALUECAST_PG_URL;
  if (!url) throw new Error("pg-pushdown: set VALUECAST_PG_URL first (source scripts/pg-start.sh)");
  const rows = Math.round(10_000_000 * scale);
  // 2.56 transactions per customer: the 1M-customer log has 2.56M rows, the 10M one 25.6M.
  const customers = rows <= 2_500_000 ? 1_000_000 : 10_000_000;
  const csv = `${root}bench/out/tx-${customers}.csv`;
  if (!existsSync(csv)) {
    console.log(`generating ${csv} …`);
    await generateTransactions(customers, csv);
  }
  const label = `${rows / 1e6}M rows`;
  const table = load(url, csv, rows);
  const out: Measurement[] = [];
  try {
    const cpu = (t: { seconds: number; serverCpu: number; nodeCpu: number }) =>
      `${t.seconds.toFixed(2)} s wall, PostgreSQL CPU ${t.serverCpu.toFixed(2)} s, Node CPU ${t.nodeCpu.toFixed(2)} s`;
    const before = await timed(() => groupBy(url, table));
    console.log(`pg-pushdown | GROUP BY (before): ${cpu(before)}, ${before.value} groups; ${machineLoad()}`);
    const push = await timed(async () => {
      const src = await openSource({ url, table });
      try {
        return await summarizeSource(src, { timeUnit: "week" });
      } finally {
        await src.close();
      }
    });
    const load = machineLoad();
    console.log(
      `pg-pushdown | pushdown summary: ${cpu(push)}, ${push.value.report.customers} customers; ${load}`,
    );
    const alone = await timed(() => summarySqlAlone(url, table));
    console.log(`pg-pushdown | the summary SQL alone (no rows sent): ${cpu(alone)}; ${machineLoad()}`);
    const after = await timed(() => groupBy(url, table));
    console.log(`pg-pushdown | GROUP BY (after): ${cpu(after)}; ${machineLoad()}`);
    const same = await timed(() => sameSummaryGroupBy(url, table));
    console.log(`pg-pushdown | two-level GROUP BY of the same summary: ${cpu(same)}; ${machineLoad()}`);
    if (push.value.report.customers !== before.value) {
      throw new Error(`pushdown gave ${push.value.report.customers} customers, GROUP BY ${before.value}`);
    }
    const reference = (before.seconds + after.seconds) / 2;
    const referenceCpu = (before.serverCpu + after.serverCpu) / 2;
    out.push({
      suite: "pg-pushdown",
      name: `${label}: PostgreSQL GROUP BY customer (count, min/max date, sum), rows streamed to Node`,
      seconds: reference,
      peakMB: peakMB(),
      note: `mean of ${before.seconds.toFixed(2)} s before and ${after.seconds.toFixed(2)} s after the pushdown; PostgreSQL CPU ${referenceCpu.toFixed(2)} s; ${before.value} customers`,
    });
    out.push({
      suite: "pg-pushdown",
      name: `${label}: pushdown summary (summarizeSource: SQL in PostgreSQL, summaries streamed into columns)`,
      seconds: push.seconds,
      peakMB: peakMB(),
      ...(scale === 1 ? { targetSeconds: 1.5 * reference } : {}),
      note: `${(push.seconds / reference).toFixed(2)}x the GROUP BY wall time, ${(push.serverCpu / referenceCpu).toFixed(2)}x its PostgreSQL CPU (target <= 1.5x); PostgreSQL CPU ${push.serverCpu.toFixed(2)} s, Node CPU ${push.nodeCpu.toFixed(2)} s; Node peak only (PostgreSQL's memory is the server's); ${load}`,
    });
    out.push({
      suite: "pg-pushdown",
      name: `${label}: the pushdown's summary SQL alone inside PostgreSQL (EXPLAIN ANALYZE, TIMING OFF: no rows sent)`,
      seconds: alone.seconds,
      peakMB: peakMB(),
      note: `PostgreSQL CPU ${alone.serverCpu.toFixed(2)} s; the pushdown took ${(push.seconds / alone.seconds).toFixed(2)}x this wall time (streaming and collecting the summaries in Node)`,
    });
    out.push({
      suite: "pg-pushdown",
      name: `${label}: PostgreSQL two-level GROUP BY of the same summary (customer-day, then frequency, recency, T, monetary; no validation or report), rows streamed to Node`,
      seconds: same.seconds,
      peakMB: peakMB(),
      note: `for comparison, not the target's reference: the pushdown took ${(push.seconds / same.seconds).toFixed(2)}x this wall time, ${(push.serverCpu / same.serverCpu).toFixed(2)}x its PostgreSQL CPU; PostgreSQL CPU ${same.serverCpu.toFixed(2)} s; ${same.value} customers`,
    });
    if (withCli) {
      const file = `${root}bench/out/pg-summary-${rows}.csv`;
      const r = await runMeasured(process.execPath, [bin, "summarize", url, "--table", table, "--out", file]);
      if (r.status !== 0) throw new Error(`valuecast summarize failed: ${r.stderr}`);
      out.push({
        suite: "pg-pushdown",
        name: `${label}: valuecast summarize postgres://… --table (one command, summary CSV written)`,
        seconds: r.seconds,
        peakMB: Math.max(r.maxRssMB, r.treePeakMB),
        note: `${(r.seconds / reference).toFixed(2)}x the GROUP BY; ${machineLoad()}`,
      });
    }
  } finally {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
  }
  for (const m of out) console.log(`pg-pushdown | ${m.name}: ${m.seconds.toFixed(2)} s | ${m.note ?? ""}`);
  return out;
}

/** The PostgreSQL pushdown benchmark (`--only pg`). */
export const pgPushdownSuite: Suite = ({ scale }) => pgPushdown(scale, true);

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { scale: { type: "string", default: "1" }, "no-cli": { type: "boolean", default: false } },
  });
  const results = await pgPushdown(Number(values.scale), !values["no-cli"]);
  writeFileSync(`${root}bench/out/pg-pushdown.json`, JSON.stringify(results, null, 2));
  console.log("wrote bench/out/pg-pushdown.json");
}
