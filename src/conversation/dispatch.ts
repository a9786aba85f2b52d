/**
 * Applies the dispatch-time verdict of policy.ts to the store, so that wiring it into the send loop
 * is one call in the lease transaction: `if (!enforceAtDispatch(tx, part, cfg)) <skip this part>`.
 *
 * - cancel: a message none of whose parts left becomes `canceled`; one with a part already handed
 *   to a modem has its remaining pending parts `failed` (the message then reads `failed`, with the
 *   reason as detail): `canceled` on some parts and `sent` on others would aggregate as a message
 *   forever `sending` (src/store/status.ts aggregate).
 * - defer: the message's pending parts wait until the window opens (`next_attempt_at`).
 *
 * `cfg` null: no compliance configuration registered, only opt-outs are enforced (checkDispatch).
 */
import { type PartStatus, refreshMessage, setPartStatus } from "../store/status.js";
import { stmt, type Tx } from "../store/tx.js";
import { checkDispatch, type PolicyConfig } from "./policy.js";

export function enforceAtDispatch(
  tx: Tx,
  part: { readonly messageId: string; readonly to: string },
  cfg: PolicyConfig | null,
): boolean {
  const v = checkDispatch(tx, part, cfg);
  if (v.ok) return true;
  const parts = stmt(tx.db, "SELECT seq, status FROM parts WHERE message_id = ?").all(part.messageId) as {
    seq: number;
    status: PartStatus;
  }[];
  const pending = parts.filter((p) => p.status === "queued" || p.status === "scheduled");
  if (v.action === "defer") {
    stmt(
      tx.db,
      "UPDATE parts SET next_attempt_at = ? WHERE message_id = ? AND status IN ('queued','scheduled')",
    ).run(v.until, part.messageId);
    return false;
  }
  const detail = v.reason === "opted-out" ? "recipient opted out" : `blocked at dispatch: ${v.reason}`;
  const to: PartStatus = pending.length === parts.length ? "canceled" : "failed";
  for (const p of pending) setPartStatus(tx, part.messageId, p.seq, p.status, to, detail);
  refreshMessage(tx, part.messageId, detail);
  return false;
}
