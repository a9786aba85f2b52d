/**
 * Consent ledger and suppression (opt-out) state.
 *
 * The ledger is append-only (GDPR art. 7(1): the controller must demonstrate consent, so a grant is
 * never edited away); a purpose's current consent is its latest row. Suppression is separate and
 * business-wide: a contact who sent STOP to any SIM is blocked on every SIM (ecosystem §4.5) for
 * every category, except the one confirmation of that opt-out.
 */

import { stmt } from "../store/tx.js";
import type { Ctx } from "./contacts.js";
import { ALL_SCOPE, forgetObjection, hashedObjection } from "./pepper-hash.js";

export type ConsentStatus = "granted" | "withdrawn";
export type ConsentBasis = "opt-in" | "soft-opt-in";
export type ConsentSource = "web-form" | "in-store" | "sms-keyword" | "api" | "import";

export const CONSENT_SOURCES: readonly ConsentSource[] = [
  "web-form",
  "in-store",
  "sms-keyword",
  "api",
  "import",
];
export const CONSENT_BASES: readonly ConsentBasis[] = ["opt-in", "soft-opt-in"];

export interface ConsentInput {
  readonly contact: string;
  /** e.g. "marketing". */
  readonly purpose: string;
  readonly status: ConsentStatus;
  /** Required for a grant: a consent without a lawful basis proves nothing. */
  readonly basis?: ConsentBasis;
  readonly source: ConsentSource;
  /** Form/version id, text shown, checkbox label, agent id, inbound message id… */
  readonly evidence?: Readonly<Record<string, unknown>>;
  /** When the consent was given or withdrawn (an import's original date); default the record time. */
  readonly at?: number;
}

export interface ConsentRecord extends Required<Omit<ConsentInput, "basis">> {
  readonly id: number;
  readonly basis: ConsentBasis | null;
  readonly recordedAt: number;
}

export class ConsentError extends Error {
  override readonly name = "ConsentError";
  readonly code = "invalid_consent" as const;
}

interface Row {
  id: number;
  contact: string;
  purpose: string;
  status: ConsentStatus;
  basis: ConsentBasis | null;
  source: ConsentSource;
  evidence: string;
  at: number;
  recorded_at: number;
}

const fromRow = (r: Row): ConsentRecord => ({
  id: r.id,
  contact: r.contact,
  purpose: r.purpose,
  status: r.status,
  basis: r.basis,
  source: r.source,
  evidence: JSON.parse(r.evidence) as Record<string, unknown>,
  at: r.at,
  recordedAt: r.recorded_at,
});

