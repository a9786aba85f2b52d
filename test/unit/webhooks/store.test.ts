import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MemoryOutbox } from "../../../src/webhooks/outbox-source.js";
import { WebhookStore } from "../../../src/webhooks/store.js";

function setup() {
  const store = new WebhookStore(new Database(":memory:"));
  const outbox = new MemoryOutbox();
  const fan = (now = 0) =>
    store.fanOut(
      outbox.after(store.lastOutboxId(), 100),
      (t) => (t === "modem.state" ? ["ops"] : ["crm", "ops"]),
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
