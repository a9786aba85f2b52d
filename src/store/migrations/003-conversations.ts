/**
 * Migration 3: conversation threads, one per contact (issue #7 item 6), and their timeline.
 *
 * - conversations: `contact` is the E.164 number and is UNIQUE: every exchange with one person, in
 *   both directions, is one thread (the history is read from `messages` and `inbound_messages`, so it
 *   is never copied). `modem` is the engine id of the SIM the customer last wrote to: replies leave
 *   from the number the customer knows. `opened_at`, `first_response_at`, `resolved_at` and
 *   `reopen_count` are the current cycle's KPI marks (first response time, resolution time, first
 *   contact resolution); `opened_at` and `first_response_at` restart when the thread reopens, and the
 *   earlier cycles stay in `conversation_events`. `context` is a JSON object (order, shop, ticket) so
 *   that nobody has to ask the customer again.
 * - conversation_events: append-only timeline (opened, reopened, replied, assigned, resolved, context,
 *   keyword…). ON DELETE CASCADE: the GDPR erasure (art. 17) deletes the thread by contact and its
 *   timeline goes with it (foreign_keys = ON in openDb).
 *
 * Indexes serve the list filters: status, assigned agent, and the default order (last activity, id).
 */
export const m003Conversations = {
  version: 3,
  name: "conversations",
  sql: `
CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  contact TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('open','pending','resolved')),
  assigned_agent TEXT,
  modem TEXT,
  context TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  opened_at INTEGER NOT NULL,
  last_inbound_at INTEGER,
  last_outbound_at INTEGER,
  last_activity_at INTEGER NOT NULL,
  first_response_at INTEGER,
  resolved_at INTEGER,
  reopen_count INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);
CREATE INDEX conversations_activity ON conversations(last_activity_at, id);
CREATE INDEX conversations_status ON conversations(status, last_activity_at, id);
CREATE INDEX conversations_agent ON conversations(assigned_agent, status, last_activity_at, id);

CREATE TABLE conversation_events (
  id INTEGER PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  actor TEXT,
  message_id TEXT,
  detail TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX conversation_events_thread ON conversation_events(conversation_id, id);
CREATE INDEX conversation_events_message ON conversation_events(message_id) WHERE message_id IS NOT NULL;
`,
} as const;
