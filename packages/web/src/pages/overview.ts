import { COLORS, chart, el, kpi, section } from "../dom.ts";
import { count, money, pct } from "../format.ts";
import type { ReportInput } from "../types.ts";

/** Overview: headline figures and the P(alive) distribution. @example renderOverview(root, input) */
export function renderOverview(root: HTMLElement, r: ReportInput): void {
  const o = r.overview;
  const s = section(
    root,
    "Overview",
    `${o.model} model, data to ${o.calibrationEnd}. Predictions cover the ${o.horizonLabel}.`,
  );
  const row = el("div", "kpis");
  s.append(row);
  kpi(row, "Customers", count(o.customers));
  kpi(row, "Historic revenue", money(o.historicRevenue, r.currency), "to date, net of refunds");
  const iv = o.predictedRevenueInterval;
  kpi(
    row,
    `Predicted revenue, ${o.horizonLabel}`,
    money(o.predictedRevenue, r.currency),
    iv
      ? `${Math.round(iv.level * 100)}% interval ${money(iv.lower, r.currency)} – ${money(iv.upper, r.currency)}`
      : "existing customers",
  );
  kpi(row, "Average CLV", money(o.averageClv, r.currency), `per customer, ${o.horizonLabel}`);
  const h = r.segments.pAlive;
  const p = section(
    root,
    "How many customers are still active?",
    `Probability each customer is still "alive" (will buy again). Mean ${pct(h.meanScore)}.`,
  );
  chart(
    p,
    {
      type: "bar",
      data: {
        labels: h.bins.map((b) => `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}%`),
        datasets: [
          {
            label: "Customers",
            data: h.bins.map((b) => b.customers),
            backgroundColor: COLORS.value,
            borderRadius: 3,
          },
        ],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: {
          x: { title: { display: true, text: "P(alive)" }, grid: { display: false } },
          y: { title: { display: true, text: "customers" } },
        },
      },
    },
    260,
    "palive",
  );
}
