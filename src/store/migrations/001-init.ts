/**
 * Initial schema. Times are INTEGER ms since the epoch (the injected Clock's `now()`).
 * Queue columns (priority, recipient, pin, assigned modem) are copied onto `parts` so that leasing is
 * a single indexed scan of one table.
 */
export const m001Init = {
  version: 1,
  name: "init",
  sql: `
CREATE TABLE modems (
  id TEXT PRIMARY KEY,
  identity TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  disabled_reason TEXT,
  sent_count INTEGER NOT NULL DEFAULT 0,
  failure_count INTEGER NOT NULL DEFAULT 0,
  received_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  to_number TEXT NOT NULL,
  body TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('transactional','conversational','marketing')),
  coding TEXT NOT NULL,
  priority INTEGER NOT NULL,
  status TEXT NOT NULL,
  send_at INTEGER,
  valid_until INTEGER,
  status_report INTEGER NOT NULL DEFAULT 0,
  modem_pin TEXT,
  modem_id TEXT,
  concat_ref INTEGER,
  idempotency_key TEXT,
  error_code TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX messages_to ON messages(to_number, id);
CREATE INDEX messages_status ON messages(status, id);
CREATE INDEX messages_modem ON messages(modem_id, id);

CREATE TABLE parts (
  message_id TEXT NOT NULL REFERENCES messages(id),
  seq INTEGER NOT NULL,
  total INTEGER NOT NULL,
  pdu TEXT NOT NULL,
  tpdu_length INTEGER NOT NULL,
  status TEXT NOT NULL,
  priority INTEGER NOT NULL,
  to_number TEXT NOT NULL,
  modem_pin TEXT,
  modem_id TEXT,
  mr INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  first_attempt_at INTEGER,
  attempt_started INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  next_attempt_at INTEGER NOT NULL,
  valid_until INTEGER,
  avoid_modem TEXT,
  error_code TEXT,
  error_text TEXT,
  sent_at INTEGER,
  delivered_at INTEGER,
  report_status INTEGER,
  PRIMARY KEY (message_id, seq)
);
CREATE INDEX parts_ready ON parts(priority, message_id, seq) WHERE status IN ('queued','scheduled');
CREATE INDEX parts_mr ON parts(modem_id, mr, sent_at) WHERE mr IS NOT NULL;
CREATE INDEX parts_leased ON parts(lease_owner) WHERE lease_owner IS NOT NULL;

CREATE TABLE message_events (
  id INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  part_seq INTEGER,
  from_status TEXT,
  to_status TEXT NOT NULL,
  at INTEGER NOT NULL,
  detail TEXT
);
CREATE INDEX message_events_msg ON message_events(message_id, id);

CREATE TABLE inbound_messages (
  id TEXT PRIMARY KEY,
  modem_id TEXT NOT NULL,
  from_number TEXT NOT NULL,
  text TEXT NOT NULL,
  coding TEXT NOT NULL,
  data_hex TEXT,
  scts TEXT,
  partial INTEGER NOT NULL DEFAULT 0,
  parts_total INTEGER NOT NULL DEFAULT 1,
  parts_received INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'received',
  received_at INTEGER NOT NULL
);
CREATE INDEX inbound_from ON inbound_messages(from_number, id);
CREATE INDEX inbound_modem ON inbound_messages(modem_id, id);

-- Every PDU taken from a modem, keyed by a hash of (modem, PDU): a PDU re-read after a crash
-- (deleted from the SIM only after our commit) is recognised here and not stored twice.
CREATE TABLE inbound_pdus (
  dedupe_key TEXT PRIMARY KEY,
  modem_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL
);

CREATE TABLE reassembly (
  id INTEGER PRIMARY KEY,
  modem_id TEXT NOT NULL,
  originator TEXT NOT NULL,
  ref INTEGER NOT NULL,
  total INTEGER NOT NULL,
  ref_bits INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  released_message_id TEXT
);
CREATE UNIQUE INDEX reassembly_open ON reassembly(modem_id, originator, ref, total, ref_bits)
  WHERE released_message_id IS NULL;
CREATE INDEX reassembly_age ON reassembly(first_at) WHERE released_message_id IS NULL;

CREATE TABLE inbound_parts (
  group_id INTEGER NOT NULL REFERENCES reassembly(id),
  seq INTEGER NOT NULL,
  text TEXT,
  data_hex TEXT,
  coding TEXT NOT NULL,
  scts TEXT,
  pdu TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, seq)
);

CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  modem_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  pdu TEXT NOT NULL,
  error TEXT NOT NULL,
  at INTEGER NOT NULL
);

CREATE TABLE status_reports (
  id INTEGER PRIMARY KEY,
  modem_id TEXT NOT NULL,
  pdu TEXT NOT NULL,
  mr INTEGER NOT NULL,
  recipient TEXT NOT NULL,
  status INTEGER NOT NULL,
  status_class TEXT NOT NULL,
  discharge_time TEXT,
  message_id TEXT,
  part_seq INTEGER,
  received_at INTEGER NOT NULL
);
CREATE INDEX status_reports_unmatched ON status_reports(id) WHERE message_id IS NULL;

CREATE TABLE webhook_outbox (
  id INTEGER PRIMARY KEY,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  contact_key TEXT,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER
);
CREATE INDEX webhook_outbox_pending ON webhook_outbox(state, id);

CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  message_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE sticky_routes (
  contact TEXT PRIMARY KEY,
  modem_id TEXT NOT NULL,
  last_at INTEGER NOT NULL
);

CREATE TABLE modem_recipients (
  modem_id TEXT NOT NULL,
  contact TEXT NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (modem_id, contact)
);

CREATE TABLE daily_counters (
  modem_id TEXT NOT NULL,
  day TEXT NOT NULL,
  parts INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (modem_id, day)
);

CREATE TABLE concat_refs (
  contact TEXT PRIMARY KEY,
  next_ref INTEGER NOT NULL
);
`,
} as const;
