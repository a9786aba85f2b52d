/**
 * Read side of the engine's durable webhook outbox. Rows are appended in commit order (one SQLite
 * writer), so "everything after the last id seen" is a complete, gap-free feed.
 */
export interface OutboxEvent {
  /** Monotonic outbox row id. */
  readonly id: number;
  /** Stable event id for `webhook-id`; defaults to `evt_<id>`. */
  readonly eventId?: string;
  readonly type: string;
  /** Ordering key: events with the same contact are delivered in order per endpoint. */
  readonly contact: string | null;
  /** JSON-serialisable event data (the `data` member of the Standard Webhooks payload). */
  readonly data: unknown;
  /** ms since epoch when the event was committed. */
  readonly createdAt: number;
}

/**
 * The `type` receivers see. The engine writes one "message.status" row per transition with the new
 * status in `data.to`; receivers subscribe to "message.delivered", "message.failed"… (config
 * WEBHOOK_EVENTS), so the status is folded into the type. Other types pass through unchanged.
 */
export function webhookType(e: Pick<OutboxEvent, "type" | "data">): string {
  if (e.type !== "message.status" || typeof e.data !== "object" || e.data === null) return e.type;
  const to = (e.data as { to?: unknown }).to;
  return typeof to === "string" && /^[a-z_-]{1,32}$/.test(to) ? `message.${to}` : e.type;
}

export interface OutboxSource {
  after(lastId: number, limit: number): readonly OutboxEvent[];
}

/** For tests and for a gateway without an engine outbox. */
export class MemoryOutbox implements OutboxSource {
  #rows: OutboxEvent[] = [];
  #nextId = 1;
  append(e: Omit<OutboxEvent, "id">): OutboxEvent {
    const row = { ...e, id: this.#nextId++ };
    this.#rows.push(row);
    return row;
  }
  after(lastId: number, limit: number): readonly OutboxEvent[] {
    return this.#rows.filter((r) => r.id > lastId).slice(0, limit);
  }
}
