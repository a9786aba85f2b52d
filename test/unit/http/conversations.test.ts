/**
 * /v1/conversations over the real conversations service and engine (in-memory database, fake
 * modems): inbound PDUs open threads through the keyword hook, the API lists, reads, replies,
 * assigns, resolves, reopens and edits context; every refusal is a problem document.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { optOut } from "../../../src/conversation/consent.js";
import {
  type ConversationsService,
  createConversationsService,
  engineReplyPort,
} from "../../../src/conversation/conversations-service.js";
import { inTxEnqueuer } from "../../../src/conversation/enqueue-in-tx.js";
import { createKeywordHook } from "../../../src/conversation/hook.js";
import { PROFILES } from "../../../src/conversation/windows.js";
import type { Engine } from "../../../src/engine/engine.js";
import { PROBLEM_BASE } from "../../../src/http/problems.js";
import { deliverPdu } from "../../helpers/engine-fakes.js";
import { A, B, C, type Setup, setupEngine } from "../../helpers/engine-setup.js";
import { harness } from "./harness.js";

let s: Setup;
let svc: ConversationsService;
let h: ReturnType<typeof harness>;

beforeEach(() => {
  let engine: Engine | undefined;
  const hook = createKeywordHook(
    { businessName: "Garage Dupont", businessContact: "04 72 00 00 00" },
    { enqueueInTx: inTxEnqueuer({ defaultCountry: "FR" }), wake: () => engine?.wake() },
  );
  s = setupEngine({
    modems: 2,
    keywordHook: hook,
    compliance: { businessName: "Garage Dupont", window: PROFILES["af2m-2026"], now: () => s.clock.now() },
  });
  engine = s.engine;
  svc = createConversationsService({
    db: s.engine.db,
    bus: s.engine.bus,
    port: engineReplyPort(s.engine),
    clock: s.clock,
    modemName: (id) => (id.endsWith("1") ? "sim2" : "sim1"),
  });
  h = harness({ deps: { conversations: svc } });
});
afterEach(() => s.engine.stop());

async function inbound(text: string, from = A, modem = 1): Promise<void> {
  const coding = /^[\x20-\x7e]*$/.test(text) ? "gsm7" : "ucs2";
  await s.modems[modem]!.deliver(deliverPdu({ from, text, at: s.clock.now(), coding }));
  await s.clock.advance(1000);
}

type Json = Record<string, unknown> & { items?: Record<string, unknown>[] };
async function call(method: string, path: string, o: Parameters<typeof h.call>[2] = {}) {
  const r = await h.call(method, path, o);
  return { status: r.status, headers: r.headers, body: (await r.json()) as Json };
}
const idOf = async (contact = A) =>
  (await call("GET", `/v1/conversations?contact=${encodeURIComponent(contact)}`)).body.items?.[0]
    ?.id as string;

describe("reading threads", () => {
  it("an inbound SMS opens a thread on the SIM it reached, found by any spelling of the number", async () => {
    await inbound("Bonjour, ma voiture est prête ?");
    const list = await call("GET", "/v1/conversations?contact=06%2012%2034%2056%2078", { key: "read" });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items?.[0]).toMatchObject({ contact: A, status: "open", modem: "sim2", flagged: false });
    const d = await call("GET", `/v1/conversations/${list.body.items?.[0]?.id}`, { key: "read" });
    expect(d.body).toMatchObject({
      conversation: { contact: A },
      messages: [{ direction: "inbound", text: "Bonjour, ma voiture est prête ?", author: "customer" }],
      flags: [],
      timeline: [{ type: "opened", actor: "customer" }],
    });
  });

  it("filters, pages through `next`, and refuses a cursor reused with other filters", async () => {
    for (const [i, n] of [A, B, C].entries()) await inbound(`message ${i}`, n);
    const first = await call("GET", "/v1/conversations?limit=2&status=open");
    expect(first.body.items?.map((t) => t.contact)).toEqual([C, B]);
    expect(first.headers.get("link")).toContain('rel="next"');
    const second = await call("GET", first.body.next as string);
    expect(second.body.items?.map((t) => t.contact)).toEqual([A]);
    expect(second.body.next).toBeNull();
    const cursor = new URL(first.body.next as string, "http://x").searchParams.get("cursor")!;
    const wrong = await call("GET", `/v1/conversations?limit=2&status=pending&cursor=${cursor}`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.type).toBe(`${PROBLEM_BASE}invalid-cursor`);
  });

  it("bad filters are 422 problems naming the field; unknown ids are 404", async () => {
    for (const [q, field] of [
      ["status=closed", "status"],
      ["assigned=alice&unassigned=true", "unassigned"],
      ["flagged=yes", "flagged"],
      ["contact=abc", "contact"],
      ["limit=0", "limit"],
      ["sort=x", ""],
    ] as const) {
      const r = await call("GET", `/v1/conversations?${q}`);
      expect(r.status, q).toBe(422);
      expect(r.body.errors, q).toEqual([expect.objectContaining({ field })]);
    }
    for (const id of ["01ARZ3NDEKTSV4RRFFQ69G5FAV", "../etc", "x"]) {
      const r = await call("GET", `/v1/conversations/${id}`);
      expect(r.status).toBe(404);
      expect(r.body.type).toBe(`${PROBLEM_BASE}not-found`);
    }
  });
});

describe("agent actions", () => {
  it("a reply is enqueued conversational, pinned to the thread's SIM, authored by the key when no agent is named", async () => {
    await inbound("Quand puis-je passer ?");
    const id = await idOf();
    const r = await call("POST", `/v1/conversations/${id}/messages`, {
      key: "both",
      body: { text: "Demain 9h" },
    });
    expect(r.status).toBe(202);
    expect(r.headers.get("location")).toBe(`/v1/messages/${r.body.id}`);
    expect(r.body.conversation).toMatchObject({ status: "pending", firstResponseSeconds: 1 });
    expect(
      s.engine.db.prepare("SELECT category, modem_pin FROM messages WHERE id = ?").get(r.body.id),
    ).toEqual({ category: "conversational", modem_pin: s.modems[1]!.id });
    await s.clock.advance(1000);
    expect(s.modems[1]!.sent.map((t) => t.decoded.text)).toEqual(["Demain 9h"]);
    expect(s.modems[0]!.sent).toEqual([]);
    const d = await call("GET", `/v1/conversations/${id}`);
    expect((d.body.messages as Json[]).map((m) => [m.direction, m.author])).toEqual([
      ["inbound", "customer"],
      ["outbound", "agent:app"],
    ]);
  });

  it("a reply is not pinned to a disabled SIM (it would wait forever): another SIM sends it", async () => {
    await inbound("Bonjour");
    const id = await idOf();
    s.engine.disableModem(s.modems[1]!.id, "test");
    const r = await call("POST", `/v1/conversations/${id}/messages`, { body: { text: "Bonjour !" } });
    expect(r.status).toBe(202);
    expect(s.engine.db.prepare("SELECT modem_pin FROM messages WHERE id = ?").get(r.body.id)).toEqual({
      modem_pin: null,
    });
    await s.clock.advance(1000);
    expect(s.modems[0]!.sent.map((t) => t.decoded.text)).toEqual(["Bonjour !"]);
  });

  it("a reply to a contact who sent STOP is refused like POST /v1/messages, and nothing is queued", async () => {
    await inbound("Une question");
    const id = await idOf();
    optOut({ db: s.engine.db, at: s.clock.now() }, A, { source: "api" });
    const before = s.engine.db.prepare("SELECT COUNT(*) AS n FROM messages").get();
    const r = await call("POST", `/v1/conversations/${id}/messages`, {
      body: { text: "Réponse", agent: "alice" },
    });
    expect(r.status).toBe(403);
    expect(r.body.type).toBe(`${PROBLEM_BASE}recipient-opted-out`);
    expect(s.engine.db.prepare("SELECT COUNT(*) AS n FROM messages").get()).toEqual(before);
    expect((await call("GET", `/v1/conversations/${id}`)).body.conversation).toMatchObject({
      status: "open",
      optedOut: true,
    });
  });

  it("assign, resolve (idempotent), reply-when-resolved 409, reopen, reopen-when-open 409", async () => {
    await inbound("Bonjour");
    const id = await idOf();
    const p = `/v1/conversations/${id}`;
    expect((await call("POST", `${p}/assign`, { body: { agent: "alice" } })).body).toMatchObject({
      assignedAgent: "alice",
    });
    expect((await call("GET", "/v1/conversations?assigned=alice")).body.items).toHaveLength(1);
    expect((await call("GET", "/v1/conversations?unassigned=true")).body.items).toHaveLength(0);
    const res = await call("POST", `${p}/resolve`);
    expect(res.body).toMatchObject({ status: "resolved" });
    expect((await call("POST", `${p}/resolve`, { body: {} })).body.resolvedAt).toBe(res.body.resolvedAt);
    const late = await call("POST", `${p}/messages`, { body: { text: "x" } });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe(`${PROBLEM_BASE}conflict`);
    const re = await call("POST", `${p}/reopen`, { body: { agent: "bob" } });
    expect(re.body).toMatchObject({ status: "open", reopenCount: 1, assignedAgent: "alice" });
    expect((await call("POST", `${p}/reopen`)).status).toBe(409);
  });

  it("a free-text opt-out wish flags the thread; resolve needs flagsHandled, which clears the flag", async () => {
    await inbound("Je ne veux plus recevoir vos messages");
    const flagged = await call("GET", "/v1/conversations?flagged=true");
    expect(flagged.body.items).toHaveLength(1);
    const id = flagged.body.items?.[0]?.id as string;
    const d = await call("GET", `/v1/conversations/${id}`);
    expect(d.body.flags).toEqual([expect.objectContaining({ reason: "intent-optout" })]);
    const refused = await call("POST", `/v1/conversations/${id}/resolve`);
    expect(refused.status).toBe(409);
    const ok = await call("POST", `/v1/conversations/${id}/resolve`, { body: { flagsHandled: true } });
    expect(ok.body).toMatchObject({ status: "resolved", flagged: false });
    expect((await call("GET", "/v1/conversations?flagged=true")).body.items).toHaveLength(0);
  });

  it("PATCH context merges and removes; bad bodies are 400/415/422; read-only keys get 403", async () => {
    await inbound("Bonjour");
    const p = `/v1/conversations/${await idOf()}`;
    await call("PATCH", `${p}/context`, { body: { fields: { order: "CMD-1042", shop: "Lyon" } } });
    const r = await call("PATCH", `${p}/context`, { body: { fields: { shop: null, ticket: 7 } } });
    expect(r.body.context).toEqual({ order: "CMD-1042", ticket: 7 });
    expect((await call("GET", "/v1/conversations?q=CMD-10")).body.items).toHaveLength(1);
    expect((await call("PATCH", `${p}/context`, { body: { fields: { a: { b: 1 } } } })).status).toBe(422);
    expect((await call("PATCH", `${p}/context`, { body: { fields: {} } })).status).toBe(422);
    expect(
      (await call("POST", `${p}/messages`, { raw: "{nope", headers: { "content-type": "application/json" } }))
        .status,
    ).toBe(400);
    expect(
      (await call("POST", `${p}/assign`, { raw: "agent=x", headers: { "content-type": "text/plain" } }))
        .status,
    ).toBe(415);
    expect((await call("POST", `${p}/assign`, { body: { agent: "" } })).status).toBe(422);
    const denied = await call("POST", `${p}/resolve`, { key: "read" });
    expect(denied.status).toBe(403);
    expect(denied.body.type).toBe(`${PROBLEM_BASE}forbidden`);
    expect((await call("GET", "/v1/conversations", { key: "send" })).status).toBe(403);
  });

  it("a reply retried with the same Idempotency-Key is answered once and sent once", async () => {
    await inbound("Bonjour");
    const p = `/v1/conversations/${await idOf()}/messages`;
    const o = { body: { text: "Bien reçu" }, headers: { "idempotency-key": "reply-1" } };
    const a = await call("POST", p, o);
    const b = await call("POST", p, o);
    expect(b.body.id).toBe(a.body.id);
    expect(s.engine.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE to_number = ?").get(A)).toEqual({
      n: 1,
    });
  });

  it("GET /stats reports the KPIs of the window; a window that ends before it starts is a 422", async () => {
    await inbound("Bonjour");
    const id = await idOf();
    await call("POST", `/v1/conversations/${id}/messages`, { body: { text: "Bonjour !", agent: "alice" } });
    await s.clock.advance(4000);
    const rr = await call("POST", `/v1/conversations/${id}/resolve`, { body: { agent: "alice" } });
    expect(rr.status).toBe(200);
    const since = new Date(s.clock.now() - 3_600_000).toISOString();
    const r = await call("GET", `/v1/conversations/stats?since=${since}`, { key: "read" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      since,
      current: { open: 0, resolved: 1 },
      firstResponse: { count: 1, medianSeconds: 1 },
      resolution: { count: 1, medianSeconds: 5, firstContactRate: 1 },
      agents: [{ agent: "alice", replies: 1, resolved: 1 }],
    });
    const bad = await call("GET", `/v1/conversations/stats?since=${since}&until=${since}`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: "since" })]);
    expect((await call("GET", "/v1/conversations/stats?since=yesterday")).status).toBe(422);
  });

  it("the OpenAPI document lists the conversation operations with their scopes", async () => {
    const doc = (await call("GET", "/openapi.json")).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths["/v1/conversations/{id}/context"] ?? {})).toEqual(["patch"]);
    expect(doc.paths["/v1/conversations/{id}/resolve"]?.post).toMatchObject({
      requestBody: { required: false },
    });
    expect(doc.paths["/v1/conversations/{id}/assign"]?.post).toMatchObject({
      requestBody: { required: true },
    });
    expect(doc.paths["/v1/conversations/{id}/messages"]?.post).toMatchObject({
      description: expect.stringContaining("send"),
    });
    const bare = await harness().call("GET", "/openapi.json");
    expect(Object.keys(((await bare.json()) as { paths: object }).paths)).not.toContain("/v1/conversations");
  });
});
