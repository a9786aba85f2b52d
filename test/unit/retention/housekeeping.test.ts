/**
 * Retention of the tables that grow with traffic: webhook deliveries and outbox (never a pending
 * one), idempotency keys (HTTP and engine), PDU fingerprints, routing rows; and what is never
 * pruned: the consent ledger and the suppressions.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createSqliteIdempotencyStore } from "../../../src/http/idempotency-store.js";
import { type Db, openDb } from "../../../src/store/db.js";
import { ensureWebhookSchema } from "../../../src/webhooks/schema.js";
import { runner } from "./helpers.js";
import { ago, count, DAY, HOUR, outbound } from "./seed.js";

let db: Db;
beforeEach(() => {
  db = openDb({ path: ":memory:" });
});

function outboxRow(id: number, at: number): void {
  db.prepare(
    "INSERT INTO webhook_outbox (id, event_type, payload, contact_key, created_at) VALUES (?, 'message.status', '{}', NULL, ?)",
  ).run(id, at);
}

function delivery(outboxId: number, state: string, at: number, endpoint = "ep"): void {
  db.prepare(
    `INSERT INTO webhook_deliveries (outbox_id, endpoint, event_id, event_type, body, state, next_attempt_at, created_at)
     VALUES (?, ?, ?, 'message.sent', '{}', ?, ?, ?)`,
  ).run(outboxId, endpoint, `evt_${outboxId}`, state, state === "pending" ? at : null, at);
}

describe("webhooks (30 days)", () => {
  beforeEach(() => ensureWebhookSchema(db));

  it("deletes delivered and dead deliveries older than 30 days, never a pending one", async () => {
    delivery(1, "delivered", ago(31 * DAY));
    delivery(2, "dead", ago(31 * DAY));
    delivery(3, "pending", ago(90 * DAY));
    delivery(4, "delivered", ago(29 * DAY));

    const r = await runner(db).runOnce();

    expect(r.counts.webhook_deliveries_deleted).toBe(2);
    expect(db.prepare("SELECT outbox_id FROM webhook_deliveries ORDER BY outbox_id").all()).toEqual([
      { outbox_id: 3 },
      { outbox_id: 4 },
    ]);
  });

  it("keeps outbox rows not yet fanned out, or with a delivery still pending", async () => {
    for (let id = 1; id <= 5; id++) outboxRow(id, ago(60 * DAY));
    outboxRow(6, ago(10 * DAY));
    db.prepare("INSERT INTO webhook_fanout (id, last_outbox_id) VALUES (1, 4)").run();
    delivery(1, "delivered", ago(60 * DAY));
    delivery(2, "pending", ago(60 * DAY), "slow");
    delivery(2, "delivered", ago(60 * DAY), "fast");

    const r = await runner(db).runOnce();

    // 1 (delivered), 3 and 4 (no endpoint wanted them) go; 2 has a pending delivery; 5 is after the
    // cursor (the worker has not seen it); 6 is younger than 30 days.
    expect(r.counts.webhook_outbox_deleted).toBe(3);
    expect(db.prepare("SELECT id FROM webhook_outbox ORDER BY id").all()).toEqual([
      { id: 2 },
      { id: 5 },
      { id: 6 },
    ]);
  });

  it("without the webhook worker's tables no outbox row is deleted (none was fanned out)", async () => {
    const fresh = openDb({ path: ":memory:" });
    fresh
      .prepare("INSERT INTO webhook_outbox (event_type, payload, created_at) VALUES ('x', '{}', ?)")
      .run(ago(400 * DAY));
    const r = await runner(fresh).runOnce();
    expect(r.failures).toEqual([]);
    expect(count(fresh, "webhook_outbox")).toBe(1);
  });
});

describe("idempotency keys (24 h)", () => {
  it("HTTP records older than 24 h go; younger ones still replay", async () => {
    const store = createSqliteIdempotencyStore(db, { ttlMs: 48 * HOUR });
    store.begin("api", "old", "fp", ago(25 * HOUR));
    store.begin("api", "new", "fp", ago(23 * HOUR));

    const r = await runner(db).runOnce();

    expect(r.counts.idempotency_keys_deleted).toBe(1);
    expect(db.prepare("SELECT key FROM http_idempotency").all()).toEqual([{ key: "new" }]);
  });

  it("engine keys go once their message is final; a queued message keeps its key", async () => {
    outbound(db, { id: "done", status: "delivered", at: ago(2 * DAY) });
    outbound(db, { id: "waiting", status: "scheduled", at: ago(2 * DAY) });
    const key = db.prepare(
      "INSERT INTO idempotency_keys (key, request_hash, message_id, created_at) VALUES (?, 'h', ?, ?)",
    );
    key.run("k-done", "done", ago(25 * HOUR));
    key.run("k-waiting", "waiting", ago(25 * HOUR));
    key.run("k-gone", "erased-message", ago(25 * HOUR));
    key.run("k-young", "done", ago(HOUR));

    const r = await runner(db).runOnce();

    expect(r.counts.idempotency_keys_deleted).toBe(2);
    expect(db.prepare("SELECT key FROM idempotency_keys ORDER BY key").all()).toEqual([
      { key: "k-waiting" },
      { key: "k-young" },
    ]);
  });
});

describe("other tables", () => {
  it("PDU fingerprints after 30 days, quarantined PDUs with the bodies, routing rows with the metadata", async () => {
    const pdu = db.prepare(
      "INSERT INTO inbound_pdus (dedupe_key, modem_id, kind, at) VALUES (?, 'gsm0', 'deliver', ?)",
    );
    pdu.run("a", ago(31 * DAY));
    pdu.run("b", ago(29 * DAY));
    const q = db.prepare(
      "INSERT INTO quarantine (modem_id, kind, pdu, error, at) VALUES ('gsm0', 'deliver', 'p', 'e', ?)",
    );
    q.run(ago(366 * DAY));
    q.run(ago(100 * DAY));
    db.prepare(
      "INSERT INTO modem_recipients (modem_id, contact, last_at) VALUES ('gsm0', '+33612345678', ?), ('gsm0', '+33698765432', ?)",
    ).run(ago(1100 * DAY), ago(5 * DAY));
    db.prepare(
      "INSERT INTO sticky_routes (contact, modem_id, last_at) VALUES ('+33612345678', 'gsm0', ?)",
    ).run(ago(1100 * DAY));
    db.prepare(
      "INSERT INTO daily_counters (modem_id, day, parts) VALUES ('gsm0', '2023-01-01', 3), ('gsm0', '2026-11-25', 4)",
    ).run();

    const r = await runner(db).runOnce();

    expect(r.counts.inbound_dedupe_deleted).toBe(1);
    expect(r.counts.quarantine_deleted).toBe(1);
    expect(r.counts.contact_routes_deleted).toBe(2);
    expect(r.counts.daily_counters_deleted).toBe(1);
    expect(db.prepare("SELECT dedupe_key FROM inbound_pdus").all()).toEqual([{ dedupe_key: "b" }]);
    expect(count(db, "quarantine")).toBe(1);
    expect(db.prepare("SELECT contact FROM modem_recipients").all()).toEqual([{ contact: "+33698765432" }]);
    expect(count(db, "sticky_routes")).toBe(0);
    expect(db.prepare("SELECT day FROM daily_counters").all()).toEqual([{ day: "2026-11-25" }]);
  });

  it("keeps the consent ledger and the suppressions, however old (art. 7(1) proof, art. 21 objection)", async () => {
    const old = ago(3000 * DAY);
    db.prepare(
      `INSERT INTO consent_ledger (contact, purpose, status, basis, source, evidence, at, recorded_at)
       VALUES ('+33612345678', 'marketing', 'granted', 'opt-in', 'web-form', '{}', ?, ?),
              ('+33612345678', 'marketing', 'withdrawn', NULL, 'sms-keyword', '{}', ?, ?)`,
    ).run(old, old, old, old);
    db.prepare(
      "INSERT INTO suppressions (contact, since, via) VALUES ('+33612345678', ?, 'sms-keyword')",
    ).run(old);
    outbound(db, { id: "m", status: "delivered", at: old, to: "+33612345678" });
    db.prepare(
      "INSERT INTO agent_flags (contact, inbound_message_id, reason, due_at, created_at, resolved_at) VALUES ('+33612345678', 'i', 'intent-optout', ?, ?, ?), ('+33612345678', 'j', 'intent-optout', ?, ?, NULL)",
    ).run(old, old, old, old, old);

    const r = await runner(db).runOnce();

    expect(r.counts.messages_deleted).toBe(1);
    expect(r.counts.agent_flags_deleted).toBe(1);
    expect(count(db, "consent_ledger")).toBe(2);
    expect(count(db, "suppressions")).toBe(1);
    expect(count(db, "agent_flags WHERE resolved_at IS NULL")).toBe(1);
  });

  it("prunes a thread's timeline after the metadata period; the thread itself stays", async () => {
    db.prepare(
      `INSERT INTO conversations (id, contact, status, created_at, opened_at, last_activity_at, updated_at)
       VALUES ('c1', '+33612345678', 'resolved', ?, ?, ?, ?)`,
    ).run(ago(1200 * DAY), ago(1200 * DAY), ago(1200 * DAY), ago(1200 * DAY));
    const ev = db.prepare("INSERT INTO conversation_events (conversation_id, type, at) VALUES ('c1', ?, ?)");
    ev.run("opened", ago(1200 * DAY));
    ev.run("resolved", ago(1000 * DAY));

    const r = await runner(db).runOnce();

    expect(r.counts.conversation_events_deleted).toBe(1);
    expect(db.prepare("SELECT type FROM conversation_events").all()).toEqual([{ type: "resolved" }]);
    expect(count(db, "conversations")).toBe(1);
  });
});
