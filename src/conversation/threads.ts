/**
 * Conversation threads: one per contact (E.164), both directions, stuck to the SIM the customer
 * writes to. Store functions run inside the caller's transaction (store Tx): the inbound side inside
 * the ingest transaction (hook.ts), the agent side inside the service's (conversations-service.ts),
 * so a thread never disagrees with the messages that moved it.
 *
 * Statuses and who moves them (docs/conversations.md):
 *
 *   (none) ──inbound──► open ──agent reply──► pending ──inbound──► open
 *                        │  ▲                   │
 *                        │  └──────reopen───┐   │
 *                        └──resolve──► resolved ◄┘   resolved ──inbound──► open (reopen_count + 1)
 *
 * Every change appends a `conversation_events` row, writes a webhook outbox row (same transaction)
 * and queues a bus event that the store emits after the commit (src/store/tx.ts).
 */
import type { ConversationChange } from "../events.js";
import { stmt, type Tx, writeOutbox } from "../store/tx.js";

export type ThreadStatus = "open" | "pending" | "resolved";
export type ContextValue = string | number | boolean;

export interface Thread {
  readonly id: string;
  /** E.164. */
  readonly contact: string;
  readonly status: ThreadStatus;
  readonly assignedAgent: string | null;
  /** Engine modem id of the SIM the customer last wrote to; null until an inbound message. */
  readonly modem: string | null;
  readonly context: Readonly<Record<string, ContextValue>>;
  /** ms since epoch, like every time below. */
  readonly createdAt: number;
  /** Start of the current cycle (first inbound, or the last reopening). */
  readonly openedAt: number;
  readonly lastInboundAt: number | null;
  readonly lastOutboundAt: number | null;
  readonly lastActivityAt: number;
  /** First agent reply of the current cycle (first response time = this − openedAt). */
  readonly firstResponseAt: number | null;
  readonly resolvedAt: number | null;
  readonly reopenCount: number;
  readonly updatedAt: number;
}

interface Row {
  id: string;
  contact: string;
  status: ThreadStatus;
  assigned_agent: string | null;
  modem: string | null;
  context: string;
  created_at: number;
  opened_at: number;
  last_inbound_at: number | null;
  last_outbound_at: number | null;
  last_activity_at: number;
  first_response_at: number | null;
  resolved_at: number | null;
  reopen_count: number;
  updated_at: number;
}

export const threadFromRow = (r: Row): Thread => ({
  id: r.id,
  contact: r.contact,
  status: r.status,
  assignedAgent: r.assigned_agent,
  modem: r.modem,
  context: JSON.parse(r.context) as Record<string, ContextValue>,
  createdAt: r.created_at,
  openedAt: r.opened_at,
  lastInboundAt: r.last_inbound_at,
  lastOutboundAt: r.last_outbound_at,
  lastActivityAt: r.last_activity_at,
  firstResponseAt: r.first_response_at,
  resolvedAt: r.resolved_at,
  reopenCount: r.reopen_count,
  updatedAt: r.updated_at,
});

export type ConversationErrorCode = "not_found" | "invalid_transition" | "invalid";

