import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  AUDIENCE_HEADER,
  audienceCsv,
  type ContactRecord,
  CUSTOMER_MATCH_HEADER,
  csvField,
  customerMatchCsv,
  type ExportCustomer,
  GOOGLE_ADS_HEADER,
  googleAdsConversionsCsv,
  googleAdsTime,
  META_VALUE_AUDIENCE_HEADER,
  metaConversionsPayload,
  metaValueAudienceCsv,
  normalizeCountry,
  normalizeEmail,
  normalizeEmailGoogle,
  normalizeName,
  normalizePhoneE164,
  normalizePhoneMeta,
  normalizeZip,
  sha256Hex,
  writeExportFile,
} from "../../src/exports/index.ts";

const customers: ExportCustomer[] = [
  { customerId: "a", tier: "top", pAlive: 0.912345678, predictedClv: 120.456 },
  { customerId: "b", tier: "middle", pAlive: 0.5, predictedClv: 40 },
  { customerId: "c", tier: "top", pAlive: 0.8, predictedClv: 300.004 },
];
const contacts = new Map<string, ContactRecord>([
  ["a", { customerId: "a", email: " John.Doe@Gmail.com ", phone: "+1 (650) 253-0000", clickId: "Cj0KCQ-a" }],
  ["b", { customerId: "b", email: "not-an-email", phone: "0844 412 4653" }],
  [
    "c",
    {
      customerId: "c",
      phone: "+44 844 412 4653",
      firstName: " Zoë ",
      lastName: "Pérez",
      country: "sg",
      zip: "wc2h 8lg",
    },
  ],
]);

