import { describe, expect, it } from "vitest";
import { EventBus } from "../../../src/events.js";
import { type Category, PRIORITY } from "../../../src/queue/config.js";
import { openDb } from "../../../src/store/db.js";
import { createIdFactory } from "../../../src/store/ids.js";
import { type LeaseRequest, leasePart, NEXT_DUE_SQL, nextDueAt } from "../../../src/store/lease.js";
import { migrate } from "../../../src/store/migrate.js";
import { insertMessage } from "../../../src/store/outbox.js";
import { runTx, type StoreDeps } from "../../../src/store/tx.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 26, 12);

function setup() {
  const db = openDb({ path: ":memory:" });
  migrate(db);
  let t = T0;
  const store: StoreDeps = { db, bus: new EventBus(), ids: createIdFactory(), now: () => t };
  const add = (n: number, category: Category, sendAt: number | null, modemPin: string | null = null) =>
    runTx(store, (tx) =>
      Array.from(
        { length: n },
        (_, i) =>
          insertMessage(tx, {
            to: `+49151${String(i).padStart(7, "0")}`,
            text: "x",
            category,
            coding: "gsm7",
            priority: PRIORITY[category],
            sendAt,
            validUntil: null,
            statusReport: false,
            modemPin,
            idempotencyKey: null,
            concatRef: null,
            categorySource: null,
            parts: [{ pdu: "00", tpduLength: 1 }],
          }).id,
      ),
    );
  const req: LeaseRequest = {
    modemId: "m1",
    owner: "test",
    leaseMs: 60_000,
    healthy: ["m1", "m2"],
    stickySince: 0,
    stickyFallback: "move",
    recipientCapReached: false,
    recipientSince: 0,
    compliance: null,
  };
  const lease = () => runTx(store, (tx) => leasePart(tx, req)?.messageId);
  return { db, store, add, lease, advance: (ms: number) => (t += ms) };
}

describe("leasing under a scheduled backlog", () => {
  it("leases a due transactional part ahead of 5,000 parts scheduled for tomorrow", () => {
    const { store, add, lease } = setup();
    add(5000, "marketing", T0 + DAY);
    const [due] = add(1, "transactional", null);
    expect(lease()).toBe(due);
    expect(lease()).toBeUndefined();
    expect(runTx(store, (tx) => nextDueAt(tx))).toBe(T0 + DAY);
  });

  it("leases the scheduled parts once their time comes, in priority then id order", () => {
    const { add, lease, advance } = setup();
    const later = add(3, "marketing", T0 + DAY);
    expect(lease()).toBeUndefined();
    advance(DAY);
    expect([lease(), lease(), lease(), lease()]).toEqual([...later, undefined]);
  });

  it("keeps the same order and eligibility whether few or many parts are due", () => {
    // 100 due parts: the first leases walk the priority order, the last ones read the due range;
    // the sequence must be one ordering throughout, and parts pinned elsewhere never leased.
    const { add, lease } = setup();
    const marketing = add(80, "marketing", null);
    add(5, "transactional", null, "m2");
    const transactional = add(20, "transactional", null);
    add(500, "transactional", T0 + DAY);
    const got: string[] = [];
    for (let id = lease(); id !== undefined; id = lease()) got.push(id);
    expect(got).toEqual([...transactional.sort(), ...marketing.sort()]);
  });

  it("finds the next due time from the due index, not by reading every pending part", () => {
    const { db } = setup();
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${NEXT_DUE_SQL}`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join("\n")).toMatch(/USING (COVERING )?INDEX parts_due/);
  });
});
