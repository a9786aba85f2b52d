/**
 * What one fault-matrix cell did, read from the store (the source of truth), the simulated
 * network's submit log (what really left the modem) and the modem's warn lines (ladder rungs).
 * "Lost" is any disagreement that hides a message: the store says sent and the network never got
 * it, or an inbound message injected at the network is neither in the store nor on the SIM.
 * "Stranded" inbound sits in the SIM's storage, unread: not gone, but invisible until a later sweep. "Sent twice" counts
 * messages the network accepted more than once. Both must be 0 in every cell.
 */

import type { SendOutcome } from "../../src/modem/types.js";
import type { NetworkLogEntry } from "../../src/sim/network.js";
import type { Persona } from "../../src/sim/personas.js";
import type { Db } from "../../src/store/db.js";
import type { MatrixFault } from "./faults.js";
import type { LogLine } from "./scenario.js";

/** A message is delayed when its part left more than this after it was enqueued (normally ≈ 3 s). */
export const DELAYED_MS = 30_000;

export interface CellInput {
  readonly persona: Persona["id"];
  readonly fault: MatrixFault;
  readonly t0: number;
  readonly faultAt: number;
  readonly end: number;
  readonly clearedAt: number | null;
  readonly outcomes: readonly { at: number; outcome: SendOutcome }[];
  readonly lines: readonly LogLine[];
  /** Modem state changes (every Modem object the supervisor built), with their virtual time. */
  readonly states: readonly { at: number; state: string }[];
  readonly disabled: readonly { at: number; reason: string }[];
  readonly opens: number;
  readonly db: Db;
  readonly network: readonly NetworkLogEntry[];
  readonly injected: readonly { text: string; at: number }[];
  readonly rejected: string;
  /** Texts of the messages still sitting in the simulated SIM's storage at the end. */
  readonly onSim: ReadonlySet<string>;
}

export interface CellRecord {
  readonly persona: string;
  readonly fault: string;
  readonly outcome: string;
  readonly rungs: readonly string[];
  readonly reopens: number;
  /** From the fault's injection (or clearing, for faults the scenario clears) to the first +CMGS: <mr>. */
  readonly recoveryS: number | null;
  readonly sent: number;
  readonly failed: number;
  readonly unknown: number;
  readonly delayed: number;
  /** Still queued or sending when the run ended. */
  readonly waiting: number;
  readonly lost: number;
  readonly sentTwice: number;
  readonly inbound: {
    readonly injected: number;
    readonly stored: number;
    readonly delayed: number;
    readonly twice: number;
    /** Not in the store, still in the modem's SIM storage: read again only by a later sweep. */
    readonly stranded: number;
  };
  readonly notes: readonly string[];
  readonly virtualS: number;
  readonly wallMs?: number;
}

interface Row {
  body: string;
  to_number: string;
  status: string;
  created_at: number;
  error_code: string | null;
  sent_at: number | null;
}

