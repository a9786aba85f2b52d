/**
 * Thread store functions on a real migrated database: the status machine (inbound, agent reply,
 * resolve, reopen), KPI marks, webhook rows and bus events written with each change, context merge.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  ConversationError,
  getThread,
  noteKeyword,
  openOrReopenOnInbound,
  recordOutbound,
  type Thread,
} from "../../../src/conversation/threads.js";
import { assign, reopen, resolve, setContext } from "../../../src/conversation/threads-actions.js";
import { threadTimeline } from "../../../src/conversation/threads-query.js";
import { type ConversationChangedEvent, EventBus, type GatewayEvents } from "../../../src/events.js";
import { type Db, openDb } from "../../../src/store/db.js";
import { createIdFactory } from "../../../src/store/ids.js";
import { runTx, type StoreDeps, type Tx } from "../../../src/store/tx.js";

const A = "+33612345678";
let db: Db;
let t0: number;
let now: number;
let store: StoreDeps;
let seen: ConversationChangedEvent[];

beforeEach(() => {
  db = openDb({ path: ":memory:" });
  t0 = Date.UTC(2026, 10, 26, 9, 0, 0);
  now = t0;
  const bus = new EventBus<GatewayEvents>();
  seen = [];
  for (const k of ["opened", "reopened", "assigned", "resolved", "updated"] as const)
    bus.on(`conversation.${k}`, (e) => seen.push(e));
  store = { db, bus, ids: createIdFactory(), now: () => now };
});

const tx = <T>(fn: (tx: Tx) => T, advanceMs = 60_000): T => {
  now += advanceMs;
  return runTx(store, fn);
};
const inbound = (msg = "m", modemId = "imei:1") =>
  tx((t) => openOrReopenOnInbound(t, { contact: A, modemId, messageId: msg }));
const reply = (th: Thread, msg: string, agent: string | null = "alice") =>
  tx((t) => recordOutbound(t, getThread(t, th.id)!, { messageId: msg, agent }));
const outbox = () =>
  (
    db.prepare("SELECT event_type, payload FROM webhook_outbox ORDER BY id").all() as {
      event_type: string;
      payload: string;
    }[]
  ).map((r): Record<string, unknown> => ({ ...(JSON.parse(r.payload) as object), type: r.event_type }));

describe("status machine", () => {
  it("first inbound opens the thread on the SIM it arrived on; a second one changes nothing but the times", () => {
    const first = inbound("in1", "imei:2");
    expect(first.effect).toBe("opened");
    expect(first.thread).toMatchObject({ contact: A, status: "open", modem: "imei:2", reopenCount: 0 });
    expect(first.thread.openedAt).toBe(now);
    const again = inbound("in2", "imei:3");
    expect(again.effect).toBe("none");
    expect(again.thread).toMatchObject({ id: first.thread.id, status: "open", modem: "imei:3" });
    expect(again.thread.lastInboundAt).toBe(now);
    expect(again.thread.openedAt).toBe(first.thread.openedAt);
    expect(outbox().map((e) => e.type)).toEqual(["conversation.opened"]);
    expect(seen.map((e) => e.change)).toEqual(["opened"]);
  });

  it("agent reply: open → pending with the first response time; the customer's answer returns it to open", () => {
    const { thread } = inbound();
    const opened = now;
    const pending = reply(thread, "out1");
    expect(pending).toMatchObject({ status: "pending", firstResponseAt: opened + 60_000 });
    const second = reply(pending, "out2");
    expect(second.firstResponseAt).toBe(opened + 60_000);
    expect(second.lastOutboundAt).toBe(now);
    const back = inbound("in2");
    expect(back.effect).toBe("returned");
    expect(back.thread.status).toBe("open");
    const rows = outbox();
    expect(rows.map((r) => [r.type, r.change, r.status])).toEqual([
      ["conversation.opened", undefined, "open"],
      ["conversation.updated", "replied", "pending"],
      ["conversation.updated", "replied", "pending"],
      ["conversation.updated", "customer-replied", "open"],
    ]);
    expect(rows[1]).toMatchObject({ firstResponseMs: 60_000, actor: "agent:alice", messageId: "out1" });
    expect(rows[2]?.firstResponseMs).toBeUndefined();
  });

  it("resolve carries the cycle's KPIs, is idempotent, and an inbound reopens with a new cycle", () => {
    const { thread } = inbound();
    reply(thread, "out1");
    const r = tx((t) => resolve(t, thread.id, { agent: "bob" }), 300_000);
    expect(r).toMatchObject({ status: "resolved", resolvedAt: now });
    const again = tx((t) => resolve(t, thread.id));
    expect(again.resolvedAt).toBe(r.resolvedAt);
    const resolvedRows = outbox().filter((e) => e.type === "conversation.resolved");
    expect(resolvedRows).toHaveLength(1);
    expect(resolvedRows[0]).toMatchObject({
      firstResponseMs: 60_000,
      resolutionMs: 360_000,
      actor: "agent:bob",
    });
    const back = inbound("in2", "imei:9");
    expect(back.effect).toBe("reopened");
    expect(back.thread).toMatchObject({
      status: "open",
      reopenCount: 1,
      openedAt: now,
      firstResponseAt: null,
      resolvedAt: null,
      modem: "imei:9",
    });
  });

  it("a reply to a resolved thread and a reopen of an open one are invalid transitions that change nothing", () => {
    const { thread } = inbound();
    expect(() => tx((t) => reopen(t, thread.id))).toThrow(ConversationError);
    tx((t) => resolve(t, thread.id));
    const before = outbox().length;
    try {
      reply(thread, "out1");
      expect.unreachable();
    } catch (e) {
      expect((e as ConversationError).code).toBe("invalid_transition");
    }
    expect(outbox()).toHaveLength(before);
    expect(tx((t) => getThread(t, thread.id))?.status).toBe("resolved");
    const reopened = tx((t) => reopen(t, thread.id, "carol"));
    expect(reopened).toMatchObject({ status: "open", reopenCount: 1 });
    expect(outbox().at(-1)).toMatchObject({ type: "conversation.reopened", actor: "agent:carol" });
  });

  it("unknown ids are not_found", () => {
    for (const fn of [
      (t: Tx) => assign(t, "nope", "a"),
      (t: Tx) => resolve(t, "nope"),
      (t: Tx) => reopen(t, "nope"),
      (t: Tx) => setContext(t, "nope", { a: "b" }),
    ])
      expect(() => tx(fn)).toThrow(expect.objectContaining({ code: "not_found" }));
  });
});

describe("assignment, flags, context, keywords", () => {
  it("assign writes one event per real change and keeps the agent across a reopening", () => {
    const { thread } = inbound();
    tx((t) => assign(t, thread.id, "alice"));
    tx((t) => assign(t, thread.id, "alice"));
    tx((t) => resolve(t, thread.id));
    expect(inbound("in2").thread.assignedAgent).toBe("alice");
    tx((t) => assign(t, thread.id, null, "lead"));
    const rows = outbox().filter((e) => e.type === "conversation.assigned");
    expect(rows.map((r) => [r.agent, r.previousAgent, r.actor])).toEqual([
      ["alice", null, "agent:alice"],
      [null, "alice", "agent:lead"],
    ]);
  });

  it("an open agent flag blocks resolve until the agent says it was handled, which resolves the flag too", () => {
    const { thread } = inbound();
    db.prepare(
      "INSERT INTO agent_flags (contact, inbound_message_id, reason, detail, due_at, created_at) VALUES (?, 'in', 'intent-optout', 'arrêtez', ?, ?)",
    ).run(A, now + 86_400_000, now);
    expect(() => tx((t) => resolve(t, thread.id))).toThrow(/open agent flag/);
    const r = tx((t) => resolve(t, thread.id, { flagsHandled: true }));
    expect(r.status).toBe("resolved");
    expect(db.prepare("SELECT resolved_at FROM agent_flags").get()).toEqual({ resolved_at: now });
    expect(outbox().at(-1)).toMatchObject({ type: "conversation.resolved", flagsResolved: 1 });
  });

  it("context merges, null removes, no-op writes nothing, bad values are typed errors", () => {
    const { thread } = inbound();
    tx((t) => setContext(t, thread.id, { order: "CMD-1042", shop: "Lyon 2", priority: 2 }, "alice"));
    const c = tx((t) => setContext(t, thread.id, { shop: null, ticket: "T-9" }));
    expect(c.context).toEqual({ order: "CMD-1042", priority: 2, ticket: "T-9" });
    const n = outbox().length;
    tx((t) => setContext(t, thread.id, { order: "CMD-1042" }));
    expect(outbox()).toHaveLength(n);
    expect(() => tx((t) => setContext(t, thread.id, { order: "x".repeat(501) }))).toThrow(
      expect.objectContaining({ code: "invalid", field: "fields.order" }),
    );
    expect(() => tx((t) => setContext(t, thread.id, { nested: {} as unknown as string }))).toThrow(
      ConversationError,
    );
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect(() => tx((t) => setContext(t, thread.id, many))).toThrow(/at most 50 keys/);
    expect(tx((t) => getThread(t, thread.id))?.context).toEqual({
      order: "CMD-1042",
      priority: 2,
      ticket: "T-9",
    });
  });

  it("a keyword is noted on the timeline of an existing thread and moves nothing", () => {
    tx((t) => noteKeyword(t, { contact: A, messageId: "k0", keyword: "HELP", kind: "help" }));
    expect(db.prepare("SELECT COUNT(*) AS n FROM conversations").get()).toEqual({ n: 0 });
    const { thread } = inbound();
    tx((t) => resolve(t, thread.id));
    tx((t) => noteKeyword(t, { contact: A, messageId: "k1", keyword: "STOP", kind: "optout" }));
    expect(tx((t) => getThread(t, thread.id))?.status).toBe("resolved");
    expect(threadTimeline(db, thread.id).map((e) => e.type)).toEqual(["opened", "resolved", "keyword"]);
  });

  it("deleting the thread by contact (GDPR erasure) takes its timeline with it", () => {
    const { thread } = inbound();
    reply(thread, "o");
    db.prepare("DELETE FROM conversations WHERE contact = ?").run(A);
    expect(db.prepare("SELECT COUNT(*) AS n FROM conversation_events").get()).toEqual({ n: 0 });
  });
});
