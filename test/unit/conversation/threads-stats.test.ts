/**
 * Conversation KPIs from the timeline: first response time, resolution time, first contact
 * resolution, reopenings and load per agent, over a window.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { openOrReopenOnInbound, recordOutbound, threadOfContact } from "../../../src/conversation/threads.js";
import { resolve } from "../../../src/conversation/threads-actions.js";
import { threadStats } from "../../../src/conversation/threads-stats.js";
import { EventBus } from "../../../src/events.js";
import { type Db, openDb } from "../../../src/store/db.js";
import { createIdFactory } from "../../../src/store/ids.js";
import { runTx, type Tx } from "../../../src/store/tx.js";

const [A, B, C] = ["+33612345601", "+33612345602", "+33612345603"] as const;
const T0 = Date.UTC(2026, 10, 26, 8);
let db: Db;
/** Runs `fn` as a transaction stamped T0 + `s` seconds. */
let at: <T>(s: number, fn: (tx: Tx) => T) => T;

beforeEach(() => {
  db = openDb({ path: ":memory:" });
  let now = T0;
  const store = { db, bus: new EventBus(), ids: createIdFactory(), now: () => now };
  at = (s, fn) => {
    now = T0 + s * 1000;
    return runTx(store, fn);
  };
});

const inbound = (s: number, contact: string) =>
  at(s, (tx) => openOrReopenOnInbound(tx, { contact, modemId: "imei:1", messageId: `i${s}` }));
const reply = (s: number, contact: string, agent: string) =>
  at(s, (tx) => recordOutbound(tx, threadOfContact(tx, contact)!, { messageId: `o${s}`, agent }));
const close = (s: number, contact: string, agent: string) =>
  at(s, (tx) => resolve(tx, threadOfContact(tx, contact)!.id, { agent, flagsHandled: true }));

/** A: answered in 60 s, resolved at 300 s. B: 120 s, resolved, reopened, answered in 30 s, resolved. C: waiting. */
function scenario(): void {
  inbound(0, A);
  inbound(10, B);
  inbound(20, C);
  reply(60, A, "alice");
  reply(130, B, "bob");
  reply(140, B, "bob"); // a second reply is not a first response
  close(300, A, "alice");
  close(500, B, "bob");
  inbound(600, B);
  reply(630, B, "alice");
  close(700, B, "alice");
  db.prepare(
    "INSERT INTO agent_flags (contact, inbound_message_id, reason, due_at, created_at) VALUES (?, 'i20', 'intent-optout', 0, 0)",
  ).run(C);
}

describe("threadStats", () => {
  it("computes FRT, resolution time, first contact resolution and per-agent load over the window", () => {
    scenario();
    const st = threadStats(db, T0, T0 + 3_600_000);
    expect(st.current).toEqual({ open: 1, pending: 0, resolved: 2, unassigned: 1, flagged: 1 });
    expect(st.opened).toBe(4);
    expect(st.reopened).toBe(1);
    // First responses 60 s (A), 120 s (B), 30 s (B's second cycle): nearest-rank median and p90.
    expect(st.firstResponse).toEqual({ count: 3, medianSeconds: 60, p90Seconds: 120 });
    // Resolutions 300 s (A), 490 s (B), 100 s (B's second cycle, counted from its reopening).
    expect(st.resolution).toMatchObject({ count: 3, medianSeconds: 300, p90Seconds: 490 });
    expect(st.resolution.firstContactRate).toBeCloseTo(2 / 3);
    expect(st.agents).toEqual([
      { agent: "alice", replies: 2, resolved: 2 },
      { agent: "bob", replies: 2, resolved: 1 },
    ]);
  });

  it("counts only what happened inside the window; an empty window has no figures", () => {
    scenario();
    const late = threadStats(db, T0 + 550_000, T0 + 3_600_000);
    expect(late).toMatchObject({ opened: 1, reopened: 1, firstResponse: { count: 1, medianSeconds: 30 } });
    expect(late.resolution).toMatchObject({ count: 1, medianSeconds: 100, firstContactRate: 0 });
    const none = threadStats(db, T0 - 10_000, T0);
    expect(none.firstResponse).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
    expect(none.resolution.firstContactRate).toBeNull();
    expect(none.agents).toEqual([]);
  });
});
