import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { acceptsEvent, WebhookEndpointConfig } from "../../../src/webhooks/config.js";
import { MemoryOutbox, webhookType } from "../../../src/webhooks/outbox-source.js";
import { generateWebhookSecret } from "../../../src/webhooks/signing.js";
import { WebhookStore } from "../../../src/webhooks/store.js";

function setup() {
  const store = new WebhookStore(new Database(":memory:"));
  const outbox = new MemoryOutbox();
  const fan = (now = 0) =>
    store.fanOut(
      outbox.after(store.lastOutboxId(), 100),
      (e) => (e.type === "modem.state" ? ["ops"] : ["crm", "ops"]),
      now,
    );
  return { store, outbox, fan };
}

describe("webhook delivery store", () => {
  it("fans each outbox row out once per matching endpoint, resuming after the last id", () => {
    const { store, outbox, fan } = setup();
    outbox.append({ type: "message.received", contact: "+33611111111", data: { n: 1 }, createdAt: 1000 });
    outbox.append({ type: "modem.state", contact: null, data: { n: 2 }, createdAt: 1001 });
    expect(fan()).toBe(3);
    expect(fan()).toBe(0);
    outbox.append({ type: "message.status", contact: "+33611111111", data: { n: 3 }, createdAt: 1002 });
    expect(fan()).toBe(2);
    expect(store.lastOutboxId()).toBe(3);
    const rows = store.list({ limit: 10 });
    expect(rows).toHaveLength(5);
    expect(JSON.parse(rows.find((r) => r.outbox_id === 1)!.body)).toEqual({
      type: "message.received",
      timestamp: "1970-01-01T00:00:01.000Z",
      data: { n: 1 },
    });
    expect(rows.every((r) => r.event_id === `evt_${r.outbox_id}`)).toBe(true);
  });

  it("holds a later event for a contact while an earlier one for that contact and endpoint is pending", () => {
    const { store, outbox, fan } = setup();
    outbox.append({ type: "message.received", contact: "A", data: 1, createdAt: 0 });
    outbox.append({ type: "message.status", contact: "A", data: 2, createdAt: 0 });
    outbox.append({ type: "message.status", contact: "B", data: 3, createdAt: 0 });
    fan();
    const due = store.due(0, ["crm"], [], 10);
    expect(due.map((r) => r.outbox_id)).toEqual([1, 3]);
    // The first for A fails and is rescheduled: the second for A still waits.
    store.recordFailure(due[0]!, 500, "HTTP 500", 100, 0);
    const inFlight = [due[1]!.id];
    expect(store.due(50, ["crm"], inFlight, 10).map((r) => r.outbox_id)).toEqual([]);
    // Once it is dead-lettered, it no longer blocks the contact.
    store.recordFailure(store.get(due[0]!.id)!, 500, "HTTP 500", undefined, 100);
    expect(store.due(100, ["crm"], inFlight, 10).map((r) => r.outbox_id)).toEqual([2]);
    expect(store.stats("crm")).toMatchObject({ consecutiveFailures: 2, dead: 1, pending: 2 });
  });

  it("replays only dead deliveries, resetting attempts", () => {
    const { store, outbox, fan } = setup();
    outbox.append({ type: "message.received", contact: "A", data: 1, createdAt: 0 });
    fan();
    const row = store.due(0, ["crm"], [], 1)[0]!;
    expect(store.replay(row.id, 5)).toBe(false);
    store.recordFailure(row, null, "timeout", undefined, 1);
    expect(store.replay(row.id, 5)).toBe(true);
    expect(store.get(row.id)).toMatchObject({
      state: "pending",
      attempts: 0,
      next_attempt_at: 5,
      last_error: null,
    });
    store.recordSuccess(store.get(row.id)!, 204, 6);
    expect(store.stats("crm")).toMatchObject({
      consecutiveFailures: 0,
      lastSuccessAt: 6,
      pending: 0,
      dead: 0,
    });
  });
});

describe("event types and endpoint filters", () => {
  const status = (to: string) => ({ type: "message.status", data: { id: "m1", to } });

  it("folds the engine's message.status into message.<status> for receivers", () => {
    expect(webhookType(status("delivered"))).toBe("message.delivered");
    expect(webhookType({ type: "message.status", data: { to: "Robert'); DROP" } })).toBe("message.status");
    expect(webhookType({ type: "message.received", data: { to: "x" } })).toBe("message.received");
  });

  it("an endpoint matches '*', the concrete type, or the engine family", () => {
    expect(acceptsEvent({ events: ["message.delivered"] }, status("delivered"))).toBe(true);
    expect(acceptsEvent({ events: ["message.failed"] }, status("delivered"))).toBe(false);
    expect(acceptsEvent({ events: ["message.status"] }, status("failed"))).toBe(true);
    expect(acceptsEvent({ events: ["*"] }, { type: "modem.state", data: null })).toBe(true);
  });

  it("validates endpoint config: id, http(s) URL, whsec_ secret, event names", () => {
    const ok = WebhookEndpointConfig.safeParse({
      id: "crm",
      url: "https://crm.example.com/sms",
      secret: generateWebhookSecret(),
      events: ["message.delivered", "*"],
    });
    expect(ok.success && ok.data.timeoutMs).toBe(10_000);
    const bad = WebhookEndpointConfig.safeParse({
      id: "a b",
      url: "ftp://x",
      secret: "s3cret",
      events: ["DROP TABLE"],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join(".")).sort()).toEqual([
      "events.0",
      "id",
      "secret",
      "url",
    ]);
  });
});
