/**
 * /v1/messages: send (single and batch), read, list with cursor pagination, cancel, resend.
 * Batch: `POST /v1/messages/batch` with `{messages: [...]}` (≤ 1000). Each item is validated and
 * accepted or refused on its own, all of them in one engine transaction (one commit); the response
 * lists a result per index. 202 when at least one item was accepted, 422 when none was.
 * Every message records who set its category (issue #7): `api-key:<name>` when the request named
 * it, `default` when it did not and the engine's transactional default applied.
 */
import { Hono } from "hono";
import type { z } from "zod";
import { type AuthVariables, type Principal, requireScope } from "../auth.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import type { BatchItem, MessageFilter, MessagesService, NewMessage } from "../deps.js";
import { toProblem } from "../errors.js";
import type { IdempotencyVariables } from "../idempotency.js";
import { ProblemError, problemBody, validationProblem } from "../problems.js";
import { issuesToFieldErrors, jsonBody, queryObject, readJson, validate } from "../request.js";
import { BatchRequest, ListMessagesQuery, SendMessageRequest } from "../schemas.js";
import { messageJson } from "../views.js";

const toNew = (m: SendMessageRequest, by: Principal | undefined, idempotencyKey?: string): NewMessage => ({
  ...(idempotencyKey !== undefined && { idempotencyKey }),
  to: m.to,
  text: m.text,
  ...(m.category !== undefined && { category: m.category }),
  // requireScope ran first, so a principal is always there; "api-key:" alone would say nothing.
  categorySource: m.category === undefined ? "default" : `api-key:${by?.name ?? "unknown"}`,
  ...(m.modem !== undefined && { modem: m.modem }),
  ...(m.sendAt !== undefined && { sendAt: Date.parse(m.sendAt) }),
  ...(m.validUntil !== undefined && { validUntil: Date.parse(m.validUntil) }),
  ...(m.statusReport !== undefined && { statusReport: m.statusReport }),
  ...(m.smart !== undefined && { smart: m.smart }),
});

// Message ids are engine-generated tokens; anything else cannot exist, so it is a 404 up front.
const ID_RE = /^[A-Za-z0-9_:.-]{1,128}$/;
function checkId(id: string): string {
  if (!ID_RE.test(id)) throw new ProblemError("not-found", "No message with this id");
  return id;
}

/** Item `index` of a batch sent with an Idempotency-Key gets its own engine key. */
async function batch(svc: MessagesService, raw: unknown, by: Principal | undefined, key: string | undefined) {
  const whole = BatchRequest.safeParse(raw);
  const bad = new Map<number, z.core.$ZodIssue[]>();
  if (!whole.success) {
    for (const issue of whole.error.issues) {
      const [top, index] = issue.path;
      if (top !== "messages" || typeof index !== "number") {
        throw validationProblem(issuesToFieldErrors(whole.error.issues));
      }
      bad.set(index, [...(bad.get(index) ?? []), { ...issue, path: issue.path.slice(2) }]);
    }
  }
  const items = (raw as { messages: unknown[] }).messages;
  const valid: { index: number; msg: NewMessage }[] = [];
  const results: ({ index: number; ok: boolean } & Record<string, unknown>)[] = [];
  for (const [index, item] of items.entries()) {
    const issues = bad.get(index);
    if (!issues) {
      valid.push({
        index,
        msg: toNew(SendMessageRequest.parse(item), by, key === undefined ? undefined : `${key}#${index}`),
      });
      continue;
    }
    const errors = issuesToFieldErrors(issues, `messages.${index}`);
    results.push({
      index,
      ok: false,
      problem: problemBody("validation", "Item failed validation", { errors }),
    });
  }
  const done = await enqueueAll(
    svc,
    valid.map((v) => v.msg),
  );
  done.forEach((r, k) => {
    const index = valid[k]?.index as number;
    if (r.ok) {
      results.push({ index, ok: true, message: r.message });
      return;
    }
    const p = toProblem(r.error);
    if (!p) throw r.error;
    results.push({ index, ok: false, problem: problemBody(p.problemType, p.message, p.extensions) });
  });
  results.sort((a, b) => a.index - b.index);
  const accepted = results.filter((r) => r.ok).length;
  return { accepted, rejected: results.length - accepted, results };
}

/** One commit for the whole batch when the service can; else item by item. */
async function enqueueAll(svc: MessagesService, msgs: readonly NewMessage[]): Promise<BatchItem[]> {
  if (msgs.length === 0) return [];
  if (svc.enqueueMany) return svc.enqueueMany(msgs);
  const out: BatchItem[] = [];
  for (const [i, msg] of msgs.entries()) {
    // One commit (one fsync) per item here: yield now and then so a batch of 1000 does not hold
    // the event loop, and health checks and other requests keep being answered.
    if (i > 0 && i % 20 === 0) await new Promise((r) => setImmediate(r));
    try {
      out.push({ ok: true, message: await svc.enqueue(msg) });
    } catch (error) {
      out.push({ ok: false, error });
    }
  }
  return out;
}

export function messagesRoutes(svc: MessagesService) {
  const app = new Hono<{ Variables: AuthVariables & IdempotencyVariables }>();

  app.post("/", requireScope("send"), async (c) => {
    const body = await jsonBody(c, SendMessageRequest);
    const msg = await svc.enqueue(toNew(body, c.get("principal"), c.get("idempotencyKey")));
    c.header("Location", `/v1/messages/${encodeURIComponent(msg.id)}`);
    return c.json(msg, 202);
  });

  app.post("/batch", requireScope("send"), async (c) => {
    const out = await batch(svc, await readJson(c), c.get("principal"), c.get("idempotencyKey"));
    return c.json(out, out.accepted > 0 ? 202 : 422);
  });

  app.get("/", requireScope("read"), async (c) => {
    const q = validate(ListMessagesQuery, queryObject(c));
    const filter: MessageFilter = {
      ...(q.direction && { direction: q.direction }),
      ...(q.status && { status: q.status }),
      ...(q.contact && { contact: q.contact }),
      ...(q.modem && { modem: q.modem }),
      ...(q.since && { since: Date.parse(q.since) }),
      ...(q.until && { until: Date.parse(q.until) }),
    };
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, filter);
    const page = await svc.list(filter, { limit: q.limit, ...(after !== undefined && { after }) });
    let next: string | null = null;
    if (page.next !== undefined) {
      const params = new URLSearchParams(new URL(c.req.url).search);
      params.set("cursor", encodeCursor(page.next, filter));
      params.set("limit", String(q.limit));
      next = `/v1/messages?${params.toString()}`;
      c.header("Link", `<${next}>; rel="next"`);
    }
    return c.json({ items: page.items.map(messageJson), next });
  });

  app.get("/:id", requireScope("read"), async (c) => {
    const m = await svc.get(checkId(c.req.param("id")));
    if (!m) throw new ProblemError("not-found", "No message with this id");
    return c.json(messageJson(m));
  });

  app.post("/:id/cancel", requireScope("send"), async (c) => {
    return c.json(messageJson(await svc.cancel(checkId(c.req.param("id")))));
  });

  app.post("/:id/resend", requireScope("send"), async (c) => {
    const msg = await svc.resend(checkId(c.req.param("id")));
    c.header("Location", `/v1/messages/${encodeURIComponent(msg.id)}`);
    return c.json(msg, 202);
  });

  return app;
}
