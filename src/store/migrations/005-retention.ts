/**
 * Migration 5: what the retention jobs (src/retention) need to find old rows without scanning
 * whole tables on every run (GDPR art. 5(1)(e) storage limitation).
 *
 * - `content_purged_at` marks a message whose body (and PDUs, fragments) was blanked: the row stays
 *   for the metadata period, and the API can tell "blanked by retention" from an empty message.
 * - The "body" indexes are partial (only rows not yet blanked), so the hourly body pass reads only
 *   what it may still have to do, not two years of already blanked rows.
 * - The rest index the age column of each table the jobs prune, and the message id of the tables
 *   deleted together with their message.
 */
export const m005Retention = {
  version: 5,
  name: "retention",
  sql: `
ALTER TABLE messages ADD COLUMN content_purged_at INTEGER;
ALTER TABLE inbound_messages ADD COLUMN content_purged_at INTEGER;

CREATE INDEX messages_body_age ON messages(updated_at) WHERE content_purged_at IS NULL;
CREATE INDEX messages_age ON messages(updated_at);
CREATE INDEX inbound_body_age ON inbound_messages(received_at) WHERE content_purged_at IS NULL;
CREATE INDEX inbound_age ON inbound_messages(received_at);
CREATE INDEX status_reports_message ON status_reports(message_id) WHERE message_id IS NOT NULL;
CREATE INDEX status_reports_age ON status_reports(received_at);
CREATE INDEX reassembly_released ON reassembly(released_message_id) WHERE released_message_id IS NOT NULL;
CREATE INDEX inbound_pdus_age ON inbound_pdus(at);
CREATE INDEX quarantine_age ON quarantine(at);
CREATE INDEX idempotency_keys_age ON idempotency_keys(created_at);
CREATE INDEX idempotency_keys_message ON idempotency_keys(message_id);
CREATE INDEX webhook_outbox_age ON webhook_outbox(created_at);
CREATE INDEX IF NOT EXISTS conversation_events_age ON conversation_events(at);
`,
} as const;
