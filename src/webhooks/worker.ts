/**
 * Webhook delivery worker.
 *
 *   engine tx ──► webhook_outbox ──fanOut──► webhook_deliveries ──attempt──► endpoint
 *                 (engine's table)           (ours: state, attempts, next_attempt_at)
 *
 * Ownership: only this worker writes attempt results; `tick()` never overlaps itself, and a row
 * being attempted is in `#inFlight` so it is not picked twice. Delivery is at-least-once: a crash
 * after the POST and before the UPDATE repeats the POST with the same webhook-id (receivers dedupe).
 * 410 Gone: the delivery is dead-lettered and the endpoint disabled (Standard Webhooks advice);
 * later events are still fanned out and kept pending until an operator re-enables it, so nothing
 * is lost. Endpoints removed from the config keep their rows but are not attempted.
 */
import type { Clock } from "../clock.js";
import type { WebhookDeliveryView, WebhookEndpointView, WebhooksAdmin } from "../http/deps.js";
import { acceptsEvent, type WebhookEndpointConfig } from "./config.js";
import { attemptDelivery } from "./deliver.js";
import type { OutboxEvent, OutboxSource } from "./outbox-source.js";
import { defaultRetryPolicy, nextDelay, type RetryPolicy } from "./schedule.js";
import { webhookKey } from "./signing.js";
import type { DeliveryRow, WebhookStore } from "./store.js";

export type DeliveryOutcome = "delivered" | "retry" | "dead";

/** See WebhookWorkerOptions.pollMs. */
export const DEFAULT_POLL_MS = 30_000;

export interface WebhookWorkerOptions {
  readonly store: WebhookStore;
  readonly outbox: OutboxSource;
  readonly endpoints: readonly WebhookEndpointConfig[];
  readonly clock: Clock;
  readonly retry?: RetryPolicy;
  /** [0,1) source for jitter; injectable for deterministic tests. */
  readonly random?: () => number;
  /**
   * Longest sleep of an idle worker, default 30 s. It is only a safety net: every outbox commit
   * wakes the worker (`wake()` on the engine's "outbox.written"), and a pending retry sets the
   * next tick to its due time (store.nextDueAt). A 1 s poll woke an idle Raspberry Pi every
   * second for nothing (bench/idle.ts).
   */
  readonly pollMs?: number;
  /** Delay before the next tick after a failed one (database busy), default 1000 ms. */
  readonly errorRetryMs?: number;
  /** Concurrent HTTP attempts across endpoints, default 4. */
  readonly concurrency?: number;
  readonly fetch?: typeof fetch;
  readonly onOutcome?: (endpoint: string, outcome: DeliveryOutcome) => void;
  /** A tick or a result write failed (e.g. the database is unavailable); the worker carries on. */
  readonly onError?: (err: unknown) => void;
}

export class WebhookWorker implements WebhooksAdmin {
  readonly #o: WebhookWorkerOptions;
  readonly #keys = new Map<string, Buffer>();
  readonly #inFlight = new Map<number, Promise<void>>();
  #timer: { clear(): void } | undefined;
  #running = false;
  #ticking: Promise<void> | undefined;

  constructor(opts: WebhookWorkerOptions) {
    this.#o = opts;
    for (const ep of opts.endpoints) {
      const key = webhookKey(ep.secret);
      if (typeof key === "string") throw new TypeError(`webhook endpoint "${ep.id}": secret ${key}`);
      this.#keys.set(ep.id, key);
    }
  }

  start(): void {
    this.#running = true;
    this.wake();
  }

