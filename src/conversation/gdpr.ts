/**
 * Right of access and portability (GDPR art. 15 and 20): everything the gateway holds about one
 * number, as one JSON document (ecosystem §4.8: GET /v1/contacts/{e164}/export). Read-only; the
 * controller must answer within one month (art. 12(3)). Only rows keyed by this exact number are
 * read, so nothing of another contact can leak into it. Erasure (erase.ts) walks the same tables.
 */
import type { Db } from "../store/db.js";
import { stmt } from "../store/tx.js";
import { type ConsentRecord, currentConsents, history, suppressionOf } from "./consent.js";
import { childrenOf, contactTables, hasTable, rowsWhere } from "./contact-tables.js";
import { type Contact, getContact } from "./contacts.js";
import { inboundOf, iso, outboundOf, pendingFragmentsOf } from "./gdpr-messages.js";
import { hashedObjections } from "./pepper-hash.js";

export interface ContactExport {
  readonly contact: string;
  readonly exportedAt: string;
  readonly profile: Record<string, unknown> | null;
  /** The whole ledger, oldest first. */
  readonly consents: readonly Record<string, unknown>[];
  /** The consent in force per purpose. */
  readonly currentConsents: readonly Record<string, unknown>[];
  readonly optOut: Record<string, unknown> | null;
  /** Objections kept as a hash from an earlier erasure of this number. */
  readonly erasedObjections: readonly Record<string, unknown>[];
  readonly agentFlags: readonly unknown[];
  /** Keyword replies (opt-out confirmation, HELP answer) let through a suppression. */
  readonly keywordReplies: readonly unknown[];
  readonly outbound: readonly unknown[];
  readonly inbound: readonly unknown[];
  readonly pendingFragments: readonly unknown[];
  /** Conversation threads (table `conversations`) with the rows that reference them. */
  readonly threads: readonly unknown[];
  /** Rows of the other tables keyed by `contact` (routing, numbering), as stored. */
  readonly related: Readonly<Record<string, readonly unknown[]>>;
  /** Webhook events about the number still in the outbox. */
  readonly webhookEvents: readonly unknown[];
}

export const profileJson = (p: Contact) => ({
  ...p,
  firstContactAt: iso(p.firstContactAt),
  lastContactAt: iso(p.lastContactAt),
  lastInboundAt: iso(p.lastInboundAt),
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
});

export const consentJson = (r: ConsentRecord) => ({ ...r, at: iso(r.at), recordedAt: iso(r.recordedAt) });

/** Covered by their own sections of the export. */
const SECTIONED = new Set([
  "consent_ledger",
  "suppressions",
  "agent_flags",
  "compliance_exempt",
  "conversations",
]);

export function exportContact(db: Db, e164: string, now: number): ContactExport {
  const c = { db, at: now };
  const profile = getContact(c, e164);
  const optOut = suppressionOf(c, e164);
  const related: Record<string, unknown[]> = {};
  for (const t of contactTables(db))
    if (!SECTIONED.has(t)) {
      const rows = rowsWhere(db, t, "contact", [e164]);
      if (rows.length > 0) related[t] = rows;
    }
  return {
    contact: e164,
    exportedAt: new Date(now).toISOString(),
    profile: profile ? profileJson(profile) : null,
    consents: history(c, e164).map(consentJson),
    currentConsents: currentConsents(c, e164).map(consentJson),
    optOut: optOut ? { ...optOut, since: iso(optOut.since) } : null,
    erasedObjections: hashedObjections(c, e164).map((o) => ({
      scope: o.scope,
      since: iso(o.since),
      erasedAt: iso(o.erasedAt),
    })),
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
    keywordReplies: (
      stmt(
        db,
        "SELECT message_id, reason, created_at FROM compliance_exempt WHERE contact = ? ORDER BY created_at",
      ).all(e164) as { message_id: string; reason: string; created_at: number }[]
    ).map((r) => ({ messageId: r.message_id, reason: r.reason, createdAt: iso(r.created_at) })),
    outbound: outboundOf(db, e164),
    inbound: inboundOf(db, e164),
    pendingFragments: pendingFragmentsOf(db, e164),
    threads: threadsOf(db, e164),
    related,
    webhookEvents: (
      stmt(
        db,
        "SELECT event_type, payload, created_at FROM webhook_outbox WHERE contact_key = ? ORDER BY id",
      ).all(e164) as { event_type: string; payload: string; created_at: number }[]
    ).map((w) => ({ type: w.event_type, createdAt: iso(w.created_at), data: parse(w.payload) })),
  };
}

function parse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** Threads of the `conversations` table (when that migration is applied) and their child rows. */
function threadsOf(db: Db, e164: string): unknown[] {
  if (!hasTable(db, "conversations")) return [];
  const fks = childrenOf(db, "conversations");
  return rowsWhere(db, "conversations", "contact", [e164]).map((t) => {
    const children: Record<string, unknown[]> = {};
    for (const fk of fks) children[fk.table] = rowsWhere(db, fk.table, fk.from, [t[fk.to]]);
    return fks.length > 0 ? { ...t, related: children } : t;
  });
}
