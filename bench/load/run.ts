/**
 * Load benchmark of the product surface (issue 5): a 1M-customer workspace served by the real
 * `valuecast serve` (a child process on 127.0.0.1, port 0), autocannon at a fixed 1,000 requests/s for
 * ~10 s on `GET /api/v1/datasets/{id}/customers/{random id}` (p50/p99 latency, target p99 <= 5 ms), then
 * the dashboard's first render in Chromium on that workspace (target <= 1 s). It stops by itself and
 * removes its workspace.
 *
 *   node --import tsx bench/load/run.ts [--customers 1000000] [--seconds 10] [--rate 1000]
 *
 * The transaction log comes from bench/gen-transactions.ts (core's BG/NBD and Gamma-Gamma simulators).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { launch } from "../../packages/web/test/browser.ts";
import { generateTransactions } from "../gen-transactions.ts";
import type { Measurement, Suite } from "../lib.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const BIN = `${root}packages/cli/bin/valuecast.mjs`;
const KEY = "vc_load_benchmark_key_0123456789abcdef";

/** What one run measured (also printed as JSON). */
export interface LoadFigures {
  readonly customers: number;
  readonly transactions: number | null;
  /** From starting `valuecast serve` to its URL: register + dashboard document + start. */
  readonly readySeconds: number;
  readonly registerSeconds: number;
  readonly firstScoreSeconds: number;
  readonly rate: number;
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly p50ms: number;
  readonly p90ms: number;
  readonly p99ms: number;
  readonly maxMs: number;
  /** The same pacing on `/api/v1/health` (no work): what the machine and load generator add by themselves. */
  readonly healthFloor: { readonly p50ms: number; readonly p99ms: number; readonly maxMs: number };
  /** The same load over ten connections (bursty pacing: see runLoad). */
  readonly tenConnections: {
    readonly requests: number;
    readonly non2xx: number;
    readonly p50ms: number;
    readonly p90ms: number;
    readonly p99ms: number;
    readonly maxMs: number;
  };
  /** Built by serve before listening (synchronous work), then stored. */
  readonly dashboardBuildSeconds: number;
  /** `GET /api/v1/dashboard` answering with the stored document. */
  readonly dashboardFetchSeconds: number;
  readonly dashboardBytes: number;
  readonly firstRenderSeconds: number;
  readonly pageSeconds: Readonly<Record<string, number>>;
  readonly serverPeakMB: number | null;
}

