// Browser entry of the one-file report: reads the embedded results and draws every page in turn.
import { charts } from "./dom.ts";
import { type PageId, renderNav, renderPage } from "./render.ts";
import type { ReportInput } from "./types.ts";

const dataNode = document.getElementById("valuecast-data");
const input = JSON.parse(dataNode?.textContent ?? "null") as ReportInput;
const nav = document.getElementById("nav") as HTMLElement;
const main = document.getElementById("main") as HTMLElement;
const show = (p: PageId) => {
  renderNav(nav, p, show);
  renderPage(main, p, input);
  if (location.hash !== `#${p}`) history.replaceState(null, "", `#${p}`);
};
show((location.hash.slice(1) || "overview") as PageId);
(window as unknown as { valuecast: unknown }).valuecast = { charts, show, input };