  /** Stops polling and waits for attempts in flight. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#timer?.clear();
    await this.#ticking;
    await Promise.all(this.#inFlight.values());
  }

  /** Run a tick soon (e.g. after the engine committed an outbox row). */
  wake(): void {
    if (this.#running) this.#schedule(0);
  }

  #schedule(ms: number): void {
    this.#timer?.clear();
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#ticking = this.tick()
        .catch((e: unknown) => {
          // A failed tick (database busy or gone) must not crash the process: report, retry later.
          this.#o.onError?.(e);
          if (this.#running) this.#schedule(this.#o.errorRetryMs ?? Math.min(this.#poll, 1000));
        })
        .finally(() => {
          this.#ticking = undefined;
        });
    }, ms);
  }

  get #poll(): number {
    return this.#o.pollMs ?? DEFAULT_POLL_MS;
  }

  #active(): string[] {
    return this.#o.endpoints
      .filter((e) => e.enabled && !this.#o.store.stats(e.id).disabledReason)
      .map((e) => e.id);
  }

  /** One cycle: fan out new outbox rows, launch due attempts, plan the next cycle. */
  async tick(): Promise<void> {
    const { store, outbox, clock } = this.#o;
    for (;;) {
      const rows = outbox.after(store.lastOutboxId(), 500);
      if (rows.length === 0) break;
      const forEvent = (ev: OutboxEvent) =>
        this.#o.endpoints.filter((e) => acceptsEvent(e, ev)).map((e) => e.id);
      store.fanOut(rows, forEvent, clock.now());
    }
    const active = this.#active();
    const free = (this.#o.concurrency ?? 4) - this.#inFlight.size;
    if (free > 0) {
      for (const row of store.due(clock.now(), active, this.#inFlight.keys(), free)) {
        const p = this.#attempt(row)
          .catch((e: unknown) => this.#o.onError?.(e))
          .finally(() => {
            this.#inFlight.delete(row.id);
            this.wake();
          });
        this.#inFlight.set(row.id, p);
      }
    }
    if (!this.#running) return;
    const poll = this.#poll;
    const next = store.nextDueAt(active);
    this.#schedule(next === null ? poll : Math.min(poll, Math.max(0, next - clock.now())));
  }

  /** For tests: tick until nothing is in flight. */
  async drain(): Promise<void> {
    await this.tick();
    while (this.#inFlight.size > 0) {
      await Promise.all(this.#inFlight.values());
      await this.tick();
    }
  }

  async #attempt(row: DeliveryRow): Promise<void> {
    const { store, clock } = this.#o;
    const ep = this.#o.endpoints.find((e) => e.id === row.endpoint);
    const key = this.#keys.get(row.endpoint);
    if (!ep || !key) return;
    const target = { url: ep.url, key, timeoutMs: ep.timeoutMs };
    const r = await attemptDelivery(target, { id: row.event_id, body: row.body }, clock.now(), this.#o.fetch);
    const now = clock.now();
    if (r.ok) {
      store.recordSuccess(row, r.status, now);
      this.#o.onOutcome?.(row.endpoint, "delivered");
      return;
    }
    if (r.status === 410) {
      store.recordFailure(row, 410, "410 Gone: endpoint disabled", undefined, now);
      store.setDisabled(row.endpoint, "gone (HTTP 410)");
      this.#o.onOutcome?.(row.endpoint, "dead");
      return;
    }
    const delay = nextDelay(
      this.#o.retry ?? defaultRetryPolicy,
      row.attempts + 1,
      (this.#o.random ?? Math.random)(),
    );
    store.recordFailure(row, r.status, r.error, delay === undefined ? undefined : now + delay, now);
    this.#o.onOutcome?.(row.endpoint, delay === undefined ? "dead" : "retry");
  }

  endpoints(): WebhookEndpointView[] {
    return this.#o.endpoints.map((e) => {
      const s = this.#o.store.stats(e.id);
      const { disabledReason, ...health } = s;
      return {
        id: e.id,
        url: e.url,
        events: e.events,
        enabled: e.enabled && !disabledReason,
        disabledReason: e.enabled ? disabledReason : "disabled in configuration",
        health,
      };
    });
  }

  deliveries(filter: Parameters<WebhooksAdmin["deliveries"]>[0]): WebhookDeliveryView[] {
    return this.#o.store.list(filter).map((r) => ({
      id: r.id,
      endpoint: r.endpoint,
      eventId: r.event_id,
      eventType: r.event_type,
      state: r.state,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      lastStatus: r.last_status,
      lastError: r.last_error,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
    }));
  }

  replayDelivery(id: number): "replayed" | "not-found" | "not-dead" {
    const row = this.#o.store.get(id);
    if (!row) return "not-found";
    if (!this.#o.store.replay(id, this.#o.clock.now())) return "not-dead";
    this.wake();
    return "replayed";
  }

  replayEndpoint(id: string): number | undefined {
    if (!this.#o.endpoints.some((e) => e.id === id)) return undefined;
    const n = this.#o.store.replayEndpoint(id, this.#o.clock.now());
    this.wake();
    return n;
  }

  enableEndpoint(id: string): boolean {
    if (!this.#o.endpoints.some((e) => e.id === id)) return false;
    this.#o.store.setDisabled(id, null);
    this.wake();
    return true;
  }
}
