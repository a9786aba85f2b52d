/**
 * The engine's keyword hook: runs inside the inbound ingest transaction (src/store/inbox.ts), so no
 * send can slip between a STOP and the suppression it creates (architecture §2.3 Conversational).
 *
 * - opt-out keyword: withdraw consents + suppress (business-wide), cancel what is still queued for
 *   the contact, enqueue ONE confirmation (transactional: functional messages have no sending
 *   window, af2m 2026). A STOP from a contact already opted out changes nothing and sends nothing.
 * - opt-in keyword: lift the suppression, restore what the STOP withdrew, confirm. No-op otherwise.
 * - help keyword: the configured answer (business name, contact, how to stop), at most once per
 *   `helpIntervalMs` per contact so that two auto-responders cannot ping-pong.
 * - intent-optout: an agent flag with a deadline; no automatic opt-out (ecosystem §6.2).
 *
 * How the confirmation passes the block: it is enqueued in the same transaction (a savepoint, see
 * enqueue-in-tx.ts) and its id is written to `compliance_exempt` there too. The enqueue-time policy
 * never sees it (it does not go through CompliantSender) and the dispatch-time check lets exempt ids
 * through. Enqueueing after the commit instead would open a window in which a crash loses the
 * confirmation while the opt-out stands.
 * Webhook events `contact.opted_out`, `contact.opted_in`, `contact.flagged` are outbox rows of the
 * same transaction; the first two are also bus events, emitted after the commit.
 *
 * Conversation threads (threads.ts) move in this same transaction, so a thread never lags behind
 * the message that moved it. The rule for keywords: STOP/START/HELP are answered automatically, so
 * they are noted on an existing thread's timeline (the message itself is in its history) but they
 * neither open a thread nor reopen a resolved one: no agent has anything to do. Every other message
 * from a number that can be answered opens or reopens the thread, or returns a pending one to open;
 * so does a free-text opt-out wish, which also raises an agent flag that shows on the thread.
 */
import type { InboundMessage, KeywordHook } from "../store/inbox.js";
import { stmt, type Tx, writeOutbox } from "../store/tx.js";
import { cancelPendingFor } from "./cancel.js";
import { optIn, optOut } from "./consent.js";
import { touchContact } from "./contacts.js";
import type { EnqueueInTx } from "./enqueue-in-tx.js";
import {
  type Classification,
  type Classifier,
  createClassifier,
  DEFAULT_LISTS,
  type KeywordLists,
} from "./keywords.js";
import { noteKeyword, openOrReopenOnInbound } from "./threads.js";

export interface KeywordReplies {
  /** `{business}` and `{contact}` are replaced. */
  readonly optout: string;
  readonly optin: string;
  readonly help: string;
}

/** GSM 7-bit only (é is in the default alphabet, ê is not): each reply is one 160-character part. */
export const FRENCH_REPLIES: KeywordReplies = {
  optout: "{business} : vous ne recevrez plus de SMS de notre part. Répondez START pour vous réabonner.",
  optin: "{business} : votre abonnement aux SMS est rétabli. Répondez STOP pour ne plus en recevoir.",
  help: "{business} : {contact}. Répondez STOP pour ne plus recevoir de SMS.",
};

export interface HookConfig {
  readonly businessName: string;
  /** How to reach the business (phone, e-mail, address), for the HELP answer. */
  readonly businessContact: string;
  readonly lists?: KeywordLists;
  readonly replies?: Partial<KeywordReplies>;
  /** Deadline for an agent to handle a free-text opt-out wish, default 24 h. */
  readonly agentDeadlineMs?: number;
  /** Minimum time between two HELP answers to one contact, default 10 min. */
  readonly helpIntervalMs?: number;
}

export interface HookDeps {
  readonly enqueueInTx: EnqueueInTx;
  /** Wakes the send loop (engine.wake); safe inside the transaction: workers resume after it. */
  readonly wake?: () => void;
}

export type ExemptReason = "optout-confirmation" | "optin-confirmation" | "help-reply";

type Replied =
  | { readonly confirmationId: string }
  | { readonly confirmationId: null; readonly confirmationError: string };

