/**
 * Delivery rows (see schema.ts). Every method is one synchronous better-sqlite3 statement or
 * transaction; the worker is the only writer of attempt results.
 */
import type Database from "better-sqlite3";
import { type OutboxEvent, webhookType } from "./outbox-source.js";
import { ensureWebhookSchema } from "./schema.js";

export type DeliveryState = "pending" | "delivered" | "dead";

export interface DeliveryRow {
  id: number;
  outbox_id: number;
  endpoint: string;
  event_id: string;
  event_type: string;
  contact_key: string | null;
  body: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface EndpointStats {
  disabledReason: string | null;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  consecutiveFailures: number;
  pending: number;
  dead: number;
}

export const payloadOf = (e: OutboxEvent): string =>
  JSON.stringify({ type: webhookType(e), timestamp: new Date(e.createdAt).toISOString(), data: e.data });

export class WebhookStore {
  readonly #db: Database.Database;
  readonly #s;

  constructor(db: Database.Database) {
    this.#db = db;
    ensureWebhookSchema(db);
    this.#s = {
      cursor: db.prepare<[], { last_outbox_id: number }>(
        "SELECT last_outbox_id FROM webhook_fanout WHERE id = 1",
      ),
      setCursor: db.prepare(
        "INSERT INTO webhook_fanout (id, last_outbox_id) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET last_outbox_id = excluded.last_outbox_id",
      ),
      insert: db.prepare(
        `INSERT OR IGNORE INTO webhook_deliveries
           (outbox_id, endpoint, event_id, event_type, contact_key, body, state, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      ),
      // A pending delivery waits while an earlier pending one exists for the same endpoint and
      // contact: per-contact order. Dead ones no longer block (they wait for an operator).
      due: db.prepare<[number, string, string, number], DeliveryRow>(
        `SELECT d.* FROM webhook_deliveries d
         WHERE d.state = 'pending' AND d.next_attempt_at <= ?
           AND d.endpoint IN (SELECT value FROM json_each(?))
           AND d.id NOT IN (SELECT value FROM json_each(?))
           AND (d.contact_key IS NULL OR NOT EXISTS (
             SELECT 1 FROM webhook_deliveries e
             WHERE e.endpoint = d.endpoint AND e.contact_key = d.contact_key
               AND e.state = 'pending' AND e.outbox_id < d.outbox_id))
         ORDER BY d.next_attempt_at, d.outbox_id LIMIT ?`,
      ),
      nextDue: db.prepare<[string], { t: number | null }>(
        `SELECT MIN(next_attempt_at) AS t FROM webhook_deliveries
         WHERE state = 'pending' AND endpoint IN (SELECT value FROM json_each(?))`,
      ),
      ok: db.prepare(
        "UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ?, next_attempt_at = NULL WHERE id = ?",
      ),
      fail: db.prepare(
        "UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
      ),
      epSuccess: db.prepare(
        `INSERT INTO webhook_endpoint_state (endpoint, last_success_at, consecutive_failures) VALUES (?, ?, 0)
         ON CONFLICT (endpoint) DO UPDATE SET last_success_at = excluded.last_success_at, consecutive_failures = 0`,
      ),
      epFailure: db.prepare(
        `INSERT INTO webhook_endpoint_state (endpoint, last_failure_at, consecutive_failures) VALUES (?, ?, 1)
         ON CONFLICT (endpoint) DO UPDATE SET last_failure_at = excluded.last_failure_at,
           consecutive_failures = consecutive_failures + 1`,
      ),
      epDisable: db.prepare(
        `INSERT INTO webhook_endpoint_state (endpoint, disabled_reason) VALUES (?, ?)
         ON CONFLICT (endpoint) DO UPDATE SET disabled_reason = excluded.disabled_reason`,
      ),
      epState: db.prepare<[string], Omit<EndpointStats, "pending" | "dead">>(
        `SELECT disabled_reason AS disabledReason, last_success_at AS lastSuccessAt,
                last_failure_at AS lastFailureAt, consecutive_failures AS consecutiveFailures
         FROM webhook_endpoint_state WHERE endpoint = ?`,
      ),
      counts: db.prepare<[string], { pending: number; dead: number }>(
        `SELECT COALESCE(SUM(state = 'pending'), 0) AS pending, COALESCE(SUM(state = 'dead'), 0) AS dead
         FROM webhook_deliveries WHERE endpoint = ?`,
      ),
      get: db.prepare<[number], DeliveryRow>("SELECT * FROM webhook_deliveries WHERE id = ?"),
      replay: db.prepare(
        "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL WHERE id = ? AND state = 'dead'",
      ),
      replayEndpoint: db.prepare(
        "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL WHERE endpoint = ? AND state = 'dead'",
      ),
    };
  }

  /** Copies outbox rows after the cursor into deliveries, in one transaction with the cursor move. */
  fanOut(
    events: readonly OutboxEvent[],
    endpointsFor: (e: OutboxEvent) => readonly string[],
    now: number,
  ): number {
    let n = 0;
    this.#db.transaction(() => {
      for (const e of events) {
        const body = payloadOf(e);
        const type = webhookType(e);
        for (const ep of endpointsFor(e)) {
          n += this.#s.insert.run(
            e.id,
            ep,
            e.eventId ?? `evt_${e.id}`,
            type,
            e.contact,
            body,
            now,
            now,
          ).changes;
        }
        this.#s.setCursor.run(e.id);
      }
    })();
    return n;
  }

  lastOutboxId(): number {
    return this.#s.cursor.get()?.last_outbox_id ?? 0;
  }

  due(now: number, endpoints: readonly string[], inFlight: Iterable<number>, limit: number): DeliveryRow[] {
    return this.#s.due.all(now, JSON.stringify(endpoints), JSON.stringify([...inFlight]), limit);
  }

  nextDueAt(endpoints: readonly string[]): number | null {
    return this.#s.nextDue.get(JSON.stringify(endpoints))?.t ?? null;
  }

  recordSuccess(row: DeliveryRow, status: number, now: number): void {
    this.#db.transaction(() => {
      this.#s.ok.run(status, now, row.id);
      this.#s.epSuccess.run(row.endpoint, now);
    })();
  }

  /** `nextAt` undefined → dead letter. */
  recordFailure(
    row: DeliveryRow,
    status: number | null,
    error: string,
    nextAt: number | undefined,
    now: number,
  ): void {
    this.#db.transaction(() => {
      this.#s.fail.run(nextAt === undefined ? "dead" : "pending", status, error, nextAt ?? null, row.id);
      this.#s.epFailure.run(row.endpoint, now);
    })();
  }

  setDisabled(endpoint: string, reason: string | null): void {
    this.#s.epDisable.run(endpoint, reason);
  }

  stats(endpoint: string): EndpointStats {
    const st = this.#s.epState.get(endpoint);
    const c = this.#s.counts.get(endpoint) ?? { pending: 0, dead: 0 };
    return {
      disabledReason: st?.disabledReason ?? null,
      lastSuccessAt: st?.lastSuccessAt ?? null,
      lastFailureAt: st?.lastFailureAt ?? null,
      consecutiveFailures: st?.consecutiveFailures ?? 0,
      pending: c.pending,
      dead: c.dead,
    };
  }

  get(id: number): DeliveryRow | undefined {
    return this.#s.get.get(id);
  }

  list(filter: { state?: DeliveryState; endpoint?: string; limit: number }): DeliveryRow[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.state) where.push("state = ?") && args.push(filter.state);
    if (filter.endpoint) where.push("endpoint = ?") && args.push(filter.endpoint);
    const sql = `SELECT * FROM webhook_deliveries ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
    return this.#db.prepare<(string | number)[], DeliveryRow>(sql).all(...args, filter.limit);
  }

  /** Dead → pending with a fresh schedule. Returns false when the row is not dead. */
  replay(id: number, now: number): boolean {
    return this.#s.replay.run(now, id).changes === 1;
  }

  replayEndpoint(endpoint: string, now: number): number {
    return this.#s.replayEndpoint.run(now, endpoint).changes;
  }
}