describe("normalization and hashing", () => {
  it("SHA-256 hex of known strings (FIPS 180-2 'abc' test vector; Snap/Meta CAPI docs' example email)", () => {
    assert.equal(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // Snap's Conversions API parameter docs: "Person@Example.com" normalizes to person@example.com, hashed:
    assert.equal(
      sha256Hex(normalizeEmail("Person@Example.com")!),
      "542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345",
    );
  });
  it("phone '+44 844 412 4653' -> 448444124653 and its hash (Snap CAPI docs' example, Meta's ph rule)", () => {
    assert.equal(normalizePhoneMeta("+44 844 412 4653"), "448444124653");
    assert.ok(sha256Hex("448444124653").startsWith("dc008fda46e2e64002cf2f82a4906236282d4"));
  });
  it("emails: trim + lowercase; Google also drops dots before @gmail.com/@googlemail.com, keeps '+'", () => {
    assert.equal(normalizeEmail("  A.B+x@Example.COM "), "a.b+x@example.com");
    assert.equal(normalizeEmailGoogle(" John.Doe@GMAIL.com"), "johndoe@gmail.com");
    assert.equal(normalizeEmailGoogle("j.o.e+tag@googlemail.com"), "joe+tag@googlemail.com");
    assert.equal(normalizeEmailGoogle("john.doe@example.com"), "john.doe@example.com");
    for (const bad of ["", "no-at", "@x.com", "a@", "a@b@c", "a b@c.com"])
      assert.equal(normalizeEmail(bad), null, bad);
  });
  it("phones in E.164: +CC kept, 00 prefix read as +, national trunk 0 replaced by the default code", () => {
    assert.equal(normalizePhoneE164("+1 (650) 253-0000"), "+16502530000");
    assert.equal(normalizePhoneE164("0044 20 7946 0958"), "+442079460958");
    assert.equal(normalizePhoneE164("020 7946 0958", "44"), "+442079460958");
    assert.equal(normalizePhoneE164("(650) 253-0000", "1"), "+16502530000");
    assert.equal(normalizePhoneE164("(650) 253-0000"), null); // no country code known
    assert.equal(normalizePhoneE164("+1234567890123456"), null); // 16 digits: longer than E.164 allows
    assert.equal(normalizePhoneE164("call me"), null);
  });
  it("names, countries and zips", () => {
    assert.equal(normalizeName("  Mary   Ann "), "mary ann");
    assert.equal(normalizeName("O'Brien", true), "obrien");
    assert.equal(normalizeName("  "), null);
    assert.equal(normalizeCountry(" us "), "US");
    assert.equal(normalizeCountry("USA"), null);
    assert.equal(normalizeZip(" 94016-1234 "), "94016");
    assert.equal(normalizeZip("wc2h  8lg"), "WC2H 8LG");
  });
  it("CSV fields are quoted per RFC 4180 and formulas are neutralised", () => {
    assert.equal(csvField('a,"b"'), '"a,""b"""');
    assert.equal(csvField("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    assert.equal(csvField("-12.5"), "-12.5");
    assert.equal(csvField(Number.NaN), "");
  });
});

describe("audience CSV", () => {
  it("has the dashboard's header, one segment, CLV descending, rounded values", () => {
    const f = audienceCsv(customers, "top");
    assert.deepEqual(f.content.split("\n")[0], AUDIENCE_HEADER.join(","));
    assert.equal(f.content, "customer_id,tier,p_alive,predicted_clv\nc,top,0.8,300\na,top,0.912346,120.46\n");
    assert.equal(f.rows, 2);
    assert.equal(audienceCsv(customers).rows, 3);
    assert.equal(f.filename, "audience-top.csv");
  });
});

describe("Google Ads offline conversion import", () => {
  const at = Date.UTC(2026, 10, 22, 15, 4, 5);
  it("writes Parameters:TimeZone, the template header, local times and predicted values; rows without a click id are counted", () => {
    const f = googleAdsConversionsCsv(customers, contacts, {
      conversionName: "Predicted CLV",
      currency: "USD",
      conversionTime: at,
      timeZone: "America/New_York",
    });
    const lines = f.content.trimEnd().split("\n");
    assert.equal(lines[0], "Parameters:TimeZone=America/New_York");
    assert.equal(lines[1], GOOGLE_ADS_HEADER.join(","));
    assert.equal(
      lines[1],
      "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency",
    );
    assert.equal(lines[2], "Cj0KCQ-a,Predicted CLV,2026-11-22 10:04:05,120.46,USD");
    assert.equal(lines.length, 3);
    assert.equal(f.rows, 1);
    assert.equal(f.skipped.length, 2);
    assert.equal(f.skipped[0]?.code, "BAD_CONTACT_VALUE");
  });
  it("without a time zone each time carries its UTC offset; bad options are all listed", () => {
    assert.equal(googleAdsTime(at), "2026-11-22 15:04:05+00:00");
    // Summer time in New York is UTC-4.
    assert.equal(googleAdsTime(Date.UTC(2026, 6, 1, 12, 0, 0), "America/New_York"), "2026-07-01 08:00:00");
    const f = googleAdsConversionsCsv(customers, contacts, {
      conversionName: "X",
      currency: "USD",
      conversionTime: at,
    });
    assert.equal(f.content.split("\n")[0], GOOGLE_ADS_HEADER.join(","));
    assert.throws(
      () =>
        googleAdsConversionsCsv(customers, contacts, {
          conversionName: " ",
          currency: "usd",
          conversionTime: at,
          timeZone: "Mars/Olympus",
        }),
      (e: { issues: { location: { field: string } }[] }) =>
        e.issues.map((i) => i.location.field).join() === "conversionName,currency,timeZone",
    );
  });
});

describe("Google Customer Match", () => {
  it("has Google's header, hashes email/phone/names, keeps country and zip in clear", () => {
    const f = customerMatchCsv(contacts.values());
    const lines = f.content.trimEnd().split("\n");
    assert.equal(lines[0], CUSTOMER_MATCH_HEADER.join(","));
    assert.equal(lines[0], "Email,Phone,First Name,Last Name,Country,Zip");
    assert.equal(lines.length, 3); // b (no usable email, phone or address) is left out
    const [a, c] = [lines[1]!.split(","), lines[2]!.split(",")];
    assert.equal(a[0], sha256Hex("johndoe@gmail.com"));
    assert.equal(a[1], sha256Hex("+16502530000"));
    assert.equal(a[1], "3ad9f10d73829a714b1383221691d4dbf08484f3ceeae884f53053a1c7bb0a92");
    assert.equal(c[0], "");
    assert.equal(c[1], sha256Hex("+448444124653"));
    assert.equal(c[2], sha256Hex("zoë"));
    assert.equal(c[3], sha256Hex("pérez"));
    assert.equal(c[4], "SG");
    assert.equal(c[5], "WC2H 8LG");
    assert.equal(f.rows, 2);
    assert.deepEqual(
      f.skipped.map((i) => i.location?.field ?? "row"),
      ["email", "phone", "row"],
    );
    for (const row of [a, c]) for (const h of row.slice(0, 4)) assert.match(h, /^([0-9a-f]{64})?$/);
  });
  it("with a default calling code a national number becomes E.164", () => {
    const f = customerMatchCsv([{ customerId: "x", phone: "0844 412 4653" }], { defaultCallingCode: "44" });
    assert.equal(f.content.trimEnd().split("\n")[1], `,${sha256Hex("+448444124653")},,,,`);
  });
});

describe("Meta Conversions API payload and value-based audience", () => {
  it("events carry hashed em/ph/external_id, system_generated source, value, currency and predicted_ltv", () => {
    const { payload, file } = metaConversionsPayload(customers, contacts, {
      currency: "EUR",
      eventTime: Date.UTC(2026, 10, 22),
    });
    assert.equal(payload.data.length, 3);
    const a = payload.data[0]!;
    assert.equal(a.event_name, "PredictedLTV");
    assert.equal(a.event_time, Date.UTC(2026, 10, 22) / 1000);
    assert.equal(a.action_source, "system_generated");
    assert.deepEqual(a.user_data.em, [sha256Hex("john.doe@gmail.com")]);
    assert.deepEqual(a.user_data.ph, [sha256Hex("16502530000")]);
    assert.deepEqual(a.user_data.external_id, [sha256Hex("a")]);
    assert.deepEqual(a.custom_data, { value: 120.46, currency: "EUR", predicted_ltv: 120.46 });
    const c = payload.data[2]!;
    assert.deepEqual(c.user_data.ph, ["dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383"]);
    assert.equal(c.user_data.em, undefined);
    assert.deepEqual(JSON.parse(file.content), payload);
    assert.equal(file.skipped.length, 2); // b's email and phone
  });
  it("value-based audience CSV has Meta's identifier columns plus value", () => {
    const f = metaValueAudienceCsv(customers, contacts);
    const lines = f.content.trimEnd().split("\n");
    assert.equal(lines[0], META_VALUE_AUDIENCE_HEADER.join(","));
    assert.equal(lines[0], "email,phone,fn,ln,zip,country,extern_id,value");
    const a = lines[1]!.split(",");
    assert.equal(a[0], sha256Hex("john.doe@gmail.com"));
    assert.equal(a[6], "a");
    assert.equal(a[7], "120.46");
    const c = lines[2]!.split(",");
    assert.equal(c[2], sha256Hex("zoë"));
    assert.equal(c[4], sha256Hex("wc2h8lg"));
    assert.equal(c[5], sha256Hex("sg"));
    assert.equal(c[7], "300");
    assert.equal(f.rows, 2);
    assert.equal(f.skipped.length, 1);
  });
  it("rejects a bad currency", () => {
    assert.throws(() => metaConversionsPayload(customers, contacts, { currency: "euro", eventTime: 0 }));
  });
});

describe("writeExportFile", () => {
  it("writes the file text as is", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vc-export-"));
    try {
      const f = audienceCsv(customers, "middle");
      const r = await writeExportFile(join(dir, "sub", f.filename), f);
      assert.equal(r.rows, 1);
      assert.equal(
        await readFile(join(dir, "sub", f.filename), "utf8"),
        "customer_id,tier,p_alive,predicted_clv\nb,middle,0.5,40\n",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
