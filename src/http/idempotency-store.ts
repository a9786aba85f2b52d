/**
 * SQLite implementation of IdempotencyStore. Owns its table (`http_idempotency`), created with
 * IF NOT EXISTS so it can share the gateway's database without a migration of the engine's.
 * better-sqlite3 is synchronous, so `begin` is one immediate transaction: two requests with the
 * same key cannot both claim it.
 */
import type Database from "better-sqlite3";
import {
  type BeginResult,
  DEFAULT_LOCK_MS,
  DEFAULT_TTL_MS,
  type IdempotencyStore,
  type IdempotencyTiming,
  type StoredResponse,
} from "./idempotency.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS http_idempotency (
  scope        TEXT    NOT NULL,
  key          TEXT    NOT NULL,
  fingerprint  TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  status       INTEGER,
  content_type TEXT,
  location     TEXT,
  body         TEXT,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS http_idempotency_created ON http_idempotency (created_at);
`;

interface Row {
  fingerprint: string;
  created_at: number;
  status: number | null;
  content_type: string | null;
  location: string | null;
  body: string | null;
}

export function createSqliteIdempotencyStore(
  db: Database.Database,
  t: IdempotencyTiming = {},
): IdempotencyStore {
  const ttl = t.ttlMs ?? DEFAULT_TTL_MS;
  const lock = t.lockMs ?? DEFAULT_LOCK_MS;
  db.exec(SCHEMA);
  const select = db.prepare<[string, string], Row>(
    "SELECT fingerprint, created_at, status, content_type, location, body FROM http_idempotency WHERE scope = ? AND key = ?",
  );
  const upsert = db.prepare(
    `INSERT INTO http_idempotency (scope, key, fingerprint, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint, created_at = excluded.created_at,
       status = NULL, content_type = NULL, location = NULL, body = NULL`,
  );
  const finish = db.prepare(
    "UPDATE http_idempotency SET status = ?, content_type = ?, location = ?, body = ? WHERE scope = ? AND key = ?",
  );
  const del = db.prepare("DELETE FROM http_idempotency WHERE scope = ? AND key = ? AND status IS NULL");
  const purge = db.prepare("DELETE FROM http_idempotency WHERE created_at <= ?");

  const begin = db.transaction((scope: string, key: string, fp: string, now: number): BeginResult => {
    const row = select.get(scope, key);
    const done = row?.status != null;
    const expired = row && (now - row.created_at >= ttl || (!done && now - row.created_at >= lock));
    if (!row || expired) {
      upsert.run(scope, key, fp, now);
      return { kind: "started" };
    }
    if (row.fingerprint !== fp) return { kind: "mismatch" };
    if (!done) return { kind: "in-flight" };
    const response: StoredResponse = {
      status: row.status as number,
      contentType: row.content_type,
      location: row.location,
      body: row.body ?? "",
    };
    return { kind: "completed", response };
  });

  return {
    begin: (scope, key, fp, now) => begin.immediate(scope, key, fp, now),
    complete(scope, key, r) {
      finish.run(r.status, r.contentType, r.location, r.body, scope, key);
    },
    release(scope, key) {
      del.run(scope, key);
    },
    purgeExpired(now) {
      return purge.run(now - ttl).changes;
    },
  };
}
