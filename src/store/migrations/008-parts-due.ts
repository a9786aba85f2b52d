/**
 * Migration 8: Indexes that keep leasing and the next-due lookup cheap under a large scheduled backlog.
 * `parts_ready` is ordered by priority, so finding the due parts among 50,000 scheduled for tomorrow
 * walked all of them (bench/lease-backlog.ts: 13 ms per idle poll). Same partial WHERE as
 * `parts_ready`: SQLite uses a partial index only when the query's WHERE implies the index's
 * ("The Partial Index" §2.1, sqlite.org/partialindex.html), and MIN() reads its first entry.
 */
export const m008PartsDue = {
  version: 8,
  name: "parts-due",
  sql: `CREATE INDEX parts_due ON parts(next_attempt_at) WHERE status IN ('queued','scheduled');`,
};
