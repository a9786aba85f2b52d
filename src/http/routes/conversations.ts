/**
 * /v1/conversations: the agents' inbox. List and filter threads, read one (both directions'
 * messages, open agent flags, timeline), reply, assign, resolve, reopen, edit the context.
 * GETs need scope `read`; every change needs `send` (it speaks to, or on behalf of, the customer).
 * When the body names no agent, the API key's name is recorded as the actor.
 *
 * Refusals: unknown id 404; a transition the thread does not have (reply to a resolved thread,
 * reopen an open one, resolve with open agent flags) 409 `conflict`; a reply refused by the
 * compliance policy gets the same problem types as POST /v1/messages (recipient-opted-out 403…).
 */
import { type Context, Hono } from "hono";
import type { ZodType, z } from "zod";
import type {
  ConversationDetail,
  ConversationsService,
  ReplyResult,
  ThreadFilter,
  ThreadSummary,
} from "../../conversation/conversations-service.js";
import { isComplianceError } from "../../conversation/policy.js";
import { isConversationError } from "../../conversation/threads.js";
import { isEngineError } from "../../engine/errors.js";
import { type AuthVariables, requireScope } from "../auth.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import { PROBLEM_TYPES, ProblemError, type ProblemType, validationProblem } from "../problems.js";
import { jsonBody, queryObject, toIso, validate } from "../request.js";
import {
  AssignRequest,
  ContextPatch,
  GetConversationQuery,
  ListConversationsQuery,
  ReopenRequest,
  ReplyRequest,
  ResolveRequest,
  StatsQuery,
} from "../schemas-conversations.js";

type Env = { Variables: AuthVariables };

// Thread ids are the store's ULIDs; anything else cannot exist, so it is a 404 up front.
const ID_RE = /^[0-9A-Z]{26}$/;

/** Maps the conversation layer's typed errors to problem documents; anything else is rethrown. */
export function conversationProblem(e: unknown): ProblemError {
  if (e instanceof ProblemError) return e;
  if (isConversationError(e)) {
    if (e.code === "not_found") return new ProblemError("not-found", e.message);
    if (e.code === "invalid_transition") return new ProblemError("conflict", e.message);
    if (e.field === "cursor") return new ProblemError("invalid-cursor", e.message);
    return validationProblem([{ field: e.field ?? "", message: e.message }]);
  }
  if (isComplianceError(e)) {
    // The same types as POST /v1/messages (src/http/adapters.ts): clients switch on them.
    if (e.problem === "opted-out") return new ProblemError("recipient-opted-out", e.message);
    if (Object.hasOwn(PROBLEM_TYPES, e.problem)) return new ProblemError(e.problem as ProblemType, e.message);
    return validationProblem([{ field: "category", message: e.message }]);
  }
  if (isEngineError(e)) {
    const field = (e.context as { field?: string } | undefined)?.field ?? "";
    if (e.code === "invalid_number" || e.code === "invalid_request")
      return validationProblem([{ field, message: e.message }]);
    return new ProblemError("conflict", e.message);
  }
  throw e;
}

function run<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw conversationProblem(e);
  }
}

function threadId(c: Context): string {
  const id = c.req.param("id") ?? "";
  if (!ID_RE.test(id)) throw new ProblemError("not-found", "No conversation with this id");
  return id;
}

/** POSTs whose body is optional: no body (or an empty one) is `{}`. */
async function optionalBody<S extends ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text(); // hono caches the body: jsonBody reads it again
  return text.trim() === "" ? validate(schema, {}) : jsonBody(c, schema);
}

const keyName = (c: Context<Env>) => c.get("principal")?.name;

