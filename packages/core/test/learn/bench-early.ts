// Benchmark (not a test): early pLTV at 1M customers. Run: node --import tsx packages/core/test/learn/bench-early.ts [customers]
// Synthetic transactions (stated as such): 1M customers, ~33 encoded feature columns, a ZILN-like outcome.
import {
  buildEarlyDataset,
  EARLY_FEATURE_SPECS,
  splitEarlyByCohort,
} from "../../src/learn/early-features.ts";
import { encodeFeatures, fitEncoder } from "../../src/learn/encoder.ts";
import { predictZiln, trainZiln } from "../../src/learn/train.ts";
import { createRng } from "../../src/math/random.ts";
import { normalizedGini } from "../../src/metrics/gini.ts";
import type { Transaction } from "../../src/summary/types.ts";
import { normalSource } from "./synthetic.ts";

const N = Number(process.argv[2] ?? 1_000_000);
const DAY = 86_400_000;
const start = Date.UTC(2022, 0, 1);
const rng = createRng(2026);
const z = normalSource(7);
const channels = ["search", "social", "email", "affiliate", "direct"];
const campaigns = Array.from({ length: 8 }, (_, k) => `cmp${k}`);
const countries = ["US", "DE", "FR", "GB", "ES", "IT"];
const lift: Record<string, number> = { search: 0.3, social: -0.4, email: 0.5, affiliate: -0.1, direct: 0.2 };
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.uniform() * xs.length)]!;

let t = performance.now();
const tx: Transaction[] = [];
for (let c = 0; c < N; c++) {
  const id = `c${c}`;
  const t0 = start + Math.floor(rng.uniform() * 365) * DAY + Math.floor(rng.uniform() * DAY);
  const channel = pick(channels);
  const campaign = pick(campaigns);
  const country = pick(countries);
  const amount = Math.exp(3 + 0.6 * z() + 0.3 * lift[channel]!);
  tx.push({
    customerId: id,
    at: t0,
    amount,
    channel,
    campaign,
    country,
    quantity: 1 + Math.floor(rng.uniform() * 3),
  });
  let quality = lift[channel]! + 0.4 * Math.log(amount / 20) + 0.5 * z();
  if (rng.uniform() < 0.15) {
    tx.push({
      customerId: id,
      at: t0 + Math.floor(rng.uniform() * 6 * DAY),
      amount: Math.exp(3 + 0.5 * z()),
    });
    quality += 0.8;
  }
  const p = 1 / (1 + Math.exp(-(quality - 0.5)));
  if (rng.uniform() < p) {
    const k = 1 + Math.floor(rng.uniform() * 4);
    for (let j = 0; j < k; j++) {
      tx.push({
        customerId: id,
        at: t0 + (8 + Math.floor(rng.uniform() * 350)) * DAY,
        amount: Math.exp(3 + 0.4 * quality + 0.5 * z()),
      });
    }
  }
}
console.log(
  `generated ${tx.length} transactions for ${N} customers in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

t = performance.now();
const ds = buildEarlyDataset(tx, { days: 7, horizonDays: 365.25, asOf: start + 800 * DAY });
console.log(
  `buildEarlyDataset: ${ds.customers.length} customers in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);
const split = splitEarlyByCohort(ds, { trainShare: 0.9 });

t = performance.now();
const encoder = fitEncoder(
  split.train.map((c) => c.features),
  EARLY_FEATURE_SPECS,
);
const X = encodeFeatures(
  encoder,
  split.train.map((c) => c.features),
);
const labels = Float64Array.from(split.train, (c) => c.label);
console.log(`encode ${X.rows} x ${X.cols}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
const Xtest = encodeFeatures(
  encoder,
  split.test.map((c) => c.features),
);
const yTest = Float64Array.from(split.test, (c) => c.label);
t = performance.now();
const Xall = encodeFeatures(
  encoder,
  ds.customers.map((c) => c.features),
);
const encodeAllS = (performance.now() - t) / 1000;

for (const hidden of [[], [64, 32]]) {
  t = performance.now();
  const model = trainZiln(X, labels, { hidden, seed: 1 });
  const trainS = (performance.now() - t) / 1000;
  t = performance.now();
  const all = predictZiln(model, Xall);
  const scoreS = (performance.now() - t) / 1000;
  const g = normalizedGini(yTest, predictZiln(model, Xtest).mean);
  const r = model.training;
  console.log(
    `${hidden.length ? `MLP ${hidden.join("-")}` : "linear"}: ${X.cols} columns, ${r.trainRows} train rows, ` +
      `${r.epochs} epochs (best ${r.bestEpoch}), train ${trainS.toFixed(1)} s, ` +
      `score ${all.mean.length}: encode ${encodeAllS.toFixed(2)} s + predict ${scoreS.toFixed(2)} s, test Gini ${g.toFixed(4)}`,
  );
}
