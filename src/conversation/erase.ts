/**
 * Right to erasure (GDPR art. 17): every row about one number goes, in the caller's transaction —
 * outbound messages with their parts, events, delivery reports and idempotency keys; inbound
 * messages with their events, reassembly fragments and dedupe keys; consents, suppression, agent
 * flags, keyword-reply exemptions, routing rows, threads and any other table keyed by `contact`
 * (contact-tables.ts); webhook events about the number not yet purged.
 *
 * What stays, and why:
 * - an objection (opt-out, or a withdrawn consent purpose) as HMAC-SHA256(pepper, e164) only, so
 *   the objection outlives the erasure (art. 21(3); CNIL: opposition data kept minimal) —
 *   pepper-hash.ts. A contact who never objected leaves no hash at all.
 * - one `erasures` row without personal data (art. 5(2) accountability) and one `contact.erased`
 *   webhook event carrying the erasure id and a hash prefix, never the number.
 *
 * A message whose part a modem holds right now (leased or being submitted) cannot be erased: the
 * worker would come back to record the outcome of a row that no longer exists. The erasure is then
 * refused with `erase_in_flight` and nothing is deleted; a retry a few seconds later succeeds.
 * Queued and scheduled messages are simply deleted with the rest: they never leave.
 */
import { sameSubscriber } from "../engine/phone.js";
import { dedupeKey } from "../store/inbox.js";
import { MESSAGE_CHILD_TABLES } from "../store/outbox.js";
import { stmt, type Tx, writeOutbox } from "../store/tx.js";
import { currentConsents, type Suppression } from "./consent.js";
import { cascadeDelete, contactTables, hasTable } from "./contact-tables.js";
import { ALL_SCOPE, checkPepper, HASH_PREFIX_LENGTH, keepObjection, numberHash } from "./pepper-hash.js";

export type EraseErrorCode = "not_found" | "erase_in_flight";

export class EraseError extends Error {
  override readonly name = "EraseError";
  constructor(
    readonly code: EraseErrorCode,
    message: string,
    /** For `erase_in_flight`: the messages a modem holds. */
    readonly messageIds: readonly string[] = [],
  ) {
    super(message);
  }
}

export interface ErasureResult {
  /** Id of the `erasures` row and of the `contact.erased` event. */
  readonly id: string;
  readonly at: number;
  /** First hex digits of the kept hash; null when the contact had no objection to keep. */
  readonly hashPrefix: string | null;
  /** Scopes kept under the hash: "all" (opted out) and/or withdrawn purposes. */
  readonly kept: readonly string[];
  /** Rows deleted per table. */
  readonly counts: Readonly<Record<string, number>>;
}

const ids = (rows: unknown[]) => rows.map((r) => (r as { id: string }).id);

/** Whether the gateway holds anything about the number. */
export function knowsNumber(tx: Pick<Tx, "db">, e164: string): boolean {
  return (
    (
      stmt(
        tx.db,
        `SELECT EXISTS (SELECT 1 FROM contacts WHERE e164 = @n) OR EXISTS (SELECT 1 FROM messages WHERE to_number = @n)
         OR EXISTS (SELECT 1 FROM inbound_messages WHERE from_number = @n)
         OR EXISTS (SELECT 1 FROM consent_ledger WHERE contact = @n)
         OR EXISTS (SELECT 1 FROM suppressions WHERE contact = @n)
         OR EXISTS (SELECT 1 FROM reassembly WHERE originator = @n) AS known`,
      ).get({ n: e164 }) as { known: number }
    ).known === 1
  );
}

/** Messages to the number that a modem holds now: leased, or a part being submitted. */
export function inFlight(tx: Pick<Tx, "db">, e164: string): string[] {
  return ids(
    stmt(
      tx.db,
      // Through messages_to and the parts' primary key: parts has no index on to_number, and a
      // scan of every part made each erasure (and the retention job's) cost the whole queue.
      `SELECT DISTINCT p.message_id AS id FROM messages m JOIN parts p ON p.message_id = m.id
        WHERE m.to_number = ? AND (p.lease_owner IS NOT NULL OR p.status = 'sending') ORDER BY p.message_id`,
    ).all(e164),
  );
}

