import { type Issue, type IssueCode, issue, ValuecastError } from "@valuecast/core";
import type { z } from "zod";

/** HTTP status for each issue code the API answers with (400 for every input problem not listed). */
const STATUS: Partial<Record<IssueCode, 401 | 404 | 409 | 413 | 500>> = {
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  SOURCE_NOT_FOUND: 404,
  NOT_READY: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

/**
 * The status of an error response: the first issue's mapped status, else 400.
 * @example statusOf([issue("NOT_FOUND", "no dataset x")]) // 404
 */
export function statusOf(issues: readonly Issue[]): 400 | 401 | 404 | 409 | 413 | 500 {
  return STATUS[issues[0]?.code ?? "INVALID_REQUEST"] ?? 400;
}

/**
 * Issues from a zod failure: one per problem, the location's `field` is where it was (`body.customers.3.x`,
 * `query.cut`), so a client sees every problem at once.
 * @example zodIssues(result.error, "query")[0]?.location?.field // "query.cut"
 */
export function zodIssues(error: z.ZodError, where: "body" | "query" | "path"): Issue[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join(".");
    const field = path ? `${where}.${path}` : where;
    return issue("INVALID_REQUEST", `${field}: ${i.message}`, { field });
  });
}

/**
 * Parses a value with a schema, throwing every problem as one `ValuecastError`.
 * @example const q = parseWith(querySchema, c.req.query(), "query")
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: "body" | "query" | "path",
): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValuecastError(zodIssues(r.error, where));
  return r.data;
}

/**
 * A NOT_FOUND issue as an exception.
 * @example throw notFound("dataset", id)
 */
export function notFound(what: string, id: string): ValuecastError {
  return new ValuecastError([issue("NOT_FOUND", `no ${what} '${id}'`, { field: what })]);
}