export function createKeywordHook(cfg: HookConfig, deps: HookDeps): KeywordHook {
  const classifier: Classifier = createClassifier(cfg.lists ?? DEFAULT_LISTS);
  const replies = { ...FRENCH_REPLIES, ...cfg.replies };
  const deadline = cfg.agentDeadlineMs ?? 24 * 3_600_000;
  const helpInterval = cfg.helpIntervalMs ?? 10 * 60_000;
  const fill = (t: string) =>
    t.replaceAll("{business}", cfg.businessName).replaceAll("{contact}", cfg.businessContact);

  /**
   * Enqueues a keyword reply in a savepoint. A reply the engine refuses (a number it cannot send
   * to) must not roll back the ingest: the inbound message and the opt-out matter more than the
   * confirmation, and a rolled-back ingest would leave the PDU on the SIM to be read again forever.
   */
  const reply = (tx: Tx, to: string, text: string, reason: ExemptReason): Replied => {
    try {
      const r = deps.enqueueInTx(tx, { to, text: fill(text), category: "transactional" });
      stmt(
        tx.db,
        "INSERT INTO compliance_exempt (message_id, contact, reason, created_at) VALUES (?, ?, ?, ?)",
      ).run(r.id, to, reason, tx.at);
      deps.wake?.();
      return { confirmationId: r.id };
    } catch (e) {
      return { confirmationId: null, confirmationError: e instanceof Error ? e.message : String(e) };
    }
  };

  const keywordAction = (tx: Tx, m: InboundMessage, c: Classification): void => {
    const via = { source: "sms-keyword" as const, inboundMessageId: m.id };
    switch (c.kind) {
      case "optout": {
        const r = optOut(tx, m.from, { ...via, keyword: c.keyword });
        if (!r.changed) return;
        const canceled = cancelPendingFor(tx, m.from);
        const replied = reply(tx, m.from, replies.optout, "optout-confirmation");
        writeOutbox(
          tx,
          "contact.opted_out",
          {
            contact: m.from,
            at: tx.at,
            keyword: c.keyword,
            inboundMessageId: m.id,
            purposes: r.purposes,
            canceled,
            ...replied,
          },
          m.from,
        );
        tx.emit("contact.opted_out", {
          contact: m.from,
          keyword: c.keyword,
          inboundMessageId: m.id,
          at: tx.at,
        });
        return;
      }
      case "optin": {
        const r = optIn(tx, m.from, { ...via, keyword: c.keyword });
        if (!r.changed) return;
        const replied = reply(tx, m.from, replies.optin, "optin-confirmation");
        writeOutbox(
          tx,
          "contact.opted_in",
          {
            contact: m.from,
            at: tx.at,
            keyword: c.keyword,
            inboundMessageId: m.id,
            purposes: r.purposes,
            ...replied,
          },
          m.from,
        );
        tx.emit("contact.opted_in", {
          contact: m.from,
          keyword: c.keyword,
          inboundMessageId: m.id,
          at: tx.at,
        });
        return;
      }
      case "help": {
        const recent = stmt(
          tx.db,
          "SELECT 1 FROM compliance_exempt WHERE contact = ? AND reason = 'help-reply' AND created_at > ?",
        ).get(m.from, tx.at - helpInterval);
        if (!recent) reply(tx, m.from, replies.help, "help-reply");
        return;
      }
      case "intent-optout": {
        const dueAt = tx.at + deadline;
        stmt(
          tx.db,
          `INSERT INTO agent_flags (contact, inbound_message_id, reason, detail, due_at, created_at)
           VALUES (?, ?, 'intent-optout', ?, ?, ?)`,
        ).run(m.from, m.id, c.phrase, dueAt, tx.at);
        writeOutbox(
          tx,
          "contact.flagged",
          {
            contact: m.from,
            at: tx.at,
            reason: "intent-optout",
            phrase: c.phrase,
            inboundMessageId: m.id,
            dueAt,
          },
          m.from,
        );
        return;
      }
      case "none":
        return;
    }
  };

  return (tx, m) => {
    // Alphanumeric senders and short codes cannot be answered nor opted out.
    if (!/^\+\d{6,15}$/.test(m.from)) return;
    touchContact(tx, m.from, "inbound");
    // A keyword is one short part; a partial long text is never one.
    const c: Classification = m.partial ? { kind: "none" } : classifier.classify(m.text);
    keywordAction(tx, m, c);
    threadStep(tx, () => {
      if (c.kind === "optout" || c.kind === "optin" || c.kind === "help")
        noteKeyword(tx, { contact: m.from, messageId: m.id, keyword: c.keyword, kind: c.kind });
      else openOrReopenOnInbound(tx, { contact: m.from, modemId: m.modemId, messageId: m.id });
    });
  };
}

/**
 * The thread update runs in a savepoint whose failure does not fail the ingest, for the reason the
 * keyword replies do: a rolled-back ingest leaves the PDU on the SIM, read again and refused forever.
 * The message stays in the history (read from inbound_messages); the next inbound moves the thread.
 */
function threadStep(tx: Tx, fn: () => void): void {
  try {
    tx.db.transaction(fn)();
  } catch {
    /* the inbound message matters more than the thread's bookkeeping */
  }
}

export interface AgentFlag {
  readonly id: number;
  readonly contact: string;
  readonly inboundMessageId: string;
  readonly reason: string;
  readonly detail: string | null;
  readonly dueAt: number;
  readonly createdAt: number;
}

/** Open agent flags, the most urgent first. */
export function openAgentFlags(db: Tx["db"]): AgentFlag[] {
  return (
    stmt(
      db,
      `SELECT id, contact, inbound_message_id AS inboundMessageId, reason, detail, due_at AS dueAt,
         created_at AS createdAt FROM agent_flags WHERE resolved_at IS NULL ORDER BY due_at, id`,
    ).all() as AgentFlag[]
  ).map((f) => ({ ...f }));
}

/** Open agent flags of one contact, the most urgent first (shown on the conversation thread). */
export function openAgentFlagsOf(db: Tx["db"], contact: string): AgentFlag[] {
  return (
    stmt(
      db,
      `SELECT id, contact, inbound_message_id AS inboundMessageId, reason, detail, due_at AS dueAt,
         created_at AS createdAt FROM agent_flags WHERE contact = ? AND resolved_at IS NULL ORDER BY due_at, id`,
    ).all(contact) as AgentFlag[]
  ).map((f) => ({ ...f }));
}

export function resolveAgentFlag(db: Tx["db"], id: number, at: number): boolean {
  return (
    stmt(db, "UPDATE agent_flags SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL").run(at, id)
      .changes > 0
  );
}
