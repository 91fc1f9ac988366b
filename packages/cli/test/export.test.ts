import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DATA, REPO } from "./paths.ts";
import { run } from "./run.ts";

const SAMPLE = join(REPO, "packages/cli/data/CDNOW_sample.txt");
const RETAIL = join(DATA, "real/uci_online_retail/by-day");
const dir = mkdtempSync(join(tmpdir(), "vc-export-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** CDNOW sample customer ids (as the summaries write them: zero-padded master ids). */
const ids = [
  ...new Set(
    readFileSync(SAMPLE, "utf8")
      .split(/\r?\n/)
      .map((l) => l.trim().split(/\s+/)[0] ?? "")
      .filter(Boolean),
  ),
];

/**
 * A CRM file for the real CDNOW customers (the contacts are made up: CDNOW has none). Emails carry
 * capitals and spaces, phones punctuation, every third customer a gclid, so the normalisation is tested.
 */
const CONTACTS = join(dir, "contacts.csv");
writeFileSync(
  CONTACTS,
  `customer_id,email,phone,first_name,last_name,country,zip,gclid\n${ids
    .map(
      (id, k) =>
        `${id}, Customer.${id}@Example.COM ,(555) 010-${String(k).padStart(4, "0")},Ann,O'Neil,us,94043,${k % 3 === 0 ? `gclid_${id}` : ""}`,
    )
    .join("\n")}\n`,
);

async function exportTo(
  format: string,
  extra: string[] = [],
): Promise<{ text: string; report: { rows: number; skipped: number } }> {
  const out = join(dir, `${format}-${extra.join("_").replace(/\W/g, "")}.out`);
  const r = await run(["export", SAMPLE, "--format", format, "--out", out, "--json", ...extra]);
  assert.equal(r.code, 0, r.err);
  return { text: readFileSync(out, "utf8"), report: JSON.parse(r.out) };
}

describe("valuecast export on the CDNOW sample (BG/NBD + Gamma-Gamma, 12 months)", () => {
  it("audience: customer_id,tier,p_alive,predicted_clv, one tier, highest CLV first, P(alive) in [0,1]", async () => {
    const all = await exportTo("audience");
    const rows = all.text.trim().split("\n");
    assert.equal(rows[0], "customer_id,tier,p_alive,predicted_clv");
    assert.equal(rows.length, 1 + 2357);
    const top = await exportTo("audience", ["--tier", "top"]);
    const t = top.text.trim().split("\n").slice(1);
    assert.equal(t.length, top.report.rows);
    assert.ok(t.length > 0 && t.length < 2357);
    let prev = Number.POSITIVE_INFINITY;
    for (const line of t) {
      const [id, tier, p, clv] = line.split(",");
      assert.ok(ids.includes(id!), id);
      assert.equal(tier, "top");
      assert.ok(Number(p) >= 0 && Number(p) <= 1 && /^\d(\.\d{1,6})?$/.test(p!), p);
      assert.ok(Number(clv) <= prev);
      prev = Number(clv);
    }
  });

  it("google-ads: the documented header, a TimeZone line, rows only for customers with a gclid, values = predicted CLV", async () => {
    const { text, report } = await exportTo("google-ads", [
      "--contacts",
      CONTACTS,
      "--time-zone",
      "America/New_York",
    ]);
    const audience = new Map(
      (await exportTo("audience")).text
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",") as [string, string, string, string])
        .map(([id, , , clv]) => [id, Number(clv)]),
    );
    const lines = text.trim().split("\n");
    assert.equal(lines[0], "Parameters:TimeZone=America/New_York");
    assert.equal(
      lines[1],
      "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency",
    );
    const withClick = ids.filter((_, k) => k % 3 === 0).length;
    assert.equal(report.rows, withClick);
    assert.equal(lines.length, 2 + withClick);
    for (const line of lines.slice(2, 50)) {
      const [gclid, name, time, value, currency] = line.split(",");
      assert.match(gclid!, /^gclid_\d+$/);
      assert.equal(name, "Predicted CLV");
      assert.match(time!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.equal(currency, "USD");
      assert.ok(Math.abs(Number(value) - audience.get(gclid!.slice(6))!) < 0.006, line);
    }
  });

  it("customer-match: Email,Phone,First Name,Last Name,Country,Zip with SHA-256 of the normalised values, Country and Zip in clear", async () => {
    const { text, report } = await exportTo("customer-match", [
      "--contacts",
      CONTACTS,
      "--calling-code",
      "1",
    ]);
    const lines = text.trim().split("\n");
    assert.equal(lines[0], "Email,Phone,First Name,Last Name,Country,Zip");
    assert.equal(report.rows, 2357);
    const [email, phone, first, last, country, zip] = lines[1]!.split(",");
    assert.equal(email, sha(`customer.${ids[0]}@example.com`));
    assert.equal(phone, sha("+15550100000"));
    assert.equal(first, sha("ann"));
    assert.equal(last, sha("o'neil"));
    assert.equal(country, "US");
    assert.equal(zip, "94043");
  });

  it("meta-capi: { data } events with hashed em/ph/external_id and custom_data value = predicted_ltv in USD", async () => {
    const { text, report } = await exportTo("meta-capi", [
      "--contacts",
      CONTACTS,
      "--calling-code",
      "1",
      "--tier",
      "top",
    ]);
    const payload = JSON.parse(text) as {
      data: {
        event_name: string;
        event_time: number;
        action_source: string;
        user_data: { em: string[]; ph: string[]; external_id: string[] };
        custom_data: { value: number; currency: string; predicted_ltv: number };
      }[];
    };
    assert.equal(payload.data.length, report.rows);
    const e = payload.data[0]!;
    assert.equal(e.event_name, "PredictedLTV");
    assert.equal(e.action_source, "system_generated");
    assert.ok(Number.isInteger(e.event_time) && Math.abs(e.event_time - Date.now() / 1000) < 600);
    assert.equal(e.custom_data.currency, "USD");
    assert.equal(e.custom_data.value, e.custom_data.predicted_ltv);
    assert.ok(e.custom_data.value > 0);
    assert.match(e.user_data.em[0]!, /^[0-9a-f]{64}$/);
    assert.match(e.user_data.ph[0]!, /^[0-9a-f]{64}$/);
    const id = ids.find((i) => sha(i) === e.user_data.external_id[0]!);
    assert.ok(id, "external_id is the SHA-256 of a customer id");
    assert.equal(e.user_data.em[0]!, sha(`customer.${id}@example.com`));
  });

  it("meta-audience: Meta's identifier columns plus value, extern_id in clear", async () => {
    const { text } = await exportTo("meta-audience", ["--contacts", CONTACTS, "--calling-code", "1"]);
    const lines = text.trim().split("\n");
    assert.equal(lines[0], "email,phone,fn,ln,zip,country,extern_id,value");
    assert.equal(lines.length, 1 + 2357);
    const f = lines[1]!.split(",");
    assert.ok(ids.includes(f[6]!));
    assert.equal(f[0], sha(`customer.${f[6]}@example.com`));
    assert.equal(f[5], sha("us"));
    assert.ok(Number(f[7]) >= 0);
  });

  it("usage: --format and --out are required, contact formats need --contacts", async () => {
    assert.equal((await run(["export", SAMPLE, "--out", join(dir, "x")])).code, 2);
    assert.equal((await run(["export", SAMPLE, "--format", "meta-capi", "--out", join(dir, "x")])).code, 2);
  });
});

describe("valuecast export --value early on UCI Online Retail (real, continuous acquisition)", () => {
  it("scores customers acquired within 60 days with the ZILN early-value model trained on earlier cohorts", async () => {
    const out = join(dir, "early.csv");
    const r = await run([
      "export",
      RETAIL,
      "--format",
      "audience",
      "--value",
      "early",
      "--early-horizon-days",
      "90",
      "--acquired-within",
      "60",
      "--out",
      out,
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as { rows: number; value: string };
    assert.match(report.value, /early-value ZILN/);
    // every exported customer's first purchase lies within 60 days of the last day (2011-12-09)
    const first = new Map<string, string>();
    for (const f of ["2011-10-06", "2011-10-07"]) {
      for (const line of readFileSync(join(RETAIL, `${f}.csv`), "utf8")
        .split("\n")
        .slice(1)) {
        const id = line.split(",").at(-2)?.replace(/\.0$/, "");
        if (id && !first.has(id)) first.set(id, f);
      }
    }
    const lines = readFileSync(out, "utf8").trim().split("\n");
    assert.equal(lines[0], "customer_id,tier,p_alive,predicted_clv");
    assert.equal(lines.length - 1, report.rows);
    assert.ok(report.rows > 100, `${report.rows} recent customers`);
    const exported = lines.slice(1).map((l) => l.split(","));
    for (const [, tier, p, v] of exported) {
      assert.ok(["top", "middle", "low"].includes(tier!), tier);
      assert.ok(Number(p) > 0 && Number(p) < 1);
      assert.ok(Number(v) >= 0 && Number.isFinite(Number(v)));
    }
    // a customer who bought on 2011-10-06 or 07 (more than 60 days before 2011-12-09) is too old to be exported
    const olderIds = new Set([...first.keys()]);
    assert.ok(exported.every(([id]) => !olderIds.has(id!)));
  });
});
