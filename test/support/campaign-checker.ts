/**
 * The campaign's violation checker. Written from the rules of issue #7 (CPCE L34-5 consent and
 * advertiser identity, af2m charter 2026 window, the product's Sunday/holiday default and cap of
 * 4 marketing messages per 30 days, one confirmation per opt-out), reading only:
 * - what left: the PDUs the modems were handed, decoded with src/pdu (`Transmission`);
 * - what the people did: the generated world, as timelines (campaign-world.ts);
 * - the store's rows, to tie a PDU to its message and to read final statuses and reasons.
 * It never calls src/conversation: a shared bug would otherwise agree with itself.
 */
import type { Db } from "../../src/store/db.js";
import { firstOpenInstant, local, windowBreach, ZONES } from "./campaign-calendar.js";
import type { Attempt, World } from "./campaign-population.js";
import type { Timelines } from "./campaign-world.js";

export interface Transmission {
  readonly pdu: string;
  readonly at: number;
  /** Position in the run's order of sends and world events (campaign-modem.ts). */
  readonly tick: number;
  readonly recipient: string;
  readonly text: string;
}

/** What the send path answered for one attempt, in the order the attempts were made. */
export interface Outcome {
  readonly attempt: Attempt;
  readonly at: number;
  readonly id?: string;
  /** ComplianceError problem, or the error's name for anything else. */
  readonly refused?: string;
}

interface MessageRow {
  id: string;
  to_number: string;
  category: string;
  body: string;
  status: string;
}

export interface Sent {
  readonly message: MessageRow;
  /** Transmission time of each part, by seq. */
  readonly parts: Map<number, Transmission>;
  readonly total: number;
}

export const DAY = 86_400_000;
export const CAP = { max: 4, days: 30 } as const;
/** The campaign's two modems send 10 parts/s each: the largest backlog drains well within this. */
export const BACKLOG_SLACK_MS = 10 * 60_000;

export class Violations {
  readonly list: string[] = [];
  add(rule: string, detail: string): void {
    this.list.push(`${rule}: ${detail}`);
  }
}

const iso = (t: number) => new Date(t).toISOString();

/** Ties every transmitted PDU to its stored part; a PDU that matches none, or leaves twice, is a violation. */
export function sentMessages(db: Db, sent: readonly Transmission[], v: Violations): Map<string, Sent> {
  const parts = new Map<string, { message_id: string; seq: number; total: number }>();
  for (const p of db.prepare("SELECT message_id, seq, total, pdu FROM parts").all() as {
    message_id: string;
    seq: number;
    total: number;
    pdu: string;
  }[])
    parts.set(p.pdu, p);
  const messages = new Map(
    (db.prepare("SELECT id, to_number, category, body, status FROM messages").all() as MessageRow[]).map(
      (m) => [m.id, m],
    ),
  );
  const out = new Map<string, Sent>();
  for (const t of sent) {
    const p = parts.get(t.pdu);
    const m = p && messages.get(p.message_id);
    if (!p || !m) {
      v.add("unaccounted transmission", `${t.recipient} at ${iso(t.at)}: ${t.text.slice(0, 40)}`);
      continue;
    }
    if (t.recipient !== m.to_number)
      v.add("wrong recipient", `${m.id} for ${m.to_number} went to ${t.recipient}`);
    const s = out.get(m.id) ?? { message: m, parts: new Map(), total: p.total };
    if (s.parts.has(p.seq)) v.add("sent twice", `${m.id} part ${p.seq}`);
    s.parts.set(p.seq, t);
    out.set(m.id, s);
  }
  return out;
}

/**
 * Consent, opt-out, window, body, timing and cap of every marketing message that left. Returns how
 * many were asked for a closed time and waited, by reason ("holiday GP 04-03"…): the proof that the
 * scenario exercised each rule.
 */
