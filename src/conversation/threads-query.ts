/**
 * Reading threads: the filtered list (newest activity first, keyset cursor) and one thread's detail:
 * both directions' messages in time order (read from `messages` and `inbound_messages`, never
 * copied), its timeline, the contact's open agent flags.
 */
import type { Db } from "../store/db.js";
import { stmt } from "../store/tx.js";
import { type AgentFlag, openAgentFlagsOf } from "./hook.js";
import { ConversationError, type Thread, type ThreadStatus, threadFromRow } from "./threads.js";

export interface ThreadFilter {
  readonly status?: ThreadStatus;
  readonly assigned?: string;
  readonly unassigned?: boolean;
  /** Only threads whose contact has an open agent flag. */
  readonly flagged?: boolean;
  /** E.164. */
  readonly contact?: string;
  /** Substring of the number, the contact's name or the context (order, ticket…). */
  readonly q?: string;
}

export interface ThreadSummary extends Thread {
  readonly contactName: string | null;
  readonly openFlags: number;
  /** The contact replied STOP (suppressions): replies are refused until START. */
  readonly optedOut: boolean;
}

const SUMMARY = `SELECT c.*, k.name AS contact_name,
  (SELECT COUNT(*) FROM agent_flags f WHERE f.contact = c.contact AND f.resolved_at IS NULL) AS open_flags,
  EXISTS (SELECT 1 FROM suppressions s WHERE s.contact = c.contact) AS opted_out
FROM conversations c LEFT JOIN contacts k ON k.e164 = c.contact`;

type SummaryRow = Parameters<typeof threadFromRow>[0] & {
  contact_name: string | null;
  open_flags: number;
  opted_out: number;
};

const summary = (r: SummaryRow): ThreadSummary => ({
  ...threadFromRow(r),
  contactName: r.contact_name,
  openFlags: r.open_flags,
  optedOut: r.opted_out === 1,
});

const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Position of a thread in the list order, as the cursor carries it. */
const position = (t: Thread) => `${t.lastActivityAt}.${t.id}`;

function parsePosition(p: string): { at: number; id: string } {
  const m = /^(\d{1,16})\.([0-9A-Z]{1,64})$/.exec(p);
  if (!m) throw new ConversationError("invalid", "cursor position is malformed", "cursor");
  return { at: Number(m[1]), id: m[2]! };
}

export function listThreads(
  db: Db,
  f: ThreadFilter,
  page: { readonly limit: number; readonly after?: string },
): { items: ThreadSummary[]; next?: string } {
  const where: string[] = [];
  const p: Record<string, unknown> = { limit: page.limit + 1 };
  if (f.status) {
    where.push("c.status = @status");
    p.status = f.status;
  }
  if (f.assigned !== undefined) {
    where.push("c.assigned_agent = @assigned");
    p.assigned = f.assigned;
  }
  if (f.unassigned) where.push("c.assigned_agent IS NULL");
  if (f.flagged)
    where.push("EXISTS (SELECT 1 FROM agent_flags f WHERE f.contact = c.contact AND f.resolved_at IS NULL)");
  if (f.contact !== undefined) {
    where.push("c.contact = @contact");
    p.contact = f.contact;
  }
  if (f.q !== undefined) {
    where.push(
      "(c.contact LIKE @q ESCAPE '\\' OR c.context LIKE @q ESCAPE '\\' OR k.name LIKE @q ESCAPE '\\')",
    );
    p.q = likeEscape(f.q);
  }
  if (page.after !== undefined) {
    const a = parsePosition(page.after);
    where.push("(c.last_activity_at < @afterAt OR (c.last_activity_at = @afterAt AND c.id < @afterId))");
    p.afterAt = a.at;
    p.afterId = a.id;
  }
  const sql = `${SUMMARY}${where.length ? ` WHERE ${where.join(" AND ")}` : ""}
    ORDER BY c.last_activity_at DESC, c.id DESC LIMIT @limit`;
  const rows = (stmt(db, sql).all(p) as SummaryRow[]).map(summary);
  if (rows.length <= page.limit) return { items: rows };
  const items = rows.slice(0, page.limit);
  return { items, next: position(items.at(-1)!) };
}

export function threadSummary(db: Db, id: string): ThreadSummary | undefined {
  const r = stmt(db, `${SUMMARY} WHERE c.id = ?`).get(id) as SummaryRow | undefined;
  return r && summary(r);
}

export interface HistoryItem {
  readonly id: string;
  readonly direction: "inbound" | "outbound";
  readonly text: string;
  readonly status: string;
  /** Outbound only. */
  readonly category: string | null;
  /** Engine modem id: the SIM that received or sent it (null while an outbound waits for one). */
  readonly modem: string | null;
  /** "customer", "agent:<name>", "keyword-reply" (STOP/START/HELP answers) or "api". */
  readonly author: string;
  /** ms since epoch: received, or enqueued. */
  readonly at: number;
}

// Who wrote an outbound message (ecosystem §4.10: record the author of each message): the agent of
// its `replied` timeline row, the keyword hook for exempt replies, else an API client.
const HISTORY = `SELECT * FROM (
  SELECT m.id, 'outbound' AS direction, m.body AS text, m.status, m.category, m.modem_id AS modem,
    COALESCE((SELECT e.actor FROM conversation_events e WHERE e.message_id = m.id AND e.type = 'replied'),
      (SELECT 'keyword-reply' FROM compliance_exempt x WHERE x.message_id = m.id), 'api') AS author,
    m.created_at AS at
  FROM messages m WHERE m.to_number = @contact
  UNION ALL
  SELECT i.id, 'inbound', i.text, i.status, NULL, i.modem_id, 'customer', i.received_at
  FROM inbound_messages i WHERE i.from_number = @contact
) ORDER BY at DESC, id DESC LIMIT @limit`;

/** The last `limit` messages of both directions, oldest first. */
export function threadHistory(db: Db, contact: string, limit: number): HistoryItem[] {
  return (stmt(db, HISTORY).all({ contact, limit }) as HistoryItem[]).map((h) => ({ ...h })).reverse();
}

export interface TimelineView {
  readonly type: string;
  readonly from: ThreadStatus | null;
  readonly to: ThreadStatus | null;
  readonly actor: string | null;
  readonly messageId: string | null;
  readonly detail: Record<string, unknown> | null;
  readonly at: number;
}

export function threadTimeline(db: Db, threadId: string): TimelineView[] {
  return (
    stmt(
      db,
      `SELECT type, from_status, to_status, actor, message_id, detail, at FROM conversation_events
       WHERE conversation_id = ? ORDER BY id`,
    ).all(threadId) as {
      type: string;
      from_status: ThreadStatus | null;
      to_status: ThreadStatus | null;
      actor: string | null;
      message_id: string | null;
      detail: string | null;
      at: number;
    }[]
  ).map((r) => ({
    type: r.type,
    from: r.from_status,
    to: r.to_status,
    actor: r.actor,
    messageId: r.message_id,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
    at: r.at,
  }));
}

export function threadFlags(db: Db, contact: string): AgentFlag[] {
  return openAgentFlagsOf(db, contact);
}
