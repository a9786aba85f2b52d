/**
 * Agent actions on a thread, each inside the caller's transaction: assign, resolve, reopen, context.
 * An action that changes nothing (same agent, already resolved, same context) writes nothing and is
 * answered with the thread as it is: a client retrying after a lost response gets the same result.
 * A transition the state machine does not have (threads.ts) is a ConversationError
 * "invalid_transition" (HTTP 409).
 */
import { stmt, type Tx } from "../store/tx.js";
import {
  agentActor,
  announce,
  type ContextValue,
  ConversationError,
  getThread,
  mustThread,
  type Thread,
} from "./threads.js";

/** Limits of the context object: it is a few references (order, shop, ticket), not a document store. */
export const CONTEXT_LIMITS = { keys: 50, keyLength: 64, valueLength: 500 } as const;

/** Sets (or with null clears) the agent in charge. */
export function assign(tx: Tx, id: string, agent: string | null, by?: string | null): Thread {
  const cur = mustThread(tx, id);
  if (cur.assignedAgent === agent) return cur;
  stmt(tx.db, "UPDATE conversations SET assigned_agent = ?, updated_at = ? WHERE id = ?").run(
    agent,
    tx.at,
    id,
  );
  const t = getThread(tx, id)!;
  announce(
    tx,
    t,
    "assigned",
    {
      type: agent === null ? "unassigned" : "assigned",
      actor: agentActor(by ?? agent),
      detail: { agent, previous: cur.assignedAgent },
    },
    { agent, previousAgent: cur.assignedAgent },
  );
  return t;
}

export interface ResolveOptions {
  readonly agent?: string | null;
  /**
   * The contact's open agent flags (a free-text opt-out wish, hook.ts) were handled: resolve them
   * with the thread. Without it a thread with open flags is not resolved (409): closing it would hide
   * a request the business must honour (FCC 2025 revocation rule, af2m "dans les plus brefs délais").
   */
  readonly flagsHandled?: boolean;
}

export function resolve(tx: Tx, id: string, o: ResolveOptions = {}): Thread {
  const cur = mustThread(tx, id);
  if (cur.status === "resolved") return cur;
  const flags = openFlagIds(tx, cur.contact);
  if (flags.length > 0 && !o.flagsHandled)
    throw new ConversationError(
      "invalid_transition",
      `The contact has ${flags.length} open agent flag(s) (e.g. a wish to stop receiving SMS); handle them and resolve with flagsHandled: true`,
    );
  for (const f of flags)
    stmt(tx.db, "UPDATE agent_flags SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL").run(tx.at, f);
  stmt(
    tx.db,
    "UPDATE conversations SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ?",
  ).run(tx.at, tx.at, id);
  const t = getThread(tx, id)!;
  // The KPI marks of the cycle that ends here: first response time, resolution time, reopenings.
  const kpi = {
    openedAt: cur.openedAt,
    firstResponseAt: cur.firstResponseAt,
    firstResponseMs: cur.firstResponseAt === null ? null : cur.firstResponseAt - cur.openedAt,
    resolutionMs: tx.at - cur.openedAt,
    reopenCount: cur.reopenCount,
  };
  announce(
    tx,
    t,
    "resolved",
    {
      type: "resolved",
      from: cur.status,
      to: "resolved",
      actor: agentActor(o.agent),
      detail: { ...kpi, ...(flags.length > 0 ? { flagsResolved: flags } : {}) },
    },
    { ...kpi, flagsResolved: flags.length },
  );
  return t;
}

/** resolved → open, by an agent (a follow-up the business owes); a new cycle starts. */
export function reopen(tx: Tx, id: string, agent?: string | null): Thread {
  const cur = mustThread(tx, id);
  if (cur.status !== "resolved")
    throw new ConversationError("invalid_transition", `The conversation is ${cur.status}, not resolved`);
  stmt(
    tx.db,
    `UPDATE conversations SET status = 'open', opened_at = @at, first_response_at = NULL, resolved_at = NULL,
       reopen_count = reopen_count + 1, updated_at = @at WHERE id = @id`,
  ).run({ at: tx.at, id });
  const t = getThread(tx, id)!;
  announce(tx, t, "reopened", { type: "reopened", from: "resolved", to: "open", actor: agentActor(agent) });
  return t;
}

/** Merges `fields` into the context; a null value removes the key. */
export function setContext(
  tx: Tx,
  id: string,
  fields: Readonly<Record<string, ContextValue | null>>,
  agent?: string | null,
): Thread {
  const cur = mustThread(tx, id);
  const next: Record<string, ContextValue> = { ...cur.context };
  const set: string[] = [];
  const removed: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    checkEntry(k, v);
    if (v === null) {
      if (Object.hasOwn(next, k)) removed.push(k);
      delete next[k];
    } else if (next[k] !== v) {
      next[k] = v;
      set.push(k);
    }
  }
  if (Object.keys(next).length > CONTEXT_LIMITS.keys)
    throw new ConversationError("invalid", `context holds at most ${CONTEXT_LIMITS.keys} keys`, "fields");
  if (set.length === 0 && removed.length === 0) return cur;
  stmt(tx.db, "UPDATE conversations SET context = ?, updated_at = ? WHERE id = ?").run(
    JSON.stringify(next),
    tx.at,
    id,
  );
  const t = getThread(tx, id)!;
  announce(
    tx,
    t,
    "updated",
    { type: "context", actor: agentActor(agent), detail: { set, removed } },
    { change: "context", context: t.context },
  );
  return t;
}

function checkEntry(k: string, v: unknown): void {
  if (k.length === 0 || k.length > CONTEXT_LIMITS.keyLength || k === "__proto__")
    throw new ConversationError(
      "invalid",
      `context keys are 1 to ${CONTEXT_LIMITS.keyLength} characters`,
      "fields",
    );
  const ok =
    v === null ||
    typeof v === "boolean" ||
    (typeof v === "number" && Number.isFinite(v)) ||
    (typeof v === "string" && v.length <= CONTEXT_LIMITS.valueLength);
  if (!ok)
    throw new ConversationError(
      "invalid",
      `fields.${k} must be null, a boolean, a finite number or a string of at most ${CONTEXT_LIMITS.valueLength} characters`,
      `fields.${k}`,
    );
}

function openFlagIds(tx: Tx, contact: string): number[] {
  return (
    stmt(tx.db, "SELECT id FROM agent_flags WHERE contact = ? AND resolved_at IS NULL ORDER BY id").all(
      contact,
    ) as { id: number }[]
  ).map((r) => r.id);
}
