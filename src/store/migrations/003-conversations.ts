/** Migration 3: Conversation threads (one per contact) and their events; filled by the conversations work. */
export const m003Conversations = {
  version: 3,
  name: "conversations",
  sql: `SELECT 1;`,
};
