/**
 * The conversations service behind /v1/conversations: threads (threads*.ts) on the gateway's
 * database, and agent replies that go through the same compliance policy as /v1/messages.
 *
 * A reply is ONE transaction: the thread's state is checked, the compliance policy decides
 * (CompliantSender.preview: an opted-out contact is refused with the same ComplianceError), the
 * message is enqueued (a savepoint, as the keyword replies are: enqueue-in-tx.ts) and the thread
 * moves to pending with its webhook row. Nothing is left half done by a crash, and the bus events of
 * the enqueue are emitted after that commit (src/store/tx.ts).
 *
 * The reply is category `conversational` (the customer wrote first: ecosystem §4.3) and is pinned
 * to the SIM the customer wrote to when that modem is known and enabled: the customer answers the
 * number they see, and a reply from another SIM would start a second SMS thread on their phone. A
 * disabled SIM is not pinned to (the message would wait forever); the sticky route then applies.
 *
 * Errors: ConversationError (not_found, invalid_transition, invalid), ComplianceError (policy.ts),
 * EngineError (engine/errors.ts); the HTTP routes map them to problem types.
 */
import { type Clock, systemClock } from "../clock.js";
import type { Engine, EnqueueRequest, EnqueueResult } from "../engine/index.js";
import type { EventBus, GatewayEvents } from "../events.js";
import { encodeSubmit } from "../pdu/index.js";
import { enqueueMessage } from "../queue/enqueue.js";
import type { Db } from "../store/db.js";
import { createIdFactory, type IdFactory } from "../store/ids.js";
import { deferTo, runTx, type StoreDeps, stmt, type Tx } from "../store/tx.js";
import { CompliantSender } from "./compliant-sender.js";
import { type Contact, getContact } from "./contacts.js";
import type { AgentFlag } from "./hook.js";
import {
  agentActor,
  assertReplyable,
  type ContextValue,
  ConversationError,
  mustThread,
  recordOutbound,
} from "./threads.js";
import { assign, type ResolveOptions, reopen, resolve, setContext } from "./threads-actions.js";
import {
  type HistoryItem,
  listThreads,
  type ThreadFilter,
  type ThreadSummary,
  type TimelineView,
  threadFlags,
  threadHistory,
  threadSummary,
  threadTimeline,
} from "./threads-query.js";
import { type ThreadStats, threadStats } from "./threads-stats.js";

export type { HistoryItem, ThreadFilter, ThreadStats, ThreadSummary, TimelineView };

export interface ConversationDetail {
  readonly thread: ThreadSummary;
  readonly contact: Contact | null;
  /** Both directions, oldest first (the last `messages` of them). */
  readonly messages: readonly HistoryItem[];
  readonly flags: readonly AgentFlag[];
  readonly timeline: readonly TimelineView[];
}

export interface ReplyRequest {
  readonly text: string;
  /** Who answers: recorded as the author and as who set the category. */
  readonly agent?: string;
  readonly smart?: boolean;
}

export interface ReplyResult extends EnqueueResult {
  readonly sendAt: number | null;
  readonly thread: ThreadSummary;
}

export interface ConversationsService {
  list(
    filter: ThreadFilter,
    page: { readonly limit: number; readonly after?: string },
  ): { items: ThreadSummary[]; next?: string };
  get(id: string, opts?: { readonly messages?: number }): ConversationDetail | undefined;
  reply(id: string, r: ReplyRequest): ReplyResult;
  assign(id: string, agent: string | null, by?: string): ThreadSummary;
  resolve(id: string, o?: ResolveOptions): ThreadSummary;
  reopen(id: string, agent?: string): ThreadSummary;
  setContext(
    id: string,
    fields: Readonly<Record<string, ContextValue | null>>,
    agent?: string,
  ): ThreadSummary;
  /** KPIs over [since, until) in ms, default the last 7 days; see threads-stats.ts. */
  stats(window?: { readonly since?: number; readonly until?: number }): ThreadStats;
  /** A number as typed by a user ("06 12 34 56 78") → the E.164 the threads are keyed by; throws EngineError. */
  contactKey(input: string): string;
}

/** How the service sends: the compliance verdict, the in-transaction enqueue, the worker wake-up. */
export interface ReplyPort {
  /** Throws ComplianceError when refused; returns the text as it will be sent and the earliest send time. */
  plan(req: EnqueueRequest): { readonly text: string; readonly sendAt: number | null };
  enqueue(tx: Tx, req: EnqueueRequest): EnqueueResult;
  wake(): void;
  recipient(input: string): string;
}

type EnginePort = Pick<Engine, "db" | "cfg" | "compliance" | "recipient" | "enqueue" | "wake">;