export class ConversationError extends Error {
  override readonly name = "ConversationError";
  constructor(
    readonly code: ConversationErrorCode,
    message: string,
    /** Request field the error is about, for `invalid`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export const isConversationError = (e: unknown): e is ConversationError => e instanceof ConversationError;

export function getThread(tx: Pick<Tx, "db">, id: string): Thread | undefined {
  const r = stmt(tx.db, "SELECT * FROM conversations WHERE id = ?").get(id) as Row | undefined;
  return r && threadFromRow(r);
}

export function threadOfContact(tx: Pick<Tx, "db">, contact: string): Thread | undefined {
  const r = stmt(tx.db, "SELECT * FROM conversations WHERE contact = ?").get(contact) as Row | undefined;
  return r && threadFromRow(r);
}

export function mustThread(tx: Pick<Tx, "db">, id: string): Thread {
  const t = getThread(tx, id);
  if (!t) throw new ConversationError("not_found", "No conversation with this id");
  return t;
}

export interface TimelineEntry {
  readonly type: string;
  readonly from?: ThreadStatus | null;
  readonly to?: ThreadStatus | null;
  /** "customer", "agent:<name>", "system". */
  readonly actor: string;
  readonly messageId?: string | null;
  readonly detail?: Readonly<Record<string, unknown>> | null;
}

/** Appends a timeline row only (no webhook): keyword notes, status-neutral facts. */
export function appendEvent(tx: Tx, threadId: string, e: TimelineEntry): void {
  stmt(
    tx.db,
    `INSERT INTO conversation_events (conversation_id, type, from_status, to_status, actor, message_id, detail, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    threadId,
    e.type,
    e.from ?? null,
    e.to ?? null,
    e.actor,
    e.messageId ?? null,
    e.detail ? JSON.stringify(e.detail) : null,
    tx.at,
  );
}

/**
 * A change: timeline row + webhook outbox row `conversation.<change>` (contact_key = the contact, so
 * a receiver gets one contact's events in order) + the bus event after the commit.
 */
export function announce(
  tx: Tx,
  t: Thread,
  change: ConversationChange,
  e: TimelineEntry,
  extra: Readonly<Record<string, unknown>> = {},
): void {
  appendEvent(tx, t.id, e);
  const previousStatus = e.from ?? null;
  writeOutbox(
    tx,
    `conversation.${change}`,
    {
      id: t.id,
      contact: t.contact,
      status: t.status,
      previousStatus,
      assignedAgent: t.assignedAgent,
      modemId: t.modem,
      actor: e.actor,
      at: tx.at,
      ...(e.messageId ? { messageId: e.messageId } : {}),
      ...extra,
    },
    t.contact,
  );
  tx.emit(`conversation.${change}`, {
    id: t.id,
    contact: t.contact,
    change,
    status: t.status,
    previousStatus,
    assignedAgent: t.assignedAgent,
    actor: e.actor,
    at: tx.at,
  });
}

export const agentActor = (agent: string | null | undefined): string => (agent ? `agent:${agent}` : "agent");

export type InboundEffect = "opened" | "reopened" | "returned" | "none";

/**
 * An inbound message that needs a person: opens the thread (first message), reopens it (resolved),
 * returns it to `open` (pending: the customer answered). The SIM it arrived on becomes the thread's.
 * The assigned agent is kept on reopening: the same person already knows the case.
 */
export function openOrReopenOnInbound(
  tx: Tx,
  m: { readonly contact: string; readonly modemId: string; readonly messageId: string },
): { readonly thread: Thread; readonly effect: InboundEffect } {
  const cur = threadOfContact(tx, m.contact);
  const customer = { actor: "customer", messageId: m.messageId };
  if (!cur) {
    stmt(
      tx.db,
      `INSERT INTO conversations (id, contact, status, modem, created_at, opened_at, last_inbound_at,
         last_activity_at, updated_at) VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?)`,
    ).run(tx.ids(tx.at), m.contact, m.modemId, tx.at, tx.at, tx.at, tx.at, tx.at);
    const thread = threadOfContact(tx, m.contact)!;
    announce(tx, thread, "opened", { type: "opened", from: null, to: "open", ...customer });
    return { thread, effect: "opened" };
  }
  const reopen = cur.status === "resolved";
  stmt(
    tx.db,
    `UPDATE conversations SET status = 'open', modem = @modem, last_inbound_at = @at, last_activity_at = @at,
       updated_at = @at, opened_at = CASE WHEN @reopen = 1 THEN @at ELSE opened_at END,
       first_response_at = CASE WHEN @reopen = 1 THEN NULL ELSE first_response_at END,
       resolved_at = CASE WHEN @reopen = 1 THEN NULL ELSE resolved_at END,
       reopen_count = reopen_count + @reopen
     WHERE id = @id`,
  ).run({ modem: m.modemId, at: tx.at, reopen: reopen ? 1 : 0, id: cur.id });
  const thread = getThread(tx, cur.id)!;
  if (reopen) {
    announce(tx, thread, "reopened", { type: "reopened", from: cur.status, to: "open", ...customer });
    return { thread, effect: "reopened" };
  }
  if (cur.status === "pending") {
    announce(
      tx,
      thread,
      "updated",
      { type: "customer-replied", from: "pending", to: "open", ...customer },
      { change: "customer-replied" },
    );
    return { thread, effect: "returned" };
  }
  return { thread, effect: "none" };
}

/**
 * STOP/START/HELP: answered automatically, so they are noted on an existing thread's timeline (the
 * message itself is in the history) but move nothing and open nothing: no agent has to act.
 */
export function noteKeyword(
  tx: Tx,
  m: {
    readonly contact: string;
    readonly messageId: string;
    readonly keyword: string;
    readonly kind: string;
  },
): void {
  const t = threadOfContact(tx, m.contact);
  if (!t) return;
  appendEvent(tx, t.id, {
    type: "keyword",
    actor: "customer",
    messageId: m.messageId,
    detail: { kind: m.kind, keyword: m.keyword },
  });
}

/**
 * An agent's reply, enqueued in the same transaction: open → pending (waiting for the customer),
 * pending stays pending. A resolved thread must be reopened first (409): a reply would otherwise
 * leave a resolved thread with a question in flight and no one watching it.
 */
export function recordOutbound(
  tx: Tx,
  t: Thread,
  m: {
    readonly messageId: string;
    readonly agent: string | null;
    readonly detail?: Readonly<Record<string, unknown>>;
  },
): Thread {
  assertReplyable(t);
  stmt(
    tx.db,
    `UPDATE conversations SET status = 'pending', last_outbound_at = @at, last_activity_at = @at, updated_at = @at,
       first_response_at = COALESCE(first_response_at, @at) WHERE id = @id`,
  ).run({ at: tx.at, id: t.id });
  const next = getThread(tx, t.id)!;
  const first = t.firstResponseAt === null;
  const firstResponse = first ? { firstResponseMs: tx.at - t.openedAt } : {};
  announce(
    tx,
    next,
    "updated",
    {
      type: "replied",
      from: t.status,
      to: "pending",
      actor: agentActor(m.agent),
      messageId: m.messageId,
      // The first response time stays on the timeline for the KPIs (threads-stats.ts).
      detail: { ...m.detail, ...firstResponse },
    },
    { change: "replied", ...firstResponse },
  );
  return next;
}

export function assertReplyable(t: Thread): void {
  if (t.status === "resolved")
    throw new ConversationError(
      "invalid_transition",
      "The conversation is resolved; reopen it before replying",
    );
}
