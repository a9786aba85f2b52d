/** Builds the app on fakes with one key per scope. */

import Database from "better-sqlite3";
import { systemClock } from "../../../src/clock.js";
import { type AppDeps, type AppOptions, createApp } from "../../../src/http/app.js";
import { createMemoryIdempotencyStore } from "../../../src/http/idempotency.js";
import { createMetrics } from "../../../src/metrics/metrics.js";
import { MemoryOutbox } from "../../../src/webhooks/outbox-source.js";
import { generateWebhookSecret } from "../../../src/webhooks/signing.js";
import { WebhookStore } from "../../../src/webhooks/store.js";
import { WebhookWorker } from "../../../src/webhooks/worker.js";
import { FakeHealth, FakeMessages, FakeModems, FakeSim, fakePreview, makeKey } from "./fakes.js";

export function harness(
  opts: { deps?: Partial<AppDeps>; options?: Partial<AppOptions>; now?: () => number } = {},
) {
  const keys = {
    send: makeKey("sender", ["send"]),
    read: makeKey("reader", ["read"]),
    admin: makeKey("ops", ["admin"]),
    both: makeKey("app", ["send", "read"]),
  };
  const messages = new FakeMessages(opts.now);
  const modems = new FakeModems();
  const health = new FakeHealth();
  const sim = new FakeSim();
  const outbox = new MemoryOutbox();
  const webhookStore = new WebhookStore(new Database(":memory:"));
  const webhooks = new WebhookWorker({
    store: webhookStore,
    outbox,
    clock: systemClock,
    endpoints: [
      {
        id: "crm",
        url: "http://127.0.0.1:9/hook",
        secret: generateWebhookSecret(),
        events: ["*"],
        timeoutMs: 1000,
        enabled: true,
      },
    ],
  });
  const metrics = createMetrics({ modems, health, webhooks, processMetrics: false });
  const deps: AppDeps = {
    messages,
    modems,
    health,
    sim,
    webhooks,
    metrics,
    preview: fakePreview,
    idempotency: createMemoryIdempotencyStore(),
    ...opts.deps,
  };
  const app = createApp(deps, {
    apiKeys: Object.values(keys).map((k) => k.config),
    version: "1.2.3",
    ...(opts.now && { now: opts.now }),
    ...opts.options,
  });
  const call = (
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
    let body: string | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] ??= "application/json";
    }
    return app.request(path, { method, headers, ...(body !== undefined && { body }) });
  };
  return { app, deps, keys, messages, modems, health, sim, outbox, webhookStore, webhooks, metrics, call };
}
