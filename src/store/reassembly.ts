/**
 * Durable reassembly of concatenated inbound messages (23.040 §9.2.3.24.1 8-bit ref, §9.2.3.24.8
 * 16-bit ref). A set is keyed by (modem, originator, ref, total, refBits): the reference space is
 * per originator. Parts may arrive in any order; a duplicate seq is ignored. The set completes in
 * the transaction that inserts its last part; a sweep releases stale sets as partial (warthog618/sms
 * collect.go WithReassemblyTimeout; Gammu MultipartTimeout). State is rows only, so it survives restarts.
 */
import type { DeliverPdu } from "../pdu/types.js";
import { stmt, type Tx } from "./tx.js";

export interface AssembledMessage {
  readonly originator: string;
  readonly text: string;
  readonly coding: string;
  readonly dataHex: string | null;
  readonly scts: string | null;
  readonly total: number;
  readonly received: number;
  readonly partial: boolean;
}

/** Adds a part; returns the assembled message when the set is complete, otherwise null. */
export function addPart(
  tx: Tx,
  modemId: string,
  originator: string,
  d: DeliverPdu,
  pduHex: string,
): AssembledMessage | null {
  const c = d.concat;
  if (!c) throw new Error("addPart needs a concatenated PDU");
  const key = [modemId, originator, c.ref, c.total, c.refBits] as const;
  let g = stmt(
    tx.db,
    `SELECT id FROM reassembly WHERE modem_id = ? AND originator = ? AND ref = ? AND total = ? AND ref_bits = ?
     AND released_message_id IS NULL`,
  ).get(...key) as { id: number } | undefined;
  if (!g) {
    const r = stmt(
      tx.db,
      "INSERT INTO reassembly (modem_id, originator, ref, total, ref_bits, first_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(...key, tx.at);
    g = { id: Number(r.lastInsertRowid) };
  }
  stmt(
    tx.db,
    `INSERT OR IGNORE INTO inbound_parts (group_id, seq, text, data_hex, coding, scts, pdu, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(g.id, c.seq, d.text ?? null, d.dataHex ?? null, d.coding, d.scts.iso, pduHex, tx.at);
  const n = stmt(tx.db, "SELECT COUNT(*) AS n FROM inbound_parts WHERE group_id = ?").get(g.id) as {
    n: number;
  };
  return n.n >= c.total ? assemble(tx, g.id, originator, c.total) : null;
}

function assemble(tx: Tx, groupId: number, originator: string, total: number): AssembledMessage {
  const parts = stmt(
    tx.db,
    "SELECT seq, text, data_hex, coding, scts FROM inbound_parts WHERE group_id = ? ORDER BY seq",
  ).all(groupId) as {
    seq: number;
    text: string | null;
    data_hex: string | null;
    coding: string;
    scts: string;
  }[];
  const first = parts[0];
  const binary = parts.every((p) => p.text === null);
  return {
    originator,
    text: parts.map((p) => p.text ?? "").join(""),
    coding: first?.coding ?? "gsm7",
    dataHex: binary ? parts.map((p) => p.data_hex ?? "").join("") : null,
    scts: first?.scts ?? null,
    total,
    received: parts.length,
    partial: parts.length < total,
  };
}

export function markReleased(tx: Tx, groupId: number, messageId: string): void {
  stmt(tx.db, "UPDATE reassembly SET released_message_id = ? WHERE id = ?").run(messageId, groupId);
}

export function openGroupId(tx: Tx, modemId: string, originator: string, d: DeliverPdu): number {
  const c = d.concat;
  const g = stmt(
    tx.db,
    `SELECT id FROM reassembly WHERE modem_id = ? AND originator = ? AND ref = ? AND total = ? AND ref_bits = ?
     AND released_message_id IS NULL`,
  ).get(modemId, originator, c?.ref, c?.total, c?.refBits) as { id: number } | undefined;
  if (!g) throw new Error("reassembly group vanished inside its transaction");
  return g.id;
}

/** Sets older than the timeout, assembled as partial, for the sweep to release. */
export function staleGroups(
  tx: Tx,
  timeoutMs: number,
  limit = 100,
): { groupId: number; modemId: string; message: AssembledMessage }[] {
  const rows = stmt(
    tx.db,
    `SELECT id, modem_id, originator, total FROM reassembly WHERE released_message_id IS NULL AND first_at <= ?
     ORDER BY first_at LIMIT ?`,
  ).all(tx.at - timeoutMs, limit) as { id: number; modem_id: string; originator: string; total: number }[];
  return rows.map((r) => ({
    groupId: r.id,
    modemId: r.modem_id,
    message: assemble(tx, r.id, r.originator, r.total),
  }));
}
