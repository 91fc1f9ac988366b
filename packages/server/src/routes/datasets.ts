import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, realpath } from "node:fs/promises";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { issue, ValuecastError } from "@valuecast/core";
import type { ContactRecord, MappingOverrides, SourceSpec } from "@valuecast/data";
import type { IngestOptions } from "../compose/ingest.ts";
import { registerDataset } from "../compose/register.ts";
import type { RouteContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { route } from "../routing.ts";
import { registerBody, uploadQuery } from "../schemas.ts";

async function checkPath(path: string, roots: readonly string[] | undefined): Promise<string> {
  const abs = resolve(path);
  if (!roots || roots.length === 0) return abs;
  // Resolve symlinks on both sides so a link cannot lead outside the allowed folders.
  const real = await realpath(abs).catch(() => abs);
  for (const r of roots) {
    const root = await realpath(resolve(r)).catch(() => resolve(r));
    const rel = relative(root, real);
    if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) return abs;
  }
  throw new ValuecastError([
    issue("INVALID_REQUEST", "the file is outside the folders this server may read", {
      field: "body.source.path",
    }),
  ]);
}

/** Splits one CSV line (quotes, doubled quotes). */
function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** Contacts CSV: customer_id plus any of email, phone, first_name, last_name, country, zip, gclid/click_id. */
export function parseContactsCsv(text: string): {
  contacts: ContactRecord[];
  issues: ReturnType<typeof issue>[];
} {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = csvCells(lines[0] ?? "").map((h) => h.toLowerCase().replace(/[^a-z]/g, ""));
  const at = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const idx = {
    id: at("customerid", "id", "customer"),
    email: at("email", "emailaddress"),
    phone: at("phone", "phonenumber"),
    first: at("firstname", "fn"),
    last: at("lastname", "ln", "surname"),
    country: at("country", "countrycode"),
    zip: at("zip", "zipcode", "postalcode", "postcode"),
    click: at("gclid", "clickid", "googleclickid"),
  };
  if (idx.id < 0)
    return {
      contacts: [],
      issues: [issue("MISSING_COLUMN", "the contacts file needs a customer_id column", { line: 1 })],
    };
  const contacts: ContactRecord[] = [];
  const issues: ReturnType<typeof issue>[] = [];
  lines.slice(1).forEach((line, k) => {
    const f = csvCells(line);
    const get = (i: number) => (i >= 0 ? f[i] || null : null);
    const id = get(idx.id);
    if (!id) {
      issues.push(issue("MISSING_CUSTOMER_ID", "the row has no customer id", { line: k + 2 }));
      return;
    }
    contacts.push({
      customerId: id.replace(/^(\d+)\.0+$/, "$1"),
      email: get(idx.email),
      phone: get(idx.phone),
      firstName: get(idx.first),
      lastName: get(idx.last),
      country: get(idx.country),
      zip: get(idx.zip),
      clickId: get(idx.click),
    });
  });
  return { contacts, issues };
}

/**
 * Dataset routes: register a file or database source, upload a CSV, poll jobs, list and read datasets,
 * attach contacts (for the ad-platform exports).
 */
