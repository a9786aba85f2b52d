/**
 * Model-based check of the thread state machine: random sequences of inbound messages, keyword
 * notes, agent replies, resolve, reopen and assign, run against the store and against a tiny model.
 * After every step the status, the KPI marks and the webhook rows must agree with the model, and a
 * refused action must have written nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  getThread,
  noteKeyword,
  openOrReopenOnInbound,
  recordOutbound,
  type ThreadStatus,
  threadOfContact,
} from "../../../src/conversation/threads.js";
import { assign, reopen, resolve } from "../../../src/conversation/threads-actions.js";
import { EventBus } from "../../../src/events.js";
import { openDb } from "../../../src/store/db.js";
import { createIdFactory } from "../../../src/store/ids.js";
import { runTx, type Tx } from "../../../src/store/tx.js";

const A = "+33612345678";
type Action = "inbound" | "keyword" | "reply" | "resolve" | "reopen" | "assign-a" | "assign-b" | "unassign";

interface Model {
  exists: boolean;
  status: ThreadStatus;
  reopens: number;
  replied: boolean;
  agent: string | null;
  rows: number;
}

/** What the model expects: the new state, or "refused" for a transition the thread does not have. */
function step(m: Model, a: Action): Model | "refused" {
  const n = { ...m };
  if (a === "keyword") return n;
  if (a === "inbound") {
    if (!m.exists) return { ...n, exists: true, status: "open", rows: m.rows + 1 };
    if (m.status === "resolved")
      return { ...n, status: "open", reopens: m.reopens + 1, replied: false, rows: m.rows + 1 };
    return { ...n, status: "open", rows: m.rows + (m.status === "pending" ? 1 : 0) };
  }
  if (!m.exists) return "refused";
  switch (a) {
    case "reply":
      return m.status === "resolved"
        ? "refused"
        : { ...n, status: "pending", replied: true, rows: m.rows + 1 };
    case "resolve":
      return m.status === "resolved" ? n : { ...n, status: "resolved", rows: m.rows + 1 };
    case "reopen":
      return m.status !== "resolved"
        ? "refused"
        : { ...n, status: "open", reopens: m.reopens + 1, replied: false, rows: m.rows + 1 };
    default: {
      const agent = a === "assign-a" ? "alice" : a === "assign-b" ? "bob" : null;
      return agent === m.agent ? n : { ...n, agent, rows: m.rows + 1 };
    }
  }
}

describe("thread state machine against a model", () => {
  it("agrees on status, reopen count, first response, agent and webhook rows after every step", () => {
    const actions = fc.constantFrom<Action>(
      "inbound",
      "keyword",
      "reply",
      "resolve",
      "reopen",
      "assign-a",
      "assign-b",
      "unassign",
    );
    fc.assert(
      fc.property(fc.array(actions, { minLength: 1, maxLength: 40 }), (seq) => {
        const db = openDb({ path: ":memory:" });
        let now = Date.UTC(2026, 10, 26, 9);
        const store = { db, bus: new EventBus(), ids: createIdFactory(), now: () => now };
        let model: Model = {
          exists: false,
          status: "open",
          reopens: 0,
          replied: false,
          agent: null,
          rows: 0,
        };
        let n = 0;
        const run = (a: Action) => (tx: Tx) => {
          const t = threadOfContact(tx, A);
          if (a === "inbound")
            return openOrReopenOnInbound(tx, { contact: A, modemId: "imei:1", messageId: `i${n}` });
          if (a === "keyword")
            return noteKeyword(tx, { contact: A, messageId: `k${n}`, keyword: "STOP", kind: "optout" });
          if (!t) throw new Error("no thread");
          if (a === "reply") return recordOutbound(tx, t, { messageId: `o${n}`, agent: "alice" });
          if (a === "resolve") return resolve(tx, t.id);
          if (a === "reopen") return reopen(tx, t.id);
          return assign(tx, t.id, a === "assign-a" ? "alice" : a === "assign-b" ? "bob" : null);
        };
        for (const a of seq) {
          n++;
          now += 1000;
          const expected = step(model, a);
          const newCycle =
            expected !== "refused" &&
            ((a === "inbound" && (!model.exists || model.status === "resolved")) || a === "reopen");
          let refused = false;
          try {
            runTx(store, run(a));
          } catch {
            refused = true;
          }
          expect(refused, `${a} after ${JSON.stringify(model)}`).toBe(expected === "refused");
          if (expected !== "refused") model = expected;
          const t = model.exists ? threadOfContact({ db }, A) : undefined;
          expect(t === undefined).toBe(!model.exists);
          if (t) {
            expect(t.status).toBe(model.status);
            expect(t.reopenCount).toBe(model.reopens);
            expect(t.firstResponseAt !== null).toBe(model.replied);
            expect(t.resolvedAt !== null).toBe(model.status === "resolved");
            expect(t.assignedAgent).toBe(model.agent);
            if (newCycle) expect(getThread({ db }, t.id)?.openedAt).toBe(now);
            else expect(t.openedAt).toBeLessThan(now);
          }
          const rows = db.prepare("SELECT COUNT(*) AS n FROM webhook_outbox").get() as { n: number };
          expect(rows.n).toBe(model.rows);
        }
        db.close();
      }),
      { numRuns: 100 },
    );
  });
});
