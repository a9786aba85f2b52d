/**
 * Send policy per modem: a token bucket (parts per minute), the SIM's daily cap, the global daily cap,
 * and the distinct-recipient cap (carrier "unlimited" plans cap unique recipients per month:
 * SMSGate #148, #270). Buckets are in memory: after a restart a modem may send one burst early,
 * which the carriers' per-day and per-month caps (durable, in SQLite) do not allow to add up.
 */
import type { EngineConfig } from "./config.js";

export type PolicyVerdict =
  | { readonly ok: true; readonly recipientCapReached: boolean }
  | { readonly ok: false; readonly retryAt: number; readonly reason: string };

export interface CapUsage {
  readonly today: number;
  readonly globalToday: number;
  readonly recipients: number;
}

export class TokenBucket {
  #tokens: number;
  #at: number;
  constructor(
    readonly perMinute: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#at = now;
  }
  #refill(now: number): void {
    if (now > this.#at)
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) * this.perMinute) / 60_000);
    this.#at = Math.max(this.#at, now);
  }
  /** 0 when a token is available now, otherwise ms until one is. */
  waitMs(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) * 60_000) / this.perMinute);
  }
  take(now: number): void {
    this.#refill(now);
    this.#tokens -= 1;
  }
}

export function nextUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/** Limits of one SIM ([[modems]] max_per_minute, max_per_day, max_distinct_recipients_30d); unset = engine-wide value. */
export interface ModemLimits {
  readonly ratePerMinute?: number;
  readonly dailyCap?: number;
  readonly distinctRecipientsCap?: number;
}

export class SendPolicy {
  #buckets = new Map<string, TokenBucket>();
  #limits = new Map<string, ModemLimits>();
  constructor(readonly cfg: EngineConfig) {}

  /** Per-SIM limits: SIMs on different plans (or a slower modem) keep their own rate and caps. */
  setLimits(modemId: string, limits: ModemLimits): void {
    this.#limits.set(modemId, limits);
    this.#buckets.delete(modemId);
  }

  #bucket(modemId: string, now: number): TokenBucket {
    let b = this.#buckets.get(modemId);
    if (!b) {
      const rate = this.#limits.get(modemId)?.ratePerMinute ?? this.cfg.ratePerMinute;
      b = new TokenBucket(rate, this.cfg.rateBurst, now);
      this.#buckets.set(modemId, b);
    }
    return b;
  }

  check(modemId: string, now: number, u: CapUsage): PolicyVerdict {
    const l = this.#limits.get(modemId);
    const c = {
      ...this.cfg,
      dailyCapPerModem: l?.dailyCap ?? this.cfg.dailyCapPerModem,
      distinctRecipientsCap: l?.distinctRecipientsCap ?? this.cfg.distinctRecipientsCap,
    };
    if (c.dailyCapPerModem > 0 && u.today >= c.dailyCapPerModem)
      return { ok: false, retryAt: nextUtcMidnight(now), reason: "daily_cap" };
    if (c.globalDailyCap > 0 && u.globalToday >= c.globalDailyCap)
      return { ok: false, retryAt: nextUtcMidnight(now), reason: "global_daily_cap" };
    const wait = this.#bucket(modemId, now).waitMs(now);
    if (wait > 0) return { ok: false, retryAt: now + wait, reason: "rate" };
    return {
      ok: true,
      recipientCapReached: c.distinctRecipientsCap > 0 && u.recipients >= c.distinctRecipientsCap,
    };
  }

  consume(modemId: string, now: number): void {
    this.#bucket(modemId, now).take(now);
  }
}

/** Failure ratio per modem over a sliding window, for automatic disable. */
export class FailureWindow {
  #samples = new Map<string, { at: number; ok: boolean }[]>();
  constructor(
    readonly cfg: Pick<EngineConfig, "failureWindowMs" | "failureMinSamples" | "failureThreshold">,
  ) {}

  /** Records an outcome; returns a reason when the modem should leave the rotation. */
  record(modemId: string, ok: boolean, now: number): string | null {
    const list = (this.#samples.get(modemId) ?? []).filter((s) => s.at > now - this.cfg.failureWindowMs);
    list.push({ at: now, ok });
    this.#samples.set(modemId, list);
    const failures = list.filter((s) => !s.ok).length;
    if (list.length < this.cfg.failureMinSamples || failures / list.length < this.cfg.failureThreshold)
      return null;
    return `failure rate ${failures}/${list.length} over ${Math.round(this.cfg.failureWindowMs / 1000)} s`;
  }

  reset(modemId: string): void {
    this.#samples.delete(modemId);
  }
}