/** Starts `valuecast serve --dataset CSV` in a child process and waits for its URL. */
async function startServe(
  csv: string,
  dir: string,
  draws: number,
): Promise<{
  child: ChildProcess;
  url: string;
  seconds: number;
  registerSeconds: number;
  dashboardSeconds: number;
  stderr: () => string;
}> {
  const t0 = performance.now();
  const args = [
    BIN,
    "serve",
    "--port",
    "0",
    "--dir",
    dir,
    "--dataset",
    csv,
    "--draws",
    String(draws),
    "--json",
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, VALUECAST_API_KEY: KEY },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (b) => {
    out += String(b);
  });
  child.stderr!.on("data", (b) => {
    err += String(b);
  });
  // registration of 1M customers takes tens of seconds: wait up to 10 minutes
  for (let k = 0; k < 12_000 && !out.includes("}"); k++) {
    if (child.exitCode !== null) throw new Error(`valuecast serve exited: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const ready = JSON.parse(out) as { url: string; registerSeconds: number; dashboardSeconds: number };
  return {
    child,
    url: ready.url,
    seconds: (performance.now() - t0) / 1000,
    registerSeconds: ready.registerSeconds,
    dashboardSeconds: ready.dashboardSeconds,
    stderr: () => err,
  };
}

/** Peak resident memory of a live process (VmHWM), in MB, or null where /proc is missing. */
function peakOf(pid: number | undefined): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Runs the load benchmark once and returns its figures.
 * @example const f = await runLoad({ customers: 1_000_000, seconds: 10, rate: 1000 })
 */
export async function runLoad(o: {
  customers: number;
  seconds: number;
  rate: number;
  draws: number;
}): Promise<LoadFigures> {
  const csv = `${root}bench/out/tx-${o.customers}.csv`;
  const generated = existsSync(csv) ? null : await generateTransactions(o.customers, csv);
  const dir = mkdtempSync(join(tmpdir(), "vc-load-ws-"));
  const serve = await startServe(csv, dir, o.draws);
  const headers = { authorization: `Bearer ${KEY}` };
  // node:http rather than fetch: building the 1M-customer dashboard document can take longer than
  // fetch's fixed 300 s header timeout
  const get = (path: string) =>
    new Promise<string>((resolve, reject) => {
      const req = httpGet(`${serve.url}${path}`, { headers }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          text += d;
        });
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(text)
            : reject(new Error(`${path}: ${res.statusCode} ${text.slice(0, 300)}`)),
        );
      });
      req.on("error", reject);
    });
  const log = (what: string) => process.stderr.write(`load | ${what}\n`);
  log(
    `serve ready after ${serve.seconds.toFixed(1)} s (register ${serve.registerSeconds} s, dashboard document ${serve.dashboardSeconds} s): ${serve.url}`,
  );
  let browser: Awaited<ReturnType<typeof launch>> | null = null;
  try {
    const { datasets } = JSON.parse(await get("/api/v1/datasets")) as {
      datasets: { id: string; customers: number }[];
    };
    const ds = datasets[0]!;
    const idOf = (i: number) => `C${String(i + 1).padStart(7, "0")}`;
    // the first scored request fits BG/NBD + Gamma-Gamma and scores every customer once (stored)
    const first = await timed(() => get(`/api/v1/datasets/${ds.id}/customers/${idOf(0)}`));
    let k = 1;
    const hammer = (connections: number, health = false, seconds = o.seconds) =>
      autocannon({
        url: serve.url,
        connections,
        duration: seconds,
        overallRate: o.rate,
        headers,
        requests: [
          {
            setupRequest: (req) => {
              if (health) return { ...req, method: "GET", path: "/api/v1/health" };
              // a different customer per request (a fixed-step walk over all ids: no repeats, no RNG cost)
              k = (k + 7919) % ds.customers;
              return { ...req, method: "GET", path: `/api/v1/datasets/${ds.id}/customers/${idOf(k)}` };
            },
          },
        ],
      });
    // Warm-up, not measured: the JIT optimises the route and the profile code on the first thousands of requests.
    await hammer(1, false, 3);
    // The floor of this machine and load generator: the same pacing on the health route (no work).
    const floor = await hammer(1, true);
    log(`health floor: p50 ${floor.latency.p50} ms, p99 ${floor.latency.p99} ms`);
    // One keep-alive connection paced at the rate, then ten connections sharing it. autocannon corrects
    // for coordinated omission (a late request counts the requests it held back), and its per-second
    // pacing sends ten connections' requests in bursts, so the second figure includes queueing in bursts.
    const run = await hammer(1);
    log(`1 connection: p50 ${run.latency.p50} ms, p99 ${run.latency.p99} ms, ${run.requests.total} requests`);
    const run10 = await hammer(10);
    log(`10 connections: p50 ${run10.latency.p50} ms, p99 ${run10.latency.p99} ms`);
    const doc = await timed(() => get("/api/v1/dashboard"));
    log(`stored dashboard document served in ${doc.seconds.toFixed(3)} s (${doc.value.length} bytes)`);
    // the dashboard tests' launcher: Debian's chromium, the issue's flags, a fresh profile
    browser = await launch();
    const page = await browser.browser.newPage();
    await page.goto(`${serve.url}/`);
    // the page keeps the key in sessionStorage (bench has no DOM types: reach it through globalThis)
    await page.evaluate(
      (key) =>
        (
          globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }
        ).sessionStorage.setItem("valuecast-api-key", key),
      KEY,
    );
    // first render: from navigation to the overview page drawn with its chart (document already stored)
    const render = await timed(async () => {
      await page.reload();
      await page.waitForSelector('main[data-page="overview"] canvas');
    });
    const pageSeconds: Record<string, number> = {};
    for (const p of ["segments", "cohorts", "channels", "forecast", "customer", "quality"]) {
      pageSeconds[p] = (
        await timed(async () => {
          await page.click(`nav a[data-page="${p}"]`);
          await page.waitForSelector(`main[data-page="${p}"]`);
        })
      ).seconds;
    }
    return {
      customers: ds.customers,
      transactions: generated?.transactions ?? null,
      readySeconds: serve.seconds,
      registerSeconds: serve.registerSeconds,
      firstScoreSeconds: first.seconds,
      rate: o.rate,
      seconds: run.duration,
      requests: run.requests.total,
      requestsPerSecond: run.requests.average,
      non2xx: run.non2xx,
      errors: run.errors + run.timeouts,
      p50ms: run.latency.p50,
      p90ms: run.latency.p90,
      p99ms: run.latency.p99,
      maxMs: run.latency.max,
      healthFloor: { p50ms: floor.latency.p50, p99ms: floor.latency.p99, maxMs: floor.latency.max },
      tenConnections: {
        requests: run10.requests.total,
        non2xx: run10.non2xx,
        p50ms: run10.latency.p50,
        p90ms: run10.latency.p90,
        p99ms: run10.latency.p99,
        maxMs: run10.latency.max,
      },
      dashboardBuildSeconds: serve.dashboardSeconds,
      dashboardFetchSeconds: doc.seconds,
      dashboardBytes: doc.value.length,
      firstRenderSeconds: render.seconds,
      pageSeconds,
      serverPeakMB: peakOf(serve.child.pid),
    };
  } finally {
    await browser?.close();
    const exited = new Promise<void>((r) => serve.child.once("exit", () => r()));
    serve.child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The benchmark suite (for bench/run.ts: `load: loadSuite`). */
export const loadSuite: Suite = async ({ scale }) => {
  const customers = Math.round(1_000_000 * scale);
  const f = await runLoad({ customers, seconds: 10, rate: 1000, draws: 10 });
  console.log(JSON.stringify(f, null, 2));
  const label = `${customers / 1e6}M customers`;
  const m = (name: string, seconds: number, target?: number, note?: string): Measurement => ({
    suite: "load",
    name: `${label}: ${name}`,
    seconds,
    peakMB: f.serverPeakMB ?? 0,
    ...(target !== undefined ? { targetSeconds: target } : {}),
    ...(note ? { note } : {}),
  });
  return [
    m(
      "GET customer score p99 at 1,000 req/s (autocannon, loopback)",
      f.p99ms / 1000,
      0.005,
      `p50 ${f.p50ms} ms, ${f.requests} requests, ${f.non2xx} non-2xx; health-route floor p99 ${f.healthFloor.p99ms} ms`,
    ),
    m("dashboard first render (Chromium, stored document)", f.firstRenderSeconds, 1),
    m("dashboard document build (serve, before listening; then stored)", f.dashboardBuildSeconds),
    m("serve start: register the CSV into the workspace", f.registerSeconds),
  ];
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      customers: { type: "string", default: "1000000" },
      seconds: { type: "string", default: "10" },
      rate: { type: "string", default: "1000" },
      // parameter draws behind the dashboard's intervals: the document's build time grows with them
      draws: { type: "string", default: "10" },
    },
  });
  const f = await runLoad({
    customers: Number(values.customers),
    seconds: Number(values.seconds),
    rate: Number(values.rate),
    draws: Number(values.draws),
  });
  console.log(JSON.stringify(f, null, 2));
  process.exit(0);
}