export function datasetRoutes({ app, table, deps, ws, jobs }: RouteContext): void {
  const startIngest = (spec: SourceSpec, label: string, name: string, options: IngestOptions) =>
    jobs.start("register-dataset", async (progress) => {
      const info = await registerDataset(ws, spec, { name, label, options }, progress);
      return { datasetId: info.id, customers: info.customers, transactions: info.transactions };
    });

  route(
    app,
    table,
    {
      method: "post",
      path: "/api/v1/datasets",
      tag: "datasets",
      summary: "Register a dataset from a file path or a database table/query (runs as a job)",
      description:
        "The source is summarised inside its engine (DuckDB for files, PostgreSQL pushdown for postgres:// URLs) and stored in the workspace with its transactions. Answers 202 with the job; poll GET /api/v1/jobs/{id}.",
      body: registerBody,
      responses: { 202: { description: "the job (status, progress, stage)" } },
    },
    async ({ c, body }) => {
      const options: IngestOptions = {
        timeUnit: body.timeUnit,
        ...(body.calibrationEnd ? { calibrationEnd: body.calibrationEnd } : {}),
        ...(body.end ? { end: body.end } : {}),
        ...(body.columns ? { columns: body.columns as MappingOverrides } : {}),
      };
      let spec: SourceSpec;
      let label: string;
      if ("path" in body.source) {
        const path = await checkPath(body.source.path, deps.dataRoots);
        spec = path;
        label = `file ${basename(path)}`;
      } else {
        const s = body.source;
        spec = { url: s.url, ...(s.table ? { table: s.table } : {}), ...(s.query ? { query: s.query } : {}) };
        label = `${s.url.startsWith("duckdb:") ? "duckdb" : "postgres"} ${s.table ? `table ${s.table}` : "query"}`;
      }
      const job = startIngest(spec, label, body.name ?? label, options);
      return c.json(job, 202);
    },
  );

  route(
    app,
    table,
    {
      method: "post",
      path: "/api/v1/datasets/upload",
      tag: "datasets",
      summary: "Upload a transaction CSV as the request body and register it (runs as a job)",
      query: uploadQuery,
      rawBody: {
        contentType: "text/csv",
        description: "transactions: customer, date, amount[, channel, campaign] columns",
      },
      responses: { 202: { description: "the job" } },
    },
    async ({ c, query }) => {
      const stream = c.req.raw.body;
      if (!stream)
        throw new ValuecastError([
          issue("EMPTY_INPUT", "the request has no body: send the CSV text", { field: "body" }),
        ]);
      await mkdir(ws.uploadDir, { recursive: true });
      const file = join(ws.uploadDir, `upload_${randomUUID()}.csv`);
      await pipeline(Readable.fromWeb(stream as never), createWriteStream(file));
      const columns: MappingOverrides = {
        ...(query.customer ? { customer: query.customer } : {}),
        ...(query.date ? { date: query.date } : {}),
        ...(query.amount ? { amount: query.amount } : {}),
        ...(query.channel ? { channel: query.channel } : {}),
        ...(query.campaign ? { campaign: query.campaign } : {}),
      };
      const job = startIngest(file, "upload", query.name ?? "upload", {
        timeUnit: query.timeUnit,
        ...(query.calibrationEnd ? { calibrationEnd: query.calibrationEnd } : {}),
        ...(query.end ? { end: query.end } : {}),
        ...(Object.keys(columns).length ? { columns } : {}),
      });
      return c.json(job, 202);
    },
  );

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/jobs/{id}",
      tag: "datasets",
      summary: "A job's status, progress (0..1), stage, result ({ datasetId }) or issues",
      responses: { 200: { description: "the job" }, 404: { description: "unknown job" } },
    },
    ({ c, params }) => {
      const job = jobs.get(params.id!);
      if (!job) throw notFound("job", params.id!);
      return c.json(job);
    },
  );

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/datasets",
      tag: "datasets",
      summary: "Every dataset in the workspace",
      responses: { 200: { description: "{ datasets: DatasetInfo[] }" } },
    },
    async ({ c }) => c.json({ datasets: await ws.listDatasets() }),
  );

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/datasets/{id}",
      tag: "datasets",
      summary:
        "One dataset: customers, transactions, time unit, calibration end, mapping and the ingest report",
      responses: { 200: { description: "DatasetInfo" }, 404: { description: "unknown dataset" } },
    },
    async ({ c, params }) => {
      const d = await ws.dataset(params.id!);
      if (!d) throw notFound("dataset", params.id!);
      return c.json(d);
    },
  );

  route(
    app,
    table,
    {
      method: "post",
      path: "/api/v1/datasets/{id}/contacts",
      tag: "datasets",
      summary:
        "Attach contact and click fields (CSV body) for the ad-platform exports; replaces earlier ones",
      rawBody: {
        contentType: "text/csv",
        description: "customer_id plus any of email, phone, first_name, last_name, country, zip, gclid",
      },
      responses: { 200: { description: "{ contacts, unknownCustomers, issues }" } },
    },
    async ({ c, params }) => {
      const data = await ws.load(params.id!);
      if (!data) throw notFound("dataset", params.id!);
      const { contacts, issues } = parseContactsCsv(await c.req.text());
      if (contacts.length === 0 && issues.length > 0) throw new ValuecastError(issues);
      const unknown = contacts.filter((k) => !data.index.has(k.customerId)).length;
      await ws.saveContacts(data.info.id, contacts);
      return c.json({ contacts: contacts.length, unknownCustomers: unknown, issues });
    },
  );
}
