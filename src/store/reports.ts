/**
 * SMS-STATUS-REPORT matching (23.040 §9.2.2.3). A report carries TP-MR and TP-RA of the submission;
 * TP-MR is one octet assigned by the modem and wraps at 256 (§9.2.3.6), so the match is the most
 * recent part sent by the same modem with that MR to the same recipient within a window (Gammu's
 * DeliveryReportDelay pairs the same way; peers.md §3.5). Reports that match nothing are kept.
 */
import { sameSubscriber } from "../engine/phone.js";
import type { StatusReportPdu } from "../pdu/types.js";
import { type PartStatus, refreshMessage, setPartStatus } from "./status.js";
import { stmt, type Tx } from "./tx.js";

export interface ReportMatch {
  readonly messageId: string;
  readonly seq: number;
}

export function ingestReport(
  tx: Tx,
  modemId: string,
  pduHex: string,
  r: StatusReportPdu,
  windowMs: number,
): ReportMatch | null {
  const candidates = stmt(
    tx.db,
    `SELECT message_id, seq, to_number, status FROM parts WHERE modem_id = ? AND mr = ? AND sent_at >= ?
     AND status IN ('sent','delivered','undelivered') ORDER BY sent_at DESC, message_id DESC`,
  ).all(modemId, r.mr, tx.at - windowMs) as {
    message_id: string;
    seq: number;
    to_number: string;
    status: PartStatus;
  }[];
  const hit = candidates.find((c) => sameSubscriber(c.to_number, r.recipient.number));
  stmt(
    tx.db,
    `INSERT INTO status_reports (modem_id, pdu, mr, recipient, status, status_class, discharge_time, message_id,
       part_seq, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    modemId,
    pduHex,
    r.mr,
    r.recipient.number,
    r.status,
    r.statusClass,
    r.dischargeTime.iso,
    hit?.message_id ?? null,
    hit?.seq ?? null,
    tx.at,
  );
  if (!hit) {
    tx.emit("report.unmatched", { modemId, mr: r.mr, recipient: r.recipient.number });
    return null;
  }
  stmt(tx.db, "UPDATE parts SET report_status = ? WHERE message_id = ? AND seq = ?").run(
    r.status,
    hit.message_id,
    hit.seq,
  );
  const detail = `TP-ST 0x${r.status.toString(16).padStart(2, "0")} (${r.statusClass})`;
  // 23.040 §9.2.3.15: "pending" (temporary error, SC still trying) leaves the part `sent`.
  const next: PartStatus | null =
    r.statusClass === "delivered" ? "delivered" : r.statusClass === "pending" ? null : "undelivered";
  if (next && next !== hit.status) {
    if (next === "delivered")
      stmt(tx.db, "UPDATE parts SET delivered_at = ? WHERE message_id = ? AND seq = ?").run(
        tx.at,
        hit.message_id,
        hit.seq,
      );
    else
      stmt(tx.db, "UPDATE parts SET error_code = ?, error_text = ? WHERE message_id = ? AND seq = ?").run(
        `tp_st_${r.status}`,
        detail,
        hit.message_id,
        hit.seq,
      );
    setPartStatus(tx, hit.message_id, hit.seq, hit.status, next, detail);
  } else {
    // Recorded as an event even when the status stays (pending, or a repeated report).
    stmt(
      tx.db,
      `INSERT INTO message_events (message_id, direction, part_seq, from_status, to_status, at, detail)
       VALUES (?, 'outbound', ?, ?, ?, ?, ?)`,
    ).run(hit.message_id, hit.seq, hit.status, hit.status, tx.at, `report: ${detail}`);
  }
  refreshMessage(tx, hit.message_id, detail);
  return { messageId: hit.message_id, seq: hit.seq };
}

export interface UnmatchedReport {
  readonly id: number;
  readonly modemId: string;
  readonly mr: number;
  readonly recipient: string;
  readonly status: number;
  readonly statusClass: string;
  readonly receivedAt: number;
}

export function listUnmatched(tx: Tx, limit = 100): UnmatchedReport[] {
  return (
    stmt(
      tx.db,
      `SELECT id, modem_id, mr, recipient, status, status_class, received_at FROM status_reports
       WHERE message_id IS NULL ORDER BY id DESC LIMIT ?`,
    ).all(limit) as {
      id: number;
      modem_id: string;
      mr: number;
      recipient: string;
      status: number;
      status_class: string;
      received_at: number;
    }[]
  ).map((r) => ({
    id: r.id,
    modemId: r.modem_id,
    mr: r.mr,
    recipient: r.recipient,
    status: r.status,
    statusClass: r.status_class,
    receivedAt: r.received_at,
  }));
}
