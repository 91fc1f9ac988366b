/**
 * Early pLTV at 1M new customers (issue 6, "Speed"): feature building from raw transaction lines,
 * encoding, ZILN training (linear and MLP) and scoring.
 *
 * Registered in bench/run.ts as `early` (`npm run bench -- --only early --keep-benchmarks`; without
 * --keep-benchmarks, run.ts rewrites the BENCHMARKS.md table at --scale 1). The standalone entry writes
 * only bench/out/early-value.json and can also time the dense one-hot path (`dense`, minutes at 1M):
 *
 *   node --import tsx bench/suites/early-value.ts [--scale 1] [--only fast,dense]
 *
 * The customers are simulated (stated as such): channel, campaign, country, a first order of 1-3 lines
 * with quantities and product categories, the weekday of the first purchase, a second order within the
 * first week for some, and later purchases whose probability and size depend on all of those.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createRng } from "../../packages/core/src/math/random.ts";
import { normalizedGini } from "../../packages/core/src/metrics/gini.ts";
import type { Transaction } from "../../packages/core/src/summary/types.ts";
import { type Measurement, measure, type Suite } from "../lib.ts";

/**
 * `measure`, with the process's CPU time (user + system) of the step in the note: other jobs on the
 * machine stretch wall time, CPU time much less, so both are reported.
 */
async function stage<T>(
  suite: string,
  name: string,
  fn: () => T,
  extra: { targetSeconds?: number } = {},
): Promise<{ value: T; measurement: Measurement }> {
  const cpu0 = process.cpuUsage();
  const r = await measure(suite, name, fn, extra);
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return { value: r.value, measurement: { ...r.measurement, note: `cpu ${cpuS.toFixed(2)} s` } };
}

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);
const CHANNELS = ["search", "social", "email", "affiliate", "direct", "display"] as const;
const CHANNEL_LIFT = [0.3, -0.4, 0.5, -0.1, 0.2, -0.3];
const COUNTRIES = ["US", "DE", "FR", "GB", "ES", "IT", "NL", "PL", "SE", "CA"] as const;
const CATEGORIES = Array.from({ length: 14 }, (_, k) => `cat${k}`);

/** Simulated transaction lines of `n` new customers acquired over one year (see the file comment). */
export function simulateNewCustomers(n: number, seed = 20261123): Transaction[] {
  const rng = createRng(seed);
  const u = () => rng.uniform();
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const campaigns = Array.from({ length: 40 }, (_, k) => `cmp${k}`);
  const tx: Transaction[] = [];
  let order = 0;
  for (let c = 0; c < n; c++) {
    const customerId = `c${c}`;
    const t0 = START + Math.floor(u() * 365 * DAY);
    const ch = Math.floor(u() * CHANNELS.length);
    const channel = CHANNELS[ch]!;
    // a few campaigns carry most customers (Zipf-like); 10% come without a campaign
    const campaign = u() < 0.1 ? undefined : campaigns[Math.floor(campaigns.length * u() ** 2)]!;
    const country = COUNTRIES[Math.floor(COUNTRIES.length * u() ** 1.5)]!;
    const lines = 1 + Math.floor(u() * 3);
    const orderId = `o${order++}`;
    let firstAmount = 0;
    for (let l = 0; l < lines; l++) {
      const amount = Math.round(100 * Math.exp(2.6 + 0.7 * normal() + 0.3 * CHANNEL_LIFT[ch]!)) / 100;
      firstAmount += amount;
      tx.push({
        customerId,
        at: t0,
        amount,
        orderId,
        quantity: 1 + Math.floor(u() * 3),
        category: CATEGORIES[Math.floor(u() * CATEGORIES.length)]!,
        ...(l === 0 ? { channel, country, ...(campaign ? { campaign } : {}) } : {}),
      });
    }
    const weekend = new Date(t0).getUTCDay() % 6 === 0 ? 0.2 : 0;
    let quality =
      CHANNEL_LIFT[ch]! + 0.4 * Math.log(firstAmount / 20) + 0.15 * lines + weekend + 0.6 * normal();
    if (u() < 0.18) {
      tx.push({
        customerId,
        at: t0 + Math.floor(u() * 7 * DAY),
        amount: Math.round(100 * Math.exp(2.8 + 0.5 * normal())) / 100,
        orderId: `o${order++}`,
        quantity: 1,
        category: CATEGORIES[Math.floor(u() * CATEGORIES.length)]!,
      });
      quality += 0.8;
    }
    if (u() < 1 / (1 + Math.exp(-(quality - 0.6)))) {
      const k = 1 + Math.floor(u() * 4);
      for (let j = 0; j < k; j++) {
        tx.push({
          customerId,
          at: t0 + (8 + Math.floor(u() * 350)) * DAY,
          amount: Math.round(100 * Math.exp(3 + 0.4 * quality + 0.5 * normal())) / 100,
          orderId: `o${order++}`,
        });
      }
    }
  }
  return tx;
}

/** End of the simulated data: every customer's 7-day window and 365.25-day horizon have closed. */
const AS_OF = START + 800 * DAY;

