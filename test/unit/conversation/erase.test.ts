import { beforeEach, describe, expect, it } from "vitest";
import { hasConsent, optIn, recordConsent, suppressionOf } from "../../../src/conversation/consent.js";
import { getContact } from "../../../src/conversation/contacts.js";
import { EraseError, eraseContact } from "../../../src/conversation/erase.js";
import { numberHash, registerPepper } from "../../../src/conversation/pepper-hash.js";
import { type PolicyConfig, planSend } from "../../../src/conversation/policy.js";
import { PROFILES } from "../../../src/conversation/windows.js";
import { createSqliteIdempotencyStore } from "../../../src/http/idempotency-store.js";
import { createIdFactory } from "../../../src/store/ids.js";
import { runTx, type Tx } from "../../../src/store/tx.js";
import type { Setup } from "../../helpers/engine-setup.js";
import { A, B, dump, hookedEngine, inbound, populate, tablesMentioning } from "./erase-fixture.js";

const pepper = Buffer.alloc(32, 7);
const cfg: PolicyConfig = { businessName: "Boulangerie Martin", window: PROFILES["af2m-2026"] };
let s: Setup;
const ctx = () => ({ db: s.engine.db, at: s.clock.now() });
const inTx = <T>(fn: (tx: Tx) => T) =>
  runTx({ db: s.engine.db, bus: s.engine.bus, ids: createIdFactory(), now: () => s.clock.now() }, fn);
const erase = (who: string, requestedBy?: string) =>
  inTx((tx) => eraseContact(tx, who, { pepper, ...(requestedBy && { requestedBy }) }));

beforeEach(async () => {
  s = hookedEngine();
  registerPepper(s.engine.db, pepper);
  await populate(s);
});