export function eraseContact(
  tx: Tx,
  e164: string,
  o: {
    readonly pepper: Buffer;
    readonly requestedBy?: string;
    /** Why, in the `contact.erased` event: "request" (art. 17, the default) or "retention" (the
     * inactive-contact job), so the business's systems can apply their own rule to each. */
    readonly reason?: "request" | "retention";
  },
): ErasureResult {
  const pepper = checkPepper(o.pepper);
  if (!knowsNumber(tx, e164)) throw new EraseError("not_found", "nothing is stored about this number");
  const busy = inFlight(tx, e164);
  if (busy.length > 0)
    throw new EraseError("erase_in_flight", "a message to this number is being handed to a modem", busy);

  const kept = keepObjections(tx, e164, pepper);
  const counts: Record<string, number> = {};
  eraseOutbound(tx, e164, counts);
  eraseInbound(tx, e164, counts);
  for (const t of contactTables(tx.db)) cascadeDelete(tx.db, t, "contact", [e164], counts);
  cascadeDelete(tx.db, "contacts", "e164", [e164], counts);
  cascadeDelete(tx.db, "webhook_outbox", "contact_key", [e164], counts);
  if (hasTable(tx.db, "webhook_deliveries"))
    cascadeDelete(tx.db, "webhook_deliveries", "contact_key", [e164], counts);
  // Stored API responses (Idempotency-Key replays, 24 h) of requests about the number.
  if (hasTable(tx.db, "http_idempotency")) {
    const n = stmt(tx.db, "DELETE FROM http_idempotency WHERE instr(body, ?) > 0").run(
      JSON.stringify(e164),
    ).changes;
    if (n > 0) counts.http_idempotency = n;
  }

  const hashPrefix = kept.length > 0 ? numberHash(pepper, e164).slice(0, HASH_PREFIX_LENGTH) : null;
  const id = tx.ids(tx.at);
  stmt(tx.db, "INSERT INTO erasures (id, at, requested_by, hash_prefix, counts) VALUES (?, ?, ?, ?, ?)").run(
    id,
    tx.at,
    o.requestedBy ?? null,
    hashPrefix,
    JSON.stringify(counts),
  );
  writeOutbox(
    tx,
    "contact.erased",
    { erasureId: id, at: tx.at, reason: o.reason ?? "request", hashPrefix, kept },
    null,
  );
  return { id, at: tx.at, hashPrefix, kept, counts };
}

function keepObjections(tx: Tx, e164: string, pepper: Buffer): string[] {
  const s = stmt(tx.db, "SELECT since FROM suppressions WHERE contact = ?").get(e164) as
    | Pick<Suppression, "since">
    | undefined;
  const scopes: [string, number][] = s ? [[ALL_SCOPE, s.since]] : [];
  for (const c of currentConsents(tx, e164)) if (c.status === "withdrawn") scopes.push([c.purpose, c.at]);
  const hash = numberHash(pepper, e164);
  for (const [scope, since] of scopes) keepObjection(tx, hash, scope, since);
  return scopes.map(([scope]) => scope);
}

function eraseOutbound(tx: Tx, e164: string, counts: Record<string, number>): void {
  const out = ids(stmt(tx.db, "SELECT id FROM messages WHERE to_number = ?").all(e164));
  const unmatched = (
    stmt(tx.db, "SELECT id, recipient FROM status_reports WHERE message_id IS NULL").all() as {
      id: number;
      recipient: string;
    }[]
  ).filter((r) => sameSubscriber(r.recipient, e164));
  cascadeDelete(tx.db, "status_reports", "message_id", out, counts);
  cascadeDelete(
    tx.db,
    "status_reports",
    "id",
    unmatched.map((r) => r.id),
    counts,
  );
  for (const t of MESSAGE_CHILD_TABLES) cascadeDelete(tx.db, t, "message_id", out, counts);
  cascadeDelete(tx.db, "messages", "id", out, counts);
}

function eraseInbound(tx: Tx, e164: string, counts: Record<string, number>): void {
  const inbound = ids(stmt(tx.db, "SELECT id FROM inbound_messages WHERE from_number = ?").all(e164));
  cascadeDelete(tx.db, "message_events", "message_id", inbound, counts);
  cascadeDelete(tx.db, "inbound_messages", "id", inbound, counts);
  // Fragments (complete or still waiting) carry their PDU: the dedupe key can be recomputed and
  // goes too. A single-part PDU is not kept, so its key (SHA-256 of modem and PDU, which holds
  // the text and a timestamp) cannot be found again; it links to nothing once the message is gone.
  const groups = stmt(tx.db, "SELECT id, modem_id FROM reassembly WHERE originator = ?").all(e164) as {
    id: number;
    modem_id: string;
  }[];
  const keys: string[] = [];
  for (const g of groups)
    for (const p of stmt(tx.db, "SELECT pdu FROM inbound_parts WHERE group_id = ?").all(g.id) as {
      pdu: string;
    }[])
      keys.push(dedupeKey(g.modem_id, p.pdu));
  cascadeDelete(tx.db, "inbound_pdus", "dedupe_key", keys, counts);
  cascadeDelete(
    tx.db,
    "reassembly",
    "id",
    groups.map((g) => g.id),
    counts,
  );
}
