import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { serveWorkspace } from "../src/commands/serve.ts";
import { BIN, REPO } from "./paths.ts";
import { run } from "./run.ts";

const SAMPLE = join(REPO, "packages/cli/data/CDNOW_sample.txt");
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "vc-serve-"));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The longest array anywhere in a JSON value (the dashboard must not ship per-customer arrays). */
function longestArray(v: unknown): number {
  if (Array.isArray(v)) return Math.max(v.length, ...v.map(longestArray));
  if (v && typeof v === "object") return Math.max(0, ...Object.values(v).map(longestArray));
  return 0;
}

describe("valuecast serve", () => {
  it("serves the dashboard and the API on 127.0.0.1 over a real socket; /api/v1/dashboard is the aggregated CDNOW document", async () => {
    const key = "vc_serve_test_key_0123456789";
    const s = await serveWorkspace({
      port: 0,
      dir: tempDir(),
      currency: "$",
      env: { VALUECAST_API_KEY: key },
      dataset: {
        source: SAMPLE,
        timeUnit: "week",
        calibrationEnd: "1997-09-30",
        columns: { customer: "column0", date: "column2", amount: "column4" },
      },
    });
    try {
      assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(s.generatedKey, null);
      assert.equal((await fetch(`${s.url}/api/v1/health`)).status, 200);
      assert.equal((await fetch(`${s.url}/api/v1/dashboard`)).status, 401);
      const page = await fetch(`${s.url}/`);
      assert.match(await page.text(), /<script src="\/app.js">/);
      assert.ok((await (await fetch(`${s.url}/app.js`)).text()).length > 100_000);
      const auth = { authorization: `Bearer ${key}` };
      const res = await fetch(`${s.url}/api/v1/dashboard`, { headers: auth });
      assert.equal(res.status, 200);
      const doc = (await res.json()) as {
        overview: { customers: number; historicRevenue: number; calibrationEnd: string };
        segments: { pAlive: { atEdges: unknown[] } };
        quality: { metrics: { actualTotal: number } } | null;
        customers: { profile: { customerId: string } }[];
      };
      assert.equal(doc.overview.customers, 2357);
      assert.equal(doc.overview.calibrationEnd, "1997-09-30");
      // the sample's revenue to the calibration end (rows dated <= 19970930 summed directly): $173,115.55
      assert.ok(Math.abs(doc.overview.historicRevenue - 173115.55) < 0.01, `${doc.overview.historicRevenue}`);
      assert.ok(doc.quality !== null, "calibration end given: the quality page has the holdout");
      assert.equal(doc.segments.pAlive.atEdges.length, 21);
      assert.ok(longestArray(doc) < 2357, `longest array ${longestArray(doc)}`);
      const id = doc.customers[0]!.profile.customerId;
      const card = await fetch(`${s.url}/api/v1/customers/${id}/profile`, { headers: auth });
      assert.equal(card.status, 200);
      assert.equal(((await card.json()) as { profile: { customerId: string } }).profile.customerId, id);
    } finally {
      await s.close();
    }
  });

  it("--create-key prints a key once and stores only its hash; a restart accepts it without regenerating", async () => {
    const dir = tempDir();
    const r = await run(["serve", "--dir", dir, "--create-key"]);
    assert.equal(r.code, 0, r.err);
    const key = r.out.trim();
    assert.match(key, /^vc_[A-Za-z0-9_-]{43}$/);
    assert.match(r.err, /shown only now/);
    const s = await serveWorkspace({ port: 0, dir, currency: "$", env: {} });
    try {
      assert.equal(s.generatedKey, null);
      const ok = await fetch(`${s.url}/api/v1/datasets`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(ok.status, 200);
      const bad = await fetch(`${s.url}/api/v1/datasets`, { headers: { authorization: "Bearer vc_wrong" } });
      assert.equal(bad.status, 401);
      const stored = await s.workspace.apiKeys();
      assert.equal(stored.length, 1);
      assert.ok(!JSON.stringify(stored).includes(key.slice(3)), "the plain key is not stored");
    } finally {
      await s.close();
    }
  });

  it("the real launcher listens on port 0, answers health, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--dir", tempDir(), "--json"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (b) => {
      out += String(b);
    });
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    try {
      for (let k = 0; k < 300 && !out.includes("}"); k++) await new Promise((r) => setTimeout(r, 50));
      const ready = JSON.parse(out) as { url: string; generatedKey: string };
      assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(ready.generatedKey, /^vc_/);
      const health = (await (await fetch(`${ready.url}/api/v1/health`)).json()) as { status: string };
      assert.equal(health.status, "ok");
      const r = await fetch(`${ready.url}/api/v1/datasets`, {
        headers: { authorization: `Bearer ${ready.generatedKey}` },
      });
      assert.equal(r.status, 200);
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exited, 0);
  });
});
