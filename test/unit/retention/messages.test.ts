/**
 * Retention of messages at a fixed time on a real (in-memory) SQLite database: bodies blanked after
 * the bodies period, rows deleted after the metadata period, messages that are not final untouched.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { SCANS } from "../../../src/retention/jobs-messages.js";
import { type Db, openDb } from "../../../src/store/db.js";
import { runner } from "./helpers.js";
import { ago, count, DAY, inbound, outbound } from "./seed.js";

let db: Db;
beforeEach(() => {
  db = openDb({ path: ":memory:" });
});

const body = (id: string) =>
  db.prepare("SELECT body, content_purged_at FROM messages WHERE id = ?").get(id) as
    | { body: string; content_purged_at: number | null }
    | undefined;
const pdus = (id: string) =>
  (db.prepare("SELECT pdu FROM parts WHERE message_id = ? ORDER BY seq").all(id) as { pdu: string }[]).map(
    (p) => p.pdu,
  );

describe("bodies (12 months)", () => {
  it("blanks the body and PDUs of final messages older than 12 months; the row stays", async () => {
    for (const status of ["delivered", "undelivered", "failed", "canceled", "expired"])
      outbound(db, { id: `old-${status}`, status, at: ago(366 * DAY) });
    outbound(db, { id: "old-sent", status: "sent", at: ago(366 * DAY), parts: ["sent", "sent"] });
    outbound(db, { id: "young", status: "delivered", at: ago(364 * DAY) });

    const r = await runner(db).runOnce();

    expect(r.counts.message_bodies_blanked).toBe(6);
    for (const id of ["old-delivered", "old-failed", "old-sent", "old-expired"]) {
      expect(body(id)).toEqual({ body: "", content_purged_at: r.at });
      expect(pdus(id).every((p) => p === "")).toBe(true);
    }
    expect(pdus("old-sent")).toHaveLength(2);
    expect(body("young")?.body).toBe("body of young");
    expect(pdus("young")).toEqual(["0011PDUyoung"]);
    expect(count(db, "messages")).toBe(7);
  });

  it("never touches a message that is not final, however old", async () => {
    for (const status of ["queued", "scheduled", "sending", "unknown"])
      outbound(db, { id: status, status, at: ago(5 * 365 * DAY) });
    // A message-level status that ran ahead of a part still in the modem's hands.
    outbound(db, { id: "mixed", status: "failed", at: ago(5 * 365 * DAY), parts: ["failed", "sending"] });

    const r = await runner(db).runOnce();

    expect(r.counts.message_bodies_blanked).toBe(0);
    expect(r.counts.messages_deleted).toBe(0);
    for (const id of ["queued", "scheduled", "sending", "unknown", "mixed"]) {
      expect(body(id)).toEqual({ body: `body of ${id}`, content_purged_at: null });
      expect(pdus(id)[0]).toBe(`0011PDU${id}`);
    }
  });

  it("a sent message still waiting for its delivery report is not final yet", async () => {
    outbound(db, { id: "waits", status: "sent", statusReport: true, at: ago(2 * DAY) });
    outbound(db, { id: "no-report", status: "sent", statusReport: false, at: ago(2 * DAY) });
    outbound(db, { id: "gave-up", status: "sent", statusReport: true, at: ago(8 * DAY) });

    const r = await runner(db, { bodiesMs: DAY }).runOnce();

    expect(r.counts.message_bodies_blanked).toBe(2);
    expect(body("waits")?.body).toBe("body of waits");
    expect(body("no-report")?.body).toBe("");
    expect(body("gave-up")?.body).toBe("");
  });

  it("blanks inbound text and the fragments it was reassembled from", async () => {
    inbound(db, "in-old", ago(366 * DAY), 2);
    inbound(db, "in-young", ago(300 * DAY), 2);

    const r = await runner(db).runOnce();

    expect(r.counts.inbound_bodies_blanked).toBe(1);
    const old = db.prepare("SELECT text, content_purged_at FROM inbound_messages WHERE id = 'in-old'").get();
    expect(old).toEqual({ text: "", content_purged_at: r.at });
    const fragments = db
      .prepare(
        `SELECT p.text, p.pdu, r.released_message_id AS m FROM inbound_parts p JOIN reassembly r ON r.id = p.group_id
         ORDER BY m, p.seq`,
      )
      .all();
    expect(fragments).toEqual([
      { text: null, pdu: "", m: "in-old" },
      { text: null, pdu: "", m: "in-old" },
      { text: "fragment 1 of in-young", pdu: "07PDUin-young1", m: "in-young" },
      { text: "fragment 2 of in-young", pdu: "07PDUin-young2", m: "in-young" },
    ]);
  });

  it("a second run finds nothing more to blank", async () => {
    outbound(db, { id: "old", status: "delivered", at: ago(400 * DAY) });
    inbound(db, "in", ago(400 * DAY));
    const run = runner(db);
    await run.runOnce();
    const again = await run.runOnce();
    expect(again.counts.message_bodies_blanked).toBe(0);
    expect(again.counts.inbound_bodies_blanked).toBe(0);
  });
});

describe("metadata (3 years)", () => {
  it("deletes final messages with their parts, events, delivery reports and idempotency keys", async () => {
    outbound(db, { id: "old", status: "delivered", at: ago(1096 * DAY), parts: ["delivered", "delivered"] });
    outbound(db, { id: "kept", status: "delivered", at: ago(1094 * DAY) });
    db.prepare(
      `INSERT INTO status_reports (modem_id, pdu, mr, recipient, status, status_class, message_id, part_seq, received_at)
       VALUES ('gsm0', 'x', 1, '+33612345678', 0, 'delivered', ?, 1, ?)`,
    ).run("old", ago(1096 * DAY));
    db.prepare(
      "INSERT INTO idempotency_keys (key, request_hash, message_id, created_at) VALUES ('k', 'h', 'old', ?)",
    ).run(ago(1096 * DAY));
    db.prepare(
      "INSERT INTO compliance_exempt (message_id, contact, reason, created_at) VALUES ('old', '+33612345678', 'help-reply', ?)",
    ).run(ago(1096 * DAY));

    const r = await runner(db).runOnce();

    expect(r.counts.messages_deleted).toBe(1);
    expect(r.counts.message_parts_deleted).toBe(2);
    expect(r.counts.status_reports_deleted).toBe(1);
    expect(count(db, "messages WHERE id = 'old'")).toBe(0);
    expect(count(db, "parts WHERE message_id = 'old'")).toBe(0);
    expect(count(db, "message_events WHERE message_id = 'old'")).toBe(0);
    expect(count(db, "status_reports")).toBe(0);
    expect(count(db, "idempotency_keys")).toBe(0);
    expect(count(db, "compliance_exempt")).toBe(0);
    expect(count(db, "messages WHERE id = 'kept'")).toBe(1);
    expect(count(db, "message_events WHERE message_id = 'kept'")).toBe(1);
  });

  it("keeps an old message that is not final (an unknown outcome waits for an operator)", async () => {
    outbound(db, { id: "unknown", status: "unknown", at: ago(2000 * DAY) });
    await runner(db).runOnce();
    expect(count(db, "messages WHERE id = 'unknown'")).toBe(1);
    expect(count(db, "parts WHERE message_id = 'unknown'")).toBe(1);
  });

  it("deletes old inbound messages with their events and reassembly fragments; unmatched reports too", async () => {
    inbound(db, "in-old", ago(1100 * DAY), 3);
    inbound(db, "in-kept", ago(1000 * DAY), 2);
    db.prepare(
      `INSERT INTO status_reports (modem_id, pdu, mr, recipient, status, status_class, received_at)
       VALUES ('gsm0', 'x', 7, '+33612345678', 0, 'delivered', ?), ('gsm0', 'y', 8, '+33612345678', 0, 'delivered', ?)`,
    ).run(ago(1100 * DAY), ago(10 * DAY));

    const r = await runner(db).runOnce();

    expect(r.counts.inbound_deleted).toBe(1);
    expect(r.counts.inbound_fragments_deleted).toBe(3);
    expect(count(db, "inbound_messages")).toBe(1);
    expect(count(db, "reassembly")).toBe(1);
    expect(count(db, "inbound_parts")).toBe(2);
    expect(count(db, "message_events WHERE message_id = 'in-old'")).toBe(0);
    expect(count(db, "status_reports")).toBe(1);
    expect(count(db, "status_reports WHERE mr = 8")).toBe(1);
  });

  it("leaves an open reassembly set alone (its message is not complete yet)", async () => {
    db.prepare(
      `INSERT INTO reassembly (modem_id, originator, ref, total, ref_bits, first_at) VALUES ('gsm0', '+33698765432', 9, 2, 8, ?)`,
    ).run(ago(2000 * DAY));
    db.prepare(
      "INSERT INTO inbound_parts (group_id, seq, text, coding, pdu, received_at) VALUES (1, 1, 'half', 'gsm7', 'p', ?)",
    ).run(ago(2000 * DAY));
    await runner(db).runOnce();
    expect(db.prepare("SELECT text, pdu FROM inbound_parts").get()).toEqual({ text: "half", pdu: "p" });
  });
});

describe("query plans", () => {
  const plan = (sql: string) =>
    (
      db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ cutoff: 0, reportCutoff: 0, batch: 500 }) as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join(" | ");

  it("the message scans read the age index, not every final message sorted on each run (regression)", () => {
    expect(plan(SCANS.outboundBodies)).toMatch(/SEARCH m USING INDEX messages_body_age \(updated_at<\?\)/);
    expect(plan(SCANS.outboundRows)).toMatch(/SEARCH m USING INDEX messages_age \(updated_at<\?\)/);
    for (const sql of Object.values(SCANS)) expect(plan(sql)).not.toMatch(/TEMP B-TREE|SCAN m/);
  });
});
