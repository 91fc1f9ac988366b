import { clearCharts, el } from "./dom.ts";
import { renderChannels } from "./pages/channels.ts";
import { renderCohorts } from "./pages/cohorts.ts";
import { type CustomerFinder, findIn, renderCustomer } from "./pages/customer.ts";
import { renderForecast } from "./pages/forecast.ts";
import { renderOverview } from "./pages/overview.ts";
import { renderQuality } from "./pages/quality.ts";
import { renderSegments } from "./pages/segments.ts";
import type { ReportInput } from "./types.ts";

/** The pages, in navigation order. @example PAGES.map((p) => p.title) */
export const PAGES = [
  { id: "overview", title: "Overview" },
  { id: "segments", title: "Segments" },
  { id: "cohorts", title: "Cohorts" },
  { id: "channels", title: "Channels" },
  { id: "forecast", title: "Forecast" },
  { id: "customer", title: "Customer lookup" },
  { id: "quality", title: "Model quality" },
] as const;

/** A page id. @example renderPage(main, "cohorts" satisfies PageId, input) */
export type PageId = (typeof PAGES)[number]["id"];

/** Draws one page into `root` (clearing it and any chart on it). @example renderPage(main, "overview", input) */
export function renderPage(
  root: HTMLElement,
  page: PageId,
  r: ReportInput,
  find: CustomerFinder = findIn(r),
): void {
  clearCharts();
  root.replaceChildren();
  root.dataset.page = page;
  if (page === "overview") renderOverview(root, r);
  else if (page === "segments") renderSegments(root, r);
  else if (page === "cohorts") renderCohorts(root, r);
  else if (page === "channels") renderChannels(root, r);
  else if (page === "forecast") renderForecast(root, r);
  else if (page === "customer") renderCustomer(root, r, find);
  else renderQuality(root, r);
  if (r.notes.length > 0 && page === "overview") {
    const ul = el("ul", "notes");
    for (const n of r.notes) ul.append(el("li", "", n));
    root.append(ul);
  }
}

/** The navigation bar; calls `go` with the page id. @example renderNav(nav, "overview", show) */
export function renderNav(nav: HTMLElement, current: PageId, go: (p: PageId) => void): void {
  nav.replaceChildren();
  for (const p of PAGES) {
    const a = el("a", p.id === current ? "active" : "", p.title);
    a.href = `#${p.id}`;
    a.dataset.page = p.id;
    a.addEventListener("click", (e) => {
      e.preventDefault();
      go(p.id);
    });
    nav.append(a);
  }
}
