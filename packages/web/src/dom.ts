import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);
Chart.defaults.font.family = "Inter, 'Segoe UI', system-ui, -apple-system, sans-serif";
Chart.defaults.color = "#475569";
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

/** The palette every chart uses: value (indigo), observed (slate), forecast (amber), alert (rose), good (teal). @example backgroundColor: COLORS.value */
export const COLORS = {
  value: "#4f46e5",
  valueSoft: "rgba(79,70,229,0.18)",
  observed: "#334155",
  forecast: "#d97706",
  forecastSoft: "rgba(217,119,6,0.18)",
  alert: "#e11d48",
  good: "#0d9488",
  grid: "#e2e8f0",
} as const;

/** Creates an element with a class and optional text. @example el("div", "card", "hi") */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A page section with a title and a one-line explanation. @example section(root, "Forecast", "Revenue per month") */
export function section(parent: HTMLElement, title: string, lead?: string): HTMLElement {
  const s = el("section", "panel");
  s.append(el("h2", "", title));
  if (lead) s.append(el("p", "lead", lead));
  parent.append(s);
  return s;
}

/** A headline figure card. @example kpi(row, "Customers", "2,357") */
export function kpi(parent: HTMLElement, label: string, value: string, detail?: string): HTMLElement {
  const c = el("div", "kpi");
  c.append(el("div", "kpi-label", label), el("div", "kpi-value", value));
  if (detail) c.append(el("div", "kpi-detail", detail));
  parent.append(c);
  return c;
}

/** A table from headers and rows of text. @example table(s, ["a"], [["1"]]) */
export function table(
  parent: HTMLElement,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  cls = "",
): HTMLTableElement {
  const wrap = el("div", "table-wrap");
  const t = el("table", cls);
  const thead = el("thead");
  const hr = el("tr");
  for (const h of headers) hr.append(el("th", "", h));
  thead.append(hr);
  const tbody = el("tbody");
  for (const r of rows) {
    const tr = el("tr");
    for (const c of r) tr.append(el("td", "", c));
    tbody.append(tr);
  }
  t.append(thead, tbody);
  wrap.append(t);
  parent.append(wrap);
  return t;
}

/** Every chart drawn, so tests and exports can find them. @example charts.length // charts on the page */
export const charts: Chart[] = [];

/** Draws a Chart.js chart in a fixed-height box. @example chart(s, { type: "bar", data }) */
export function chart(parent: HTMLElement, config: ChartConfiguration, height = 280, name = ""): Chart {
  const box = el("div", "chart-box");
  box.style.height = `${height}px`;
  const canvas = el("canvas");
  if (name) canvas.dataset.chart = name;
  box.append(canvas);
  parent.append(box);
  const c = new Chart(canvas, config);
  charts.push(c);
  return c;
}

/** Destroys every chart (before a page is redrawn). @example clearCharts() */
export function clearCharts(): void {
  for (const c of charts.splice(0)) c.destroy();
}
