/**
 * OutboxSource over the engine's `webhook_outbox` table (src/store/migrations/001-init). Read-only:
 * per-endpoint delivery state lives in webhook_deliveries (schema.ts), since one row fans out to
 * several endpoints. Columns used: id, event_type, payload (JSON text), contact_key, created_at.
 */
import type Database from "better-sqlite3";
import type { OutboxEvent, OutboxSource } from "./outbox-source.js";

interface Row {
  id: number;
  event_type: string;
  payload: string;
  contact_key: string | null;
  created_at: number;
}

export function sqliteOutboxSource(db: Database.Database): OutboxSource {
  const stmt = db.prepare<[number, number], Row>(
    "SELECT id, event_type, payload, contact_key, created_at FROM webhook_outbox WHERE id > ? ORDER BY id LIMIT ?",
  );
  return {
    after(lastId, limit): OutboxEvent[] {
      return stmt.all(lastId, limit).map((r) => {
        let data: unknown;
        try {
          data = JSON.parse(r.payload);
        } catch {
          // A payload that is not JSON is still delivered (as a string) rather than blocking the feed.
          data = r.payload;
        }
        return { id: r.id, type: r.event_type, contact: r.contact_key, data, createdAt: r.created_at };
      });
    },
  };
}
