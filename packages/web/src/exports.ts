import { el } from "./dom.ts";
import type { ReportInput } from "./types.ts";

/** CSV text with quoting where needed. @example csv([["a","b"],["1","x,y"]]) // 'a,b\n1,"x,y"\n' */
export function csv(rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`;
}

/** The aggregated tables a marketer can download from any page (no per-customer rows). @example tableExports(input)[0]?.file // "valuecast-tiers.csv" */
export function tableExports(r: ReportInput): { name: string; file: string; text: string }[] {
  const out = [
    {
      name: "Value tiers (CSV)",
      file: "valuecast-tiers.csv",
      text: csv([
        [
          "tier",
          "customers",
          "share_of_customers",
          "predicted_value",
          "share_of_value",
          "min_value",
          "max_value",
        ],
        ...r.segments.tiers.map((t) => [
          t.name,
          t.customers,
          t.shareOfCustomers,
          t.value,
          t.shareOfValue,
          t.minValue,
          t.maxValue,
        ]),
      ]),
    },
  ];
  if (r.cohorts)
    out.push({
      name: "Cohorts (CSV)",
      file: "valuecast-cohorts.csv",
      text: csv([
        [
          "cohort",
          "customers",
          "period",
          "forecast",
          "orders",
          "revenue",
          "cumulative_revenue_per_customer",
          "retention",
        ],
        ...r.cohorts.rows.flatMap((row) =>
          row.cells.map((c) => [
            row.cohort,
            row.customers,
            c.period,
            c.forecast ? 1 : 0,
            c.orders,
            c.revenue,
            c.cumulativeRevenuePerCustomer,
            c.retention,
          ]),
        ),
      ]),
    });
  if (r.forecast)
    out.push({
      name: "Forecast (CSV)",
      file: "valuecast-forecast.csv",
      text: csv([
        ["period", "start_date", "existing_revenue", "new_cohort_revenue", "total_revenue", "lower", "upper"],
        ...r.forecast.periods.map((p, i) => [
          p.period,
          p.startDate,
          p.existingRevenue,
          p.newCohortRevenue,
          p.totalRevenue,
          r.forecast?.intervals?.periods[i]?.lower ?? null,
          r.forecast?.intervals?.periods[i]?.upper ?? null,
        ]),
      ]),
    });
  return out;
}

/** Offers a text as a file download. @example download("a.csv", "x\n") */
export function download(file: string, text: string, type = "text/csv"): void {
  const a = el("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
