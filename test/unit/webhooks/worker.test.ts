/**
 * The delivery worker against a real HTTP receiver on 127.0.0.1 that fails on purpose. The retry
 * schedule is shortened to milliseconds so exhaustion and dead-lettering happen within a second.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../src/clock.js";
import type { WebhookEndpointConfig } from "../../../src/webhooks/config.js";
import { MemoryOutbox } from "../../../src/webhooks/outbox-source.js";
import { generateWebhookSecret } from "../../../src/webhooks/signing.js";
import { WebhookStore } from "../../../src/webhooks/store.js";
import { type DeliveryOutcome, WebhookWorker } from "../../../src/webhooks/worker.js";

interface Received {
  id: string;
  body: string;
  verified: boolean;
}

/** Answers with the next status from `script` (the last one repeats); "hang" never answers. */
async function receiver(secret: string, script: (number | "hang")[]) {
  const got: Received[] = [];
  let n = 0;
  const wh = new Webhook(secret);
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let verified = true;
      try {
        wh.verify(body, req.headers as Record<string, string>);
      } catch {
        verified = false;
      }
      got.push({ id: String(req.headers["webhook-id"]), body, verified });
      const step = script[Math.min(n++, script.length - 1)]!;
      if (step === "hang") return;
      res.writeHead(step).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { got, url, server, setScript: (s: (number | "hang")[]) => script.splice(0, script.length, ...s) };
}

