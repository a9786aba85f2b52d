/**
 * Right of access and portability (GDPR art. 15 and 20): everything the gateway holds about one
 * number, as one JSON document (ecosystem §4.8: GET /v1/contacts/{e164}/export). Read-only; the
 * controller must answer within one month (art. 12(3)).
 */
import type { Db } from "../store/db.js";
import { stmt } from "../store/tx.js";
import { type ConsentRecord, history, type Suppression, suppressionOf } from "./consent.js";
import { type Contact, getContact } from "./contacts.js";

export interface ContactExport {
  readonly contact: string;
  readonly exportedAt: string;
  readonly profile: Contact | null;
  readonly consents: readonly ConsentRecord[];
  readonly optOut: Suppression | null;
  readonly agentFlags: readonly unknown[];
  readonly outbound: readonly unknown[];
  readonly inbound: readonly unknown[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function exportContact(db: Db, e164: string, now: number): ContactExport {
  const c = { db, at: now };
  return {
    contact: e164,
    exportedAt: new Date(now).toISOString(),
    profile: getContact(c, e164) ?? null,
    consents: history(c, e164),
    optOut: suppressionOf(c, e164) ?? null,
    agentFlags: (
      stmt(
        db,
        "SELECT reason, detail, due_at, created_at, resolved_at FROM agent_flags WHERE contact = ? ORDER BY id",
      ).all(e164) as {
        reason: string;
        detail: string | null;
        due_at: number;
        created_at: number;
        resolved_at: number | null;
      }[]
    ).map((f) => ({
      reason: f.reason,
      detail: f.detail,
      dueAt: iso(f.due_at),
      createdAt: iso(f.created_at),
      resolvedAt: iso(f.resolved_at),
    })),
    outbound: (
      stmt(
        db,
        "SELECT id, body, category, status, send_at, created_at FROM messages WHERE to_number = ? ORDER BY id",
      ).all(e164) as {
        id: string;
        body: string;
        category: string;
        status: string;
        send_at: number | null;
        created_at: number;
      }[]
    ).map((m) => ({
      id: m.id,
      text: m.body,
      category: m.category,
      status: m.status,
      sendAt: iso(m.send_at),
      createdAt: iso(m.created_at),
    })),
    inbound: (
      stmt(
        db,
        "SELECT id, text, partial, received_at FROM inbound_messages WHERE from_number = ? ORDER BY id",
      ).all(e164) as { id: string; text: string; partial: number; received_at: number }[]
    ).map((m) => ({ id: m.id, text: m.text, partial: m.partial === 1, receivedAt: iso(m.received_at) })),
  };
}
