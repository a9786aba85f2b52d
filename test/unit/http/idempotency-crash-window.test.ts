/**
 * The window between the engine's commit and the Idempotency-Key answer (regression, found by
 * bench/crash-loop.ts: a SIGKILL there left the key claimed without a response; once the claim was
 * abandoned, the client's retry enqueued the whole batch again and every message went out twice).
 * The engine now stores a key derived from the header with each message, in the same transaction,
 * so the retry finds the messages. Simulated here by dropping the HTTP record after the first call,
 * which is what the abandoned claim amounts to.
 */
import { describe, expect, it } from "vitest";
import type { SenderConfig } from "../../../src/conversation/compliant-sender.js";
import { recordConsent } from "../../../src/conversation/consent.js";
import { PROFILES } from "../../../src/conversation/windows.js";
import { Engine } from "../../../src/engine/engine.js";
import { engineMessages } from "../../../src/http/adapters.js";
import { createMemoryIdempotencyStore } from "../../../src/http/idempotency.js";
import { harness } from "./harness.js";

const at = Date.parse("2026-11-26T09:00:00Z"); // Thursday 10:00 Paris
const compliance: SenderConfig = {
  businessName: "Garage Dupont",
  window: PROFILES["af2m-2026"],
  marketingCap: { max: 1, perDays: 30 },
  now: () => at,
};

function setup() {
  const engine = new Engine({
    db: ":memory:",
    clock: { now: () => at, setTimeout: () => ({ clear() {} }) },
    compliance,
  });
  const store = createMemoryIdempotencyStore();
  const h = harness({ deps: { messages: engineMessages(engine), idempotency: store } });
  const count = () => (engine.db.prepare("SELECT COUNT(*) AS n FROM messages").get() as { n: number }).n;
  return { engine, store, count, ...h };
}

const ids = async (res: Response) =>
  ((await res.json()) as { results: { message?: { id: string } }[] }).results.map((r) => r.message?.id);

describe("Idempotency-Key across a crash between commit and answer", () => {
  it("a retried batch whose answer was lost is not enqueued twice (regression: batch sent twice after a kill)", async () => {
    const { store, count, call } = setup();
    const body = {
      messages: [
        { to: "+33612345678", text: "Votre voiture est prête" },
        { to: "+33612345679", text: "Votre colis arrive demain" },
        { to: "+999", text: "refusé" },
      ],
    };
    const headers = { "idempotency-key": "batch-0001" };
    const first = await call("POST", "/v1/messages/batch", { key: "send", body, headers });
    expect(first.status).toBe(202);
    expect(count()).toBe(2);
    store.release("sender", "batch-0001"); // the claim a kill leaves behind, once abandoned

    const retry = await call("POST", "/v1/messages/batch", { key: "send", body, headers });
    expect(retry.status).toBe(202);
    expect(retry.headers.get("idempotent-replayed")).toBeNull(); // executed again, by the engine's keys
    expect(count()).toBe(2);
    expect(await ids(retry)).toEqual(await ids(first));
  });

  it("a retried single send finds its message, even for marketing the cap would now refuse", async () => {
    const { engine, store, count, call } = setup();
    recordConsent(
      { db: engine.db, at },
      { contact: "+33612345678", purpose: "marketing", status: "granted", basis: "opt-in", source: "api" },
    );
    const body = { to: "+33612345678", text: "Révision -10%", category: "marketing" };
    const headers = { "idempotency-key": "promo-1" };
    const first = await call("POST", "/v1/messages", { key: "send", body, headers });
    expect(first.status).toBe(202);
    store.release("sender", "promo-1");

    const retry = await call("POST", "/v1/messages", { key: "send", body, headers });
    expect(retry.status).toBe(202);
    expect(((await retry.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    expect(count()).toBe(1);
  });

  it("the same Idempotency-Key from two API keys gives two messages", async () => {
    const { count, call } = setup();
    const body = { to: "+33612345678", text: "Bonjour" };
    const headers = { "idempotency-key": "same" };
    expect((await call("POST", "/v1/messages", { key: "send", body, headers })).status).toBe(202);
    expect((await call("POST", "/v1/messages", { key: "both", body, headers })).status).toBe(202);
    expect(count()).toBe(2);
  });
});
