/**
 * The conversation KPIs a business steers by (first response time, resolution time, first contact
 * resolution, reopenings, load per agent), computed from the thread timeline over a time window and
 * from the threads' current state. The marks are written when they happen (threads.ts,
 * threads-actions.ts), so a later reopening never rewrites an earlier cycle's figures.
 */
import type { Db } from "../store/db.js";
import { stmt } from "../store/tx.js";

export interface Distribution {
  readonly count: number;
  readonly medianSeconds: number | null;
  readonly p90Seconds: number | null;
}

export interface ThreadStats {
  /** ms since epoch, inclusive lower and exclusive upper bound of the window. */
  readonly since: number;
  readonly until: number;
  /** Now, whatever the window. */
  readonly current: {
    readonly open: number;
    readonly pending: number;
    readonly resolved: number;
    readonly unassigned: number;
    readonly flagged: number;
  };
  /** Cycles opened in the window (first messages and reopenings). */
  readonly opened: number;
  readonly reopened: number;
  /** First agent reply of each cycle answered in the window. */
  readonly firstResponse: Distribution;
  /** Cycles resolved in the window, from their opening. */
  readonly resolution: Distribution & {
    /** Share of resolutions of threads never reopened before: first contact resolution (0…1). */
    readonly firstContactRate: number | null;
  };
  readonly agents: readonly { readonly agent: string; readonly replies: number; readonly resolved: number }[];
}

/** Nearest-rank percentile of sorted values, in seconds. */
function percentile(sortedMs: readonly number[], p: number): number | null {
  if (sortedMs.length === 0) return null;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil(p * sortedMs.length) - 1));
  return sortedMs[i]! / 1000;
}

const distribution = (ms: number[]): Distribution => {
  const s = [...ms].sort((a, b) => a - b);
  return { count: s.length, medianSeconds: percentile(s, 0.5), p90Seconds: percentile(s, 0.9) };
};

export function threadStats(db: Db, since: number, until: number): ThreadStats {
  const cur = stmt(
    db,
    `SELECT
       COALESCE(SUM(status = 'open'), 0) AS open, COALESCE(SUM(status = 'pending'), 0) AS pending,
       COALESCE(SUM(status = 'resolved'), 0) AS resolved,
       COALESCE(SUM(status <> 'resolved' AND assigned_agent IS NULL), 0) AS unassigned,
       COALESCE(SUM(EXISTS (SELECT 1 FROM agent_flags f WHERE f.contact = c.contact AND f.resolved_at IS NULL)), 0) AS flagged
     FROM conversations c`,
  ).get() as ThreadStats["current"];
  const events = stmt(
    db,
    `SELECT type, actor, json_extract(detail, '$.firstResponseMs') AS frt,
       json_extract(detail, '$.resolutionMs') AS res, json_extract(detail, '$.reopenCount') AS reopens
     FROM conversation_events
     WHERE type IN ('opened','reopened','replied','resolved') AND at >= ? AND at < ?`,
  ).all(since, until) as {
    type: string;
    actor: string | null;
    frt: number | null;
    res: number | null;
    reopens: number | null;
  }[];
  const frt: number[] = [];
  const res: number[] = [];
  let firstContact = 0;
  const agents = new Map<string, { replies: number; resolved: number }>();
  const agent = (actor: string | null) => {
    const name = actor?.startsWith("agent:") ? actor.slice(6) : "(unnamed)";
    const a = agents.get(name) ?? { replies: 0, resolved: 0 };
    agents.set(name, a);
    return a;
  };
  for (const e of events) {
    if (e.type === "replied") {
      agent(e.actor).replies++;
      if (e.frt !== null) frt.push(e.frt);
    } else if (e.type === "resolved") {
      agent(e.actor).resolved++;
      if (e.res !== null) res.push(e.res);
      if (e.reopens === 0) firstContact++;
    }
  }
  const resolution = distribution(res);
  return {
    since,
    until,
    current: { ...cur },
    opened: events.filter((e) => e.type === "opened" || e.type === "reopened").length,
    reopened: events.filter((e) => e.type === "reopened").length,
    firstResponse: distribution(frt),
    resolution: {
      ...resolution,
      firstContactRate: resolution.count === 0 ? null : firstContact / resolution.count,
    },
    agents: [...agents]
      .map(([name, a]) => ({ agent: name, ...a }))
      .sort((x, y) => x.agent.localeCompare(y.agent)),
  };
}
