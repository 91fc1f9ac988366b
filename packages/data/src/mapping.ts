import { issue, ValuecastError } from "@valuecast/core";
import type { ColumnMapping, SourceColumn } from "./sql/columns.ts";

/** Roles a source column can play. */
export type ColumnRole = keyof Omit<ColumnMapping, "cancelPrefix">;

/** Column names given by the user (flags); they win over detection. */
export type MappingOverrides = Partial<ColumnMapping>;

/** The mapping used and, per role, whether it was given or detected (for the "what was chosen" message). */
export interface MappingReport {
  readonly mapping: ColumnMapping;
  readonly chosen: Partial<Record<ColumnRole | "cancelPrefix", "given" | "detected">>;
  /** One line for people, e.g. "customer=CustomerID, date=InvoiceDate, amount=Quantity x UnitPrice, …". */
  readonly description: string;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

// Common names, most specific first.
const NAMES: Record<ColumnRole, readonly string[]> = {
  customer: [
    "customerid",
    "customer",
    "custid",
    "customerno",
    "customernumber",
    "clientid",
    "userid",
    "user",
    "householdid",
    "household",
    "memberid",
    "accountid",
    "buyerid",
    "shopperid",
  ],
  date: [
    "date",
    "invoicedate",
    "orderdate",
    "transactiondate",
    "purchasedate",
    "timestamp",
    "transactiontimestamp",
    "datetime",
    "orderedat",
    "createdat",
    "purchasedat",
    "time",
    "day",
  ],
  amount: [
    "amount",
    "revenue",
    "value",
    "salesvalue",
    "dollarvalue",
    "sales",
    "ordervalue",
    "total",
    "totalamount",
    "totalprice",
    "linetotal",
    "netrevenue",
    "spend",
    "monetary",
    "price",
  ],
  quantity: ["quantity", "qty", "units", "numberofcds", "numberofitems", "items"],
  unitPrice: ["unitprice", "itemprice", "priceeach", "price"],
  channel: ["channel", "acquisitionchannel", "orderchannel", "utmsource", "source", "medium", "origin"],
  campaign: ["campaign", "campaignid", "campaignname", "utmcampaign"],
  order: [
    "invoiceno",
    "invoice",
    "invoiceid",
    "invoicenumber",
    "orderid",
    "order",
    "ordernumber",
    "transactionid",
    "basketid",
    "receiptid",
  ],
  cancelled: ["cancelled", "canceled", "iscancelled", "iscanceled", "iscancel", "cancel"],
};

function detect(columns: readonly SourceColumn[], role: ColumnRole, taken: Set<string>): string | undefined {
  for (const name of NAMES[role]) {
    const hit = columns.find((c) => norm(c.name) === name && !taken.has(c.name));
    if (hit) return hit.name;
  }
  return undefined;
}

/**
 * Chooses the source columns: overrides first, then common names (customer_id / CustomerID / user_id /
 * household_id, date / InvoiceDate / timestamp / transaction_timestamp, amount / revenue / value /
 * sales_value / dollar_value, else Quantity x UnitPrice, channel, campaign, invoice/order id). An order
 * column named InvoiceNo/Invoice gets UCI's cancellation prefix "C" unless one is given.
 * Throws MISSING_COLUMN (listing the columns) when no customer, date or amount column is found.
 * @example resolveMapping([{ name: "CustomerID", kind: "text" }, { name: "InvoiceDate", kind: "text" }, { name: "Quantity", kind: "text" }, { name: "UnitPrice", kind: "text" }], {}).description
 * // "customer=CustomerID, date=InvoiceDate, amount=Quantity x UnitPrice, quantity=Quantity"
 */
export function resolveMapping(
  columns: readonly SourceColumn[],
  overrides: MappingOverrides = {},
): MappingReport {
  const names = new Set(columns.map((c) => c.name));
  const problems = [];
  for (const [role, name] of Object.entries(overrides)) {
    if (role !== "cancelPrefix" && name !== undefined && !names.has(name)) {
      problems.push(
        issue("MISSING_COLUMN", `--${role} ${name}: no such column (columns: ${[...names].join(", ")})`, {
          column: name,
        }),
      );
    }
  }
  if (problems.length) throw new ValuecastError(problems);
  const chosen: MappingReport["chosen"] = {};
  const taken = new Set<string>(
    Object.entries(overrides)
      .filter(([k, v]) => k !== "cancelPrefix" && v !== undefined)
      .map(([, v]) => v as string),
  );
  const pick = (role: ColumnRole): string | undefined => {
    const given = overrides[role];
    if (given !== undefined) {
      chosen[role] = "given";
      return given;
    }
    const found = detect(columns, role, taken);
    if (found !== undefined) {
      chosen[role] = "detected";
      taken.add(found);
    }
    return found;
  };
  const customer = pick("customer");
  const date = pick("date");
  const order = pick("order");
  const channel = pick("channel");
  const campaign = pick("campaign");
  const cancelled = pick("cancelled");
  let amount = overrides.amount;
  if (amount !== undefined) chosen.amount = "given";
  const quantity = pick("quantity");
  let unitPrice: string | undefined;
  if (amount === undefined) {
    unitPrice =
      overrides.unitPrice ?? (quantity !== undefined ? detect(columns, "unitPrice", taken) : undefined);
    if (quantity !== undefined && unitPrice !== undefined) {
      chosen.unitPrice = overrides.unitPrice !== undefined ? "given" : "detected";
    } else {
      unitPrice = undefined;
      amount = pick("amount");
    }
  }
  const missing: string[] = [];
  if (customer === undefined) missing.push("customer (--customer)");
  if (date === undefined) missing.push("date (--date)");
  if (amount === undefined && unitPrice === undefined)
    missing.push("amount (--amount, or quantity and unit price)");
  if (missing.length) {
    throw new ValuecastError([
      issue(
        "MISSING_COLUMN",
        `cannot tell which column is the ${missing.join(", ")}; columns: ${[...names].join(", ")}`,
      ),
    ]);
  }
  let cancelPrefix = overrides.cancelPrefix;
  if (cancelPrefix !== undefined) chosen.cancelPrefix = "given";
  else if (order !== undefined && ["invoiceno", "invoice"].includes(norm(order))) {
    cancelPrefix = "C";
    chosen.cancelPrefix = "detected";
  }
  const mapping: ColumnMapping = {
    customer: customer!,
    date: date!,
    ...(amount !== undefined ? { amount } : {}),
    ...(quantity !== undefined ? { quantity } : {}),
    ...(unitPrice !== undefined ? { unitPrice } : {}),
    ...(channel !== undefined ? { channel } : {}),
    ...(campaign !== undefined ? { campaign } : {}),
    ...(order !== undefined ? { order } : {}),
    ...(cancelled !== undefined ? { cancelled } : {}),
    ...(order !== undefined && cancelPrefix ? { cancelPrefix } : {}),
  };
  const parts = [`customer=${mapping.customer}`, `date=${mapping.date}`];
  parts.push(
    mapping.amount !== undefined
      ? `amount=${mapping.amount}`
      : `amount=${mapping.quantity} x ${mapping.unitPrice}`,
  );
  if (mapping.amount !== undefined && mapping.quantity !== undefined)
    parts.push(`quantity=${mapping.quantity}`);
  if (mapping.amount === undefined && mapping.quantity !== undefined)
    parts.push(`quantity=${mapping.quantity}`);
  for (const k of ["channel", "campaign", "order", "cancelled"] as const)
    if (mapping[k] !== undefined) parts.push(`${k}=${mapping[k]}`);
  if (mapping.cancelPrefix)
    parts.push(`cancelled when ${mapping.order} starts with "${mapping.cancelPrefix}"`);
  return { mapping, chosen, description: parts.join(", ") };
}