export function conversationsRoutes(svc: ConversationsService) {
  const app = new Hono<Env>();

  app.get("/", requireScope("read"), (c) => {
    const q = validate(ListConversationsQuery, queryObject(c));
    const contact =
      q.contact === undefined
        ? undefined
        : run(() => {
            try {
              return svc.contactKey(q.contact!);
            } catch (e) {
              if (isEngineError(e)) throw validationProblem([{ field: "contact", message: e.message }]);
              throw e;
            }
          });
    const filter: ThreadFilter = {
      ...(q.status && { status: q.status }),
      ...(q.assigned !== undefined && { assigned: q.assigned }),
      ...(q.unassigned && { unassigned: true }),
      ...(q.flagged && { flagged: true }),
      ...(contact !== undefined && { contact }),
      ...(q.q !== undefined && { q: q.q }),
    };
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, filter);
    const page = run(() => svc.list(filter, { limit: q.limit, ...(after !== undefined && { after }) }));
    let next: string | null = null;
    if (page.next !== undefined) {
      const params = new URLSearchParams(new URL(c.req.url).search);
      params.set("cursor", encodeCursor(page.next, filter));
      params.set("limit", String(q.limit));
      next = `/v1/conversations?${params.toString()}`;
      c.header("Link", `<${next}>; rel="next"`);
    }
    return c.json({ items: page.items.map(conversationJson), next });
  });

  // Before /:id, which would take "stats" for an id.
  app.get("/stats", requireScope("read"), (c) => {
    const q = validate(StatsQuery, queryObject(c));
    const st = run(() =>
      svc.stats({
        ...(q.since && { since: Date.parse(q.since) }),
        ...(q.until && { until: Date.parse(q.until) }),
      }),
    );
    return c.json({ ...st, since: toIso(st.since), until: toIso(st.until) });
  });

  app.get("/:id", requireScope("read"), (c) => {
    const id = threadId(c);
    const q = validate(GetConversationQuery, queryObject(c));
    const d = run(() => svc.get(id, { messages: q.messages }));
    if (!d) throw new ProblemError("not-found", "No conversation with this id");
    return c.json(detailJson(d));
  });

  app.post("/:id/messages", requireScope("send"), async (c) => {
    const id = threadId(c);
    const b = await jsonBody(c, ReplyRequest);
    const agent = b.agent ?? keyName(c);
    const r = run(() =>
      svc.reply(id, {
        text: b.text,
        ...(agent !== undefined && { agent }),
        ...(b.smart !== undefined && { smart: b.smart }),
      }),
    );
    c.header("Location", `/v1/messages/${encodeURIComponent(r.id)}`);
    return c.json(replyJson(r), 202);
  });

  app.post("/:id/assign", requireScope("send"), async (c) => {
    const id = threadId(c);
    const b = await jsonBody(c, AssignRequest);
    return c.json(conversationJson(run(() => svc.assign(id, b.agent, b.by ?? keyName(c)))));
  });

  app.post("/:id/resolve", requireScope("send"), async (c) => {
    const id = threadId(c);
    const b = await optionalBody(c, ResolveRequest);
    const agent = b.agent ?? keyName(c);
    return c.json(
      conversationJson(
        run(() =>
          svc.resolve(id, {
            ...(agent !== undefined && { agent }),
            ...(b.flagsHandled !== undefined && { flagsHandled: b.flagsHandled }),
          }),
        ),
      ),
    );
  });

  app.post("/:id/reopen", requireScope("send"), async (c) => {
    const id = threadId(c);
    const b = await optionalBody(c, ReopenRequest);
    return c.json(conversationJson(run(() => svc.reopen(id, b.agent ?? keyName(c)))));
  });

  app.patch("/:id/context", requireScope("send"), async (c) => {
    const id = threadId(c);
    const b = await jsonBody(c, ContextPatch);
    return c.json(conversationJson(run(() => svc.setContext(id, b.fields, b.agent ?? keyName(c)))));
  });

  return app;
}

export function conversationJson(t: ThreadSummary) {
  return {
    id: t.id,
    contact: t.contact,
    contactName: t.contactName,
    status: t.status,
    assignedAgent: t.assignedAgent,
    modem: t.modem,
    context: t.context,
    flagged: t.openFlags > 0,
    openFlags: t.openFlags,
    optedOut: t.optedOut,
    createdAt: toIso(t.createdAt),
    openedAt: toIso(t.openedAt),
    lastInboundAt: toIso(t.lastInboundAt),
    lastOutboundAt: toIso(t.lastOutboundAt),
    lastActivityAt: toIso(t.lastActivityAt),
    firstResponseAt: toIso(t.firstResponseAt),
    // The article's first KPI (FRT), for the current cycle.
    firstResponseSeconds: t.firstResponseAt === null ? null : (t.firstResponseAt - t.openedAt) / 1000,
    resolvedAt: toIso(t.resolvedAt),
    reopenCount: t.reopenCount,
    updatedAt: toIso(t.updatedAt),
  };
}

function detailJson(d: ConversationDetail) {
  return {
    conversation: conversationJson(d.thread),
    contact: d.contact && {
      name: d.contact.name,
      timeZone: d.contact.timeZone,
      fields: d.contact.fields,
      tags: d.contact.tags,
    },
    messages: d.messages.map((m) => ({ ...m, at: toIso(m.at) })),
    flags: d.flags.map((f) => ({
      id: f.id,
      reason: f.reason,
      detail: f.detail,
      inboundMessageId: f.inboundMessageId,
      dueAt: toIso(f.dueAt),
      createdAt: toIso(f.createdAt),
    })),
    timeline: d.timeline.map((e) => ({ ...e, at: toIso(e.at) })),
  };
}

function replyJson(r: ReplyResult) {
  return {
    id: r.id,
    status: r.status,
    coding: r.coding,
    parts: r.parts,
    sendAt: toIso(r.sendAt),
    conversation: conversationJson(r.thread),
  };
}
