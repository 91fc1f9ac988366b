import type { Issue } from "../errors/issues.ts";
import { type AcquisitionAttributes, acquisitionOf } from "./acquisition.ts";
import { type CalendarGrain, periodIndex, periodLabel } from "./dates.ts";
import type { CustomerHistory, HistoriesResult } from "./histories.ts";
import {
  type MaturedLtv,
  maturedLtv,
  type NewCustomerCurve,
  observedCumulativeRevenueByMonth,
  type Payback,
  paybackMonth,
} from "./ltv-curve.ts";
import type { NullReason } from "./null-reason.ts";
import { placeSpend, type SpendRow } from "./spend.ts";

/** CAC of one channel (or channel and campaign) in one period. */
export interface CacRow {
  readonly channel: string;
  /** null on channel-level rows. */
  readonly campaign: string | null;
  readonly period: string;
  readonly spend: number;
  readonly newCustomers: number;
  /** spend / newCustomers; null (with `reason`) when no customer was acquired. */
  readonly cac: number | null;
  readonly reason?: string;
}

/** Economics of one acquisition channel, or of one campaign within a channel. */
export interface ChannelEconomics {
  readonly channel: string;
  /** null for the channel as a whole. */
  readonly campaign: string | null;
  /** Customers acquired through it (whole data). */
  readonly customers: number;
  /** Total spend over its spend rows; null when it has none. */
  readonly spend: number | null;
  /** Customers acquired in the periods its spend rows cover (the CAC denominator). */
  readonly newCustomersInSpendPeriods: number;
  /** spend / newCustomersInSpendPeriods. */
  readonly cac: number | null;
  /** Historic LTV (net revenue per customer) at fixed ages, over customers observed that long. */
  readonly historicLtv: readonly MaturedLtv[];
  /** Mean over its customers of margin x historic revenue + predicted CLV over the horizon. */
  readonly predictedLtv: number | null;
  readonly ltvToCac: number | null;
  /** ltvToCac >= the guide (3 by default). */
  readonly meetsGuide: boolean | null;
  /** ltvToCac < 1: each acquired customer is expected to return less margin than they cost. */
  readonly belowOne: boolean | null;
  readonly payback: Payback;
  readonly reasons: readonly NullReason[];
}

export interface ChannelOptions {
  readonly spend?: readonly SpendRow[];
  readonly attributes?: AcquisitionAttributes;
  /** Period grain for CAC; default "month". */
  readonly grain?: CalendarGrain;
  /** Contribution margin as a share of revenue, for LTV and payback; default 1. */
  readonly margin?: number;
  /** Predicted CLV over the horizon per customer (margin-weighted, from the CLV module); undefined when unknown. */
  readonly predictedClv?: (customerId: string) => number | undefined;
  /** The model's new-customer curve, for projecting payback (per channel in `curves`, else this one). */
  readonly curve?: NewCustomerCurve;
  readonly curves?: Readonly<Record<string, NewCustomerCurve>>;
  /** Ages for historic LTV; default 30, 90, 180, 365 days. */
  readonly ltvDays?: readonly number[];
  /** Stop looking for payback after this many months; default 36. */
  readonly maxPaybackMonths?: number;
  /** Observed payback months need at least this many customers observed that long; default 10. */
  readonly minCustomersObserved?: number;
  /** The LTV:CAC guide; default 3 (the common 3:1 rule of thumb). */
  readonly ltvToCacGuide?: number;
}

export interface ChannelReport {
  readonly grain: CalendarGrain;
  readonly margin: number;
  readonly ltvToCacGuide: number;
  readonly channels: readonly ChannelEconomics[];
  /** Per channel and campaign (only when some customer or spend row names a campaign). */
  readonly campaigns: readonly ChannelEconomics[];
  readonly cacByPeriod: readonly CacRow[];
  readonly definitions: readonly string[];
  readonly issues: readonly Issue[];
}

const key = (channel: string, campaign: string | null): string => `${channel}\u0000${campaign ?? ""}`;

interface Group {
  channel: string;
  campaign: string | null;
  members: CustomerHistory[];
  newByPeriod: Map<number, number>;
  spendByPeriod: Map<number, number>;
}

function groupOf(map: Map<string, Group>, channel: string, campaign: string | null): Group {
  const k = key(channel, campaign);
  let g = map.get(k);
  if (!g) {
    g = { channel, campaign, members: [], newByPeriod: new Map(), spendByPeriod: new Map() };
    map.set(k, g);
  }
  return g;
}

/**
 * Channel and campaign economics: customers, CAC per period and overall, historic LTV at fixed ages,
 * predicted LTV, LTV:CAC against the guide, payback month (observed or projected) and the LTV:CAC < 1 flag.
 * Definitions are returned with the result (`definitions`).
 * @example channelEconomics(customerHistories(tx), { spend, margin: 0.5, predictedClv }).channels[0]?.ltvToCac // 1.2 (LTV 60 / CAC 50)
 */
