import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";
import { createApp } from "../src/app.ts";
import { hashApiKey } from "../src/auth.ts";
import type { AppDeps } from "../src/context.ts";
import { openWorkspace, type Workspace } from "../src/workspace/workspace.ts";

const shared = "/work/shared/data/CDNOW_sample.txt";
/** The CDNOW 1/10 sample (whitespace separated: master id, sample id, YYYYMMDD, CDs, dollars). */
export const CDNOW_SAMPLE = existsSync(shared)
  ? shared
  : fileURLToPath(new URL("../../cli/data/CDNOW_sample.txt", import.meta.url));

export const KEY = "vc_test_key_0123456789abcdefghijklmnopqrstuv";
export const auth = { authorization: `Bearer ${KEY}` };

/** A fresh workspace folder and an app over it. */
export async function testApp(
  extra: Partial<AppDeps> = {},
  dir?: string,
): Promise<{ app: Hono; ws: Workspace; dir: string; logs: string[] }> {
  const d = dir ?? (await mkdtemp(join(tmpdir(), "vc-server-")));
  const ws = await openWorkspace({ dir: d });
  const logs: string[] = [];
  const app = createApp({ workspace: ws, apiKeys: [hashApiKey(KEY)], log: (m) => logs.push(m), ...extra });
  return { app, ws, dir: d, logs };
}

/** JSON request helper. */
export async function call(
  app: Hono,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = auth,
): Promise<{
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields directly and assert each one
  json: any;
  text: string;
  headers: Headers;
}> {
  const res = await app.request(path, {
    method,
    headers: {
      ...headers,
      ...(body !== undefined && typeof body !== "string" ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** Polls a job until it ends. */
// biome-ignore lint/suspicious/noExplicitAny: the job JSON, asserted field by field
export async function waitJob(app: Hono, id: string): Promise<any> {
  for (let k = 0; k < 600; k++) {
    const r = await call(app, "GET", `/api/v1/jobs/${id}`);
    if (r.json.status === "succeeded" || r.json.status === "failed") return r.json;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error("job did not finish");
}

/** Registers the CDNOW sample with the reference calibration (weeks, 1997-09-30) and returns its id. */
export async function registerCdnow(app: Hono): Promise<string> {
  const r = await call(app, "POST", "/api/v1/datasets", {
    name: "cdnow",
    source: { path: CDNOW_SAMPLE },
    timeUnit: "week",
    calibrationEnd: "1997-09-30",
    columns: { customer: "column1", date: "column2", amount: "column4" },
  });
  if (r.status !== 202) throw new Error(`register: ${r.status} ${r.text}`);
  const job = await waitJob(app, r.json.id);
  if (job.status !== "succeeded") throw new Error(`job failed: ${JSON.stringify(job.issues)}`);
  return job.result.datasetId as string;
}
