import type { Context, Hono } from "hono";
import { z } from "zod";
import { parseWith } from "./errors.ts";

/** Documentation and validation of one endpoint; the OpenAPI document is generated from these. */
export interface RouteSpec<Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  readonly method: "get" | "post" | "delete";
  /** OpenAPI-style path ("/api/v1/datasets/{id}"). */
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** False for the one open endpoint (health). */
  readonly auth?: boolean;
  /** Query parameters (an object schema; values arrive as strings, so numbers use `z.coerce`). */
  readonly query?: Q;
  /** JSON request body. */
  readonly body?: B;
  /** A non-JSON request body (a CSV upload). */
  readonly rawBody?: { readonly contentType: string; readonly description: string };
  readonly responses: Readonly<
    Record<number, { readonly description: string; readonly contentType?: string }>
  >;
}

/** What a handler receives: the context and the validated path, query and body. */
export interface RouteInput<Q extends z.ZodType, B extends z.ZodType> {
  readonly c: Context;
  readonly params: Record<string, string>;
  readonly query: z.output<Q>;
  readonly body: z.output<B>;
}

/** Every route registered so far, in order (the OpenAPI document lists them). */
export type RouteTable = RouteSpec[];

/**
 * Registers a route on the app and in the table: path parameters, query and body are validated before the
 * handler runs (every problem listed in one 400 answer).
 * @example route(app, table, { method: "get", path: "/api/v1/jobs/{id}", ... }, ({ params }) => ...)
 */
export function route<Q extends z.ZodType, B extends z.ZodType>(
  app: Hono,
  table: RouteTable,
  spec: RouteSpec<Q, B>,
  handler: (input: RouteInput<Q, B>) => Response | Promise<Response>,
): void {
  table.push(spec as unknown as RouteSpec);
  const honoPath = spec.path.replace(/\{(\w+)\}/g, ":$1");
  app.on(spec.method.toUpperCase(), honoPath, async (c) => {
    const query = spec.query ? parseWith(spec.query, c.req.query(), "query") : ({} as z.output<Q>);
    let body = undefined as z.output<B>;
    if (spec.body) {
      let raw: unknown;
      try {
        raw = await c.req.json();
      } catch {
        raw = Symbol.for("invalid-json");
      }
      body =
        typeof raw === "symbol"
          ? parseWith(
              z.never({ error: "the body must be JSON (Content-Type: application/json)" }),
              undefined,
              "body",
            )
          : parseWith(spec.body, raw, "body");
    }
    return handler({ c, params: c.req.param() as Record<string, string>, query, body });
  });
}

const issueSchema = {
  type: "object",
  required: ["code", "message"],
  properties: {
    code: { type: "string", description: "a code from the closed set in core's errors/issues.ts" },
    message: { type: "string" },
    location: {
      type: "object",
      properties: {
        file: { type: "string" },
        line: { type: "integer" },
        column: { type: ["string", "integer"] },
        field: {
          type: "string",
          description: "where in the request: body.customers.3.x, query.cut, path.id",
        },
        index: { type: "integer" },
      },
    },
  },
};

const jsonSchema = (s: z.ZodType) =>
  z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "openapi-3.0" });

/**
 * The OpenAPI 3.0 document of the registered routes, generated from the same zod schemas that validate
 * the requests.
 * @example openApiDocument(table, "0.1.0").paths["/api/v1/health"]
 */
export function openApiDocument(table: readonly RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of table) {
    const parameters: unknown[] = [];
    for (const m of r.path.matchAll(/\{(\w+)\}/g))
      parameters.push({ name: m[1], in: "path", required: true, schema: { type: "string" } });
    if (r.query instanceof z.ZodObject) {
      for (const [name, s] of Object.entries(r.query.shape as Record<string, z.ZodType>)) {
        const schema = jsonSchema(s) as { description?: string };
        parameters.push({
          name,
          in: "query",
          required: !s.safeParse(undefined).success,
          ...(schema.description ? { description: schema.description } : {}),
          schema,
        });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, d] of Object.entries(r.responses)) {
      responses[status] = {
        description: d.description,
        content: { [d.contentType ?? "application/json"]: { schema: {} } },
      };
    }
    responses["400"] ??= { description: "invalid request: every problem listed", content: errorContent };
    if (r.auth !== false)
      responses["401"] = { description: "missing or wrong API key", content: errorContent };
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      ...(r.auth === false ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } } }
        : r.rawBody
          ? {
              requestBody: {
                required: true,
                description: r.rawBody.description,
                content: { [r.rawBody.contentType]: { schema: { type: "string" } } },
              },
            }
          : {}),
      responses,
    };
  }
  return {
    openapi: "3.0.3",
    info: {
      title: "valuecast API",
      version,
      description:
        "Predictive customer lifetime value: datasets, models, per-customer scores and profiles, segments, cohorts, channels, forecasts and exports. JSON shapes are those of the valuecast CLI's --json output. Errors are `{ issues: Issue[] }`.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { apiKeyHeader: [] }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Authorization: Bearer <API key>" },
        apiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
      },
      schemas: {
        Issue: issueSchema,
        ErrorResponse: {
          type: "object",
          required: ["issues"],
          properties: { issues: { type: "array", items: { $ref: "#/components/schemas/Issue" } } },
        },
      },
    },
    paths,
  };
}

const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } };
