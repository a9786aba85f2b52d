/**
 * No silent loss: every attempt of the campaign ends as sent, refused with a reason, canceled with
 * a reason, or expired — and each reason is checked against what the people did at that instant
 * (campaign-world.ts) and the calendar, not taken on the store's word.
 */
import type { Db } from "../../src/store/db.js";
import { anyOpenInstant } from "./campaign-calendar.js";
import { BACKLOG_SLACK_MS, CAP, DAY, type Outcome, type Sent, type Violations } from "./campaign-checker.js";
import type { World } from "./campaign-population.js";
import type { Timelines } from "./campaign-world.js";

export interface Tally {
  readonly attempts: number;
  sent: number;
  expired: number;
  readonly refused: Record<string, number>;
  readonly canceled: Record<string, number>;
  /** Statuses that are not final (must stay empty). */
  readonly other: Record<string, number>;
}

const bump = (r: Record<string, number>, k: string) => {
  r[k] = (r[k] ?? 0) + 1;
};

/**
 * Whether the recipient's window opened between the attempt's earliest send time and its
 * validUntil (less `slackMs`: a backlog at the opening of a window drains at the modems' rate).
 */
function openBefore(world: World, o: Outcome, slackMs = 0): boolean {
  const region = world.byNumber.get(o.attempt.to)?.region;
  const from = Math.max(o.at, o.attempt.sendAt ?? o.at);
  const until = (o.attempt.validUntil ?? Number.POSITIVE_INFINITY) - slackMs;
  return !region || o.attempt.validUntil === undefined || anyOpenInstant(from, until, region);
}

export function account(
  db: Db,
  world: World,
  lines: Timelines,
  outcomes: readonly Outcome[],
  sent: ReadonlyMap<string, Sent>,
  v: Violations,
): Tally {
  const status = new Map(
    (db.prepare("SELECT id, status FROM messages").all() as { id: string; status: string }[]).map((m) => [
      m.id,
      m.status,
    ]),
  );
  // When each message stopped counting towards the cap, and why it was canceled.
  const ended = new Map<string, { at: number; to: string; detail: string | null }>();
  for (const e of db
    .prepare(
      `SELECT message_id AS id, at, to_status AS "to", detail FROM message_events
       WHERE part_seq IS NULL AND to_status IN ('canceled','expired','failed') ORDER BY id`,
    )
    .all() as { id: string; at: number; to: string; detail: string | null }[])
    if (!ended.has(e.id)) ended.set(e.id, e);
  const t: Tally = { attempts: outcomes.length, sent: 0, expired: 0, refused: {}, canceled: {}, other: {} };
  const live: { to: string; at: number; id: string }[] = [];
  for (const o of outcomes) {
    const { to } = o.attempt;
    const what = `attempt ${o.attempt.n} (wave ${o.attempt.wave}) to ${to} at ${new Date(o.at).toISOString()}`;
    if (o.refused !== undefined) {
      bump(t.refused, o.refused);
      const ok =
        o.refused === "opted-out"
          ? lines.optedOutAt(to, o.at)
          : o.refused === "consent-missing"
            ? !lines.consentAt(to, o.at)
            : o.refused === "frequency-cap"
              ? live.filter(
                  (m) =>
                    m.to === to &&
                    m.at > o.at - CAP.days * DAY &&
                    !((ended.get(m.id)?.at ?? Number.POSITIVE_INFINITY) <= o.at),
                ).length >= CAP.max
              : o.refused === "outside-window" && o.attempt.validUntil !== undefined
                ? // Refused because validUntil passes before the window opens: the window must
                  // indeed stay shut until then.
                  !openBefore(world, o)
                : false;
      if (!ok) v.add(`refused without cause (${o.refused})`, what);
      continue;
    }
    const id = o.id!;
    live.push({ to, at: o.at, id });
    const s = status.get(id);
    const left = sent.get(id);
    if (s === "sent") {
      t.sent++;
      if (!left || left.parts.size !== left.total)
        v.add("sent without its PDUs on the modem", `${id}, ${what}`);
      continue;
    }
    if (left) v.add(`transmitted yet ${s}`, `${id}, ${what}`);
    const end = ended.get(id);
    if (s === "canceled" && end) {
      bump(t.canceled, end.detail ?? "no reason");
      const ok =
        end.detail === "recipient opted out"
          ? lines.optedOutAt(to, end.at)
          : end.detail === "blocked at dispatch: consent-missing"
            ? !lines.consentAt(to, end.at)
            : false;
      if (!ok) v.add(`canceled without cause (${end.detail})`, `${id}, ${what}`);
    } else if (s === "expired") {
      t.expired++;
      // Expired is right only when the recipient's window never opened between the earliest send
      // time and validUntil; otherwise the message was lost.
      if (openBefore(world, o, BACKLOG_SLACK_MS))
        v.add("expired although the window was open before validUntil", `${id}, ${what}`);
    } else {
      bump(t.other, s ?? "missing");
      v.add(`not final (${s ?? "missing"})`, `${id}, ${what}`);
    }
  }
  return t;
}