describe("eraseContact", () => {
  it("leaves no row mentioning the number, and every row of the other contact", async () => {
    expect(tablesMentioning(s, A).length).toBeGreaterThan(8);
    const before = tablesMentioning(s, B);
    const timeline = s.engine.db
      .prepare(
        "SELECT COUNT(*) AS n FROM conversation_events e JOIN conversations c ON c.id = e.conversation_id WHERE c.contact = ?",
      )
      .get(A) as { n: number };
    expect(timeline.n).toBeGreaterThan(0);
    const r = erase(A, "dpo");
    expect(tablesMentioning(s, A)).toEqual([]);
    expect(tablesMentioning(s, B)).toEqual(before);
    expect(r.counts).toMatchObject({ messages: 2, inbound_messages: 3, consent_ledger: 2, conversations: 1 });
    expect(r.counts.conversation_events).toBe(timeline.n);
    expect(r.counts.inbound_pdus).toBe(1); // the fragment's dedupe key, recomputed from its PDU
    expect(getContact(ctx(), B)).toBeDefined();
    expect(hasConsent(ctx(), B, "marketing")).toBe(true);
  });

  it("keeps an opt-out as the peppered hash only, logs the erasure and emits contact.erased without the number", () => {
    const r = erase(A, "dpo");
    const hash = numberHash(pepper, A);
    expect(r.kept).toEqual(["all", "marketing"]);
    expect(r.hashPrefix).toBe(hash.slice(0, 12));
    const rows = s.engine.db.prepare("SELECT hash, scope FROM suppression_hashes ORDER BY scope").all();
    expect(rows).toEqual([
      { hash, scope: "all" },
      { hash, scope: "marketing" },
    ]);
    const log = s.engine.db.prepare("SELECT * FROM erasures").all() as { id: string; requested_by: string }[];
    expect(log).toEqual([
      expect.objectContaining({ id: r.id, requested_by: "dpo", hash_prefix: r.hashPrefix }),
    ]);
    const ev = s.engine.db
      .prepare("SELECT payload, contact_key FROM webhook_outbox WHERE event_type = 'contact.erased'")
      .all() as { payload: string; contact_key: string | null }[];
    expect(ev).toHaveLength(1);
    expect(JSON.parse(ev[0]!.payload)).toEqual({
      erasureId: r.id,
      at: r.at,
      reason: "request",
      hashPrefix: r.hashPrefix,
      kept: r.kept,
    });
    expect(ev[0]!.contact_key).toBeNull();
  });

  it("drops stored API answers that carry the number, and keeps the others", () => {
    const store = createSqliteIdempotencyStore(s.engine.db);
    const answer = (body: string) => ({ status: 201, contentType: "application/json", location: null, body });
    for (const [key, body] of [
      ["k1", JSON.stringify({ record: { contact: A } })],
      ["k2", JSON.stringify({ record: { contact: B } })],
    ] as const) {
      store.begin("crm", key, "fp", s.clock.now());
      store.complete("crm", key, answer(body), s.clock.now());
    }
    expect(erase(A).counts.http_idempotency).toBe(1);
    expect(store.begin("crm", "k2", "fp", s.clock.now())).toMatchObject({ kind: "completed" });
    expect(store.begin("crm", "k1", "fp", s.clock.now())).toEqual({ kind: "started" });
  });

  it("keeps no hash for a contact who never objected", () => {
    const r = erase(B);
    expect(r).toMatchObject({ kept: [], hashPrefix: null });
    expect(s.engine.db.prepare("SELECT COUNT(*) AS n FROM suppression_hashes").get()).toEqual({ n: 0 });
  });

  it("a send to an erased opted-out number is still refused as opted out", () => {
    erase(A);
    expect(suppressionOf(ctx(), A)).toMatchObject({ via: "erasure", keyword: null });
    expect(() => planSend(ctx(), { to: A, text: "x", category: "transactional" }, cfg)).toThrow(
      expect.objectContaining({ problem: "opted-out" }),
    );
  });

  it("an inbound from the erased number restores the suppression row, and START still lifts it with what STOP withdrew", async () => {
    erase(A);
    await inbound(s, A, "Bonjour, ma commande ?");
    const row = s.engine.db.prepare("SELECT contact, via FROM suppressions WHERE contact = ?").get(A);
    expect(row).toEqual({ contact: A, via: "erasure" });
    expect(s.engine.db.prepare("SELECT scope FROM suppression_hashes").all()).toEqual([
      { scope: "marketing" },
    ]);
    expect(suppressionOf(ctx(), A)?.withdrawnPurposes).toEqual(["marketing"]);
    await s.clock.advance(1000);
    // START undoes exactly what STOP withdrew, as it would have without the erasure.
    expect(optIn(ctx(), A, { source: "sms-keyword", keyword: "START" })).toEqual({
      changed: true,
      purposes: ["marketing"],
    });
    expect(suppressionOf(ctx(), A)).toBeUndefined();
    expect(hasConsent(ctx(), A, "marketing")).toBe(true);
    expect(s.engine.db.prepare("SELECT COUNT(*) AS n FROM suppression_hashes").get()).toEqual({ n: 0 });
    expect(planSend(ctx(), { to: A, text: "Promo", category: "marketing" }, cfg).text).toMatch(/STOP/);
  });

  it("a withdrawn marketing purpose blocks marketing only; an older grant re-imported is refused, a new one lifts it", async () => {
    recordConsent(ctx(), { contact: B, purpose: "marketing", status: "withdrawn", source: "api" });
    const withdrawnAt = s.clock.now();
    erase(B);
    expect(suppressionOf(ctx(), B)).toBeUndefined();
    const marketing = { to: B, text: "Promo", category: "marketing" };
    expect(() => planSend(ctx(), marketing, cfg)).toThrow(expect.objectContaining({ problem: "opted-out" }));
    expect(planSend(ctx(), { ...marketing, category: "transactional" }, cfg).text).toBe("Promo");
    const grant = {
      contact: B,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "import",
    } as const;
    expect(() => recordConsent(ctx(), { ...grant, at: withdrawnAt - 1 })).toThrow(
      /before the recorded withdrawal/,
    );
    await s.clock.advance(1000);
    recordConsent(ctx(), { ...grant, source: "web-form" });
    expect(planSend(ctx(), marketing, cfg).text).toMatch(/STOP/);
  });

  it("refuses while a modem holds one of the messages, deleting nothing (regression: erase under a lease)", () => {
    const { id } = s.engine.enqueue({ to: B, text: "x", category: "transactional" });
    s.engine.db
      .prepare("UPDATE parts SET lease_owner = 'w1', status = 'sending' WHERE message_id = ?")
      .run(id);
    const before = dump(s);
    expect(() => erase(B)).toThrow(expect.objectContaining({ code: "erase_in_flight", messageIds: [id] }));
    expect(dump(s)).toEqual(before);
  });

  it("deletes queued messages with the rest, and refuses an unknown number or a missing pepper", () => {
    s.engine.enqueue({ to: B, text: "later", category: "transactional", sendAt: s.clock.now() + 3_600_000 });
    erase(B);
    expect(s.engine.db.prepare("SELECT COUNT(*) AS n FROM parts WHERE to_number = ?").get(B)).toEqual({
      n: 0,
    });
    expect(() => erase(B)).toThrow(EraseError);
    expect(() => inTx((tx) => eraseContact(tx, A, { pepper: Buffer.alloc(4) }))).toThrow(/at least 16 bytes/);
  });
});
