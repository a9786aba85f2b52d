/** The HTTP API on the real message engine (SQLite in memory) through src/http/adapters.ts. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { Engine } from "../../src/engine/index.js";
import { engineHealth, engineMessages, engineModems } from "../../src/http/adapters.js";
import { createApp } from "../../src/http/app.js";
import { generateApiKey, hashApiKey } from "../../src/http/auth.js";
import { createSqliteIdempotencyStore } from "../../src/http/idempotency-store.js";
import { createHttpStack, parseListen } from "../../src/http/stack.js";
import { metricsEventsFromBus } from "../../src/metrics/engine-events.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { segmentPreview } from "../../src/pdu/index.js";
import { generateWebhookSecret } from "../../src/webhooks/signing.js";
import { sqliteOutboxSource } from "../../src/webhooks/sqlite-outbox.js";
import { WebhookStore } from "../../src/webhooks/store.js";
import { WebhookWorker } from "../../src/webhooks/worker.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function gateway(receiverUrl = "http://127.0.0.1:1/none") {
  const engine = new Engine({ db: ":memory:", clock: systemClock, config: { defaultCountry: "FR" } });
  cleanup.push(() => engine.stop());
  engine.start();
  const secret = generateWebhookSecret();
  const webhooks = new WebhookWorker({
    store: new WebhookStore(engine.db),
    outbox: sqliteOutboxSource(engine.db),
    clock: systemClock,
    endpoints: [{ id: "crm", url: receiverUrl, secret, events: ["*"], timeoutMs: 2000, enabled: true }],
    pollMs: 20,
  });
  cleanup.push(() => webhooks.stop());
  const modems = engineModems(engine);
  const health = engineHealth(engine);
  const metrics = createMetrics({
    modems,
    health,
    events: metricsEventsFromBus(engine.bus),
    webhooks,
    processMetrics: false,
  });
  const key = generateApiKey();
  const app = createApp(
    {
      messages: engineMessages(engine),
      modems,
      health,
      preview: segmentPreview,
      idempotency: createSqliteIdempotencyStore(engine.db),
      webhooks,
      metrics,
    },
    { apiKeys: [{ name: "app", hash: hashApiKey(key), scopes: ["admin"] }] },
  );
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  return { engine, app, call, webhooks, secret };
}

describe("HTTP API on the real engine", () => {
  it("enqueues, reads back parts and events, lists, cancels once", async () => {
    const { call } = await gateway();
    const res = await call("POST", "/v1/messages", { to: "06 12 34 56 78", text: "é".repeat(200) });
    expect(res.status).toBe(202);
    const acc = (await res.json()) as { id: string; status: string; coding: string; parts: number };
    expect(acc).toMatchObject({ status: "queued", coding: "gsm7", parts: 2 });
    const m = (await (await call("GET", `/v1/messages/${acc.id}`)).json()) as Record<string, unknown>;
    expect(m).toMatchObject({ id: acc.id, direction: "outbound", contact: "+33612345678", status: "queued" });
    expect((m.parts as unknown[]).length).toBe(2);
    expect((m.events as { type: string }[]).some((e) => e.type === "queued")).toBe(true);
    const list = (await (await call("GET", "/v1/messages?contact=%2B33612345678")).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((i) => i.id)).toEqual([acc.id]);
    expect((await call("POST", `/v1/messages/${acc.id}/resend`)).status).toBe(409);
    expect((await call("POST", `/v1/messages/${acc.id}/cancel`)).status).toBe(200);
    expect((await call("POST", `/v1/messages/${acc.id}/cancel`)).status).toBe(409);
  });

  it("maps engine refusals to problems naming the field", async () => {
    const { call } = await gateway();
    const bad = await call("POST", "/v1/messages", { to: "+999", text: "x" });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("to");
    expect((await call("GET", "/v1/messages/nope")).status).toBe(404);
    const past = await call("POST", "/v1/messages", {
      to: "+33612345678",
      text: "x",
      validUntil: "2000-01-01T00:00:00Z",
    });
    expect(past.status).toBe(422);
  });

  it("pages through the engine's cursor", async () => {
    const { call } = await gateway();
    for (let i = 0; i < 5; i++) await call("POST", "/v1/messages", { to: "+33612345678", text: `m${i}` });
    const ids: string[] = [];
    let url: string | null = "/v1/messages?limit=2";
    while (url) {
      const page = (await (await call("GET", url)).json()) as {
        items: { id: string }[];
        next: string | null;
      };
      ids.push(...page.items.map((i) => i.id));
      url = page.next;
    }
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
  });

  it("idempotent POST on the SQLite store next to the engine tables", async () => {
    const { call } = await gateway();
    const h = { "idempotency-key": "order-7" };
    const a = await call("POST", "/v1/messages", { to: "+33612345678", text: "once" }, h);
    const b = await call("POST", "/v1/messages", { to: "+33612345678", text: "once" }, h);
    expect(await b.text()).toBe(await a.text());
    const list = (await (await call("GET", "/v1/messages")).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it("delivers the engine's outbox rows as signed webhooks", async () => {
    const got: { body: string; ok: boolean }[] = [];
    let secret = "";
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString();
        let ok = true;
        try {
          new Webhook(secret).verify(body, req.headers as Record<string, string>);
        } catch {
          ok = false;
        }
        got.push({ body, ok });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const g = await gateway(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    secret = g.secret;
    g.webhooks.start();
    const acc = (await (await g.call("POST", "/v1/messages", { to: "+33612345678", text: "hi" })).json()) as {
      id: string;
    };
    await g.call("POST", `/v1/messages/${acc.id}/cancel`);
    const end = Date.now() + 5000;
    while (got.length < 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((x) => x.ok)).toBe(true);
    const types = got.map((x) => (JSON.parse(x.body) as { type: string }).type);
    expect(types.every((t) => t.startsWith("message."))).toBe(true);
  });

  it("readiness is 503 with no modem attached, and metrics count status changes", async () => {
    const { call, app } = await gateway();
    expect((await app.request("/readyz")).status).toBe(503);
    await call("POST", "/v1/messages", { to: "+33612345678", text: "x" });
    const text = await (await app.request("/metrics")).text();
    expect(text).toMatch(/smsgw_queue_depth 1\b/);
  });
});

describe("fuzz on the real engine: bad input never yields a 5xx", () => {
  it("random sends (numbers, texts, times, modems) map to 202 or a 4xx problem", async () => {
    const { call } = await gateway();
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: "grapheme", maxLength: 200 }),
      fc.constant(""),
    );
    const number = fc.oneof(
      fc.constantFrom(
        "+33612345678",
        "0612345678",
        "+1",
        "+999999999999999999",
        "00",
        "+33 6 12 34 56 78",
        "(0)6.12",
      ),
      fc.string({ unit: fc.constantFrom(..."0123456789+ ().-"), maxLength: 25 }),
    );
    const when = fc.oneof(
      fc.constant(undefined),
      fc
        .date({ min: new Date("1970-01-01"), max: new Date("2200-01-01"), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.constantFrom("2030-02-30T00:00:00Z", "not a date", "2030-01-01T00:00:00+14:00"),
    );
    const body = fc.record(
      {
        to: number,
        text,
        category: fc.constantFrom("transactional", "marketing", "conversational", "other"),
        modem: fc.constantFrom("gsm1", "nope", ""),
        sendAt: when,
        validUntil: when,
        statusReport: fc.boolean(),
        smart: fc.boolean(),
      },
      { requiredKeys: ["to", "text"] },
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await call("POST", "/v1/messages", b);
        const out = await res.text();
        expect(res.status, `${JSON.stringify(b)} → ${out}`).toBeLessThan(500);
        if (res.status !== 202) expect(res.headers.get("content-type")).toBe("application/problem+json");
      }),
      { seed: 4242, numRuns: 300 },
    );
  });
});

describe("createHttpStack", () => {
  it("one public_health knob covers the probes and /metrics; the API always needs a key", async () => {
    const engine = new Engine({ db: ":memory:", clock: systemClock });
    cleanup.push(() => engine.stop());
    const key = generateApiKey();
    for (const publicHealth of [true, false]) {
      const stack = createHttpStack({
        engine,
        apiKeys: [{ name: "a", key, scopes: ["read"] }],
        publicHealth,
      });
      for (const p of ["/livez", "/health", "/metrics"]) {
        expect((await stack.app.request(p)).status === 401, `${p} public=${publicHealth}`).toBe(
          !publicHealth,
        );
      }
      expect((await stack.app.request("/v1/modems")).status).toBe(401);
      const ok = await stack.app.request("/metrics", { headers: { authorization: `Bearer ${key}` } });
      expect(ok.status).toBe(200);
      await stack.stop();
    }
  });

  it("parses listen addresses, IPv6 included, and refuses others", () => {
    expect(parseListen("127.0.0.1:8080")).toEqual({ hostname: "127.0.0.1", port: 8080 });
    expect(parseListen("[::1]:0")).toEqual({ hostname: "::1", port: 0 });
    expect(() => parseListen("8080")).toThrow(/host:port/);
  });
});
