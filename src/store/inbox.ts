/**
 * Inbound ingest: one transaction per PDU taken from a modem. It dedupes, decodes (quarantining what
 * does not decode), reassembles, stores the message, writes the `message.received` webhook outbox row,
 * runs the keyword hook and refreshes the sticky route. The modem acknowledges or deletes the PDU only
 * after this commit (architecture §2.4 Receive).
 */
import { createHash } from "node:crypto";
import { normaliseAddress } from "../engine/phone.js";
import type { IncomingPdu } from "../modem/types.js";
import type { DecodedPdu, DeliverPdu } from "../pdu/types.js";
import { touchSticky } from "./outcome.js";
import { type AssembledMessage, addPart, markReleased, openGroupId, staleGroups } from "./reassembly.js";
import { ingestReport } from "./reports.js";
import { stmt, type Tx, writeOutbox } from "./tx.js";

export interface InboundMessage {
  readonly id: string;
  readonly modemId: string;
  readonly from: string;
  readonly text: string;
  readonly coding: string;
  readonly dataHex: string | null;
  readonly scts: string | null;
  readonly partial: boolean;
  readonly partsTotal: number;
  readonly partsReceived: number;
  readonly receivedAt: number;
}

/** Runs inside the ingest transaction (STOP/START/HELP consent, architecture §2.3 Conversational). */
export type KeywordHook = (tx: Tx, message: InboundMessage) => void;

export interface IngestOptions {
  readonly decode: (hex: string) => DecodedPdu;
  readonly defaultCountry: string;
  readonly reportWindowMs: number;
  readonly keywordHook?: KeywordHook;
}

export type IngestResult =
  | { readonly kind: "duplicate" }
  | { readonly kind: "quarantined"; readonly error: string }
  | { readonly kind: "message"; readonly message: InboundMessage }
  | { readonly kind: "part-stored" }
  | { readonly kind: "report"; readonly matched: boolean };

export function dedupeKey(modemId: string, pduHex: string): string {
  return createHash("sha256").update(`${modemId}\n${pduHex.trim().toUpperCase()}`).digest("hex");
}

export function ingestPdu(tx: Tx, modemId: string, incoming: IncomingPdu, o: IngestOptions): IngestResult {
  const pdu = incoming.pdu.trim().toUpperCase();
  // The PDU includes TP-SCTS, so the same bytes from the same modem are the same message read again.
  const ins = stmt(
    tx.db,
    "INSERT OR IGNORE INTO inbound_pdus (dedupe_key, modem_id, kind, at) VALUES (?, ?, ?, ?)",
  ).run(dedupeKey(modemId, pdu), modemId, incoming.kind, tx.at);
  if (ins.changes === 0) return { kind: "duplicate" };
  let d: DecodedPdu;
  try {
    d = o.decode(pdu);
  } catch (e) {
    return quarantine(tx, modemId, incoming.kind, pdu, e instanceof Error ? e.message : String(e));
  }
  if (d.type === "status-report")
    return { kind: "report", matched: ingestReport(tx, modemId, pdu, d, o.reportWindowMs) !== null };
  if (d.type !== "deliver")
    return quarantine(tx, modemId, incoming.kind, pdu, `unexpected SMS-${d.type.toUpperCase()}`);
  const from = normaliseAddress(d.originator.number, o.defaultCountry);
  stmt(tx.db, "UPDATE modems SET received_count = received_count + 1, updated_at = ? WHERE id = ?").run(
    tx.at,
    modemId,
  );
  if (d.originator.type !== "alphanumeric") touchSticky(tx, from, modemId);
  if (!d.concat || d.concat.total <= 1)
    return { kind: "message", message: storeMessage(tx, modemId, single(from, d), o) };
  const done = addPart(tx, modemId, from, d, pdu);
  if (!done) return { kind: "part-stored" };
  const groupId = openGroupId(tx, modemId, from, d);
  const message = storeMessage(tx, modemId, done, o);
  markReleased(tx, groupId, message.id);
  return { kind: "message", message };
}

function single(from: string, d: DeliverPdu): AssembledMessage {
  return {
    originator: from,
    text: d.text ?? "",
    coding: d.coding,
    dataHex: d.dataHex ?? null,
    scts: d.scts.iso,
    total: 1,
    received: 1,
    partial: false,
  };
}

function quarantine(tx: Tx, modemId: string, kind: string, pdu: string, error: string): IngestResult {
  stmt(tx.db, "INSERT INTO quarantine (modem_id, kind, pdu, error, at) VALUES (?, ?, ?, ?, ?)").run(
    modemId,
    kind,
    pdu,
    error,
    tx.at,
  );
  tx.emit("inbound.quarantined", { modemId, error });
  return { kind: "quarantined", error };
}

function storeMessage(tx: Tx, modemId: string, a: AssembledMessage, o: IngestOptions): InboundMessage {
  const m: InboundMessage = {
    id: tx.ids(tx.at),
    modemId,
    from: a.originator,
    text: a.text,
    coding: a.coding,
    dataHex: a.dataHex,
    scts: a.scts,
    partial: a.partial,
    partsTotal: a.total,
    partsReceived: a.received,
    receivedAt: tx.at,
  };
  stmt(
    tx.db,
    `INSERT INTO inbound_messages (id, modem_id, from_number, text, coding, data_hex, scts, partial, parts_total,
       parts_received, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    m.id,
    modemId,
    m.from,
    m.text,
    m.coding,
    m.dataHex,
    m.scts,
    m.partial ? 1 : 0,
    m.partsTotal,
    m.partsReceived,
    tx.at,
  );
  stmt(
    tx.db,
    `INSERT INTO message_events (message_id, direction, from_status, to_status, at, detail)
     VALUES (?, 'inbound', NULL, 'received', ?, ?)`,
  ).run(m.id, tx.at, m.partial ? `partial: ${m.partsReceived}/${m.partsTotal} parts` : null);
  const event = { id: m.id, modemId, from: m.from, text: m.text, partial: m.partial, receivedAt: tx.at };
  writeOutbox(tx, "message.received", event, m.from);
  o.keywordHook?.(tx, m);
  tx.emit("message.received", event);
  return m;
}

/** Releases incomplete concatenated sets older than the timeout, as partial messages. */
export function releaseStale(tx: Tx, timeoutMs: number, o: IngestOptions): InboundMessage[] {
  return staleGroups(tx, timeoutMs).map((g) => {
    const m = storeMessage(tx, g.modemId, g.message, o);
    markReleased(tx, g.groupId, m.id);
    return m;
  });
}
