import { issue, ValuecastError } from "@valuecast/core";
import {
  audienceCsv,
  customerMatchCsv,
  type ExportFile,
  googleAdsConversionsCsv,
  metaConversionsPayload,
  metaValueAudienceCsv,
} from "@valuecast/data";
import type { Context } from "hono";
import type { z } from "zod";
import type { RouteContext } from "../context.ts";
import { route } from "../routing.ts";
import { exportQuery, settingsOf } from "../schemas.ts";
import type { Services } from "../services.ts";
import type { LoadedDataset, Workspace } from "../workspace/workspace.ts";

/** The export formats (`GET /api/v1/datasets/{id}/exports/{format}`). */
export const EXPORT_FORMATS = [
  "audience",
  "google-ads",
  "customer-match",
  "meta-capi",
  "meta-audience",
] as const;

/** A download: the file body with its name; skipped input rows are counted in `X-Valuecast-Skipped`. */
function download(c: Context, f: ExportFile): Response {
  return c.body(f.content, 200, {
    "content-type": f.contentType,
    "content-disposition": `attachment; filename="${f.filename}"`,
    "x-valuecast-rows": String(f.rows),
    "x-valuecast-skipped": String(f.skipped.length),
  });
}

async function build(
  format: string,
  data: LoadedDataset,
  services: Services,
  ws: Workspace,
  q: z.output<typeof exportQuery>,
): Promise<ExportFile> {
  const model = await services.model(data, q.model);
  const s = await services.scores(data, model, settingsOf(q));
  const customers = services.exportCustomers(data, s);
  if (format === "audience") return audienceCsv(customers, q.tier);
  const contacts = await ws.contacts(data.info.id);
  if (contacts.size === 0)
    throw new ValuecastError([
      issue(
        "MISSING_COLUMN",
        `the ${format} export needs contact fields: POST them to /api/v1/datasets/${data.info.id}/contacts first`,
        { field: "contacts" },
      ),
    ]);
  const selected = q.tier === undefined ? customers : customers.filter((k) => k.tier === q.tier);
  const now = Date.now();
  const cc = q.defaultCallingCode ? { defaultCallingCode: q.defaultCallingCode } : {};
  switch (format) {
    case "google-ads":
      return googleAdsConversionsCsv(
        selected.filter((k) => contacts.get(k.customerId)?.clickId),
        contacts,
        {
          conversionName: q.conversionName,
          currency: q.currency,
          conversionTime: now,
          ...(q.timeZone ? { timeZone: q.timeZone } : {}),
        },
      );
    case "customer-match": {
      const keep = new Set(selected.map((k) => k.customerId));
      return customerMatchCsv(
        [...contacts.values()].filter((k) => keep.has(k.customerId)),
        cc,
      );
    }
    case "meta-capi":
      return metaConversionsPayload(
        selected.filter((k) => contacts.has(k.customerId)),
        contacts,
        { currency: q.currency, eventTime: now, ...(q.eventName ? { eventName: q.eventName } : {}), ...cc },
      ).file;
    default:
      return metaValueAudienceCsv(
        selected.filter((k) => contacts.has(k.customerId)),
        contacts,
        cc,
      );
  }
}

/** Export routes: files for CRMs and ad platforms, as downloads (valuecast sends nothing anywhere). */
export function exportRoutes({ app, table, ws, services }: RouteContext): void {
  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/datasets/{id}/exports/{format}",
      tag: "exports",
      summary: "Download an export: audience | google-ads | customer-match | meta-capi | meta-audience",
      description:
        "audience: customer_id,tier,p_alive,predicted_clv (one tier with ?tier=). google-ads: offline click-conversion import (Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency; optional Parameters:TimeZone line) for customers with a gclid. customer-match: Email,Phone,First Name,Last Name,Country,Zip, SHA-256 hashed per Google. meta-capi: Conversions API payload { data: [...] } with hashed em/ph/external_id and custom_data value, currency, predicted_ltv. meta-audience: value-based custom audience CSV with a value column. The contact formats need POST /contacts first. X-Valuecast-Rows / X-Valuecast-Skipped count rows written and left out.",
      query: exportQuery,
      responses: {
        200: { description: "the file", contentType: "text/csv" },
        404: { description: "unknown dataset or format" },
      },
    },
    async ({ c, params, query }) => {
      const format = params.format!;
      if (!(EXPORT_FORMATS as readonly string[]).includes(format))
        throw new ValuecastError([
          issue("NOT_FOUND", `no export format '${format}' (${EXPORT_FORMATS.join(", ")})`, {
            field: "path.format",
          }),
        ]);
      const data = await services.dataset(params.id!);
      return download(c, await build(format, data, services, ws, query));
    },
  );

  route(
    app,
    table,
    {
      method: "get",
      path: "/api/v1/exports/audience",
      tag: "dashboard",
      summary:
        "The dashboard's audience download (default dataset unless ?dataset=): customer_id,tier,p_alive,predicted_clv",
      query: exportQuery,
      responses: { 200: { description: "CSV", contentType: "text/csv" } },
    },
    async ({ c, query }) => {
      const data = await services.defaultDataset(query.dataset);
      return download(c, await build("audience", data, services, ws, query));
    },
  );
}
