import { COLORS, chart, el, section, table } from "../dom.ts";
import { count, money, num, pct } from "../format.ts";
import type { ReportInput } from "../types.ts";

/**
 * Segments: value tiers, lifecycle states and the P(alive) histogram with a cut-off slider. The slider steps
 * over the histogram's bin edges, where the expected hits and misses are exact (core's `scoreHistogram`).
 * @example renderSegments(root, input)
 */
export function renderSegments(root: HTMLElement, r: ReportInput): void {
  const seg = r.segments;
  const h = seg.pAlive;
  const s = section(
    root,
    "Who to target: pick a P(alive) cut-off",
    "Customers at or above the cut-off are flagged as active. The counts are what the model expects.",
  );
  const controls = el("div", "slider-row");
  const label = el("label", "", "Cut-off");
  const slider = el("input");
  slider.type = "range";
  slider.min = "0";
  slider.max = String(h.bins.length);
  slider.step = "1";
  slider.value = String(Math.round(h.bins.length / 2));
  slider.id = "cut-slider";
  const cutText = el("output", "cut-value");
  label.append(slider);
  controls.append(label, cutText);
  s.append(controls);
  const counts = el("div", "kpis compact");
  s.append(counts);
  const histo = chart(
    s,
    {
      type: "bar",
      data: {
        labels: h.bins.map((b) => `${Math.round(b.from * 100)}%`),
        datasets: [
          {
            label: "Customers",
            data: h.bins.map((b) => b.customers),
            backgroundColor: h.bins.map(() => COLORS.value),
            borderRadius: 3,
          },
        ],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: {
          x: { title: { display: true, text: "P(alive), bin start" }, grid: { display: false } },
          y: { title: { display: true, text: "customers" } },
        },
      },
    },
    240,
    "segments-histogram",
  );
  const update = () => {
    const k = Number(slider.value);
    const c = h.atEdges[k];
    if (!c) return;
    cutText.textContent = pct(c.cut, 0);
    counts.replaceChildren();
    const box = (label: string, value: string, cls: string) => {
      const d = el("div", `kpi ${cls}`);
      d.append(el("div", "kpi-label", label), el("div", "kpi-value", value));
      counts.append(d);
    };
    box("Flagged", count(c.flagged), "");
    box("Expected hits (active, flagged)", count(c.expectedTruePositives), "good");
    box("Expected misses (flagged, already gone)", count(c.expectedFalsePositives), "alert");
    box("Active customers not flagged", count(c.expectedFalseNegatives), "warn");
    box("Precision / recall", `${pct(c.expectedPrecision, 0)} / ${pct(c.expectedRecall, 0)}`, "");
    const ds = histo.data.datasets[0];
    if (ds) ds.backgroundColor = h.bins.map((_b, i) => (i >= k ? COLORS.value : COLORS.grid));
    histo.update();
  };
  slider.addEventListener("input", update);
  update();
  const t = section(
    root,
    "Value tiers",
    `Customers ranked by predicted ${seg.valueBasis === "clv" ? "CLV" : "purchases"}.`,
  );
  table(
    t,
    ["Tier", "Customers", "Share of customers", "Predicted value", "Share of value", "Range"],
    seg.tiers.map((x) => [
      x.name,
      count(x.customers),
      pct(x.shareOfCustomers),
      seg.valueBasis === "clv" ? money(x.value, r.currency) : num(x.value, 1),
      pct(x.shareOfValue),
      `${num(x.minValue, 2)} – ${num(x.maxValue, 2)}`,
    ]),
  );
  if (seg.lifecycle) {
    const l = section(root, "Lifecycle", "Each customer's state, by the first rule that matches:");
    const ul = el("ul", "assumptions");
    for (const rule of seg.lifecycle.rules)
      ul.append(
        el(
          "li",
          "",
          rule.replace(/\d+\.\d{3,}/g, (v) => Number(v).toFixed(2)),
        ),
      );
    l.append(ul);
    const states = ["new", "active", "at_risk", "lapsed"] as const;
    table(
      l,
      ["State", "Customers", "Share"],
      states.map((s) => [
        s.replace("_", " "),
        count(seg.lifecycle!.counts[s]),
        pct(seg.lifecycle!.shares[s]),
      ]),
    );
  }
}
