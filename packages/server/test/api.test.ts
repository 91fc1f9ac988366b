import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { bgnbdModel, gammaGammaPredictor } from "@valuecast/core";
import type { Hono } from "hono";
import type { Workspace } from "../src/workspace/workspace.ts";
import { auth, CDNOW_SAMPLE, call, registerCdnow, testApp, waitJob } from "./helpers.ts";

let app: Hono;
let ws: Workspace;
let dir: string;
let logs: string[];
let ds: string;
let modelId: string;

before(async () => {
  ({ app, ws, dir, logs } = await testApp());
  ds = await registerCdnow(app);
});
after(async () => {
  await ws.close();
  await rm(dir, { recursive: true, force: true });
});

describe("security and errors", () => {
  it("health answers without a key; everything else needs one (Bearer or X-API-Key)", async () => {
    const h = await call(app, "GET", "/api/v1/health", undefined, {});
    assert.equal(h.status, 200);
    assert.equal(h.json.status, "ok");
    for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: "Basic abc" }] as Record<
      string,
      string
    >[]) {
      const r = await call(app, "GET", "/api/v1/datasets", undefined, headers);
      assert.equal(r.status, 401);
      assert.equal(r.json.issues[0].code, "UNAUTHORIZED");
    }
    assert.equal((await call(app, "GET", "/openapi.json", undefined, {})).status, 401);
    const x = await call(app, "GET", "/api/v1/datasets", undefined, {
      "x-api-key": auth.authorization.slice(7),
    });
    assert.equal(x.status, 200);
    assert.equal(x.json.datasets.length, 1);
  });

  it("a bad request lists every problem with its location", async () => {
    const r = await call(app, "POST", "/api/v1/datasets", {
      source: { path: "" },
      timeUnit: "fortnight",
      calibrationEnd: "30/09/1997",
      extra: 1,
    });
    assert.equal(r.status, 400);
    const fields = r.json.issues.map((i: { location: { field: string } }) => i.location.field).sort();
    assert.deepEqual(fields, ["body", "body.calibrationEnd", "body.source.path", "body.timeUnit"].sort());
    for (const i of r.json.issues) assert.equal(i.code, "INVALID_REQUEST");
    const q = await call(app, "GET", `/api/v1/datasets/${ds}/segments?cut=2&bins=1`);
    assert.equal(q.status, 400);
    assert.deepEqual(q.json.issues.map((i: { location: { field: string } }) => i.location.field).sort(), [
      "query.bins",
      "query.cut",
    ]);
    const bad = await call(app, "POST", `/api/v1/datasets/${ds}/models`, "{not json");
    assert.equal(bad.status, 400);
  });

  it("unknown things are 404 issues, never stack traces; hostile ids are just unknown", async () => {
    for (const path of [
      "/api/v1/nothing",
      "/api/v1/datasets/x'%20OR%201=1--",
      `/api/v1/datasets/${ds}/customers/nobody`,
      "/api/v1/jobs/job_x",
      "/api/v1/models/m_x",
    ]) {
      const r = await call(app, "GET", path);
      assert.equal(r.status, 404, path);
      assert.equal(r.json.issues[0].code, "NOT_FOUND");
      assert.doesNotMatch(r.text, /\bat .*\.ts:\d+/);
    }
    assert.equal((await ws.listDatasets()).length, 1);
  });

  it("a registration that fails ends as a failed job with the engine's issues", async () => {
    const r = await call(app, "POST", "/api/v1/datasets", { source: { path: "/nonexistent/file.csv" } });
    const job = await waitJob(app, r.json.id);
    assert.equal(job.status, "failed");
    assert.ok(job.issues.length > 0);
    assert.notEqual(job.issues[0].code, "INTERNAL");
  });

  it("CORS is off unless configured", async () => {
    const r = await app.request("/api/v1/health", { headers: { origin: "https://evil.example" } });
    assert.equal(r.headers.get("access-control-allow-origin"), null);
  });
});