export function recordConsent(c: Ctx, i: ConsentInput): ConsentRecord {
  if (!i.purpose || typeof i.purpose !== "string")
    throw new ConsentError("purpose must be a non-empty string");
  // "all" names an opt-out in the hashed objections kept after erasure (pepper-hash.ts).
  if (i.purpose === ALL_SCOPE) throw new ConsentError(`'${ALL_SCOPE}' is reserved and cannot be a purpose`);
  if (i.status !== "granted" && i.status !== "withdrawn")
    throw new ConsentError("status must be granted|withdrawn");
  if (!CONSENT_SOURCES.includes(i.source))
    throw new ConsentError(`source must be one of ${CONSENT_SOURCES.join(", ")}`);
  if (i.status === "granted" && (!i.basis || !CONSENT_BASES.includes(i.basis)))
    throw new ConsentError(`a grant needs a basis: ${CONSENT_BASES.join(" or ")}`);
  const at = i.at ?? c.at;
  if (!Number.isFinite(at) || at > c.at) throw new ConsentError("consent time must be a past instant");
  if (i.status === "granted") {
    // An objection kept after erasure (art. 21(3)) is lifted only by a consent given after it: a
    // re-imported list carrying the old grant must not bring the person back.
    const kept = hashedObjection(c, i.contact, i.purpose);
    if (kept && at <= kept.since)
      throw new ConsentError(
        `a ${i.purpose} consent given before the recorded withdrawal cannot be imported`,
      );
    if (kept) forgetObjection(c, i.contact, i.purpose);
  }
  const r = stmt(
    c.db,
    `INSERT INTO consent_ledger (contact, purpose, status, basis, source, evidence, at, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    i.contact,
    i.purpose,
    i.status,
    i.basis ?? null,
    i.source,
    JSON.stringify(i.evidence ?? {}),
    at,
    c.at,
  );
  return fromRow(stmt(c.db, "SELECT * FROM consent_ledger WHERE id = ?").get(r.lastInsertRowid) as Row);
}

/** The latest row of a purpose, i.e. the consent in force (undefined: never asked). */
export function currentConsent(c: Ctx, contact: string, purpose: string): ConsentRecord | undefined {
  const r = stmt(
    c.db,
    "SELECT * FROM consent_ledger WHERE contact = ? AND purpose = ? ORDER BY id DESC LIMIT 1",
  ).get(contact, purpose) as Row | undefined;
  return r && fromRow(r);
}

export function hasConsent(c: Ctx, contact: string, purpose: string): boolean {
  return currentConsent(c, contact, purpose)?.status === "granted";
}

export function history(c: Ctx, contact: string): ConsentRecord[] {
  return (stmt(c.db, "SELECT * FROM consent_ledger WHERE contact = ? ORDER BY id").all(contact) as Row[]).map(
    fromRow,
  );
}

/** The consent in force per purpose (the latest row of each), purposes in alphabetical order. */
export function currentConsents(c: Ctx, contact: string): ConsentRecord[] {
  return (
    stmt(
      c.db,
      `SELECT l.* FROM consent_ledger l WHERE l.contact = ? AND l.id = (SELECT MAX(id) FROM consent_ledger x
         WHERE x.contact = l.contact AND x.purpose = l.purpose) ORDER BY l.purpose`,
    ).all(contact) as Row[]
  ).map(fromRow);
}

/** Purposes currently granted to a contact. */
export function grantedPurposes(c: Ctx, contact: string): string[] {
  const purposes = stmt(c.db, "SELECT DISTINCT purpose FROM consent_ledger WHERE contact = ?").all(
    contact,
  ) as {
    purpose: string;
  }[];
  return purposes.map((p) => p.purpose).filter((p) => hasConsent(c, contact, p));
}

export interface Suppression {
  readonly contact: string;
  readonly since: number;
  readonly via: string;
  readonly keyword: string | null;
  readonly inboundMessageId: string | null;
  /** Purposes this opt-out withdrew (START restores them). */
  readonly withdrawnPurposes: readonly string[];
}

/**
 * The contact's opt-out: its suppression row, or else an opt-out kept as a peppered hash when the
 * contact was erased (pepper-hash.ts; `via: "erasure"`, nothing else survived).
 */
export function suppressionOf(c: Ctx, contact: string): Suppression | undefined {
  const r = stmt(c.db, "SELECT * FROM suppressions WHERE contact = ?").get(contact) as
    | {
        contact: string;
        since: number;
        via: string;
        keyword: string | null;
        inbound_message_id: string | null;
        withdrawn_purposes: string;
      }
    | undefined;
  if (!r) {
    const kept = hashedObjection(c, contact, ALL_SCOPE);
    return (
      kept && {
        contact,
        since: kept.since,
        via: "erasure",
        keyword: null,
        inboundMessageId: null,
        withdrawnPurposes: [],
      }
    );
  }
  return (
    r && {
      contact: r.contact,
      since: r.since,
      via: r.via,
      keyword: r.keyword,
      inboundMessageId: r.inbound_message_id,
      withdrawnPurposes: JSON.parse(r.withdrawn_purposes) as string[],
    }
  );
}

export interface OptChange {
  /** False when the contact was already in that state (no second confirmation). */
  readonly changed: boolean;
  readonly purposes: readonly string[];
}

export interface OptVia {
  readonly source: ConsentSource;
  readonly keyword?: string;
  readonly inboundMessageId?: string;
  readonly evidence?: Readonly<Record<string, unknown>>;
}

/** Opts a contact out of everything: withdraws every granted purpose and adds the suppression. */
export function optOut(c: Ctx, contact: string, via: OptVia): OptChange {
  if (suppressionOf(c, contact)) return { changed: false, purposes: [] };
  const purposes = grantedPurposes(c, contact);
  const evidence = { ...via.evidence, keyword: via.keyword, inboundMessageId: via.inboundMessageId };
  for (const purpose of purposes)
    recordConsent(c, { contact, purpose, status: "withdrawn", source: via.source, evidence });
  stmt(
    c.db,
    `INSERT INTO suppressions (contact, since, via, keyword, inbound_message_id, withdrawn_purposes)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(
    contact,
    c.at,
    via.source,
    via.keyword ?? null,
    via.inboundMessageId ?? null,
    JSON.stringify(purposes),
  );
  return { changed: true, purposes };
}

/**
 * Lifts the suppression. The purposes the opt-out withdrew are granted again with the opt-in message
 * as evidence: START undoes STOP, no more (a purpose never granted stays so).
 */
export function optIn(c: Ctx, contact: string, via: OptVia): OptChange {
  const s = suppressionOf(c, contact);
  if (!s) return { changed: false, purposes: [] };
  stmt(c.db, "DELETE FROM suppressions WHERE contact = ?").run(contact);
  forgetObjection(c, contact, ALL_SCOPE);
  const evidence = {
    ...via.evidence,
    keyword: via.keyword,
    inboundMessageId: via.inboundMessageId,
    restores: s.since,
  };
  for (const purpose of s.withdrawnPurposes)
    recordConsent(c, { contact, purpose, status: "granted", basis: "opt-in", source: via.source, evidence });
  return { changed: true, purposes: s.withdrawnPurposes };
}