const servers: Server[] = [];
const workers: WebhookWorker[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function setup(script: (number | "hang")[], over: Partial<WebhookEndpointConfig> = {}) {
  const secret = generateWebhookSecret();
  const rx = await receiver(secret, script);
  servers.push(rx.server);
  const outbox = new MemoryOutbox();
  const store = new WebhookStore(new Database(":memory:"));
  const outcomes: DeliveryOutcome[] = [];
  const worker = new WebhookWorker({
    store,
    outbox,
    clock: systemClock,
    endpoints: [
      {
        id: "crm",
        url: rx.url,
        secret,
        events: ["message.received", "message.status"],
        timeoutMs: 1000,
        enabled: true,
        ...over,
      },
    ],
    retry: { delaysMs: [20, 20, 20], jitter: 0 },
    pollMs: 10,
    onOutcome: (_ep, o) => outcomes.push(o),
  });
  workers.push(worker);
  const event = (contact: string | null, data: unknown, type = "message.received") =>
    outbox.append({ type, contact, data, createdAt: Date.now() });
  return { rx, outbox, store, worker, outcomes, event };
}

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("webhook worker", () => {
  it("retries a failing endpoint with the same webhook-id and signed body until a 2xx", async () => {
    const { rx, worker, store, outcomes, event } = await setup([500, 503, 200]);
    event("+33611111111", { text: "hello" });
    worker.start();
    await until(() => outcomes.includes("delivered"));
    expect(rx.got).toHaveLength(3);
    expect(new Set(rx.got.map((g) => g.id))).toEqual(new Set(["evt_1"]));
    expect(rx.got.every((g) => g.verified)).toBe(true);
    expect(new Set(rx.got.map((g) => g.body)).size).toBe(1);
    expect(JSON.parse(rx.got[0]!.body)).toMatchObject({ type: "message.received", data: { text: "hello" } });
    expect(outcomes).toEqual(["retry", "retry", "delivered"]);
    expect(store.stats("crm")).toMatchObject({ consecutiveFailures: 0, pending: 0, dead: 0 });
    expect(store.list({ limit: 1 })[0]).toMatchObject({ state: "delivered", attempts: 3, last_status: 200 });
  });

  it("dead-letters after the schedule is exhausted; replay delivers it once the endpoint recovers", async () => {
    const { rx, worker, store, outcomes, event } = await setup([500]);
    event("+33611111111", { n: 1 });
    worker.start();
    await until(() => outcomes.includes("dead"));
    expect(rx.got).toHaveLength(4);
    const [row] = store.list({ state: "dead", limit: 10 });
    expect(row).toMatchObject({ attempts: 4, last_status: 500, last_error: "HTTP 500" });
    expect(worker.endpoints()[0]?.health).toMatchObject({ consecutiveFailures: 4, dead: 1, pending: 0 });
    rx.setScript([204]);
    expect(worker.replayDelivery(row!.id)).toBe("replayed");
    expect(worker.replayDelivery(row!.id)).toBe("not-dead");
    await until(() => outcomes.includes("delivered"));
    expect(rx.got).toHaveLength(5);
    expect(rx.got[4]?.id).toBe("evt_1");
  });

  it("a timeout is a failure, and a later event for the same contact is not delivered before it", async () => {
    const { rx, worker, store, outcomes, event } = await setup(["hang", 200]);
    event("A", { seq: 1 });
    event("A", { seq: 2 }, "message.status");
    event("B", { seq: 3 });
    worker.start();
    await until(() => outcomes.filter((o) => o === "delivered").length === 3);
    const order = rx.got.map((g) => (JSON.parse(g.body) as { data: { seq: number } }).data.seq);
    expect(order[0]).toBe(1);
    // seq 2 (same contact A) comes only after seq 1 succeeded on its retry.
    expect(order.indexOf(2)).toBeGreaterThan(order.lastIndexOf(1));
    expect(store.list({ limit: 10 }).find((r) => r.outbox_id === 1)).toMatchObject({
      attempts: 2,
      state: "delivered",
    });
    expect(rx.got.filter((g) => g.verified)).toHaveLength(rx.got.length);
  });

  it("410 Gone disables the endpoint without losing later events; enabling resumes delivery", async () => {
    const { rx, worker, store, outcomes, event } = await setup([410, 200]);
    event("A", { seq: 1 });
    worker.start();
    await until(() => outcomes.includes("dead"));
    expect(worker.endpoints()[0]).toMatchObject({ enabled: false, disabledReason: "gone (HTTP 410)" });
    event("A", { seq: 2 });
    worker.wake();
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.got).toHaveLength(1);
    expect(store.stats("crm").pending).toBe(1);
    expect(worker.enableEndpoint("crm")).toBe(true);
    await until(() => outcomes.includes("delivered"));
    expect((JSON.parse(rx.got[1]!.body) as { data: { seq: number } }).data.seq).toBe(2);
    expect(worker.replayEndpoint("crm")).toBe(1);
    await until(() => outcomes.filter((o) => o === "delivered").length === 2);
  });

  it("filters events per endpoint and survives a refused connection", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { worker, store, outcomes, event } = await setup([200], { url: `http://127.0.0.1:${port}/closed` });
    event(null, { modem: "gsm1" }, "modem.state");
    event("A", { n: 1 });
    await worker.drain();
    expect(store.list({ limit: 10 }).map((r) => r.event_type)).toEqual(["message.received"]);
    expect(outcomes).toEqual(["retry"]);
    expect(store.list({ limit: 1 })[0]?.last_error).toMatch(/ECONNREFUSED/);
  });
});

describe("regression: a failing outbox read does not crash the worker", () => {
  it("reports the error, retries on the next poll, then delivers", async () => {
    const secret = generateWebhookSecret();
    const rx = await receiver(secret, [200]);
    servers.push(rx.server);
    const outbox = new MemoryOutbox();
    let failures = 2;
    const flaky = {
      after: (id: number, n: number) => {
        if (failures-- > 0) throw new Error("SQLITE_BUSY: database is locked");
        return outbox.after(id, n);
      },
    };
    const errors: string[] = [];
    const outcomes: DeliveryOutcome[] = [];
    const worker = new WebhookWorker({
      store: new WebhookStore(new Database(":memory:")),
      outbox: flaky,
      clock: systemClock,
      endpoints: [{ id: "crm", url: rx.url, secret, events: ["*"], timeoutMs: 1000, enabled: true }],
      pollMs: 10,
      onError: (e) => errors.push(String(e)),
      onOutcome: (_ep, o) => outcomes.push(o),
    });
    workers.push(worker);
    outbox.append({ type: "message.received", contact: "A", data: {}, createdAt: 0 });
    worker.start();
    await until(() => outcomes.includes("delivered"));
    expect(errors).toEqual([
      "Error: SQLITE_BUSY: database is locked",
      "Error: SQLITE_BUSY: database is locked",
    ]);
    expect(rx.got).toHaveLength(1);
  });
});
