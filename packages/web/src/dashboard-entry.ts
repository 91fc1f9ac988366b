// Browser entry of the dashboard: asks for the API key (unless the page was given one), fetches the
// aggregated results from the API and draws the pages; API errors are shown with their code and location.
import type { Issue } from "@valuecast/core";
import { API_ROUTES, ApiError, apiFetch, fetchCustomer, fetchDashboard } from "./api.ts";
import { charts, clearCharts, el } from "./dom.ts";
import { download, tableExports } from "./exports.ts";
import { type PageId, renderNav, renderPage } from "./render.ts";
import type { ReportInput } from "./types.ts";

const nav = document.getElementById("nav") as HTMLElement;
const main = document.getElementById("main") as HTMLElement;
const tools = document.getElementById("tools") as HTMLElement;
const KEY = "valuecast-api-key";
const given = document.querySelector<HTMLMetaElement>('meta[name="valuecast-api-key"]')?.content ?? "";
let apiKey = given || sessionStorage.getItem(KEY) || "";
let results: ReportInput | null = null;

function where(i: Issue): string {
  const l = i.location;
  if (!l) return "";
  return Object.entries(l)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(", ");
}

/** Shows an error: each issue with its code, message and location. */
function showError(err: unknown): void {
  const box = el("div", "error");
  box.id = "api-error";
  if (err instanceof ApiError && err.issues.length > 0) {
    box.append(el("strong", "", `The API answered ${err.status}:`));
    const ul = el("ul");
    for (const i of err.issues) {
      const li = el("li");
      li.append(el("code", "", i.code), document.createTextNode(` ${i.message}`));
      const w = where(i);
      if (w) li.append(el("span", "where", ` (${w})`));
      ul.append(li);
    }
    box.append(ul);
  } else box.append(el("span", "", err instanceof Error ? err.message : String(err)));
  main.prepend(box);
}

function keyForm(): void {
  clearCharts();
  main.replaceChildren();
  const f = el("form", "panel lookup");
  f.id = "key-form";
  const input = el("input");
  input.type = "password";
  input.id = "api-key";
  input.placeholder = "API key";
  const b = el("button", "", "Open dashboard");
  b.type = "submit";
  f.append(el("h2", "", "Sign in"), input, b);
  f.addEventListener("submit", (e) => {
    e.preventDefault();
    apiKey = input.value.trim();
    sessionStorage.setItem(KEY, apiKey);
    void start();
  });
  main.append(f);
}

function drawTools(r: ReportInput): void {
  tools.replaceChildren();
  const select = el("select");
  select.id = "export-select";
  for (const t of tableExports(r)) select.append(new Option(t.name, t.file));
  for (const tier of r.segments.tiers)
    select.append(new Option(`Audience: ${tier.name} tier (CSV)`, `audience:${tier.name}`));
  const b = el("button", "secondary", "Download");
  b.id = "export-button";
  b.addEventListener("click", async () => {
    const v = select.value;
    try {
      if (v.startsWith("audience:")) {
        const tier = v.slice("audience:".length);
        const res = await apiFetch(API_ROUTES.audience(tier), apiKey);
        download(`valuecast-audience-${tier}.csv`, await res.text());
      } else {
        const t = tableExports(r).find((x) => x.file === v);
        if (t) download(t.file, t.text);
      }
    } catch (e) {
      showError(e);
    }
  });
  tools.append(select, b);
}

function show(p: PageId): void {
  if (!results) return;
  renderNav(nav, p, show);
  renderPage(main, p, results, (id) => fetchCustomer(id, apiKey));
  if (location.hash !== `#${p}`) history.replaceState(null, "", `#${p}`);
}

async function start(): Promise<void> {
  main.replaceChildren(el("p", "lead", "Loading…"));
  try {
    results = await fetchDashboard(apiKey);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) keyForm();
    else main.replaceChildren();
    showError(e);
    return;
  }
  drawTools(results);
  show((location.hash.slice(1) || "overview") as PageId);
}

window.addEventListener("hashchange", () => show((location.hash.slice(1) || "overview") as PageId));
(window as unknown as { valuecast: unknown }).valuecast = { charts, show: (p: PageId) => show(p) };
if (apiKey) void start();
else keyForm();
