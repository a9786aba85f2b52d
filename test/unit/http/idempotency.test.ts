import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  createMemoryIdempotencyStore,
  type IdempotencyStore,
  parseIdempotencyKey,
} from "../../../src/http/idempotency.js";
import { createSqliteIdempotencyStore } from "../../../src/http/idempotency-store.js";
import { harness } from "./harness.js";

const send = { to: "+33612345678", text: "once only" };

describe("Idempotency-Key header parsing (draft-07 §2.1)", () => {
  it("accepts a structured-field string or a bare token, refuses the rest", () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe(
      "8e03978e-40d5-43e8-bc93-6894a57f9324",
    );
    expect(parseIdempotencyKey('"a\\"b"')).toBe('a"b');
    expect(parseIdempotencyKey("order-42")).toBe("order-42");
    for (const bad of ["", '"', '""', '"unterminated', "has space", "x".repeat(256), "é"]) {
      expect(parseIdempotencyKey(bad), bad).toBeUndefined();
    }
  });
});

for (const [name, makeStore] of [
  ["memory", () => createMemoryIdempotencyStore()],
  ["sqlite", () => createSqliteIdempotencyStore(new Database(":memory:"))],
] as const) {
  describe(`idempotent POST (${name} store)`, () => {
    it("same key and body → the stored response is replayed, the engine called once", async () => {
      const { call, messages } = harness({ deps: { idempotency: makeStore() } });
      const headers = { "idempotency-key": "k1" };
      const a = await call("POST", "/v1/messages", { body: send, headers });
      const b = await call("POST", "/v1/messages", { body: send, headers });
      expect(a.status).toBe(202);
      expect(b.status).toBe(202);
      expect(await b.text()).toBe(await a.text());
      expect(b.headers.get("location")).toBe(a.headers.get("location"));
      expect(b.headers.get("idempotent-replayed")).toBe("true");
      expect(messages.enqueued).toHaveLength(1);
    });

    it("same key with a different body → 422; the original stays replayable", async () => {
      const { call } = harness({ deps: { idempotency: makeStore() } });
      const headers = { "idempotency-key": "k2" };
      expect((await call("POST", "/v1/messages", { body: send, headers })).status).toBe(202);
      const other = await call("POST", "/v1/messages", { body: { ...send, text: "twice" }, headers });
      expect(other.status).toBe(422);
      expect(((await other.json()) as { type: string }).type).toBe(
        "https://smsgw.dev/problems/idempotency-key-reuse",
      );
      expect((await call("POST", "/v1/messages", { body: send, headers })).status).toBe(202);
    });

    it("same key while the first request is in flight → 409", async () => {
      const { call, messages } = harness({ deps: { idempotency: makeStore() } });
      messages.delayMs = 300;
      const headers = { "idempotency-key": "k3" };
      const first = call("POST", "/v1/messages", { body: send, headers });
      await new Promise((r) => setTimeout(r, 5));
      const second = await call("POST", "/v1/messages", { body: send, headers });
      expect(second.status).toBe(409);
      expect(((await second.json()) as { type: string }).type).toBe(
        "https://smsgw.dev/problems/idempotency-in-flight",
      );
      expect((await first).status).toBe(202);
      expect(messages.enqueued).toHaveLength(1);
    });

    it("keys are scoped per API key: another client's identical key is a new request", async () => {
      const { call, messages } = harness({ deps: { idempotency: makeStore() } });
      const headers = { "idempotency-key": "shared" };
      await call("POST", "/v1/messages", { key: "send", body: send, headers });
      await call("POST", "/v1/messages", { key: "admin", body: send, headers });
      expect(messages.enqueued).toHaveLength(2);
    });

    it("error responses are replayed too (a 409 stays a 409), but a 5xx is not stored", async () => {
      const { call, messages } = harness({ deps: { idempotency: makeStore() } });
      await call("POST", "/v1/messages", { body: send });
      const headers = { "idempotency-key": "c1" };
      expect((await call("POST", "/v1/messages/msg_1/resend", { headers })).status).toBe(409);
      messages.setStatus("msg_1", "failed");
      expect((await call("POST", "/v1/messages/msg_1/resend", { headers })).status).toBe(409);
      const boom = harness({ deps: { idempotency: makeStore() } });
      boom.messages.enqueue = async () => {
        throw new Error("disk I/O error");
      };
      const h = { "idempotency-key": "c2" };
      expect((await boom.call("POST", "/v1/messages", { body: send, headers: h })).status).toBe(500);
      boom.messages.enqueue = async () => ({ id: "m", status: "queued", coding: "gsm7", parts: 1 });
      expect((await boom.call("POST", "/v1/messages", { body: send, headers: h })).status).toBe(202);
    });

    it("400 for an invalid key; GET ignores the header", async () => {
      const { call } = harness({ deps: { idempotency: makeStore() } });
      const bad = await call("POST", "/v1/messages", { body: send, headers: { "idempotency-key": "a b" } });
      expect(bad.status).toBe(400);
      expect((await call("GET", "/v1/messages", { headers: { "idempotency-key": "a b" } })).status).toBe(200);
    });
  });
}

describe("idempotency store expiry", () => {
  const stores: [string, (t: { ttlMs: number; lockMs: number }) => IdempotencyStore][] = [
    ["memory", (t) => createMemoryIdempotencyStore(t)],
    ["sqlite", (t) => createSqliteIdempotencyStore(new Database(":memory:"), t)],
  ];
  for (const [name, make] of stores) {
    it(`${name}: a completed key expires after the TTL, an abandoned claim after the lock time`, () => {
      const s = make({ ttlMs: 1000, lockMs: 100 });
      const r = { status: 202, contentType: "application/json", location: null, body: "{}" };
      expect(s.begin("a", "k", "fp", 0).kind).toBe("started");
      s.complete("a", "k", r, 0);
      expect(s.begin("a", "k", "fp", 999)).toEqual({ kind: "completed", response: r });
      expect(s.begin("a", "k", "other", 1000).kind).toBe("started");
      expect(s.begin("a", "k", "other", 1050).kind).toBe("in-flight");
      expect(s.begin("a", "k", "other", 1100).kind).toBe("started");
      s.complete("a", "k", r, 1100);
      expect(s.purgeExpired(1500)).toBe(0);
      expect(s.purgeExpired(2100)).toBe(1);
      expect(s.begin("a", "k", "fp", 2100).kind).toBe("started");
    });
  }
});

describe("expired keys are purged from requests, without a timer", () => {
  it("a key older than 24 h is gone after a later POST, so it can be reused freely", async () => {
    let now = Date.parse("2026-11-26T10:00:00Z");
    const db = new Database(":memory:");
    const { call, messages } = harness({
      now: () => now,
      deps: { idempotency: createSqliteIdempotencyStore(db) },
    });
    await call("POST", "/v1/messages", { body: send, headers: { "idempotency-key": "old" } });
    const rows = () => (db.prepare("SELECT COUNT(*) AS n FROM http_idempotency").get() as { n: number }).n;
    expect(rows()).toBe(1);
    now += 25 * 3600_000;
    await call("POST", "/v1/messages", { body: send });
    expect(rows()).toBe(0);
    expect(messages.enqueued).toHaveLength(2);
  });
});