describe("datasets, models and evaluation on CDNOW", () => {
  it("the dataset holds the 2357 sample customers and the ingest report", async () => {
    const r = await call(app, "GET", `/api/v1/datasets/${ds}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.customers, 2357);
    assert.equal(r.json.transactions, 6919);
    assert.equal(r.json.shape.timeUnit, "week");
    assert.equal(r.json.shape.calibrationEnd, "1997-09-30");
    assert.equal(r.json.report.customers, 2357);
  });

  it("fits BG/NBD with the published parameters (Fader, Hardie & Lee 2005: r 0.2426, alpha 4.4136, a 0.7929, b 2.4259, LL -9582.43)", async () => {
    const r = await call(app, "POST", `/api/v1/datasets/${ds}/models`, { model: "bgnbd" });
    assert.equal(r.status, 201);
    modelId = r.json.id;
    assert.equal(r.json.format, "valuecast-model/1");
    assert.equal(r.json.model, "bgnbd");
    assert.equal(r.json.timeUnit, "week");
    assert.ok(Math.abs(r.json.params.r - 0.2426) < 5e-4);
    assert.ok(Math.abs(r.json.params.alpha - 4.4136) < 5e-3);
    assert.ok(Math.abs(r.json.params.a - 0.7929) < 5e-4);
    assert.ok(Math.abs(r.json.params.b - 2.4259) < 5e-3);
    assert.ok(Math.abs(r.json.logLikelihood - -9582.43) < 0.01);
    assert.equal(r.json.spend.model, "gamma-gamma");
    const again = await call(app, "GET", `/api/v1/models/${modelId}`);
    assert.deepEqual(again.json.params, r.json.params);
    const list = await call(app, "GET", `/api/v1/datasets/${ds}/models`);
    assert.equal(list.json.models.at(-1).id, modelId);
  });

  it("evaluate backtests all three models on the holdout and names the best; the answer is stored", async () => {
    const r = await call(app, "POST", `/api/v1/datasets/${ds}/evaluate`, {});
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.json.models.map((m: { model: string }) => m.model),
      ["bgnbd", "pnbd", "mbgnbd"],
    );
    assert.ok(["bgnbd", "pnbd", "mbgnbd"].includes(r.json.comparison.best));
    const bg = r.json.models[0];
    // Holdout actuals = purchase days after 1997-09-30 per customer, counted directly from the file.
    const { readFileSync } = await import("node:fs");
    const days = new Set(
      readFileSync(CDNOW_SAMPLE, "utf8")
        .trim()
        .split("\n")
        .map((l) => l.trim().split(/\s+/))
        .filter(([, , d]) => d! > "19970930")
        .map(([, id, d]) => `${id}|${d}`),
    );
    assert.equal(bg.holdout.actualTotal, days.size);
    assert.equal(
      bg.buckets.reduce((a: number, b: { customers: number }) => a + b.customers, 0),
      2357,
    );
    const t0 = performance.now();
    const again = await call(app, "POST", `/api/v1/datasets/${ds}/evaluate`, {});
    assert.deepEqual(again.json, r.json);
    assert.ok(performance.now() - t0 < 200);
  });
});

describe("per-customer and batch scoring", () => {
  it("one customer's score equals core's BG/NBD and Gamma-Gamma computations", async () => {
    const r = await call(app, "GET", `/api/v1/datasets/${ds}/customers/0001?model=${modelId}`);
    assert.equal(r.status, 200);
    const m = (await call(app, "GET", `/api/v1/models/${modelId}`)).json;
    const { x, t_x, T } = r.json.score;
    assert.equal(x, 2);
    const p = bgnbdModel.predictor(m.params);
    assert.ok(Math.abs(r.json.score.p_alive - p.pAlive(x, t_x, T)) < 1e-12);
    const weeks = (365.25 / 7) * 1; // 12 months
    assert.ok(
      Math.abs(r.json.score.expected_purchases - p.conditionalExpectedPurchases(weeks, x, t_x, T)) < 1e-9,
    );
    const row = (await ws.load(ds))!;
    const i = row.index.get("0001")!;
    const spend = gammaGammaPredictor(m.spend.params).conditionalExpectedSpend(x, row.columns.monetary[i]!);
    assert.ok(Math.abs(r.json.score.expected_spend - spend) < 1e-9);
    assert.equal(r.json.profile.customerId, "0001");
    assert.ok(Math.abs(r.json.profile.pAlive - r.json.score.p_alive) < 1e-15);
    assert.ok(r.json.profile.historicClv > 0);
  });

  it("the dashboard's profile card has the purchase timeline", async () => {
    const r = await call(app, "GET", "/api/v1/customers/0001/profile");
    assert.equal(r.status, 200);
    assert.equal(r.json.profile.customerId, "0001");
    assert.deepEqual(
      r.json.purchases.map((p: { date: string }) => p.date),
      ["1997-01-01", "1997-01-18", "1997-08-02", "1997-12-12"],
    );
    assert.equal(r.json.purchases[0].amount, 29.33);
  });

  it("paged scores carry predict --json's totals and rows", async () => {
    const r = await call(app, "GET", `/api/v1/datasets/${ds}/scores?limit=5&offset=10&top=3`);
    assert.equal(r.status, 200);
    assert.equal(r.json.customers, 2357);
    assert.equal(r.json.scores.length, 5);
    assert.equal(r.json.top.length, 3);
    assert.ok(r.json.top[0].clv >= r.json.top[1].clv);
    assert.deepEqual(Object.keys(r.json.scores[0]), [
      "customer_id",
      "x",
      "t_x",
      "T",
      "p_alive",
      "expected_purchases",
      "expected_spend",
      "clv",
      "clv_undiscounted",
    ]);
    assert.ok(r.json.totals.clv > 0 && r.json.totals.clv < r.json.totals.clvUndiscounted);
  });

  it("batch scoring of posted summaries matches the stored scores; bad rows are all listed", async () => {
    const one = (await call(app, "GET", `/api/v1/datasets/${ds}/customers/0001`)).json.score;
    const r = await call(app, "POST", `/api/v1/models/${modelId}/score`, {
      customers: [
        { customer_id: "0001", x: one.x, t_x: one.t_x, T: one.T, monetary: 0 },
        { customer_id: 7, x: 0, t_x: 0, T: 30 },
      ],
    });
    assert.equal(r.status, 200);
    assert.equal(r.json.scores[0].p_alive, one.p_alive);
    assert.equal(r.json.scores[1].customer_id, "7");
    assert.equal(r.json.scores[1].clv, null); // no monetary for every row: no spend columns
    const bad = await call(app, "POST", `/api/v1/models/${modelId}/score`, {
      customers: [
        { customer_id: "a", x: -1, t_x: 0, T: 1 },
        { customer_id: "b", x: 1, t_x: 5, T: 2 },
      ],
    });
    assert.equal(bad.status, 400);
    const fields = bad.json.issues.map((i: { location: { field: string } }) => i.location.field);
    assert.ok(fields.includes("body.customers.0.x"));
    assert.ok(fields.includes("body.customers.1"));
  });

  it("batch scoring of posted transactions summarises them first", async () => {
    const r = await call(app, "POST", `/api/v1/models/${modelId}/score`, {
      transactions: [
        { customer_id: "z", date: "1997-01-01", amount: 10 },
        { customer_id: "z", date: "1997-03-01", amount: 20 },
        { customer_id: "y", date: "1997-02-01", amount: 5 },
      ],
      calibrationEnd: "1997-09-30",
    });
    assert.equal(r.status, 200);
    const z = r.json.scores.find((s: { customer_id: string }) => s.customer_id === "z");
    assert.equal(z.x, 1);
    assert.ok(Math.abs(z.t_x - 59 / 7) < 1e-12);
    assert.equal(r.json.report.rowsUsed, 3);
  });
});

describe("analytics", () => {
  it("segments: tiers partition the customers, histogram and hits/misses are exact", async () => {
    const r = await call(app, "GET", `/api/v1/datasets/${ds}/segments?cut=0.5&bins=10`);
    assert.equal(r.status, 200);
    const tiers = r.json.tiers.tiers;
    assert.equal(
      tiers.reduce((a: number, t: { customers: number }) => a + t.customers, 0),
      2357,
    );
    assert.equal(
      r.json.histogram.bins.reduce((a: number, b: { customers: number }) => a + b.customers, 0),
      2357,
    );
    const scores = await call(app, "GET", `/api/v1/datasets/${ds}/scores?limit=10000`);
    const p = scores.json.scores.map((s: { p_alive: number }) => s.p_alive);
    const flagged = p.filter((v: number) => v >= 0.5);
    assert.equal(r.json.pAliveCut.flagged, flagged.length);
    const tp = flagged.reduce((a: number, v: number) => a + v, 0);
    assert.ok(Math.abs(r.json.pAliveCut.expectedTruePositives - tp) < 1e-9);
    const lc = r.json.lifecycle.counts;
    assert.equal(lc.new + lc.active + lc.at_risk + lc.lapsed, 2357);
  });

  it("cohorts: cohort sizes add up to every customer; forecast cells are marked", async () => {
    const r = await call(app, "GET", `/api/v1/datasets/${ds}/cohorts?grain=month&periods=24`);
    assert.equal(r.status, 200);
    assert.equal(
      r.json.rows.reduce((a: number, row: { customers: number }) => a + row.customers, 0),
      2357,
    );
    assert.equal(r.json.rows.length, 3); // CDNOW's sample was acquired in Jan-Mar 1997
    assert.ok(r.json.rows[0].cells.some((cell: { forecast: boolean }) => cell.forecast));
  });

  it("channels need a channel column: a clear MISSING_COLUMN", async () => {
    const r = await call(app, "POST", `/api/v1/datasets/${ds}/channels`, {});
    assert.equal(r.status, 400);
    assert.equal(r.json.issues[0].code, "MISSING_COLUMN");
  });

  it("forecast with parameter-draw intervals brackets the point forecast and is reproducible", async () => {
    const q = `/api/v1/datasets/${ds}/forecast?period=month&periods=6&intervals=50&seed=3&newCustomers=100`;
    const r = await call(app, "GET", q);
    assert.equal(r.status, 200);
    assert.equal(r.json.periods.length, 6);
    assert.equal(r.json.intervals.periods.length, 6);
    for (let k = 0; k < 6; k++) {
      const iv = r.json.intervals.periods[k];
      assert.ok(iv.lower <= r.json.periods[k].totalRevenue && r.json.periods[k].totalRevenue <= iv.upper);
    }
    assert.equal(r.json.periods[0].newCustomers, 100);
    assert.deepEqual((await call(app, "GET", q)).json, r.json);
  });
});

describe("exports", () => {
  it("audience CSV of one tier, for the dashboard's contract too", async () => {
    const r = await call(app, "GET", `/api/v1/datasets/${ds}/exports/audience?tier=top`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-disposition")!, /attachment; filename="audience-top.csv"/);
    const lines = r.text.trimEnd().split("\n");
    assert.equal(lines[0], "customer_id,tier,p_alive,predicted_clv");
    const seg = (await call(app, "GET", `/api/v1/datasets/${ds}/segments`)).json;
    assert.equal(lines.length - 1, seg.tiers.tiers[0].customers);
    const d = await call(app, "GET", "/api/v1/exports/audience?tier=top");
    assert.equal(d.text, r.text);
  });

  it("contact formats need contacts; with them they follow Google's and Meta's headers", async () => {
    const none = await call(app, "GET", `/api/v1/datasets/${ds}/exports/customer-match`);
    assert.equal(none.status, 400);
    const csv =
      "customer_id,email,phone,first_name,last_name,country,zip,gclid\n0001,Ann.Lee@gmail.com,+1 650 253 0000,Ann,Lee,us,94016,gclid-4\n0002,bob@example.com,,,,,,\n";
    const up = await call(app, "POST", `/api/v1/datasets/${ds}/contacts`, csv, {
      ...auth,
      "content-type": "text/csv",
    });
    assert.equal(up.status, 200);
    assert.equal(up.json.contacts, 2);
    const cm = await call(app, "GET", `/api/v1/datasets/${ds}/exports/customer-match`);
    assert.equal(cm.text.split("\n")[0], "Email,Phone,First Name,Last Name,Country,Zip");
    assert.equal(cm.headers.get("x-valuecast-rows"), "2");
    const g = await call(
      app,
      "GET",
      `/api/v1/datasets/${ds}/exports/google-ads?timeZone=Europe/Paris&currency=EUR`,
    );
    const gl = g.text.trimEnd().split("\n");
    assert.equal(gl[0], "Parameters:TimeZone=Europe/Paris");
    assert.equal(
      gl[1],
      "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency",
    );
    assert.match(gl[2]!, /^gclid-4,Predicted CLV,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},[\d.]+,EUR$/);
    const meta = await call(app, "GET", `/api/v1/datasets/${ds}/exports/meta-capi`);
    assert.equal(meta.json.data.length, 2);
    assert.equal(meta.json.data[0].custom_data.currency, "USD");
    const va = await call(app, "GET", `/api/v1/datasets/${ds}/exports/meta-audience`);
    assert.equal(va.text.split("\n")[0], "email,phone,fn,ln,zip,country,extern_id,value");
    assert.equal((await call(app, "GET", `/api/v1/datasets/${ds}/exports/tiktok`)).status, 404);
  });
});

describe("OpenAPI", () => {
  it("documents every route with the request schemas that validate them", async () => {
    const r = await call(app, "GET", "/openapi.json");
    assert.equal(r.status, 200);
    assert.equal(r.json.openapi, "3.0.3");
    const paths = Object.keys(r.json.paths);
    for (const p of [
      "/api/v1/health",
      "/api/v1/datasets",
      "/api/v1/datasets/upload",
      "/api/v1/jobs/{id}",
      "/api/v1/datasets/{id}/models",
      "/api/v1/datasets/{id}/evaluate",
      "/api/v1/datasets/{id}/customers/{customerId}",
      "/api/v1/models/{id}/score",
      "/api/v1/datasets/{id}/segments",
      "/api/v1/datasets/{id}/cohorts",
      "/api/v1/datasets/{id}/channels",
      "/api/v1/datasets/{id}/forecast",
      "/api/v1/datasets/{id}/exports/{format}",
      "/api/v1/dashboard",
      "/api/v1/customers/{customerId}/profile",
      "/api/v1/exports/audience",
    ])
      assert.ok(paths.includes(p), p);
    const fit = r.json.paths["/api/v1/datasets/{id}/models"].post;
    assert.deepEqual(fit.requestBody.content["application/json"].schema.properties.model.enum, [
      "bgnbd",
      "pnbd",
      "mbgnbd",
    ]);
    const seg = r.json.paths["/api/v1/datasets/{id}/segments"].get.parameters;
    const cut = seg.find((p: { name: string }) => p.name === "cut");
    assert.equal(cut.schema.maximum, 1);
    assert.deepEqual(r.json.paths["/api/v1/health"].get.security, []);
    assert.equal(logs.length, 0, logs.join("\n"));
  });
});

describe("upload with channels", () => {
  it("an uploaded CSV with a channel column gives CAC and LTV:CAC equal to hand computations", async () => {
    const { readFileSync } = await import("node:fs");
    const rows = readFileSync(CDNOW_SAMPLE, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s+/));
    // Synthetic channel: odd sample ids came from "search", even ones from "social" (stated as synthetic).
    const csv = `customer_id,date,amount,channel\n${rows
      .map(
        ([, id, d, , amt]) =>
          `${Number(id)},${d!.slice(0, 4)}-${d!.slice(4, 6)}-${d!.slice(6)},${amt},${Number(id) % 2 ? "search" : "social"}`,
      )
      .join("\n")}\n`;
    const r = await call(
      app,
      "POST",
      "/api/v1/datasets/upload?name=synthetic&timeUnit=week&calibrationEnd=1997-09-30&channel=channel",
      csv,
      {
        ...auth,
        "content-type": "text/csv",
      },
    );
    assert.equal(r.status, 202);
    const job = await waitJob(app, r.json.id);
    assert.equal(job.status, "succeeded", JSON.stringify(job.issues));
    const id = job.result.datasetId;
    const info = (await call(app, "GET", `/api/v1/datasets/${id}`)).json;
    assert.equal(info.customers, 2357);
    const search = new Set(rows.filter(([, i]) => Number(i) % 2 === 1).map(([, i]) => i));
    const spend = [
      { month: "1997-01", channel: "search", spend: 10000 },
      { month: "1997-02", channel: "search", spend: 5000 },
      { month: "1997-03", channel: "search", spend: 5000 },
      { month: "1997-01", channel: "social", spend: 6000 },
      { month: "1997-02", channel: "social", spend: 6000 },
      { month: "1997-03", channel: "social", spend: 6000 },
    ];
    const ch = await call(app, "POST", `/api/v1/datasets/${id}/channels`, {
      spend,
      budget: { total: 20000 },
    });
    assert.equal(ch.status, 200, ch.text);
    const s = ch.json.channels.find((c: { channel: string }) => c.channel === "search");
    assert.equal(s.customers, search.size);
    assert.ok(Math.abs(s.cac - 20000 / search.size) < 1e-9);
    assert.ok(Math.abs(s.ltvToCac - s.predictedLtv / s.cac) < 1e-9);
    assert.equal(ch.json.budget.totalBudget, 20000);
    assert.ok(ch.json.budget.assumptions.length > 0);
  });
});