/** The engine's rules: CompliantSender when it has a compliance configuration, as defaultSend does. */
export function engineReplyPort(engine: EnginePort): ReplyPort {
  const sender = engine.compliance ? new CompliantSender(engine, engine.compliance) : null;
  const virtualNumbers = new Set(engine.cfg.virtualNumbers);
  return {
    plan: (req) => {
      if (!sender) return { text: req.text, sendAt: null };
      const p = sender.preview(req);
      return { text: p.text, sendAt: p.sendAt };
    },
    enqueue: (tx, req) =>
      enqueueMessage(deferTo(tx), { encodeSubmit }, req, {
        defaultCountry: engine.cfg.defaultCountry,
        virtualNumbers,
        knownModem: (id) => stmt(tx.db, "SELECT 1 FROM modems WHERE id = ?").get(id) !== undefined,
      }),
    wake: () => engine.wake(),
    recipient: (input) => engine.recipient(input),
  };
}

export interface ServiceOptions {
  readonly db: Db;
  readonly bus: EventBus<GatewayEvents>;
  readonly port: ReplyPort;
  readonly clock?: Clock;
  readonly ids?: IdFactory;
  /** The default number of messages of one thread's detail, 100 (at most MAX_HISTORY). */
  readonly historyLimit?: number;
  /** Engine modem id → configured name, for what the service returns (identity by default). */
  readonly modemName?: (id: string) => string;
}

export const MAX_HISTORY = 500;

export function createConversationsService(o: ServiceOptions): ConversationsService {
  const clock = o.clock ?? systemClock;
  const store: StoreDeps = { db: o.db, bus: o.bus, ids: o.ids ?? createIdFactory(), now: () => clock.now() };
  const nameOf = o.modemName ?? ((id: string) => id);
  const named = <T extends { readonly modem: string | null }>(x: T): T =>
    x.modem === null ? x : { ...x, modem: nameOf(x.modem) };
  const view = (tx: Tx, id: string) => named(threadSummary(tx.db, id)!);
  const act = (fn: (tx: Tx) => { id: string }) => runTx(store, (tx) => view(tx, fn(tx).id));
  return {
    list: (filter, page) =>
      runTx(store, (tx) => {
        const r = listThreads(tx.db, filter, page);
        return { ...r, items: r.items.map(named) };
      }),
    get(id, opts = {}) {
      return runTx(store, (tx) => {
        const thread = threadSummary(tx.db, id);
        if (!thread) return undefined;
        const limit = Math.min(MAX_HISTORY, Math.max(1, opts.messages ?? o.historyLimit ?? 100));
        return {
          thread: named(thread),
          contact: getContact(tx, thread.contact) ?? null,
          messages: threadHistory(tx.db, thread.contact, limit).map(named),
          flags: threadFlags(tx.db, thread.contact),
          timeline: threadTimeline(tx.db, thread.id),
        };
      });
    },
    reply(id, r) {
      const result = runTx(store, (tx) => {
        const t = mustThread(tx, id);
        assertReplyable(t);
        const pin =
          t.modem !== null &&
          stmt(tx.db, "SELECT 1 FROM modems WHERE id = ? AND enabled = 1").get(t.modem) !== undefined;
        const req: EnqueueRequest = {
          to: t.contact,
          text: r.text,
          category: "conversational",
          // Issue #7: the category is recorded with who set it — the agent answering the thread.
          categorySource: r.agent ? `agent:${r.agent}` : "agent:unknown",
          ...(pin && t.modem !== null ? { modem: t.modem } : {}),
          ...(r.smart !== undefined ? { smart: r.smart } : {}),
        };
        const plan = o.port.plan(req);
        const sent = o.port.enqueue(tx, {
          ...req,
          text: plan.text,
          ...(plan.sendAt !== null ? { sendAt: plan.sendAt } : {}),
        });
        // Who set the category: the agent, through this endpoint (kept on the timeline row).
        recordOutbound(tx, t, {
          messageId: sent.id,
          agent: r.agent ?? null,
          detail: {
            category: "conversational",
            categorySetBy: agentActor(r.agent),
            pinnedModem: pin ? t.modem : null,
          },
        });
        return { ...sent, sendAt: plan.sendAt, thread: view(tx, t.id) };
      });
      o.port.wake();
      return result;
    },
    assign: (id, agent, by) => act((tx) => assign(tx, id, agent, by ?? null)),
    resolve: (id, opts) => act((tx) => resolve(tx, id, opts)),
    reopen: (id, agent) => act((tx) => reopen(tx, id, agent ?? null)),
    setContext: (id, fields, agent) => act((tx) => setContext(tx, id, fields, agent ?? null)),
    stats(w = {}) {
      // The window is [since, until): by default it ends just after now, so what happened now counts.
      const until = w.until ?? clock.now() + 1;
      const since = w.since ?? until - 7 * 86_400_000;
      if (since >= until) throw new ConversationError("invalid", "since must be earlier than until", "since");
      return runTx(store, (tx) => threadStats(tx.db, since, until));
    },
    contactKey: (input) => o.port.recipient(input),
  };
}
