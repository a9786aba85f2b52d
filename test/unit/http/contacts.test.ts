import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Engine } from "../../../src/engine/engine.js";
import { PROBLEM_BASE } from "../../../src/http/problems.js";
import { contactPath, contactsHarness } from "./contacts-harness.js";

const A = "+33612345678";
const B = "+33698765432";
const RE = "+262692123456";
let at = Date.parse("2026-11-26T09:00:00Z");
let engine: Engine;
let h: ReturnType<typeof contactsHarness>;

beforeEach(() => {
  at = Date.parse("2026-11-26T09:00:00Z");
  engine = new Engine({ db: ":memory:", clock: { now: () => at, setTimeout: () => ({ clear() {} }) } });
  h = contactsHarness(engine, () => at);
});
afterEach(() => {
  expect(h.unexpected).toEqual([]);
  engine.db.close();
});

const problem = (type: string) => expect.objectContaining({ type: PROBLEM_BASE + type });
const grant = { purpose: "marketing", status: "granted", basis: "opt-in", source: "web-form" };

describe("scopes", () => {
  it.each([
    ["GET", "/v1/contacts", null, 401],
    ["GET", contactPath(A), null, 401],
    ["PATCH", contactPath(A), "read", 403],
    ["POST", contactPath(A, "/consents"), "read", 403],
    ["DELETE", contactPath(A), "send", 403],
    ["DELETE", contactPath(A), "read", 403],
  ] as const)("%s %s with %s → %i", async (method, path, key, status) => {
    const r = await h.call(method, path, {
      key,
      body: method === "GET" || method === "DELETE" ? undefined : {},
    });
    expect(r.status).toBe(status);
    expect(r.headers.get("content-type")).toBe("application/problem+json");
  });

  it("read covers the reads (contact, consents, export); send covers writes", async () => {
    expect((await h.call("PATCH", contactPath(A), { key: "send", body: { name: "Léa" } })).status).toBe(201);
    expect((await h.call("POST", contactPath(A, "/consents"), { key: "send", body: grant })).status).toBe(
      201,
    );
    for (const p of [contactPath(A), contactPath(A, "/consents"), contactPath(A, "/export"), "/v1/contacts"])
      expect((await h.call("GET", p, { key: "read" })).status).toBe(200);
  });
});

