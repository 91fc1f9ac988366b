// In-process measurement of the per-customer endpoint on a 1M-customer workspace: app.request in a loop
// (routing, API-key check, id lookup, score row, core's customerProfile, JSON serialisation), no socket.
// Run: node --import tsx packages/server/bench/customer-lookup.ts [customers=1000000] [requests=20000]
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beta, createRng, gamma, type SummaryColumns } from "@valuecast/core";
import { createApp } from "../src/app.ts";
import { hashApiKey } from "../src/auth.ts";
import { openWorkspace } from "../src/workspace/workspace.ts";

const n = Number(process.argv[2] ?? 1_000_000);
const requests = Number(process.argv[3] ?? 20_000);
const rng = createRng(7);
// Customers from BG/NBD (r 0.25, alpha 4, a 0.8, b 2.5), T uniform 26..78 weeks, daily grid (as BENCHMARKS.md).
const x = new Float64Array(n);
const t_x = new Float64Array(n);
const T = new Float64Array(n);
const monetary = new Float64Array(n);
const firstDay = new Float64Array(n);
for (let i = 0; i < n; i++) {
  T[i] = Math.round((26 + 52 * rng.uniform()) * 7) / 7;
  const lambda = gamma(rng, 0.25, 4);
  const p = beta(rng, 0.8, 2.5);
  let t = 0;
  let k = 0;
  for (;;) {
    t += -Math.log(1 - rng.uniform()) / Math.max(lambda, 1e-9);
    if (t > T[i]!) break;
    k++;
    t_x[i] = Math.round(t * 7) / 7;
    if (rng.uniform() < p) break;
  }
  x[i] = k;
  if (k === 0) t_x[i] = 0;
  monetary[i] = k > 0 ? 20 + 40 * rng.uniform() : 0;
  firstDay[i] = 10_000 + Math.round((78 - T[i]!) * 7);
}
const columns: SummaryColumns = {
  timeUnit: "week",
  length: n,
  calibrationEnd: "1997-09-30",
  customerId: Array.from({ length: n }, (_, i) => `c${i}`),
  x,
  t_x,
  T,
  monetary,
  firstDay,
  firstAmount: Float64Array.from(monetary, (m) => m || 25),
  historicRevenue: Float64Array.from(x, (k, i) => (k + 1) * (monetary[i] || 25)),
  orders: Float64Array.from(x, (k) => k + 1),
  cohort: "month",
};
const dir = await mkdtemp(join(tmpdir(), "vc-bench-"));
const ws = await openWorkspace({ dir });
const key = "vc_bench";
const app = createApp({ workspace: ws, apiKeys: [hashApiKey(key)] });
const headers = { authorization: `Bearer ${key}` };
let t0 = performance.now();
const info = await ws.addDataset(
  {
    name: "bench",
    source: "synthetic",
    shape: {
      timeUnit: "week",
      calibrationEnd: "1997-09-30",
      cohort: "month",
      holdout: null,
      hasChannel: false,
      hasCampaign: false,
    },
    mapping: "synthetic",
    report: null,
  },
  columns,
  {
    customerId: [],
    at: new Float64Array(0),
    amount: new Float64Array(0),
    channel: [],
    campaign: [],
    cancelled: new Uint8Array(0),
  },
);
const saveS = (performance.now() - t0) / 1000;
t0 = performance.now();
const fit = await app.request(`/api/v1/datasets/${info.id}/models`, {
  method: "POST",
  headers: { ...headers, "content-type": "application/json" },
  body: JSON.stringify({ model: "bgnbd" }),
});
const model = (await fit.json()) as { id: string; params: Record<string, number> };
const fitS = (performance.now() - t0) / 1000;
t0 = performance.now();
const first = await app.request(`/api/v1/datasets/${info.id}/customers/c0`, { headers });
await first.text();
const warmS = (performance.now() - t0) / 1000;

const times = new Float64Array(requests);
let bytes = 0;
const start = performance.now();
for (let k = 0; k < requests; k++) {
  const id = `c${Math.floor(rng.uniform() * n)}`;
  const a = performance.now();
  const res = await app.request(`/api/v1/datasets/${info.id}/customers/${id}`, { headers });
  const body = await res.text();
  times[k] = performance.now() - a;
  if (res.status !== 200) throw new Error(`${res.status} ${body}`);
  bytes += body.length;
}
const wall = (performance.now() - start) / 1000;
times.sort();
const q = (p: number) => times[Math.min(requests - 1, Math.floor(p * requests))]!;
const mem = process.memoryUsage();
console.log(
  JSON.stringify(
    {
      customers: n,
      requests,
      datasetSaveSeconds: +saveS.toFixed(2),
      fitSeconds: +fitS.toFixed(2),
      firstRequestSeconds: +warmS.toFixed(2),
      requestsPerSecond: Math.round(requests / wall),
      p50ms: +q(0.5).toFixed(3),
      p90ms: +q(0.9).toFixed(3),
      p99ms: +q(0.99).toFixed(3),
      maxMs: +times[requests - 1]!.toFixed(3),
      meanBodyBytes: Math.round(bytes / requests),
      rssMB: Math.round(mem.rss / 2 ** 20),
      heapUsedMB: Math.round(mem.heapUsed / 2 ** 20),
      model: model.params,
    },
    null,
    2,
  ),
);
await ws.close();
await rm(dir, { recursive: true, force: true });
