import { COLORS, chart, el, kpi, section } from "../dom.ts";
import { num, pct } from "../format.ts";
import type { QualityData, ReportInput } from "../types.ts";

/**
 * Plain-language quality band from the holdout: the aggregate error and the per-customer correlation.
 * Good: total within 10% and correlation >= 0.6; fair: within 25% and >= 0.4; else weak.
 * @example qualityBand({ totalError: 0.05, correlation: 0.7 } as QualityData["metrics"]).band // "good"
 */
export function qualityBand(m: QualityData["metrics"]): { band: "good" | "fair" | "weak"; text: string } {
  const e = m.totalError === null ? Number.POSITIVE_INFINITY : Math.abs(m.totalError);
  const c = m.correlation ?? 0;
  if (e <= 0.1 && c >= 0.6)
    return {
      band: "good",
      text: "Good: the model's total is within 10% of what happened in the holdout and it ranks customers well.",
    };
  if (e <= 0.25 && c >= 0.4)
    return {
      band: "fair",
      text: "Fair: usable for ranking and planning; expect the totals to be off by up to a quarter.",
    };
  return {
    band: "weak",
    text: "Weak: predictions differ a lot from the holdout. Use more history or another model before acting on them.",
  };
}

/** Model quality: holdout tracking, frequency buckets, metrics with a quality band. @example renderQuality(root, input) */
export function renderQuality(root: HTMLElement, r: ReportInput): void {
  const q = r.quality;
  const s = section(
    root,
    "Model quality",
    "How the model did on a holdout period it did not see when fitted.",
  );
  if (!q) {
    s.append(el("p", "empty", "No holdout backtest: give a calibration end before the last date."));
    return;
  }
  const band = qualityBand(q.metrics);
  const b = el("p", `band ${band.band}`, band.text);
  s.append(b);
  const row = el("div", "kpis compact");
  s.append(row);
  kpi(row, "Predicted holdout purchases", num(q.metrics.predictedTotal, 0));
  kpi(row, "Actual holdout purchases", num(q.metrics.actualTotal, 0));
  kpi(row, "Total error", pct(q.metrics.totalError));
  kpi(row, "Correlation per customer", num(q.metrics.correlation, 2));
  kpi(row, "MAE / RMSE", `${num(q.metrics.mae, 2)} / ${num(q.metrics.rmse, 2)}`);
  if (q.tracking.length > 0) {
    const t = section(
      root,
      "Tracking: cumulative repeat purchases",
      "Actual against expected, week by week; the dashed expected line should follow the actual one.",
    );
    chart(
      t,
      {
        type: "line",
        data: {
          labels: q.tracking.map((p) => String(p.period)),
          datasets: [
            {
              label: "Actual",
              data: q.tracking.map((p) => p.actual),
              borderColor: COLORS.observed,
              pointRadius: 0,
            },
            {
              label: `Expected (${q.model})`,
              data: q.tracking.map((p) => p.expected),
              borderColor: COLORS.forecast,
              borderDash: [6, 4],
              pointRadius: 0,
            },
          ],
        },
        options: {
          scales: {
            x: { title: { display: true, text: "week since the first purchase in the data" } },
            y: { title: { display: true, text: "cumulative repeat purchases" } },
          },
        },
      },
      260,
      "tracking",
    );
  }
  const f = section(
    root,
    "Holdout purchases by past frequency",
    "Mean purchases per customer in the holdout, grouped by repeat purchases before it.",
  );
  chart(
    f,
    {
      type: "bar",
      data: {
        labels: q.buckets.map((x) => x.frequency),
        datasets: [
          {
            label: "Actual",
            data: q.buckets.map((x) => x.actual),
            backgroundColor: COLORS.observed,
            borderRadius: 3,
          },
          {
            label: "Predicted",
            data: q.buckets.map((x) => x.predicted),
            backgroundColor: COLORS.forecast,
            borderRadius: 3,
          },
        ],
      },
      options: {
        scales: {
          x: { title: { display: true, text: "repeat purchases in calibration" } },
          y: { title: { display: true, text: "holdout purchases per customer" } },
        },
      },
    },
    260,
    "buckets",
  );
}
