// Report (not a test): the early pLTV evaluation on the real data sets, with default (full) training.
// Run: node --import tsx packages/core/test/learn/report-early.ts
import { buildEarlyDataset, type EarlyDataset } from "../../src/learn/early-features.ts";
import { evaluateEarly } from "../../src/learn/evaluate-early.ts";
import { loadCdnow, loadOnlineRetail } from "./real-data.ts";

function report(title: string, ds: EarlyDataset, seeds: readonly number[]): void {
  console.log(`\n### ${title}\n`);
  for (const seed of seeds) {
    const t = performance.now();
    const ev = evaluateEarly(ds, { split: { trainShare: 0.7 }, linear: { seed }, mlp: { seed } });
    const secs = (performance.now() - t) / 1000;
    console.log(
      `seed ${seed}: train ${ev.trainCustomers} customers (acquired before ${new Date(ev.trainEnd).toISOString().slice(0, 10)}), ` +
        `test ${ev.testCustomers}; trained and evaluated in ${secs.toFixed(1)} s; epochs: ` +
        Object.entries(ev.training)
          .map(([k, r]) => `${k} ${r.epochs} (best ${r.bestEpoch})`)
          .join(", "),
    );
    console.log(
      "\n| model | normalized Gini | Spearman | decile MAPE | top-decile capture | MAE | mean predicted | mean actual |",
    );
    console.log("|---|---|---|---|---|---|---|---|");
    for (const r of ev.rows) {
      const m = r.metrics;
      console.log(
        `| ${r.name} | ${m.normalizedGini.toFixed(4)} | ${m.spearman.toFixed(4)} | ${m.decileMape.toFixed(4)} | ` +
          `${m.topDecileCapture.toFixed(4)} | ${m.mae.toFixed(2)} | ${m.meanPredicted.toFixed(2)} | ${m.meanActual.toFixed(2)} |`,
      );
    }
    console.log();
  }
}

const seeds = (process.argv[2] ?? "1,2,3").split(",").map(Number);
report(
  "CDNOW: first week -> next 52 weeks",
  buildEarlyDataset(loadCdnow(), { days: 7, horizonDays: 364 }),
  seeds,
);
const retail = loadOnlineRetail();
report(
  "Online Retail: first week -> following 6 months, new customers from 2011-01-01 (one-month burn-in)",
  buildEarlyDataset(retail, { days: 7, horizonDays: 365.25 / 2, acquiredFrom: Date.UTC(2011, 0, 1) }),
  seeds,
);
report(
  "Online Retail without burn-in (customers first seen in December 2010 included)",
  buildEarlyDataset(retail, { days: 7, horizonDays: 365.25 / 2 }),
  seeds,
);
