import { COLORS, chart, el, kpi, section } from "../dom.ts";
import { money, num, pct } from "../format.ts";
import type { CustomerCard, ReportInput } from "../types.ts";

/** Finds a customer's card by id; null when unknown. @example const find: CustomerFinder = async (id) => null */
export type CustomerFinder = (customerId: string) => Promise<CustomerCard | null>;

/** The profile card with the purchase timeline. @example renderCard(box, card, "$") */
export function renderCard(box: HTMLElement, card: CustomerCard, currency: string): void {
  const p = card.profile;
  box.replaceChildren();
  box.append(el("h3", "card-title", `Customer ${p.customerId}`));
  const row = el("div", "kpis compact");
  box.append(row);
  kpi(row, "Historic CLV", money(p.historicClv, currency));
  kpi(row, `Predicted CLV (${p.horizon.value} ${p.horizon.unit}s)`, money(p.predictedClv, currency));
  kpi(row, "Total CLV", money(p.totalClv, currency));
  kpi(row, "P(alive)", pct(p.pAlive, 0));
  kpi(
    row,
    "Next order",
    p.nextOrderDate ?? (p.nextOrderStatus === "none_within_horizon" ? "not within horizon" : "unavailable"),
  );
  kpi(row, "Orders / days between", `${p.orders} / ${num(p.averageDaysBetweenOrders, 0)}`);
  if (p.notEnoughData) box.append(el("p", "band weak", p.notEnoughData.message));
  const end = p.calibrationEndDate;
  box.append(
    el(
      "p",
      "lead",
      `Purchase timeline${end ? `: indigo orders are the model's data (to ${end}); amber ones came after it` : ""}.`,
    ),
  );
  chart(
    box,
    {
      type: "bar",
      data: {
        labels: card.purchases.map((x) => x.date),
        datasets: [
          {
            label: "Order value",
            data: card.purchases.map((x) => x.amount),
            backgroundColor: COLORS.value,
            borderRadius: 3,
          },
        ],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: { y: { title: { display: true, text: `order value (${currency || "currency"})` } } },
      },
    },
    200,
    "timeline",
  );
}

/** Customer lookup: a search box and the profile card. @example renderCustomer(root, input, findIn(input)) */
export function renderCustomer(root: HTMLElement, r: ReportInput, find: CustomerFinder): void {
  const s = section(
    root,
    "Customer lookup",
    "Type a customer id to see its value, how likely it is to buy again, and when.",
  );
  const form = el("form", "lookup");
  const input = el("input");
  input.name = "customer";
  input.id = "customer-id";
  input.placeholder = r.customers[0] ? `e.g. ${r.customers[0].profile.customerId}` : "customer id";
  const button = el("button", "", "Look up");
  button.type = "submit";
  form.append(input, button);
  s.append(form);
  const box = el("div", "card");
  box.id = "customer-card";
  s.append(box);
  if (r.customers.length > 0) {
    const hint = el("p", "lead", "Top customers by predicted value: ");
    for (const c of r.customers.slice(0, 8)) {
      const a = el("a", "chip", c.profile.customerId);
      a.href = "#";
      a.addEventListener("click", (e) => {
        e.preventDefault();
        input.value = c.profile.customerId;
        form.requestSubmit();
      });
      hint.append(a);
    }
    s.insertBefore(hint, box);
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const id = input.value.trim();
    if (!id) return;
    box.replaceChildren(el("p", "lead", "Looking up…"));
    try {
      const card = await find(id);
      if (card) renderCard(box, card, r.currency);
      else box.replaceChildren(el("p", "error", `No customer with id "${id}".`));
    } catch (err) {
      box.replaceChildren(el("p", "error", err instanceof Error ? err.message : String(err)));
    }
  });
}

/** A finder over the customers embedded in the report. @example findIn(input)("00004") */
export function findIn(r: ReportInput): CustomerFinder {
  const byId = new Map(r.customers.map((c) => [c.profile.customerId, c]));
  return async (id) => byId.get(id) ?? byId.get(id.replace(/^0+/, "")) ?? null;
}
