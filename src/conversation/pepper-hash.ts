/**
 * Objections that outlive an erased contact, kept as HMAC-SHA256(pepper, e164) only.
 *
 * GDPR art. 17 erases the contact, yet art. 21(3) says a person who objected to direct marketing
 * must not receive it any more: forgetting the objection along with the number would let the next
 * import text them again. The CNIL's retention referential for prospection asks to keep such
 * opposition data minimal, e.g. as a fingerprint of the number. A plain SHA-256 of a phone number
 * is reversed by enumerating the numbering plan in minutes, hence a keyed hash: the pepper is a
 * secret held outside the database (a stolen database file alone does not reveal the numbers).
 *
 * The pepper reaches the policy checks through a per-connection registry: `registerPepper(db, p)`
 * once at startup (the contacts service does it when built). The policy functions receive a Ctx
 * with the connection but no configuration at the opt-out check (the keyword hook, the lease
 * transaction without compliance config), so the registry is keyed by the connection itself, in a
 * WeakMap: no global state outlives the database, and two gateways in one process never share it.
 * Without a registered pepper the hashed objections are not consulted (and erasure refuses to run).
 *
 * Changing the pepper orphans every stored hash: it must be set once and kept.
 */
import { createHmac } from "node:crypto";
import type { Db } from "../store/db.js";
import { stmt } from "../store/tx.js";
import type { Ctx } from "./contacts.js";

/** 128 bits: below that the secret could be brute-forced together with the numbering plan. */
export const MIN_PEPPER_BYTES = 16;
/** Hex digits of the hash shown in the erasure log and the `contact.erased` event. */
export const HASH_PREFIX_LENGTH = 12;
/** Scope of an opt-out (every category); any other scope is a consent purpose that was withdrawn. */
export const ALL_SCOPE = "all";

export class PepperError extends Error {
  override readonly name = "PepperError";
  readonly code = "invalid_pepper" as const;
}

const peppers = new WeakMap<Db, Buffer>();

export function checkPepper(pepper: Buffer): Buffer {
  if (!Buffer.isBuffer(pepper) || pepper.length < MIN_PEPPER_BYTES)
    throw new PepperError(`the erasure pepper must be at least ${MIN_PEPPER_BYTES} bytes`);
  return pepper;
}

/** Makes `pepper` the one used with this connection by suppressionOf and the policy checks. */
export function registerPepper(db: Db, pepper: Buffer): void {
  peppers.set(db, Buffer.from(checkPepper(pepper)));
}

export function pepperOf(db: Db): Buffer | undefined {
  return peppers.get(db);
}

/** Hex HMAC-SHA256(pepper, e164). */
export function numberHash(pepper: Buffer, e164: string): string {
  return createHmac("sha256", pepper).update(e164, "utf8").digest("hex");
}

export interface HashedObjection {
  /** "all" (opted out) or the withdrawn consent purpose. */
  readonly scope: string;
  /** When the objection was made (opt-out or withdrawal time). */
  readonly since: number;
  readonly erasedAt: number;
}

function hashFor(c: Ctx, e164: string): string | undefined {
  const pepper = peppers.get(c.db);
  return pepper && numberHash(pepper, e164);
}

/** Objections kept for an erased number; empty when none, or when no pepper is registered. */
export function hashedObjections(c: Ctx, e164: string): HashedObjection[] {
  const hash = hashFor(c, e164);
  if (!hash) return [];
  return (
    stmt(c.db, "SELECT scope, since, erased_at FROM suppression_hashes WHERE hash = ? ORDER BY scope").all(
      hash,
    ) as { scope: string; since: number; erased_at: number }[]
  ).map((r) => ({ scope: r.scope, since: r.since, erasedAt: r.erased_at }));
}

export function hashedObjection(c: Ctx, e164: string, scope: string): HashedObjection | undefined {
  return hashedObjections(c, e164).find((o) => o.scope === scope);
}

/** Keeps an objection under the hash; a second erasure keeps the earliest `since`. */
export function keepObjection(c: Ctx, hash: string, scope: string, since: number): void {
  stmt(
    c.db,
    `INSERT INTO suppression_hashes (hash, scope, since, erased_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(hash, scope) DO UPDATE SET since = MIN(since, excluded.since), erased_at = excluded.erased_at`,
  ).run(hash, scope, since, c.at);
}

export function forgetObjection(c: Ctx, e164: string, scope: string): boolean {
  const hash = hashFor(c, e164);
  if (!hash) return false;
  return (
    stmt(c.db, "DELETE FROM suppression_hashes WHERE hash = ? AND scope = ?").run(hash, scope).changes > 0
  );
}

/**
 * The number is known again (an inbound message, a contact created through the API): an opt-out
 * kept as a hash becomes a suppression row again, with its original date, and the hash goes (the
 * row now carries it; START lifts it as it would any opt-out). The purposes that opt-out withdrew
 * (kept with the same date: optOut writes both at once) are listed again, so that START restores
 * exactly what STOP withdrew, erased or not. Returns whether it restored one.
 */
export function restoreSuppression(c: Ctx, e164: string): boolean {
  const kept = hashedObjections(c, e164);
  const o = kept.find((k) => k.scope === ALL_SCOPE);
  if (!o) return false;
  const withdrawn = kept.filter((k) => k.scope !== ALL_SCOPE && k.since === o.since).map((k) => k.scope);
  stmt(
    c.db,
    `INSERT OR IGNORE INTO suppressions (contact, since, via, keyword, inbound_message_id, withdrawn_purposes)
     VALUES (?, ?, 'erasure', NULL, NULL, ?)`,
  ).run(e164, o.since, JSON.stringify(withdrawn));
  forgetObjection(c, e164, ALL_SCOPE);
  return true;
}
