/**
 * Compares what the outside world saw with what the gateway recorded, after the last (graceful)
 * stop. Outbound, per token of the plan:
 *   lost        accepted (acknowledged by the API, or stored) but not every part reached the network,
 *               and no row of it says failed/unknown: the customer was never told anything is wrong
 *   duplicated  some part reached the network twice or more; "recorded" when a row of that token
 *               is `unknown` (the operator was told it may have gone out), "silent" otherwise
 *   unknown     a row ended `unknown`; split by whether it did reach the network (once)
 * Inbound, per injected token: stored exactly once, complete (text equal to what was sent), and
 * nothing left unread in the simulated SIM storage or undelivered in the network queue.
 */
import Database from "better-sqlite3";
import type { OutboundMessage } from "./client.js";
import { INBOUND_TOKEN, type InboundPlanned } from "./plan.js";
import type { NetworkTruth } from "./sims.js";

const FAILED = new Set(["failed", "undelivered", "expired", "canceled"]);
const FINAL = new Set([...FAILED, "sent", "delivered", "unknown"]);

export interface Tally {
  readonly planned: number;
  readonly acked: number;
  readonly stored: number;
  readonly storedRows: number;
  /** Tokens stored as two or more messages (an API request executed twice). */
  readonly storedTwice: number;
  readonly notFinal: number;
  readonly lost: number;
  readonly dupRecorded: number;
  readonly dupSilent: number;
  readonly unknownOnNetwork: number;
  readonly unknownNotOnNetwork: number;
  readonly failed: number;
  /** Some parts reached the network, not all (a part interrupted, its siblings sent). */
  readonly partial: number;
  /** Accepted parts matching no stored message. */
  readonly strayOnNetwork: number;
  readonly networkParts: number;
  readonly inPlanned: number;
  readonly inStored: number;
  readonly inLost: number;
  readonly inDuplicated: number;
  readonly inIncomplete: number;
  readonly simUnread: number;
  readonly simPending: number;
  /** A few examples per anomaly, for the report. */
  readonly examples: Record<string, string[]>;
}

export function tally(o: {
  db: string;
  plan: readonly OutboundMessage[];
  acked: ReadonlyMap<string, ReadonlySet<string>>;
  truth: NetworkTruth;
  inbound: readonly InboundPlanned[];
  backlog: { unread: number; pending: number };
}): Tally {
  const db = new Database(o.db, { readonly: true });
  const rows = db.prepare("SELECT id, body, status FROM messages").all() as {
    id: string;
    body: string;
    status: string;
  }[];
  const byToken = new Map<string, { id: string; status: string }[]>();
  const tokenOf = new Map<string, string>();
  for (const r of rows) {
    const t = /^#(\d{6})/.exec(r.body)?.[1];
    if (t) byToken.set(t, [...(byToken.get(t) ?? []), r]);
    if (t) tokenOf.set(r.id, t);
  }
  // Later parts whose first part never went out carry no token: find them by their PDU.
  const partOf = db.prepare("SELECT message_id, seq, total FROM parts WHERE upper(pdu) = ?");
  const counts = new Map([...o.truth.byToken].map(([k, v]) => [k, [...v]]));
  let stray = 0;
  for (const pdu of o.truth.stray) {
    const p = partOf.get(pdu) as { message_id: string; seq: number; total: number } | undefined;
    const t = p && tokenOf.get(p.message_id);
    if (!p || !t) {
      stray++;
      continue;
    }
    const c = counts.get(t) ?? Array.from({ length: p.total }, () => 0);
    c[p.seq - 1] = (c[p.seq - 1] ?? 0) + 1;
    counts.set(t, c);
  }
  const examples: Record<string, string[]> = {};
  const note = (kind: string, s: string) => {
    const l = examples[kind] ?? [];
    if (l.length < 5) l.push(s);
    examples[kind] = l;
  };
  let stored = 0;
  let storedTwice = 0;
  let notFinal = 0;
  let lost = 0;
  let dupRecorded = 0;
  let dupSilent = 0;
  let unknownOnNetwork = 0;
  let unknownNotOnNetwork = 0;
  let failed = 0;
  let partial = 0;
  for (const m of o.plan) {
    const mine = byToken.get(m.token) ?? [];
    const sent = counts.get(m.token) ?? [];
    const describe = () =>
      `#${m.token}: rows ${mine.map((r) => `${r.id}=${r.status}`).join(",") || "none"}; network ${JSON.stringify(sent)}`;
    if (mine.length > 0) stored++;
    if (mine.length > 1) {
      storedTwice++;
      note("stored twice", describe());
    }
    if (mine.some((r) => !FINAL.has(r.status))) notFinal++;
    const unknown = mine.some((r) => r.status === "unknown");
    const complete = sent.length > 0 && sent.every((c) => c >= 1);
    const dup = sent.some((c) => c >= 2);
    if (sent.some((c) => c >= 1) && !complete) {
      partial++;
      note("partly on the network", describe());
    }
    if (mine.some((r) => FAILED.has(r.status))) failed++;
    if (unknown) {
      if (complete) unknownOnNetwork++;
      else unknownNotOnNetwork++;
    }
    const accepted = mine.length > 0 || o.acked.has(m.token);
    if (accepted && !complete && !unknown && !mine.some((r) => FAILED.has(r.status))) {
      lost++;
      note("lost", describe());
    }
    if (dup && unknown) dupRecorded++;
    if (dup && !unknown) {
      dupSilent++;
      note("duplicated silently", describe());
    }
  }

  const inRows = db.prepare("SELECT text, partial FROM inbound_messages").all() as {
    text: string;
    partial: number;
  }[];
  db.close();
  const inByToken = new Map<string, { text: string; partial: number }[]>();
  for (const r of inRows) {
    const t = INBOUND_TOKEN.exec(r.text)?.[1];
    if (t) inByToken.set(t, [...(inByToken.get(t) ?? []), r]);
  }
  let inStored = 0;
  let inLost = 0;
  let inDuplicated = 0;
  let inIncomplete = 0;
  for (const p of o.inbound) {
    const got = inByToken.get(p.token) ?? [];
    if (got.length === 0) {
      inLost++;
      note("inbound lost", `in#${p.token} (${p.parts} part(s), modem ${p.modem})`);
      continue;
    }
    inStored++;
    if (got.length > 1) {
      inDuplicated++;
      note("inbound duplicated", `in#${p.token} stored ${got.length} times`);
    }
    if (got.some((r) => r.partial || r.text !== p.text)) {
      inIncomplete++;
      note("inbound incomplete", `in#${p.token}: ${JSON.stringify(got.map((r) => r.text.slice(0, 40)))}`);
    }
  }
  return {
    planned: o.plan.length,
    acked: o.acked.size,
    stored,
    storedRows: rows.length,
    storedTwice,
    notFinal,
    lost,
    dupRecorded,
    dupSilent,
    unknownOnNetwork,
    unknownNotOnNetwork,
    failed,
    partial,
    strayOnNetwork: stray,
    networkParts: o.truth.parts,
    inPlanned: o.inbound.length,
    inStored,
    inLost,
    inDuplicated,
    inIncomplete,
    simUnread: o.backlog.unread,
    simPending: o.backlog.pending,
    examples,
  };
}
