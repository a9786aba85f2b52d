import { beforeEach, describe, expect, it } from "vitest";
import { optOut, recordConsent } from "../../../src/conversation/consent.js";
import { enforceAtDispatch } from "../../../src/conversation/dispatch.js";
import type { PolicyConfig } from "../../../src/conversation/policy.js";
import { ensureConversationSchema } from "../../../src/conversation/schema.js";
import { PROFILES } from "../../../src/conversation/windows.js";
import { Engine } from "../../../src/engine/engine.js";
import { EventBus } from "../../../src/events.js";
import { createIdFactory } from "../../../src/store/ids.js";
import { runTx, type Tx } from "../../../src/store/tx.js";

const A = "+33612345678";
const cfg: PolicyConfig = { businessName: "Garage Dupont", window: PROFILES["af2m-2026"] };
let engine: Engine;
let at = Date.parse("2026-11-26T09:00:00Z");
const inTx = <T>(fn: (tx: Tx) => T): T =>
  runTx({ db: engine.db, bus: new EventBus(), ids: createIdFactory(), now: () => at }, fn);
const partStatuses = (id: string) =>
  (
    engine.db.prepare("SELECT status FROM parts WHERE message_id = ? ORDER BY seq").all(id) as {
      status: string;
    }[]
  ).map((p) => p.status);

beforeEach(() => {
  at = Date.parse("2026-11-26T09:00:00Z");
  engine = new Engine({ db: ":memory:", clock: { now: () => at, setTimeout: () => ({ clear() {} }) } });
  ensureConversationSchema(engine.db);
  recordConsent(
    { db: engine.db, at },
    { contact: A, purpose: "marketing", status: "granted", basis: "opt-in", source: "api" },
  );
});

describe("enforceAtDispatch", () => {
  it("lets an allowed part go and changes nothing", () => {
    const { id } = engine.enqueue({ to: A, text: "promo", category: "marketing" });
    expect(inTx((tx) => enforceAtDispatch(tx, { messageId: id, to: A }, cfg))).toBe(true);
    expect(engine.getMessage(id)?.status).toBe("queued");
  });

  it("cancels a waiting message of an opted-out contact, with the reason in its history", () => {
    const { id } = engine.enqueue({ to: A, text: "promo", category: "marketing" });
    optOut({ db: engine.db, at }, A, { source: "api" });
    expect(inTx((tx) => enforceAtDispatch(tx, { messageId: id, to: A }, cfg))).toBe(false);
    expect(engine.getMessage(id)).toMatchObject({ status: "canceled" });
    expect(engine.getMessage(id)?.events.at(-1)).toMatchObject({
      to: "canceled",
      detail: "recipient opted out",
    });
  });

  it("fails the rest of a multipart message whose first part already left (never stuck in sending)", () => {
    const { id } = engine.enqueue({ to: A, text: "x".repeat(300), category: "marketing" });
    engine.db.prepare("UPDATE parts SET status = 'sent' WHERE message_id = ? AND seq = 1").run(id);
    optOut({ db: engine.db, at }, A, { source: "api" });
    expect(inTx((tx) => enforceAtDispatch(tx, { messageId: id, to: A }, cfg))).toBe(false);
    expect(partStatuses(id)).toEqual(["sent", "failed"]);
    expect(engine.getMessage(id)?.status).toBe("failed");
  });

  it("defers marketing that reaches the modem outside its window to the next slot", () => {
    const { id } = engine.enqueue({ to: A, text: "promo", category: "marketing" });
    at = Date.parse("2026-11-26T21:00:00Z"); // 22:00 Paris
    expect(inTx((tx) => enforceAtDispatch(tx, { messageId: id, to: A }, cfg))).toBe(false);
    const next = engine.db.prepare("SELECT next_attempt_at AS t FROM parts WHERE message_id = ?").get(id) as {
      t: number;
    };
    expect(next.t).toBe(Date.parse("2026-11-27T07:00:00Z"));
    expect(engine.getMessage(id)?.status).toBe("queued");
  });
});
