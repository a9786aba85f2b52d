/**
 * Transaction context shared by the repositories. `runTx` opens one SQLite transaction per state
 * change (architecture §2.1.4) and queues bus events, which are emitted only after the commit: a
 * listener never sees a state that a crash could still roll back.
 */
import type { Statement, Transaction } from "better-sqlite3";
import type { EventBus, GatewayEvents } from "../events.js";
import type { Db } from "./db.js";
import type { IdFactory } from "./ids.js";

export interface StoreDeps {
  readonly db: Db;
  readonly bus: EventBus<GatewayEvents>;
  readonly ids: IdFactory;
  readonly now: () => number;
}

export interface Tx extends StoreDeps {
  /** The transaction's time stamp: one `now` for every row the transaction writes. */
  readonly at: number;
  emit<K extends keyof GatewayEvents>(name: K, ...args: GatewayEvents[K]): void;
}

export function runTx<T>(deps: StoreDeps, fn: (tx: Tx) => T): T {
  const queued: (() => void)[] = [];
  const result = runner(deps.db).immediate(() => {
    queued.length = 0; // a retried body must not emit twice
    const tx: Tx = {
      ...deps,
      at: deps.now(),
      emit: (name, ...args) => {
        queued.push(() => deps.bus.emit(name, ...args));
      },
    };
    return fn(tx);
  }) as T;
  for (const e of queued) e();
  return result;
}

type Runner = Transaction<(body: () => unknown) => unknown>;
const runners = new WeakMap<Db, Runner>();

/**
 * One better-sqlite3 transaction function per connection, taking the body as its argument:
 * `db.transaction(fn)` builds five wrapper functions each time it is called, and the send loop
 * opens one transaction per part (bench/profile: about 2 % of the daemon's CPU went to that).
 */
function runner(db: Db): Runner {
  let r = runners.get(db);
  if (!r) {
    r = db.transaction((body: () => unknown) => body());
    runners.set(db, r);
  }
  return r;
}

/**
 * The caller's transaction as the store of a nested write (better-sqlite3 turns the nested
 * `runTx` into a SAVEPOINT): its bus events are queued on the caller's `tx.emit`, so they are
 * emitted only after the outer commit.
 */
export function deferTo(tx: Tx): StoreDeps {
  const bus = {
    emit: <K extends keyof GatewayEvents>(name: K, ...args: GatewayEvents[K]) => tx.emit(name, ...args),
  } as unknown as EventBus<GatewayEvents>;
  return { db: tx.db, bus, ids: tx.ids, now: () => tx.at };
}

/** Writes a webhook outbox row in the caller's transaction (delivery is the webhook module's job). */
export function writeOutbox(tx: Tx, eventType: string, payload: unknown, contactKey: string | null): void {
  stmt(
    tx.db,
    "INSERT INTO webhook_outbox (event_type, payload, contact_key, created_at) VALUES (?, ?, ?, ?)",
  ).run(eventType, JSON.stringify(payload), contactKey, tx.at);
  tx.emit("outbox.written", { eventType });
}

const cache = new WeakMap<Db, Map<string, Statement>>();

/** Prepared statement cache: preparing is the costly step of a better-sqlite3 query. */
export function stmt(db: Db, sql: string): Statement {
  let m = cache.get(db);
  if (!m) {
    m = new Map();
    cache.set(db, m);
  }
  let s = m.get(sql);
  if (!s) {
    s = db.prepare(sql);
    m.set(sql, s);
  }
  return s;
}
