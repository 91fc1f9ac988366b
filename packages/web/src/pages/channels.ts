import { COLORS, chart, el, section, table } from "../dom.ts";
import { count, money, num, pct } from "../format.ts";
import type { ReportInput } from "../types.ts";

/** Channels: LTV, CAC, LTV:CAC against the 3:1 guide, payback, and the budget scenario. @example renderChannels(root, input) */
export function renderChannels(root: HTMLElement, r: ReportInput): void {
  const c = r.channels;
  const s = section(
    root,
    "Channels",
    "Predicted lifetime value against acquisition cost. The dashed line is the 3:1 guide; below 1 a channel loses money.",
  );
  if (!c || c.channels.length === 0) {
    s.append(el("p", "empty", "No channel data: give a channel column and a spend file."));
    return;
  }
  const guide = c.ltvToCacGuide;
  chart(
    s,
    {
      type: "bar",
      data: {
        labels: c.channels.map((x) => x.channel),
        datasets: [
          {
            type: "bar",
            label: "LTV:CAC",
            data: c.channels.map((x) => x.ltvToCac ?? 0),
            backgroundColor: c.channels.map((x) =>
              x.belowOne ? COLORS.alert : x.meetsGuide ? COLORS.good : COLORS.forecast,
            ),
            borderRadius: 3,
          },
          {
            type: "line",
            label: `${guide}:1 guide`,
            data: c.channels.map(() => guide),
            borderColor: COLORS.observed,
            borderDash: [6, 4],
            pointRadius: 0,
          },
        ],
      },
      options: { scales: { y: { title: { display: true, text: "LTV : CAC" }, beginAtZero: true } } },
    },
    260,
    "ltv-cac",
  );
  table(
    s,
    ["Channel", "Customers", "Spend", "CAC", "Predicted LTV", "LTV:CAC", "Payback"],
    c.channels.map((x) => [
      x.channel,
      count(x.customers),
      money(x.spend, r.currency),
      money(x.cac, r.currency),
      money(x.predictedLtv, r.currency),
      x.ltvToCac === null ? "–" : `${num(x.ltvToCac, 1)}:1${x.belowOne ? " ⚠" : ""}`,
      x.payback.month === null
        ? "not within 36 months"
        : `${x.payback.month} month${x.payback.month === 1 ? "" : "s"} (${x.payback.source})`,
    ]),
  );
  const b = r.budget;
  if (!b) return;
  const bs = section(
    root,
    "Budget scenario",
    `Total budget ${money(b.totalBudget, r.currency)}: your split against the split that maximises projected value.`,
  );
  const names = [
    ...new Set([...(b.proposed?.channels ?? []), ...(b.recommended?.channels ?? [])].map((x) => x.channel)),
  ];
  const spendOf = (a: typeof b.proposed, ch: string) => a?.channels.find((x) => x.channel === ch)?.spend ?? 0;
  chart(
    bs,
    {
      type: "bar",
      data: {
        labels: names,
        datasets: [
          {
            label: "Proposed",
            data: names.map((n) => spendOf(b.proposed, n)),
            backgroundColor: COLORS.observed,
            borderRadius: 3,
          },
          {
            label: "Recommended",
            data: names.map((n) => spendOf(b.recommended, n)),
            backgroundColor: COLORS.value,
            borderRadius: 3,
          },
        ],
      },
      options: { scales: { y: { title: { display: true, text: `spend (${r.currency || "currency"})` } } } },
    },
    240,
    "budget",
  );
  table(
    bs,
    ["", "New customers", "Projected value", "Value per unit spent"],
    [
      [
        "Proposed",
        count(b.proposed?.newCustomers),
        money(b.proposed?.value, r.currency),
        num(b.proposed?.valuePerSpend, 2),
      ],
      [
        "Recommended",
        count(b.recommended?.newCustomers),
        money(b.recommended?.value, r.currency),
        num(b.recommended?.valuePerSpend, 2),
      ],
    ],
  );
  const ul = el("ul", "assumptions");
  for (const a of b.assumptions) ul.append(el("li", "", a));
  bs.append(el("h3", "", "Assumptions"), ul);
  if (b.valueGain !== null)
    bs.append(
      el(
        "p",
        "lead",
        `Projected gain from reallocating: ${money(b.valueGain, r.currency)} (${pct(b.proposed?.value ? b.valueGain / b.proposed.value : null)}).`,
      ),
    );
}
