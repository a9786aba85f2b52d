/**
 * Migration 4: GDPR erasure (art. 17) without losing an objection (art. 21(3)).
 *
 * - suppression_hashes: what survives the erasure of a contact who had objected. The number itself
 *   is gone; only HMAC-SHA256(pepper, e164) is kept (CNIL retention referential for prospection:
 *   opposition data kept minimal, "a hash/fingerprint of the number"), so a later send to the same
 *   number is still refused and a later inbound from it restores the suppression. `scope` is 'all'
 *   for an opt-out (every category blocked) or the consent purpose that was withdrawn (e.g.
 *   'marketing': only that purpose blocked). `since` is when the objection was made.
 * - erasures: the accountability log of art. 5(2) (the controller must be able to show that a
 *   request was honoured), with no personal data: an id, when, who asked (API key name), how many
 *   rows went, and the first hex digits of the hash when one was kept.
 */
export const m004Erasure = {
  version: 4,
  name: "erasure",
  sql: `
CREATE TABLE IF NOT EXISTS suppression_hashes (
  hash TEXT NOT NULL,
  scope TEXT NOT NULL,
  since INTEGER NOT NULL,
  erased_at INTEGER NOT NULL,
  PRIMARY KEY (hash, scope)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS erasures (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  requested_by TEXT,
  hash_prefix TEXT,
  counts TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS erasures_at ON erasures(at);
`,
};
