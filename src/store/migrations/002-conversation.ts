/**
 * Tables of the conversational compliance layer. Migration 002: every database opened through
 * `openDb` has them, so the send path (enqueue and lease) may rely on them. `IF NOT EXISTS` is kept
 * so that a database created while these tables were applied outside the migrations (before
 * user_version 2) upgrades without an error.
 *
 * - contacts: one row per E.164 number, with the zone used for sending windows.
 * - consent_ledger: append-only history (GDPR art. 7(1): the controller must be able to demonstrate
 *   consent); the current consent of a purpose is its latest row. UPDATE is refused by a trigger;
 *   DELETE stays possible for erasure (art. 17), which keeps only the suppression.
 * - suppressions: contacts who opted out, business-wide (every SIM of the install, ecosystem §4.5).
 * - compliance_exempt: keyword replies that pass a suppression (the one opt-out confirmation, the
 *   answer to HELP), written in the transaction that enqueued them.
 * - agent_flags: inbound messages an agent must look at before a deadline (free-text opt-out wish).
 */
export const m002Conversation = {
  version: 2,
  name: "conversation",
  sql: `
CREATE TABLE IF NOT EXISTS contacts (
  e164 TEXT PRIMARY KEY,
  name TEXT,
  region TEXT,
  time_zone TEXT NOT NULL,
  zone_overridden INTEGER NOT NULL DEFAULT 0,
  fields TEXT NOT NULL DEFAULT '{}',
  tags TEXT NOT NULL DEFAULT '[]',
  first_contact_at INTEGER,
  last_contact_at INTEGER,
  last_inbound_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS consent_ledger (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contact TEXT NOT NULL,
  purpose TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('granted','withdrawn')),
  basis TEXT CHECK (basis IS NULL OR basis IN ('opt-in','soft-opt-in')),
  source TEXT NOT NULL CHECK (source IN ('web-form','in-store','sms-keyword','api','import')),
  evidence TEXT NOT NULL DEFAULT '{}',
  at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS consent_ledger_current ON consent_ledger(contact, purpose, id);
CREATE TRIGGER IF NOT EXISTS consent_ledger_append_only BEFORE UPDATE ON consent_ledger
BEGIN SELECT RAISE(ABORT, 'consent_ledger is append-only'); END;

CREATE TABLE IF NOT EXISTS suppressions (
  contact TEXT PRIMARY KEY,
  since INTEGER NOT NULL,
  via TEXT NOT NULL,
  keyword TEXT,
  inbound_message_id TEXT,
  withdrawn_purposes TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE IF NOT EXISTS compliance_exempt (
  message_id TEXT PRIMARY KEY,
  contact TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('optout-confirmation','optin-confirmation','help-reply')),
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS compliance_exempt_contact ON compliance_exempt(contact, created_at);

CREATE TABLE IF NOT EXISTS agent_flags (
  id INTEGER PRIMARY KEY,
  contact TEXT NOT NULL,
  inbound_message_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT,
  due_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  resolved_at INTEGER
);
CREATE INDEX IF NOT EXISTS agent_flags_open ON agent_flags(resolved_at, due_at);
`,
};
