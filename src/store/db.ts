/**
 * Opens the gateway database. One process, one connection: better-sqlite3 is synchronous, so every
 * repository method runs as one `db.transaction(...)` without interleaving (docs/performance.md of
 * better-sqlite3 recommends WAL; a single connection also avoids checkpoint starvation).
 */
import Database from "better-sqlite3";
import { migrate } from "./migrate.js";

export type Db = Database.Database;

export interface OpenDbOptions {
  /** File path, or ":memory:" for tests. */
  readonly path: string;
  /** [0…60000] ms to wait on a locked database, default 5000. */
  readonly busyTimeoutMs?: number;
}

export function openDb({ path, busyTimeoutMs = 5000 }: OpenDbOptions): Db {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  // synchronous=FULL, not NORMAL. SQLite's pragma docs (https://sqlite.org/pragma.html#pragma_synchronous):
  // in WAL mode with NORMAL the WAL is synced only around checkpoints, so "a transaction committed in
  // WAL mode with synchronous=NORMAL might roll back following a power loss or system crash"; FULL
  // adds a sync of the WAL after each commit, which makes every commit durable across a power loss.
  // We acknowledge API requests and let modems delete PDUs from the SIM only after a commit, so a
  // rolled-back commit would lose a message that nobody else holds any more.
  db.pragma("synchronous = FULL");
  db.pragma(`busy_timeout = ${Math.max(0, Math.min(60_000, Math.trunc(busyTimeoutMs)))}`);
  db.pragma("foreign_keys = ON");
  migrate(db);
  return db;
}
