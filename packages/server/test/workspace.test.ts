import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { describe, it } from "node:test";
import { startServer } from "../src/start.ts";
import { auth, call, KEY, registerCdnow, testApp } from "./helpers.ts";

describe("persistent workspace", () => {
  it("after a restart datasets, models, scores and results come back from the DuckDB file without recomputing", async () => {
    const first = await testApp();
    let second: Awaited<ReturnType<typeof testApp>> | null = null;
    try {
      const ds = await registerCdnow(first.app);
      const m = (await call(first.app, "POST", `/api/v1/datasets/${ds}/models`, { model: "pnbd" })).json;
      const before = (await call(first.app, "GET", `/api/v1/datasets/${ds}/customers/0001`)).json;
      const seg = (await call(first.app, "GET", `/api/v1/datasets/${ds}/segments`)).json;
      await first.ws.close();

      second = await testApp({}, first.dir);
      const sets = async () =>
        Number((await second!.ws.store.rows("SELECT count(*) AS n FROM score_sets"))[0]!.n);
      const results = async () =>
        Number((await second!.ws.store.rows("SELECT count(*) AS n FROM results"))[0]!.n);
      const [s0, r0] = [await sets(), await results()];
      assert.equal(s0, 1);
      const list = (await call(second.app, "GET", "/api/v1/datasets")).json.datasets;
      assert.deepEqual(
        list.map((d: { id: string }) => d.id),
        [ds],
      );
      const after = (await call(second.app, "GET", `/api/v1/datasets/${ds}/customers/0001`)).json;
      assert.equal(after.model, m.id);
      assert.deepEqual(after, before);
      assert.deepEqual((await call(second.app, "GET", `/api/v1/datasets/${ds}/segments`)).json, seg);
      // Nothing new was computed: the score set and the segments result were read back.
      assert.equal(await sets(), s0);
      assert.equal(await results(), r0);
      // The transactions came back too (cohorts are computed from them).
      const cohorts = (await call(second.app, "GET", `/api/v1/datasets/${ds}/cohorts?model=none`)).json;
      assert.equal(
        cohorts.rows.reduce((a: number, r: { customers: number }) => a + r.customers, 0),
        2357,
      );
    } finally {
      await (second ?? first).ws.close().catch(() => undefined);
      await rm(first.dir, { recursive: true, force: true });
    }
  });
});

describe("limits, CORS and the dashboard hook", () => {
  it("bodies over the limit get a 413 PAYLOAD_TOO_LARGE issue", async () => {
    const t = await testApp({ maxJsonBytes: 1000 });
    try {
      const big = {
        customers: Array.from({ length: 100 }, (_, i) => ({ customer_id: String(i), x: 0, t_x: 0, T: 1 })),
      };
      const r = await call(t.app, "POST", "/api/v1/models/m_x/score", big);
      assert.equal(r.status, 413);
      assert.equal(r.json.issues[0].code, "PAYLOAD_TOO_LARGE");
    } finally {
      await t.ws.close();
      await rm(t.dir, { recursive: true, force: true });
    }
  });

  it("CORS answers only for the configured origins", async () => {
    const t = await testApp({ cors: { origins: ["https://crm.example"] } });
    try {
      const ok = await t.app.request("/api/v1/health", { headers: { origin: "https://crm.example" } });
      assert.equal(ok.headers.get("access-control-allow-origin"), "https://crm.example");
      const no = await t.app.request("/api/v1/health", { headers: { origin: "https://evil.example" } });
      assert.notEqual(no.headers.get("access-control-allow-origin"), "https://evil.example");
    } finally {
      await t.ws.close();
      await rm(t.dir, { recursive: true, force: true });
    }
  });

  it("the dashboard document is built once from the dataset's transactions and then read from the workspace", async () => {
    let builds = 0;
    const t = await testApp({
      dashboard: (input) => {
        builds++;
        return {
          title: input.name,
          transactions: input.transactions.length,
          calibrationEnd: input.calibrationEnd,
        };
      },
    });
    try {
      const none = await call(t.app, "GET", "/api/v1/dashboard");
      assert.equal(none.status, 409); // no dataset yet
      await registerCdnow(t.app);
      const a = await call(t.app, "GET", "/api/v1/dashboard");
      assert.deepEqual(a.json, { title: "cdnow", transactions: 6919, calibrationEnd: "1997-09-30" });
      await call(t.app, "GET", "/api/v1/dashboard");
      assert.equal(builds, 1);
    } finally {
      await t.ws.close();
      await rm(t.dir, { recursive: true, force: true });
    }
  });
});

describe("startServer (the one real-socket test)", () => {
  it("listens on 127.0.0.1 with an ephemeral port, answers health and an authorised call, then stops", async () => {
    const t = await testApp();
    const s = await startServer({ port: 0, workspace: t.ws, apiKeys: [KEY], env: {} });
    try {
      assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(s.generatedKey, null);
      const h = await fetch(`${s.url}/api/v1/health`);
      assert.equal(h.status, 200);
      assert.equal(((await h.json()) as { status: string }).status, "ok");
      assert.equal((await fetch(`${s.url}/api/v1/datasets`)).status, 401);
      const d = await fetch(`${s.url}/api/v1/datasets`, { headers: auth });
      assert.deepEqual(await d.json(), { datasets: [] });
    } finally {
      await s.close();
      await t.ws.close();
      await rm(t.dir, { recursive: true, force: true });
    }
    await assert.rejects(fetch(`${s.url}/api/v1/health`));
  });
});
