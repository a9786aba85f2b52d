/**
 * /v1/contacts mounted the way app.ts mounts the other /v1 routes (bearer auth, idempotency,
 * problem documents from onError), on a real engine and contacts service, with one key per scope.
 * /v1/messages is mounted too, over the engine adapter, for the send-after-erasure checks.
 */
import { Hono } from "hono";
import { type ContactsService, createContactsService } from "../../../src/conversation/contacts-service.js";
import type { Engine } from "../../../src/engine/engine.js";
import { engineMessages } from "../../../src/http/adapters.js";
import { authenticate, createKeyVerifier } from "../../../src/http/auth.js";
import { notFound, onError } from "../../../src/http/errors.js";
import { createMemoryIdempotencyStore, idempotency } from "../../../src/http/idempotency.js";
import { contactsRoutes } from "../../../src/http/routes/contacts.js";
import { messagesRoutes } from "../../../src/http/routes/messages.js";
import { makeKey } from "./fakes.js";

export const PEPPER = Buffer.from("0123456789abcdef0123456789abcdef");

export function contactsHarness(engine: Engine, now: () => number) {
  const keys = {
    send: makeKey("sender", ["send"]),
    read: makeKey("reader", ["read"]),
    admin: makeKey("dpo", ["admin"]),
  };
  const svc: ContactsService = createContactsService({
    db: engine.db,
    bus: engine.bus,
    pepper: PEPPER,
    now,
    recipient: (n) => engine.recipient(n),
  });
  const unexpected: unknown[] = [];
  const app = new Hono();
  app.onError(onError((err) => unexpected.push(err)));
  app.notFound(notFound);
  const v1 = new Hono();
  v1.use(
    "*",
    authenticate({ verify: createKeyVerifier(Object.values(keys).map((k) => k.config)) }),
    idempotency({ store: createMemoryIdempotencyStore(), now }),
  );
  v1.route("/contacts", contactsRoutes(svc));
  v1.route("/messages", messagesRoutes(engineMessages(engine)));
  app.route("/v1", v1);

  const call = async (
    method: string,
    path: string,
    o: {
      key?: keyof typeof keys | null;
      body?: unknown;
      raw?: string;
      headers?: Record<string, string>;
    } = {},
  ) => {
    const headers: Record<string, string> = { ...o.headers };
    const k = o.key === undefined ? "admin" : o.key;
    if (k !== null) headers.authorization = `Bearer ${keys[k].key}`;
    let body = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await app.request(path, { method, headers, ...(body !== undefined && { body }) });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
      body: (text ? JSON.parse(text) : null) as any,
    };
  };
  return { app, svc, call, keys, unexpected };
}

/** "/v1/contacts/%2B33612345678" + suffix. */
export const contactPath = (e164: string, suffix = "") => `/v1/contacts/${encodeURIComponent(e164)}${suffix}`;