export function checkMarketing(
  world: World,
  lines: Timelines,
  outcomes: readonly Outcome[],
  sent: ReadonlyMap<string, Sent>,
  v: Violations,
): Record<string, number> {
  const waited: Record<string, number> = {};
  const byId = new Map(outcomes.filter((o) => o.id).map((o) => [o.id!, o]));
  const sendsTo = new Map<string, number[]>();
  for (const s of sent.values()) {
    if (s.message.category !== "marketing") continue;
    const m = s.message;
    const person = world.byNumber.get(m.to_number);
    const o = byId.get(m.id);
    if (!person || !o) {
      v.add("marketing without a campaign attempt", m.id);
      continue;
    }
    if (s.parts.size !== s.total) v.add("partly sent", `${m.id}: ${s.parts.size}/${s.total} parts`);
    const text = [...s.parts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, t]) => t.text)
      .join("");
    if (s.parts.size === s.total && text !== m.body) v.add("body differs from the stored one", m.id);
    // CPCE L34-5: every message names the advertiser and gives a free way to object.
    if (!text.toLowerCase().includes(world.businessName.toLowerCase()))
      v.add("advertiser not named", `${m.id}: ${text}`);
    if (!/(^|[^\p{L}])stop([^\p{L}]|$)/iu.test(text)) v.add("no STOP instruction", `${m.id}: ${text}`);
    for (const [seq, t] of s.parts) {
      const at = `${m.id}#${seq} to ${m.to_number} at ${iso(t.at)}`;
      if (!lines.consentAtTick(m.to_number, t.tick)) v.add("no consent at send time", at);
      if (lines.optedOutAtTick(m.to_number, t.tick)) v.add("sent after opt-out", at);
      const breach = windowBreach(t.at, person.region);
      if (breach) v.add(`outside the window (${breach})`, `${at} [${person.region}]`);
      if (o.attempt.sendAt !== undefined && t.at < o.attempt.sendAt) v.add("sent before sendAt", at);
      if (o.attempt.validUntil !== undefined && t.at >= o.attempt.validUntil)
        v.add("sent after validUntil", at);
    }
    const first = Math.min(...[...s.parts.values()].map((t) => t.at));
    sendsTo.set(m.to_number, [...(sendsTo.get(m.to_number) ?? []), first]);
    // Outside its window a message waits for the next slot (ecosystem §4.3: not dropped, not later).
    const earliest = Math.max(o.at, o.attempt.sendAt ?? o.at);
    const closed = windowBreach(earliest, person.region);
    if (closed) {
      const day =
        closed === "holiday" ? ` ${person.region} ${local(earliest, ZONES[person.region]).mmdd}` : "";
      waited[closed + day] = (waited[closed + day] ?? 0) + 1;
    }
    if (first > firstOpenInstant(earliest, person.region) + BACKLOG_SLACK_MS)
      v.add(
        "held past the next open slot",
        `${m.id} to ${m.to_number}, asked ${iso(earliest)}, sent ${iso(first)}`,
      );
  }
  for (const [to, times] of sendsTo) {
    times.sort((a, b) => a - b);
    for (let i = CAP.max; i < times.length; i++)
      if (times[i]! - times[i - CAP.max]! < CAP.days * DAY)
        v.add(
          "above the cap",
          `${to}: ${CAP.max + 1} marketing messages within ${CAP.days} days by ${iso(times[i]!)}`,
        );
  }
  return waited;
}

/**
 * Keyword replies: exactly one confirmation per opt-out (and per START), sent right after it —
 * functional messages have no window (af2m 2026) — and nothing else that is not marketing.
 */
export function checkConfirmations(
  world: World,
  lines: Timelines,
  sent: ReadonlyMap<string, Sent>,
  v: Violations,
): { optout: number; optin: number; outsideWindow: number } {
  const got = new Map<string, { optout: number[]; optin: number[] }>();
  for (const s of sent.values()) {
    if (s.message.category === "marketing") continue;
    const at = Math.min(...[...s.parts.values()].map((t) => t.at));
    const kind = s.message.body.includes("ne recevrez plus")
      ? "optout"
      : s.message.body.includes("est rétabli")
        ? "optin"
        : null;
    if (!kind || /promo|offre|%/i.test(s.message.body)) {
      v.add("unexpected non-marketing message", `${s.message.to_number}: ${s.message.body}`);
      continue;
    }
    const g = got.get(s.message.to_number) ?? { optout: [], optin: [] };
    g[kind].push(at);
    got.set(s.message.to_number, g);
  }
  let optout = 0;
  let optin = 0;
  // Replies that left while marketing to that contact could not: the proof they are exempt.
  let outsideWindow = 0;
  for (const p of world.people) {
    const t = lines.of(p.e164);
    const g = got.get(p.e164) ?? { optout: [], optin: [] };
    for (const [kind, owed, had] of [
      ["opt-out", t.optOuts, g.optout],
      ["opt-in", t.optIns, g.optin],
    ] as const) {
      if (had.length !== owed.length)
        v.add(`${kind} confirmations`, `${p.e164}: ${had.length} sent for ${owed.length} ${kind}s`);
      const sorted = [...had].sort((a, b) => a - b);
      owed.forEach((when, i) => {
        const c = sorted[i];
        if (c !== undefined && (c < when || c > when + 5 * 60_000))
          v.add(`${kind} confirmation late`, `${p.e164}: keyword at ${iso(when)}, reply at ${iso(c)}`);
      });
    }
    optout += g.optout.length;
    optin += g.optin.length;
    outsideWindow += [...g.optout, ...g.optin].filter((at) => windowBreach(at, p.region) !== null).length;
  }
  return { optout, optin, outsideWindow };
}
