/**
 * Cancels what is still waiting for a contact who just opted out, inside the opt-out's transaction:
 * a queued or scheduled message that no modem has taken yet never leaves (the STOP wins the race,
 * ecosystem §4.5). A message with a part already handed to a modem is left alone: cancelling its
 * remaining parts would strand it half-sent (it stays for the dispatch-time check, see policy.ts).
 */
import { refreshMessage, setPartStatus } from "../store/status.js";
import { stmt, type Tx } from "../store/tx.js";

export const OPTED_OUT_DETAIL = "recipient opted out";

export function cancelPendingFor(tx: Tx, contact: string): string[] {
  return cancelWaiting(tx, contact, OPTED_OUT_DETAIL);
}

/**
 * The same for one category only (a withdrawn marketing consent stops marketing, not a delivery
 * notice). Keyword replies written as exempt are never canceled: they are the opt-out's own answer.
 */
export function cancelWaiting(tx: Tx, contact: string, detail: string, category?: "marketing"): string[] {
  const ids = (
    stmt(
      tx.db,
      `SELECT m.id FROM messages m WHERE m.to_number = ? AND m.status IN ('queued','scheduled')
         AND (? IS NULL OR m.category = ?)
         AND NOT EXISTS (SELECT 1 FROM parts p WHERE p.message_id = m.id
           AND (p.status NOT IN ('queued','scheduled') OR p.lease_owner IS NOT NULL))
         AND NOT EXISTS (SELECT 1 FROM compliance_exempt e WHERE e.message_id = m.id)`,
    ).all(contact, category ?? null, category ?? null) as { id: string }[]
  ).map((r) => r.id);
  for (const id of ids) {
    const parts = stmt(tx.db, "SELECT seq, status FROM parts WHERE message_id = ?").all(id) as {
      seq: number;
      status: "queued" | "scheduled";
    }[];
    for (const p of parts) setPartStatus(tx, id, p.seq, p.status, "canceled", detail);
    refreshMessage(tx, id, detail);
  }
  return ids;
}