export function channelEconomics(data: HistoriesResult, options: ChannelOptions = {}): ChannelReport {
  const grain = options.grain ?? "month";
  const margin = options.margin ?? 1;
  const guide = options.ltvToCacGuide ?? 3;
  const ltvDays = options.ltvDays ?? [30, 90, 180, 365];
  const maxMonths = options.maxPaybackMonths ?? 36;
  const minObserved = options.minCustomersObserved ?? 10;
  const channels = new Map<string, Group>();
  const campaigns = new Map<string, Group>();
  for (const h of data.histories) {
    const a = acquisitionOf(h, options.attributes);
    const p = periodIndex(h.firstDay, grain);
    const gs = [groupOf(channels, a.channel, null)];
    if (a.campaign !== null) gs.push(groupOf(campaigns, a.channel, a.campaign));
    for (const g of gs) {
      g.members.push(h);
      g.newByPeriod.set(p, (g.newByPeriod.get(p) ?? 0) + 1);
    }
  }
  const { placed, issues } = placeSpend(options.spend ?? [], grain);
  for (const s of placed) {
    const gs = [groupOf(channels, s.channel, null)];
    if (s.campaign !== null) gs.push(groupOf(campaigns, s.channel, s.campaign));
    for (const g of gs) g.spendByPeriod.set(s.period, (g.spendByPeriod.get(s.period) ?? 0) + s.spend);
  }

  const cacByPeriod: CacRow[] = [];
  const economics = (g: Group): ChannelEconomics => {
    const reasons: NullReason[] = [];
    let spend: number | null = null;
    let newInSpend = 0;
    const periods = [...g.spendByPeriod.keys()].sort((a, b) => a - b);
    for (const p of periods) {
      const s = g.spendByPeriod.get(p) as number;
      const n = g.newByPeriod.get(p) ?? 0;
      spend = (spend ?? 0) + s;
      newInSpend += n;
      cacByPeriod.push({
        channel: g.channel,
        campaign: g.campaign,
        period: periodLabel(p, grain),
        spend: s,
        newCustomers: n,
        cac: n > 0 ? s / n : null,
        ...(n > 0 ? {} : { reason: "no new customers in this period" }),
      });
    }
    let cac: number | null = null;
    if (spend === null) reasons.push({ field: "cac", reason: "no spend rows for it" });
    else if (newInSpend === 0)
      reasons.push({ field: "cac", reason: "no new customers in the periods with spend" });
    else cac = spend / newInSpend;

    let predictedLtv: number | null = null;
    if (!options.predictedClv)
      reasons.push({ field: "predictedLtv", reason: "no per-customer predicted CLV given" });
    else if (g.members.length === 0) reasons.push({ field: "predictedLtv", reason: "no customers" });
    else {
      let sum = 0;
      let n = 0;
      for (const h of g.members) {
        const p = options.predictedClv(h.customerId);
        if (p === undefined || !Number.isFinite(p)) continue;
        let historic = 0;
        for (const a of h.revenueAmounts) historic += a;
        sum += margin * historic + p;
        n++;
      }
      if (n > 0) predictedLtv = sum / n;
      else reasons.push({ field: "predictedLtv", reason: "no finite prediction for any of its customers" });
    }
    let ltvToCac: number | null = null;
    if (predictedLtv !== null && cac !== null && cac > 0) ltvToCac = predictedLtv / cac;
    else
      reasons.push({
        field: "ltvToCac",
        reason: cac === 0 ? "CAC is 0 (no spend)" : "needs both CAC and LTV",
      });

    let payback: Payback;
    if (cac === null) payback = { month: null, source: null, observedMonths: 0, reason: "no CAC" };
    else {
      const observed = observedCumulativeRevenueByMonth(g.members, data.endDay, minObserved);
      payback = paybackMonth(observed, cac, margin, options.curves?.[g.channel] ?? options.curve, maxMonths);
    }
    return {
      channel: g.channel,
      campaign: g.campaign,
      customers: g.members.length,
      spend,
      newCustomersInSpendPeriods: newInSpend,
      cac,
      historicLtv: ltvDays.map((d) => maturedLtv(g.members, data.endDay, d)),
      predictedLtv,
      ltvToCac,
      meetsGuide: ltvToCac === null ? null : ltvToCac >= guide,
      belowOne: ltvToCac === null ? null : ltvToCac < 1,
      payback,
      reasons,
    };
  };
  const byName = (a: ChannelEconomics, b: ChannelEconomics): number =>
    a.channel.localeCompare(b.channel) || (a.campaign ?? "").localeCompare(b.campaign ?? "");
  return {
    grain,
    margin,
    ltvToCacGuide: guide,
    channels: [...channels.values()].map(economics).sort(byName),
    campaigns: [...campaigns.values()].map(economics).sort(byName),
    cacByPeriod: cacByPeriod.sort(
      (a, b) =>
        a.channel.localeCompare(b.channel) ||
        (a.campaign ?? "").localeCompare(b.campaign ?? "") ||
        a.period.localeCompare(b.period),
    ),
    definitions: [
      "acquisition channel/campaign: from the attributes map when given, else the first order's",
      "CAC = spend / customers acquired in the periods the spend rows cover (per period in cacByPeriod)",
      "historicLtv at N days: mean net revenue within N days of the first order, over customers observed N days",
      `predictedLtv: mean of margin (${margin}) x historic revenue + predicted CLV over the horizon`,
      `ltvToCac = predictedLtv / CAC; guide ${guide}:1; belowOne flags ltvToCac < 1`,
      `payback: first month of age where margin x cumulative revenue per customer >= CAC; observed while at least ${minObserved} customers are that old, then projected on the model's new-customer curve, up to ${maxMonths} months`,
    ],
    issues,
  };
}
