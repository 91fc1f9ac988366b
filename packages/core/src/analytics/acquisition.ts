import type { CustomerHistory } from "./histories.ts";

/**
 * The channel name used when a customer's acquisition channel is unknown.
 * @example acquisitionOf(historyWithoutChannel).channel === UNKNOWN_CHANNEL // true
 */
export const UNKNOWN_CHANNEL = "(unknown)";

/** Acquisition channel/campaign overrides per customer id, e.g. from a customer attributes file. */
export type AcquisitionAttributes = ReadonlyMap<
  string,
  { readonly channel?: string; readonly campaign?: string }
>;

/** A customer's acquisition source. */
export interface Acquisition {
  readonly channel: string;
  readonly campaign: string | null;
}

/**
 * A customer's acquisition channel and campaign: the attributes map's values when given, otherwise the
 * first order's; `UNKNOWN_CHANNEL` and null when neither says.
 * @example acquisitionOf(history, new Map([[history.customerId, { channel: "tv" }]])).channel // "tv"
 */
export function acquisitionOf(h: CustomerHistory, attributes?: AcquisitionAttributes): Acquisition {
  const a = attributes?.get(h.customerId);
  return {
    channel: a?.channel ?? h.channel ?? UNKNOWN_CHANNEL,
    campaign: a?.campaign ?? h.campaign ?? null,
  };
}
