import type { CustomerProfile, Issue } from "@valuecast/core";
import type { CustomerCard, ReportInput } from "./types.ts";

/**
 * The API routes the dashboard calls (the server's `/api/v1` contract for the dashboard):
 * - `GET /api/v1/dashboard` -> `ReportInput` (every page's aggregated results, no per-customer arrays);
 * - `GET /api/v1/customers/{id}/profile` -> `CustomerCard` or a bare `CustomerProfile`;
 * - `GET /api/v1/exports/audience?tier=NAME` -> CSV file (customer id, tier, P(alive), predicted CLV).
 * Every request sends `Authorization: Bearer <API key>`.
 * @example await apiFetch(API_ROUTES.dashboard, key)
 */
export const API_ROUTES = {
  dashboard: "/api/v1/dashboard",
  profile: (id: string) => `/api/v1/customers/${encodeURIComponent(id)}/profile`,
  audience: (tier: string) => `/api/v1/exports/audience?tier=${encodeURIComponent(tier)}`,
} as const;

/** An API failure with the issues the server listed (code, message, location). @example if (e instanceof ApiError) e.issues[0]?.code */
export class ApiError extends Error {
  readonly status: number;
  readonly issues: readonly Issue[];
  constructor(status: number, issues: readonly Issue[], fallback: string) {
    super(issues.length > 0 ? issues.map((i) => `${i.code}: ${i.message}`).join("\n") : fallback);
    this.name = "ApiError";
    this.status = status;
    this.issues = issues;
  }
}

/** Reads the issues from an error body in any of the usual shapes: `{ issues }`, `{ error: Issue }`, `Issue`. @example issuesOf({ issues: [{ code: "BAD_DATE", message: "x" }] }).length // 1 */
export function issuesOf(body: unknown): Issue[] {
  if (!body || typeof body !== "object") return [];
  const b = body as { issues?: unknown; error?: unknown; code?: unknown; message?: unknown };
  if (Array.isArray(b.issues)) return b.issues as Issue[];
  if (b.error && typeof b.error === "object") return issuesOf(b.error);
  if (typeof b.code === "string" && typeof b.message === "string") return [b as Issue];
  return [];
}

/** Fetches a path with the API key, throwing `ApiError` on a non-2xx answer. @example await apiFetch("/api/v1/dashboard", key) */
export async function apiFetch(path: string, apiKey: string): Promise<Response> {
  const res = await fetch(path, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
  if (res.ok) return res;
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  throw new ApiError(res.status, issuesOf(body), `${res.status} ${res.statusText}`.trim());
}

/** The dashboard's results. @example const r = await fetchDashboard(key) */
export async function fetchDashboard(apiKey: string): Promise<ReportInput> {
  return (await (await apiFetch(API_ROUTES.dashboard, apiKey)).json()) as ReportInput;
}

/** One customer's card; null for 404. @example await fetchCustomer("00004", key) */
export async function fetchCustomer(id: string, apiKey: string): Promise<CustomerCard | null> {
  try {
    const body = (await (await apiFetch(API_ROUTES.profile(id), apiKey)).json()) as
      | CustomerCard
      | CustomerProfile;
    return "profile" in body ? body : { profile: body, purchases: [] };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}
