/**
 * Inactive contacts: erased after `contactsInactiveMs` without any activity, through the art. 17
 * erasure (opt-outs survive as hashes, one `erasures` row each), never while a thread is open, an
 * agent flag unresolved or a message still on its way; one contact per transaction by default.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { ensureContact } from "../../../src/conversation/contacts.js";
import { numberHash, registerPepper } from "../../../src/conversation/pepper-hash.js";
import { EventBus, type GatewayEvents } from "../../../src/events.js";
import { JOBS } from "../../../src/retention/jobs.js";
import {
  contactBatch,
  INACTIVE_CONTACTS,
  inactiveContacts,
  RETENTION_REQUESTER,
} from "../../../src/retention/jobs-contacts.js";
import { RetentionRunner } from "../../../src/retention/runner.js";
import { type Db, openDb } from "../../../src/store/db.js";
import { DEFAULT_POLICY, fixedClock, runner } from "./helpers.js";
import { ago, count, DAY, HOUR, NOW, outbound } from "./seed.js";

const PEPPER = Buffer.alloc(32, 9);
const OLD = ago(4 * 365 * DAY);
const RECENT = ago(365 * DAY);

let db: Db;
beforeEach(() => {
  db = openDb({ path: ":memory:" });
  registerPepper(db, PEPPER);
});

function contact(e164: string, o: { created?: number; last?: number | null; updated?: number } = {}): void {
  const created = o.created ?? OLD;
  const last = o.last === undefined ? created : o.last;
  db.prepare(
    `INSERT INTO contacts (e164, region, time_zone, created_at, updated_at, first_contact_at, last_contact_at)
     VALUES (?, 'FR', 'Europe/Paris', ?, ?, ?, ?)`,
  ).run(e164, created, o.updated ?? created, last, last);
}

function consent(e164: string, at: number, status = "granted"): void {
  db.prepare(
    `INSERT INTO consent_ledger (contact, purpose, status, basis, source, evidence, at, recorded_at)
     VALUES (?, 'marketing', ?, 'opt-in', 'web-form', '{}', ?, ?)`,
  ).run(e164, status, at, at);
}

function suppression(e164: string, since: number): void {
  db.prepare("INSERT INTO suppressions (contact, since, via) VALUES (?, ?, 'sms-keyword')").run(e164, since);
}

const exists = (e164: string) => count(db, "contacts WHERE e164 = ?", e164) === 1;
const erasedBy = () =>
  (db.prepare("SELECT requested_by FROM erasures").all() as { requested_by: string }[]).map(
    (r) => r.requested_by,
  );

describe("inactive contacts", () => {
  it("a contact silent for more than the period is erased; any recent activity of the person keeps one", async () => {
    contact("+33600000001");
    outbound(db, { id: "old1", status: "delivered", at: OLD, to: "+33600000001" });
    consent("+33600000001", OLD);
    contact("+33600000002", { last: RECENT });
    contact("+33600000003", { created: ago(30 * DAY), last: null });
    contact("+33600000004");
    consent("+33600000004", RECENT, "withdrawn");
    contact("+33600000005");
    outbound(db, { id: "recent5", status: "delivered", at: RECENT, to: "+33600000005" });
    contact("+33600000006");
    db.prepare(
      `INSERT INTO inbound_messages (id, modem_id, from_number, text, coding, data_hex, parts_total, parts_received, received_at)
       VALUES ('in6', 'gsm0', '+33600000006', 'hi', 'gsm7', NULL, 1, 1, ?)`,
    ).run(RECENT);
    // An operator's edit (name, tags) is not the person's activity.
    contact("+33600000007", { updated: ago(DAY) });
    contact("+33600000008");
    suppression("+33600000008", RECENT);

    const r = await runner(db, { contactsInactiveMs: 1095 * DAY }).runOnce();
    expect(r.failures).toEqual([]);
    expect(r.counts.contacts_erased).toBe(2);
    expect(exists("+33600000001")).toBe(false);
    expect(exists("+33600000007")).toBe(false);
    for (const n of [2, 3, 4, 5, 6, 8]) expect(exists(`+3360000000${n}`)).toBe(true);
    expect(count(db, "consent_ledger WHERE contact = '+33600000001'")).toBe(0);
    // The message went with the metadata job first; the erasures took two contact rows and a consent.
    expect(r.counts.messages_deleted).toBe(1);
    expect(r.counts.contact_rows_deleted).toBe(3);
    expect(erasedBy()).toEqual([RETENTION_REQUESTER, RETENTION_REQUESTER]);
  });

  it("an opted-out contact erased for inactivity stays opted out: hash kept, suppression back on return", async () => {
    contact("+33600000011");
    suppression("+33600000011", OLD);
    consent("+33600000011", OLD, "withdrawn");
    await runner(db, { contactsInactiveMs: 1095 * DAY }).runOnce();
    expect(exists("+33600000011")).toBe(false);
    expect(count(db, "suppressions")).toBe(0);
    const hash = numberHash(PEPPER, "+33600000011");
    expect(
      (
        db.prepare("SELECT scope FROM suppression_hashes WHERE hash = ? ORDER BY scope").all(hash) as {
          scope: string;
        }[]
      ).map((s) => s.scope),
    ).toEqual(["all", "marketing"]);
    ensureContact({ db, at: NOW }, "+33600000011");
    expect(count(db, "suppressions WHERE contact = '+33600000011'")).toBe(1);
  });

  it("an open thread, an unresolved agent flag or a message still on its way keep an old contact", async () => {
    for (const n of [21, 22, 23, 24, 25, 26]) contact(`+336000000${n}`);
    db.prepare(
      `INSERT INTO conversations (id, contact, status, created_at, opened_at, last_activity_at, updated_at)
       VALUES ('t21', '+33600000021', 'open', ?, ?, ?, ?), ('t22', '+33600000022', 'pending', ?, ?, ?, ?)`,
    ).run(OLD, OLD, OLD, OLD, OLD, OLD, OLD, OLD);
    db.prepare(
      `INSERT INTO agent_flags (contact, inbound_message_id, reason, due_at, created_at)
       VALUES ('+33600000023', 'in23', 'optout-wish', ?, ?)`,
    ).run(OLD, OLD);
    outbound(db, { id: "sched24", status: "scheduled", at: OLD, to: "+33600000024" });
    outbound(db, { id: "unknown25", status: "sent", at: OLD, to: "+33600000025", parts: ["unknown"] });
    // A resolved thread does not hold the contact back.
    db.prepare(
      `INSERT INTO conversations (id, contact, status, created_at, opened_at, last_activity_at, resolved_at, updated_at)
       VALUES ('t26', '+33600000026', 'resolved', ?, ?, ?, ?, ?)`,
    ).run(OLD, OLD, OLD, OLD, OLD);

    const r = await runner(db, { contactsInactiveMs: 1095 * DAY }).runOnce();
    expect(r.counts.contacts_erased).toBe(1);
    for (const n of [21, 22, 23, 24, 25]) expect(exists(`+336000000${n}`)).toBe(true);
    expect(exists("+33600000026")).toBe(false);
    expect(count(db, "messages WHERE id IN ('sched24', 'unknown25')")).toBe(2);
  });

  it("a contact the erasure refuses (a modem holds its part) is left for the next run, and the run ends", async () => {
    contact("+33600000031");
    contact("+33600000032");
    outbound(db, { id: "held31", status: "delivered", at: OLD, to: "+33600000031" });
    // Inconsistent on purpose (a final part still leased), so that the scan picks the contact and
    // only eraseContact's own in-flight check refuses it.
    db.prepare("UPDATE parts SET lease_owner = 'worker-1' WHERE message_id = 'held31'").run();
    const r = await new RetentionRunner({
      db,
      clock: fixedClock(),
      policy: { ...DEFAULT_POLICY, contactsInactiveMs: 1095 * DAY },
      intervalMs: HOUR,
      jobs: [inactiveContacts],
    }).runOnce();
    expect(r.failures).toEqual([]);
    expect(exists("+33600000031")).toBe(true);
    expect(exists("+33600000032")).toBe(false);
    expect(count(db, "messages WHERE id = 'held31'")).toBe(1);
  });

  it("0 turns the job off; without a pepper nothing is erased either", async () => {
    contact("+33600000041");
    expect((await runner(db, { contactsInactiveMs: 0 }).runOnce()).counts.contacts_erased).toBe(0);
    const bare = openDb({ path: ":memory:" });
    bare
      .prepare(
        "INSERT INTO contacts (e164, region, time_zone, created_at, updated_at) VALUES ('+33600000042', 'FR', 'Europe/Paris', ?, ?)",
      )
      .run(OLD, OLD);
    expect((await runner(bare, { contactsInactiveMs: 1095 * DAY }).runOnce()).counts.contacts_erased).toBe(0);
    expect(exists("+33600000041")).toBe(true);
  });

  it("without contactsInactiveMs the policy uses the default period (3 years)", async () => {
    contact("+33600000051", { created: ago(1100 * DAY) });
    contact("+33600000052", { created: ago(1000 * DAY) });
    const r = await runner(db).runOnce();
    expect(r.counts.contacts_erased).toBe(1);
    expect(exists("+33600000052")).toBe(true);
  });

  it("one contact per transaction at the default batch size; contact.erased events reach the bus after commit", async () => {
    for (let i = 0; i < 5; i++) contact(`+3360000006${i}`);
    const bus = new EventBus<GatewayEvents>();
    const seen: boolean[] = [];
    bus.on("outbox.written", (e) => {
      expect(e.eventType).toBe("contact.erased");
      // After the commit: the webhook worker woken by it must find the outbox row.
      seen.push(db.inTransaction);
    });
    const r = await new RetentionRunner({
      db,
      clock: fixedClock(),
      policy: { ...DEFAULT_POLICY, contactsInactiveMs: 1095 * DAY },
      intervalMs: HOUR,
      jobs: [inactiveContacts],
      bus,
    }).runOnce();
    expect(contactBatch(DEFAULT_POLICY.batchSize)).toBe(1);
    expect(r.counts.contacts_erased).toBe(5);
    // Five batches of one, then the empty one that ends the job.
    expect(r.transactions).toBe(6);
    expect(seen).toEqual([false, false, false, false, false]);
    expect(count(db, "webhook_outbox WHERE event_type = 'contact.erased'")).toBe(5);
    // Integrators tell the job's erasures from people's requests by the event's reason.
    const reasons = db
      .prepare(
        "SELECT DISTINCT json_extract(payload, '$.reason') AS r FROM webhook_outbox WHERE event_type = 'contact.erased'",
      )
      .all();
    expect(reasons).toEqual([{ r: "retention" }]);
  });

  it("runs after the message jobs: messages past metadata_days count as such, not as an erasure's", async () => {
    expect(JOBS.indexOf(inactiveContacts)).toBeGreaterThan(JOBS.findIndex((j) => j.name === "inbound rows"));
    contact("+33600000071");
    outbound(db, { id: "m71", status: "delivered", at: OLD, to: "+33600000071" });
    const r = await runner(db, { contactsInactiveMs: 1095 * DAY }).runOnce();
    expect(r.counts.messages_deleted).toBe(1);
    expect(r.counts.contacts_erased).toBe(1);
  });
});

describe("query plan", () => {
  it("the contact scan walks the key and finds each contact's rows by index; only agent flags are scanned", () => {
    const plan = (
      db
        .prepare(`EXPLAIN QUERY PLAN ${INACTIVE_CONTACTS}`)
        .all({ after: "", cutoff: 0, reportCutoff: 0, batch: 1 }) as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(plan[0]).toMatch(/^SEARCH c USING INDEX sqlite_autoindex_contacts_1 \(e164>\?\)/);
    for (const t of ["m", "p", "i", "l", "s", "t"])
      expect(plan.find((d) => d.startsWith(`SEARCH ${t} USING`))).toBeDefined();
    // agent_flags has no index on contact (migration 002); it holds open flags and 3 years of resolved ones.
    expect(plan.filter((d) => d.startsWith("SCAN"))).toEqual(["SCAN f"]);
    expect(plan.join(" | ")).not.toMatch(/TEMP B-TREE/);
  });
});
