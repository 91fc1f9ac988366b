import { el, section, table } from "../dom.ts";
import { money, pct } from "../format.ts";
import type { ReportInput } from "../types.ts";

/** Cohorts: heatmap of cumulative revenue per customer; forecast cells hatched apart. @example renderCohorts(root, input) */
export function renderCohorts(root: HTMLElement, r: ReportInput): void {
  const c = r.cohorts;
  const s = section(
    root,
    "Cohorts",
    "Cumulative revenue per customer by acquisition cohort and periods since the first purchase. Striped amber cells are the model's forecast.",
  );
  if (!c || c.rows.length === 0) {
    s.append(el("p", "empty", "No cohort table: it needs a transaction source."));
    return;
  }
  const periods = Math.max(...c.rows.map((row) => row.cells.length));
  let max = 0;
  for (const row of c.rows)
    for (const cell of row.cells) max = Math.max(max, cell.cumulativeRevenuePerCustomer);
  const wrap = el("div", "table-wrap");
  const t = el("table", "heatmap");
  t.dataset.chart = "cohorts";
  const head = el("tr");
  head.append(el("th", "", "Cohort"), el("th", "", "Customers"));
  for (let k = 0; k < periods; k++) head.append(el("th", "", String(k)));
  const thead = el("thead");
  thead.append(head);
  const tbody = el("tbody");
  for (const row of c.rows) {
    const tr = el("tr");
    tr.append(el("th", "", row.cohort), el("td", "", String(row.customers)));
    for (let k = 0; k < periods; k++) {
      const cell = row.cells[k];
      const td = el("td", cell ? (cell.forecast ? "cell forecast" : "cell") : "cell none");
      if (cell) {
        const a = max > 0 ? cell.cumulativeRevenuePerCustomer / max : 0;
        td.style.setProperty("--a", a.toFixed(3));
        td.textContent = money(cell.cumulativeRevenuePerCustomer, r.currency);
        td.title = `${row.cohort}, period ${k}${cell.forecast ? " (forecast)" : ""}: ${money(cell.revenue, r.currency)} revenue, retention ${pct(cell.retention)}`;
      }
      tr.append(td);
    }
    tbody.append(tr);
  }
  t.append(thead, tbody);
  wrap.append(t);
  s.append(wrap);
  const legend = el("div", "legend");
  legend.append(
    el("span", "swatch observed"),
    el("span", "", "observed"),
    el("span", "swatch forecast"),
    el("span", "", "forecast"),
  );
  s.append(legend);
  const days = c.rows[0]?.nDayLtv.map((l) => l.days) ?? [];
  const l = section(
    root,
    "N-day LTV per cohort",
    "Average revenue within N days of each customer's first purchase.",
  );
  table(
    l,
    ["Cohort", ...days.map((d) => `${d} days`)],
    c.rows.map((row) => [row.cohort, ...row.nDayLtv.map((x) => money(x.ltv, r.currency))]),
  );
}
