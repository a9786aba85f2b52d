import { describe, expect, it } from "vitest";
import { openDb } from "../../../src/store/db.js";
import { sqliteOutboxSource } from "../../../src/webhooks/sqlite-outbox.js";
import { WebhookStore } from "../../../src/webhooks/store.js";

describe("engine webhook_outbox as the delivery feed", () => {
  it("reads rows after an id, in order, and fans them out next to the engine's tables", () => {
    const db = openDb({ path: ":memory:" });
    const ins = db.prepare(
      "INSERT INTO webhook_outbox (event_type, payload, contact_key, created_at) VALUES (?, ?, ?, ?)",
    );
    ins.run("message.received", JSON.stringify({ id: "in_1", text: "STOP" }), "+33611111111", 1000);
    ins.run("modem.state", JSON.stringify({ id: "gsm1", state: "ready" }), null, 1001);
    ins.run("message.status", "not json", "+33611111111", 1002);
    const src = sqliteOutboxSource(db);
    const all = src.after(0, 10);
    expect(all.map((e) => [e.id, e.type, e.contact])).toEqual([
      [1, "message.received", "+33611111111"],
      [2, "modem.state", null],
      [3, "message.status", "+33611111111"],
    ]);
    expect(all[0]?.data).toEqual({ id: "in_1", text: "STOP" });
    expect(all[2]?.data).toBe("not json");
    expect(src.after(2, 10).map((e) => e.id)).toEqual([3]);
    const store = new WebhookStore(db);
    expect(store.fanOut(src.after(store.lastOutboxId(), 10), () => ["crm"], 5)).toBe(3);
    expect(store.lastOutboxId()).toBe(3);
  });
});
