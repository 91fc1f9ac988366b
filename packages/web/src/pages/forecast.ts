import { COLORS, chart, el, section } from "../dom.ts";
import { money } from "../format.ts";
import type { ReportInput } from "../types.ts";

/** Forecast: revenue per period, existing customers plus planned cohorts, with the interval band. @example renderForecast(root, input) */
export function renderForecast(root: HTMLElement, r: ReportInput): void {
  const f = r.forecast;
  const s = section(
    root,
    "Revenue forecast",
    f
      ? `Total ${money(f.totalRevenue, r.currency)} over ${f.periods.length} periods${f.intervals ? ` (${Math.round(f.intervals.level * 100)}% interval ${money(f.intervals.total.lower, r.currency)} – ${money(f.intervals.total.upper, r.currency)})` : ""}. The band shows the uncertainty of the fitted parameters.`
      : undefined,
  );
  if (!f) {
    s.append(el("p", "empty", "No forecast was computed."));
    return;
  }
  const labels = f.periods.map((p) => p.startDate ?? `period ${p.period}`);
  const iv = f.intervals;
  chart(
    s,
    {
      type: "line",
      data: {
        labels,
        datasets: [
          ...(iv
            ? [
                {
                  label: `${Math.round(iv.level * 100)}% interval`,
                  data: iv.periods.map((p) => p.upper),
                  borderColor: "transparent",
                  backgroundColor: COLORS.valueSoft,
                  pointRadius: 0,
                  fill: "+1",
                },
                {
                  label: `${Math.round(iv.level * 100)}% lower`,
                  data: iv.periods.map((p) => p.lower),
                  borderColor: "transparent",
                  pointRadius: 0,
                  fill: false,
                },
              ]
            : []),
          {
            label: "Total revenue",
            data: f.periods.map((p) => p.totalRevenue),
            borderColor: COLORS.value,
            backgroundColor: COLORS.value,
            tension: 0.25,
          },
          ...(f.actualRevenue
            ? [
                {
                  label: "Actual (holdout)",
                  data: [...f.actualRevenue],
                  borderColor: COLORS.forecast,
                  backgroundColor: COLORS.forecast,
                  showLine: false,
                  pointRadius: 6,
                  pointStyle: "rectRot" as const,
                },
              ]
            : []),
          {
            label: "Existing customers",
            data: f.periods.map((p) => p.existingRevenue),
            borderColor: COLORS.observed,
            borderDash: [4, 4],
            pointRadius: 0,
          },
        ],
      },
      options: {
        plugins: { legend: { labels: { filter: (item) => !String(item.text).endsWith("lower") } } },
        scales: {
          y: {
            title: { display: true, text: `revenue per period (${r.currency || "currency"})` },
            beginAtZero: true,
          },
        },
      },
    },
    300,
    "forecast",
  );
  const ul = el("ul", "assumptions");
  for (const a of f.assumptions)
    ul.append(
      el(
        "li",
        "",
        a.replace(/\d+\.\d{4,}/g, (v) => Number(v).toFixed(2)),
      ),
    );
  s.append(ul);
}
