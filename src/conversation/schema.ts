/**
 * The conversation tables are numbered migration 002 (src/store/migrations/002-conversation.ts) and
 * exist in every database opened through `openDb`. Kept for callers that hold a database built
 * some other way (a bare better-sqlite3 handle in a test): applying it twice is harmless.
 */
import type { Db } from "../store/db.js";
import { m002Conversation } from "../store/migrations/002-conversation.js";

export const CONVERSATION_SCHEMA_SQL = m002Conversation.sql;

export function ensureConversationSchema(db: Db): void {
  db.exec(CONVERSATION_SCHEMA_SQL);
}
