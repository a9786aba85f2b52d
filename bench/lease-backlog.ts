/**
 * Leasing under a backlog: N marketing messages scheduled for tomorrow (a campaign waiting for its
 * window), or due now (a campaign sending), and a trickle of due transactional ones. Measures, on a DB file with the engine's
 * pragmas, the store's lease call that finds a due part, the next lease call (nothing due: the idle
 * worker's poll; or the next marketing part) and `nextDueAt`, in µs per call (median of the trickle).
 * Run: `npx tsx bench/lease-backlog.ts` (prints a Markdown table).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { EventBus } from "../src/events.js";
import { PRIORITY } from "../src/queue/config.js";
import { openDb } from "../src/store/db.js";
import { createIdFactory } from "../src/store/ids.js";
import { type LeaseRequest, leasePart, nextDueAt } from "../src/store/lease.js";
import { migrate } from "../src/store/migrate.js";
import { insertMessage } from "../src/store/outbox.js";
import { runTx, type StoreDeps, type Tx } from "../src/store/tx.js";
import { median } from "./lib/timing.js";

const SIZES = [0, 10_000, 50_000];
const TRICKLE = 200;
const DAY = 86_400_000;
const PDU = "0011000B915121551532F40000AA0BE8329BFD4697D9EC37";

function message(tx: Tx, i: number, category: "transactional" | "marketing", sendAt: number | null): void {
  insertMessage(tx, {
    to: `+4915${String(1_000_000 + i).padStart(8, "0")}`,
    text: "bench",
    category,
    coding: "gsm7",
    priority: PRIORITY[category],
    sendAt,
    validUntil: null,
    statusReport: false,
    modemPin: null,
    idempotencyKey: null,
    concatRef: null,
    categorySource: null,
    parts: [{ pdu: PDU, tpduLength: 24 }],
  });
}

function run(n: number, later: boolean): { hit: number; miss: number; due: number } {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-lease-"));
  const db = openDb({ path: join(dir, "gw.db") });
  migrate(db);
  let t = Date.UTC(2026, 10, 26, 12);
  const store: StoreDeps = { db, bus: new EventBus(), ids: createIdFactory(), now: () => t };
  runTx(store, (tx) => {
    for (let i = 0; i < n; i++) message(tx, i, "marketing", later ? tx.at + DAY : null);
  });
  db.exec("ANALYZE");
  const req: LeaseRequest = {
    modemId: "m1",
    owner: "bench",
    leaseMs: 60_000,
    healthy: ["m1", "m2"],
    stickySince: 0,
    stickyFallback: "move",
    recipientCapReached: false,
    recipientSince: 0,
    compliance: null,
  };
  const hit: number[] = [];
  const miss: number[] = [];
  const due: number[] = [];
  for (let i = 0; i < TRICKLE; i++) {
    t += 1000;
    runTx(store, (tx) => message(tx, n + i, "transactional", null));
    runTx(store, (tx) => {
      let s = performance.now();
      if (!leasePart(tx, req)) throw new Error("the due part was not leased");
      hit.push((performance.now() - s) * 1000);
      s = performance.now();
      const other = leasePart(tx, req);
      if (later ? other : n > i && !other) throw new Error("wrong part leased");
      miss.push((performance.now() - s) * 1000);
      s = performance.now();
      nextDueAt(tx);
      due.push((performance.now() - s) * 1000);
    });
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { hit: median(hit), miss: median(miss), due: median(due) };
}

const f = (x: number) => x.toFixed(1);
for (const later of [true, false]) {
  const rows = SIZES.map((n) => ({ n, ...run(n, later) }));
  const what = later ? "scheduled for tomorrow" : "due now (a campaign sending)";
  const then = later ? "nothing due" : "next marketing part";
  console.log(`\nBacklog of marketing parts ${what}, plus ${TRICKLE} due transactional messages`);
  console.log(
    [
      `| backlog | lease, due transactional (µs) | lease, ${then} (µs) | nextDueAt (µs) |`,
      "|---:|---:|---:|---:|",
      ...rows.map((r) => `| ${r.n.toLocaleString("en")} | ${f(r.hit)} | ${f(r.miss)} | ${f(r.due)} |`),
    ].join("\n"),
  );
}