export function judge(c: CellInput): CellRecord {
  const rows = c.db
    .prepare(
      `SELECT m.body, m.to_number, m.status, m.created_at, m.error_code, MAX(p.sent_at) AS sent_at
       FROM messages m JOIN parts p ON p.message_id = m.id GROUP BY m.id`,
    )
    .all() as Row[];
  const accepted = new Map<string, number>();
  for (const e of c.network)
    if (e.outcome === "accepted") accepted.set(e.text, (accepted.get(e.text) ?? 0) + 1);
  const notes: string[] = [];
  const count = (f: (r: Row) => boolean) => rows.filter(f).length;
  const done = (r: Row) => r.status === "sent" || r.status === "delivered";
  const falseSent = count((r) => done(r) && !accepted.get(r.body));
  const falseFailed = count((r) => r.status === "failed" && (accepted.get(r.body) ?? 0) > 0);
  if (falseFailed) notes.push(`${falseFailed} marked failed though the network accepted them`);
  const codes = new Map<string, number>();
  for (const r of rows)
    if (r.status === "failed" || r.status === "unknown") {
      const refused = c.fault.kind === "reject" && r.to_number === c.rejected;
      const k = `${r.status}${r.error_code ? ` ${r.error_code}` : ""}${refused ? " (the refused recipient)" : ""}`;
      codes.set(k, (codes.get(k) ?? 0) + 1);
    }
  for (const [k, n] of codes) notes.push(`${n}× ${k}`);
  // What the modem answered from the fault on: how many sends did not end in "+CMGS: <mr>", and how fast.
  const bad = c.outcomes.filter((o) => o.at >= c.faultAt && o.outcome.kind !== "sent");
  const kinds = new Map<string, number>();
  for (const { outcome: o } of bad) {
    const k =
      o.kind === "rejected"
        ? `rejected ${o.code ?? ""} ${o.category}`.replace("  ", " ")
        : o.kind === "sent"
          ? "sent"
          : `${o.kind} (${o.reason})`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  if (bad.length) {
    const span = ((bad.at(-1)?.at ?? 0) - (bad[0]?.at ?? 0)) / 1000;
    notes.push(
      `send attempts that failed: ${[...kinds].map(([k, n]) => `${n}× ${k}`).join(", ")} over ${span.toFixed(1)} s`,
    );
  }
  const after = c.states.filter(
    (x) => x.at >= c.faultAt && x.state !== "stopped" && x.at <= c.faultAt + 600_000,
  );
  if (after.length)
    notes.push(
      `modem states from the fault on: ${after
        .slice(0, 8)
        .map((x) => `${x.state} +${((x.at - c.faultAt) / 1000).toFixed(1)} s`)
        .join(", ")}${after.length > 8 ? ", …" : ""}`,
    );
  for (const d of c.disabled)
    notes.push(`disabled at +${((d.at - c.faultAt) / 1000).toFixed(1)} s: ${d.reason}`);

  const inbound = c.db.prepare("SELECT text, received_at FROM inbound_messages").all() as {
    text: string;
    received_at: number;
  }[];
  const storedAt = new Map<string, number[]>();
  for (const r of inbound) storedAt.set(r.text, [...(storedAt.get(r.text) ?? []), r.received_at]);
  const inDelayed = c.injected.filter((i) => (storedAt.get(i.text)?.[0] ?? c.end) - i.at > DELAYED_MS).length;
  const stranded = c.injected.filter((i) => !storedAt.has(i.text) && c.onSim.has(i.text)).length;
  if (stranded)
    notes.push(`${stranded} inbound left in the SIM's storage, not in the store, when the run ended`);
  const inMissing = c.injected.filter((i) => !storedAt.has(i.text) && !c.onSim.has(i.text)).length;
  const inTwice = [...storedAt.values()].filter((v) => v.length > 1).length;

  const rungs = [
    ...new Set(
      c.lines
        .filter((l) => l.at >= c.faultAt && typeof l.obj.rung === "string")
        .map((l) => String(l.obj.rung)),
    ),
  ];
  const ref = c.clearedAt ?? c.faultAt;
  const firstSent = c.outcomes.find((o) => o.at >= ref && o.outcome.kind === "sent");
  const troubled = c.outcomes.some((o) => o.at >= c.faultAt && o.outcome.kind !== "sent");
  const reopens = Math.max(0, c.opens - 1);
  let outcome: string;
  if (c.disabled.length) outcome = "modem disabled";
  else if (!firstSent) outcome = "not recovered";
  else if (reopens) outcome = rungs.length ? `ladder ${rungs.join("→")}, reopened` : "reopened by supervisor";
  else if (rungs.length) outcome = `recovered at rung ${rungs.at(-1)}`;
  else if (troubled || inDelayed) outcome = "recovered by itself";
  else outcome = "no visible effect";

  return {
    persona: c.persona,
    fault: c.fault.spec,
    outcome,
    rungs,
    reopens,
    recoveryS: firstSent ? (firstSent.at - ref) / 1000 : null,
    sent: count(done),
    failed: count((r) => r.status === "failed"),
    unknown: count((r) => r.status === "unknown"),
    delayed: count((r) => done(r) && r.sent_at !== null && r.sent_at - r.created_at > DELAYED_MS),
    waiting: count((r) => ["queued", "scheduled", "sending"].includes(r.status)),
    lost: falseSent + inMissing,
    sentTwice: [...accepted.values()].filter((n) => n > 1).length,
    inbound: {
      injected: c.injected.length,
      stored: storedAt.size,
      delayed: inDelayed,
      twice: inTwice,
      stranded,
    },
    notes,
    virtualS: (c.end - c.t0) / 1000,
  };
}