/** The record API with a dense one-hot matrix (fitEncoder, encodeFeatures, trainZiln, predictZiln); before this work every path went this way, and buildEarlyDataset ran its own record-by-record builder. */
async function densePath(tx: readonly Transaction[], label: string): Promise<Measurement[]> {
  const learn = await import("../../packages/core/src/learn/index.ts");
  const out: Measurement[] = [];
  const suite = "early-value";
  const ds = await stage(suite, `dense: early features from ${label} (buildEarlyDataset)`, () =>
    learn.buildEarlyDataset(tx, { days: 7, horizonDays: 365.25, asOf: AS_OF }),
  );
  out.push({ ...ds.measurement, note: `${ds.measurement.note}; ${ds.value.customers.length} customers` });
  const records = ds.value.customers.map((c) => c.features);
  const labels = Float64Array.from(ds.value.customers, (c) => c.label);
  const enc = await stage(suite, "dense: fit encoder + dense one-hot matrix (encodeFeatures)", () => {
    const encoder = learn.fitEncoder(records, learn.EARLY_FEATURE_SPECS);
    return { encoder, X: learn.encodeFeatures(encoder, records) };
  });
  out.push({ ...enc.measurement, note: `${enc.measurement.note}; ${enc.value.X.cols} columns` });
  const { encoder, X } = enc.value;
  for (const hidden of [[], [64, 32]]) {
    const what = hidden.length ? `MLP ${hidden.join("-")}` : "linear";
    const tr = await stage(
      suite,
      `dense: train ZILN ${what} on ${label} (trainZiln, default epochs)`,
      () => learn.trainZiln(X, labels, { hidden, seed: 1 }),
      { targetSeconds: 60 },
    );
    const r = tr.value.training;
    out.push({ ...tr.measurement, note: `${tr.measurement.note}; ${r.epochs} epochs, best ${r.bestEpoch}` });
    const sc = await stage(
      suite,
      `dense: score ${label} with ${what} from feature records (encodeFeatures + predictZiln)`,
      () => learn.predictZiln(tr.value, learn.encodeFeatures(encoder, records)),
      { targetSeconds: 1 },
    );
    out.push(sc.measurement);
  }
  return out;
}

/** The columnar path: typed-array features, slot encoding, sparse first layer (bit-identical results). */
async function fastPath(tx: readonly Transaction[], label: string): Promise<Measurement[]> {
  const learn = await import("../../packages/core/src/learn/index.ts");
  const out: Measurement[] = [];
  const suite = "early-value";
  const ds = await stage(suite, `fast: early features from ${label} (buildEarlyColumns)`, () =>
    learn.buildEarlyColumns(tx, { days: 7, horizonDays: 365.25, asOf: AS_OF }),
  );
  out.push({ ...ds.measurement, note: `${ds.measurement.note}; ${ds.value.columns.rows} customers` });
  const { columns, label: labels } = ds.value;
  const enc = await stage(suite, "fast: fit encoder + slot encoding (encodeColumns)", () => {
    const encoder = learn.fitEncoderColumns(columns, learn.EARLY_FEATURE_SPECS);
    return { encoder, E: learn.encodeColumns(encoder, columns) };
  });
  out.push({
    ...enc.measurement,
    note: `${enc.measurement.note}; ${enc.value.E.cols} columns, ${enc.value.E.slots} slots per row`,
  });
  const { encoder, E } = enc.value;
  for (const hidden of [[], [64, 32]]) {
    const what = hidden.length ? `MLP ${hidden.join("-")}` : "linear";
    const tr = await stage(
      suite,
      `fast: train ZILN ${what} on ${label} (trainZilnEncoded, default epochs)`,
      () => learn.trainZilnEncoded(E, labels, { hidden, seed: 1 }),
      { targetSeconds: 60 },
    );
    const r = tr.value.training;
    out.push({ ...tr.measurement, note: `${tr.measurement.note}; ${r.epochs} epochs, best ${r.bestEpoch}` });
    const model = { kind: "early-ziln" as const, encoder, ziln: tr.value };
    const sc = await stage(
      suite,
      `fast: score ${label} with ${what} from feature columns (scoreEarlyColumns)`,
      () => learn.scoreEarlyColumns(model, columns),
      { targetSeconds: 1 },
    );
    // in-sample ranking quality, to show the model learned something (not a backtest)
    const gini = normalizedGini(labels, sc.value.mean);
    out.push({
      ...sc.measurement,
      note: `${sc.measurement.note}; in-sample normalized Gini ${gini.toFixed(3)}`,
    });
    if (hidden.length === 0) {
      const records = learn.earlyCustomersOf(ds.value).map((c) => c.features);
      const sr = await stage(
        suite,
        `fast: score ${label} with ${what} from feature records (scoreEarly)`,
        () => learn.scoreEarly(model, records),
      );
      out.push(sr.measurement);
    }
  }
  const rec = await stage(
    suite,
    `records: early features from ${label} (buildEarlyDataset = buildEarlyColumns + records)`,
    () => learn.buildEarlyDataset(tx, { days: 7, horizonDays: 365.25, asOf: AS_OF }),
  );
  out.push(rec.measurement);
  return out;
}

export const earlyValue: Suite = async ({ scale }) => runEarlyValue(scale, ["fast"]);

async function runEarlyValue(scale: number, paths: readonly string[]): Promise<Measurement[]> {
  const n = Math.round(1_000_000 * scale);
  const label = `${(n / 1e6).toFixed(n >= 1e6 ? 0 : 2)}M customers`;
  const sim = await stage("early-value", `simulate ${label} (transaction lines)`, () =>
    simulateNewCustomers(n),
  );
  const out: Measurement[] = [
    { ...sim.measurement, note: `${sim.measurement.note}; ${sim.value.length} lines` },
  ];
  if (paths.includes("fast")) out.push(...(await fastPath(sim.value, label)));
  if (paths.includes("dense")) out.push(...(await densePath(sim.value, label)));
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { writeFileSync, mkdirSync } = await import("node:fs");
  const { values } = parseArgs({
    options: { scale: { type: "string", default: "1" }, only: { type: "string" } },
  });
  const paths = values.only ? values.only.split(",") : ["fast"];
  const results = await runEarlyValue(Number(values.scale), paths);
  const outDir = new URL("../out/", import.meta.url);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    new URL("early-value.json", outDir),
    JSON.stringify({ scale: Number(values.scale), results }, null, 2),
  );
}
