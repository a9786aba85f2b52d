/**
 * Delivery state owned by the webhook module, next to the engine's `webhook_outbox`. The engine
 * writes one outbox row per event in the same transaction as the event; the worker copies each
 * row into one delivery per matching endpoint (fan-out), remembering the last outbox id it saw.
 * The body is frozen at fan-out so every retry sends the same bytes under the same webhook-id.
 */
import type Database from "better-sqlite3";

export const WEBHOOK_SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  outbox_id       INTEGER NOT NULL,
  endpoint        TEXT    NOT NULL,
  event_id        TEXT    NOT NULL,
  event_type      TEXT    NOT NULL,
  contact_key     TEXT,
  body            TEXT    NOT NULL,
  state           TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_status     INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  delivered_at    INTEGER,
  UNIQUE (outbox_id, endpoint)
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due
  ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS webhook_deliveries_order
  ON webhook_deliveries (endpoint, contact_key, outbox_id) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS webhook_deliveries_state ON webhook_deliveries (endpoint, state);
-- Retention scans finished deliveries by age (src/retention/jobs-housekeeping.ts); without it the
-- hourly delete reads the whole table.
CREATE INDEX IF NOT EXISTS webhook_deliveries_age
  ON webhook_deliveries (created_at) WHERE state IN ('delivered', 'dead');

CREATE TABLE IF NOT EXISTS webhook_endpoint_state (
  endpoint             TEXT PRIMARY KEY,
  disabled_reason      TEXT,
  last_success_at      INTEGER,
  last_failure_at      INTEGER,
  consecutive_failures INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS webhook_fanout (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  last_outbox_id INTEGER NOT NULL
);
`;

export function ensureWebhookSchema(db: Database.Database): void {
  db.exec(WEBHOOK_SCHEMA);
}