describe("GET/PATCH /v1/contacts/{e164}", () => {
  it("creates (201, Location), then updates (200): name, zone override, merged fields, tags", async () => {
    const created = await h.call("PATCH", contactPath(A), {
      body: {
        name: "Léa Martin",
        timeZone: "Indian/Reunion",
        fields: { order: "A12", shop: "Nord" },
        tags: ["vip"],
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(contactPath(A));
    expect(created.body).toMatchObject({
      e164: A,
      region: "FR",
      timeZone: "Indian/Reunion",
      zoneOverridden: true,
      optedOut: null,
      createdAt: "2026-11-26T09:00:00.000Z",
    });
    const updated = await h.call("PATCH", contactPath(A), {
      body: { fields: { shop: null, ticket: "T-9" }, tags: ["vip", "garage"], timeZone: null },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: "Léa Martin",
      timeZone: "Europe/Paris",
      zoneOverridden: false,
      fields: { order: "A12", ticket: "T-9" },
      tags: ["vip", "garage"],
    });
    expect(updated.body.fields).not.toHaveProperty("shop");
    expect((await h.call("GET", contactPath(A))).body).toEqual(updated.body);
  });

  it("reads the number in any usual form: %2B, national, spaced", async () => {
    await h.call("PATCH", contactPath(A), { body: { name: "Léa" } });
    for (const p of [
      "/v1/contacts/%2B33612345678",
      "/v1/contacts/0612345678",
      "/v1/contacts/06%2012%2034%2056%2078",
    ])
      expect((await h.call("GET", p)).body).toMatchObject({ e164: A, name: "Léa" });
  });

  it("404 for a number the gateway does not know; 422 for what is not a number", async () => {
    expect(await h.call("GET", contactPath(B))).toMatchObject({ status: 404, body: problem("not-found") });
    for (const bad of ["abc", "%2B3361234567890123456789", "0112", "%ZZ", "%2B33%00612345678", "+"]) {
      const r = await h.call("GET", `/v1/contacts/${bad}`);
      expect(r).toMatchObject({ status: 422, body: problem("validation") });
      expect(r.body.errors).toEqual([expect.objectContaining({ field: "e164" })]);
    }
  });

  it("422 for an unknown zone, a bad field or tag, an unknown member; 400 for broken JSON; nothing stored", async () => {
    for (const body of [
      { timeZone: "Mars/Olympus" },
      { fields: { "bad key": "x" } },
      { tags: ["two words"] },
      { nickname: "x" },
      { name: "" },
      null,
      [],
      { fields: ["order"] },
    ]) {
      const r = await h.call("PATCH", contactPath(A), { body });
      expect(r).toMatchObject({ status: 422, body: problem("validation") });
    }
    const zone = await h.call("PATCH", contactPath(A), { body: { timeZone: "Mars/Olympus" } });
    expect(zone.body.errors).toEqual([{ field: "timeZone", message: expect.stringMatching(/IANA/) }]);
    expect(
      (await h.call("PATCH", contactPath(A), { raw: "{", headers: { "content-type": "application/json" } }))
        .status,
    ).toBe(400);
    expect((await h.call("GET", contactPath(A))).status).toBe(404);
  });
});

describe("GET /v1/contacts", () => {
  beforeEach(async () => {
    await h.call("PATCH", contactPath(A), {
      body: { name: "Léa Martin", tags: ["vip"], fields: { order: "A12" } },
    });
    await h.call("PATCH", contactPath(B), { body: { name: "Paul", tags: ["garage"] } });
    await h.call("PATCH", contactPath(RE), { body: { name: "Inès", tags: ["vip"] } });
    await h.call("POST", contactPath(B, "/consents"), {
      body: { purpose: "marketing", status: "withdrawn", source: "api" },
    });
    engine.db
      .prepare("INSERT INTO suppressions (contact, since, via) VALUES (?, ?, 'sms-keyword')")
      .run(B, at);
  });
  const numbers = async (query: string) =>
    ((await h.call("GET", `/v1/contacts${query}`)).body.items as { e164: string }[]).map((c) => c.e164);

  it("filters by tag, zone, opt-out and text", async () => {
    expect(await numbers("")).toEqual([RE, A, B]);
    expect(await numbers("?tag=vip")).toEqual([RE, A]);
    expect(await numbers("?zone=Indian/Reunion")).toEqual([RE]);
    expect(await numbers("?opted_out=true")).toEqual([B]);
    expect(await numbers("?opted_out=false&tag=vip")).toEqual([RE, A]);
    expect(await numbers("?q=martin")).toEqual([A]);
    expect(await numbers("?q=A12")).toEqual([A]);
    expect(await numbers("?q=98765")).toEqual([B]);
    expect(await numbers("?q=%25")).toEqual([]);
    const b = (await h.call("GET", "/v1/contacts?opted_out=true")).body.items[0];
    expect(b.optedOut).toEqual({ since: "2026-11-26T09:00:00.000Z", via: "sms-keyword" });
  });

  it("pages with a cursor bound to its filters", async () => {
    const first = await h.call("GET", "/v1/contacts?limit=2");
    expect(first.body.items.map((c: { e164: string }) => c.e164)).toEqual([RE, A]);
    expect(first.headers.get("link")).toBe(`<${first.body.next}>; rel="next"`);
    const second = await h.call("GET", first.body.next);
    expect(second.body).toEqual({ items: [expect.objectContaining({ e164: B })], next: null });
    const cursor = new URL(first.body.next, "http://x").searchParams.get("cursor");
    expect(await h.call("GET", `/v1/contacts?tag=vip&cursor=${cursor}`)).toMatchObject({
      status: 400,
      body: problem("invalid-cursor"),
    });
  });

  it("422 for a bad query", async () => {
    for (const q of ["?limit=0", "?limit=201", "?opted_out=yes", "?sort=name", "?tag=a&tag=b"])
      expect((await h.call("GET", `/v1/contacts${q}`)).status).toBe(422);
  });
});

describe("consents", () => {
  it("appends (201) and reads the ledger oldest first with the consent in force per purpose", async () => {
    const first = await h.call("POST", contactPath(A, "/consents"), {
      body: {
        ...grant,
        evidence: { form: "newsletter-v3", checkbox: "J'accepte les offres par SMS" },
        at: "2026-11-20T10:00:00+01:00",
      },
    });
    expect(first.status).toBe(201);
    expect(first.body.record).toMatchObject({
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      at: "2026-11-20T09:00:00.000Z",
      recordedAt: "2026-11-26T09:00:00.000Z",
      evidence: { form: "newsletter-v3" },
    });
    at += 1000;
    await h.call("POST", contactPath(A, "/consents"), {
      body: { purpose: "survey", status: "granted", basis: "soft-opt-in", source: "in-store" },
    });
    at += 1000;
    await h.call("POST", contactPath(A, "/consents"), {
      body: { purpose: "marketing", status: "withdrawn", source: "api" },
    });
    const r = await h.call("GET", contactPath(A, "/consents"));
    expect(r.body.ledger.map((c: { purpose: string; status: string }) => `${c.purpose}:${c.status}`)).toEqual(
      ["marketing:granted", "survey:granted", "marketing:withdrawn"],
    );
    expect(
      r.body.current.map((c: { purpose: string; status: string }) => `${c.purpose}:${c.status}`),
    ).toEqual(["marketing:withdrawn", "survey:granted"]);
    expect(r.body.optedOut).toBeNull();
  });

  it("a marketing withdrawal cancels queued marketing like an opt-out, and leaves other messages", async () => {
    await h.call("POST", contactPath(A, "/consents"), { body: grant });
    const promo = engine.enqueue({ to: A, text: "Promo", category: "marketing", sendAt: at + 3_600_000 }).id;
    const notice = engine.enqueue({ to: A, text: "Votre commande", category: "transactional" }).id;
    const r = await h.call("POST", contactPath(A, "/consents"), {
      body: { purpose: "marketing", status: "withdrawn", source: "web-form" },
    });
    expect(r.body.canceled).toEqual([promo]);
    expect(engine.getMessage(promo)?.status).toBe("canceled");
    expect(engine.getMessage(notice)?.status).toBe("queued");
    const survey = await h.call("POST", contactPath(A, "/consents"), {
      body: { purpose: "survey", status: "withdrawn", source: "api" },
    });
    expect(survey.body.canceled).toEqual([]);
  });

  it("422 for a grant without basis, a future date, a reserved or malformed purpose, an unknown source", async () => {
    const bad = [
      [{ purpose: "marketing", status: "granted", source: "api" }, "basis"],
      [{ ...grant, at: "2026-11-27T09:00:00Z" }, ""],
      [{ ...grant, purpose: "all" }, "purpose"],
      [{ ...grant, purpose: "Marketing!" }, "purpose"],
      [{ ...grant, source: "fax" }, "source"],
      [{ ...grant, evidence: "signed" }, "evidence"],
    ] as const;
    for (const [body, field] of bad) {
      const r = await h.call("POST", contactPath(A, "/consents"), { body });
      expect(r).toMatchObject({ status: 422, body: problem("validation") });
      expect(r.body.errors[0].field).toBe(field);
    }
    expect((await h.call("GET", contactPath(A, "/consents"))).status).toBe(404);
  });

  it("an Idempotency-Key replays the first answer instead of appending twice", async () => {
    const headers = { "idempotency-key": "form-42" };
    const one = await h.call("POST", contactPath(A, "/consents"), { body: grant, headers });
    const two = await h.call("POST", contactPath(A, "/consents"), { body: grant, headers });
    expect(two.headers.get("idempotent-replayed")).toBe("true");
    expect(two.body).toEqual(one.body);
    expect((await h.call("GET", contactPath(A, "/consents"))).body.ledger).toHaveLength(1);
  });
});

describe("export and erasure", () => {
  it("exports everything about the number; 404 for an unknown one", async () => {
    await h.call("PATCH", contactPath(A), { body: { name: "Léa" } });
    await h.call("POST", contactPath(A, "/consents"), { body: grant });
    engine.enqueue({ to: A, text: "Votre commande est prête", category: "transactional" });
    engine.enqueue({ to: B, text: "Pour Paul", category: "transactional" });
    const r = await h.call("GET", contactPath(A, "/export"), { key: "read" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-disposition")).toMatch(/attachment/);
    expect(r.body).toMatchObject({
      contact: A,
      profile: { name: "Léa" },
      consents: [expect.objectContaining({ purpose: "marketing" })],
    });
    expect(r.body.outbound.map((m: { text: string }) => m.text)).toEqual(["Votre commande est prête"]);
    expect(JSON.stringify(r.body)).not.toContain("98765432");
    expect((await h.call("GET", contactPath(B.replace("987", "111"), "/export"))).status).toBe(404);
  });

  it("DELETE erases (admin), answers with the erasure receipt, and the contact is gone", async () => {
    await h.call("PATCH", contactPath(A), { body: { name: "Léa" } });
    engine.db
      .prepare("INSERT INTO suppressions (contact, since, via) VALUES (?, ?, 'sms-keyword')")
      .run(A, at);
    const r = await h.call("DELETE", contactPath(A));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: expect.any(String),
      at: "2026-11-26T09:00:00.000Z",
      kept: ["all"],
      hashPrefix: expect.stringMatching(/^[0-9a-f]{12}$/),
      counts: { contacts: 1, suppressions: 1 },
    });
    expect(JSON.stringify(r.body)).not.toContain("612345678");
    expect((await h.call("GET", contactPath(A))).status).toBe(404);
    expect((await h.call("DELETE", contactPath(A))).status).toBe(404);
    // The objection is still there for the send path: the export shows only what was kept.
    const e = await h.call("GET", contactPath(A, "/export"));
    expect(e.body).toMatchObject({
      profile: null,
      optOut: { via: "erasure" },
      erasedObjections: [{ scope: "all" }],
    });
  });

  it("409 erase-in-flight with Retry-After while a modem holds a message, and nothing erased", async () => {
    await h.call("PATCH", contactPath(A), { body: { name: "Léa" } });
    const { id } = engine.enqueue({ to: A, text: "x", category: "transactional" });
    engine.db.prepare("UPDATE parts SET lease_owner = 'worker-1' WHERE message_id = ?").run(id);
    const r = await h.call("DELETE", contactPath(A));
    expect(r).toMatchObject({
      status: 409,
      body: { type: `${PROBLEM_BASE}erase-in-flight`, messageIds: [id] },
    });
    expect(r.headers.get("retry-after")).toBe("5");
    expect(r.headers.get("content-type")).toBe("application/problem+json");
    expect((await h.call("GET", contactPath(A))).status).toBe(200);
    engine.db.prepare("UPDATE parts SET lease_owner = NULL WHERE message_id = ?").run(id);
    expect((await h.call("DELETE", contactPath(A))).status).toBe(200);
    expect(engine.getMessage(id)).toBeUndefined();
  });
});
