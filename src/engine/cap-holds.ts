/**
 * Why a queued message waits, when the reason is a SIM's cap (daily parts, distinct recipients over
 * 30 days, the gateway's daily parts), and which caps each SIM has reached. Carriers' caps stop a
 * SIM for hours or weeks (SMSGate #148, #270); without this a capped queue looks stalled. Computed
 * on read (API, /health, /metrics), never in the send loop. A wait for the per-minute rate is seconds
 * long and is not reported.
 */
import type { EngineConfig } from "../queue/config.js";
import type { CapLimits } from "../queue/policy.js";
import {
  type CapName,
  type CapState,
  capHolding,
  capHoldsParts,
  capStates,
  couldTake,
  nextDuePart,
  type Routing,
} from "../store/cap-holds.js";
import type { Tx } from "../store/tx.js";

export type { CapName, CapState };

export interface CapHold {
  readonly modemId: string;
  readonly cap: CapName;
  readonly limit: number;
  /** The earliest time this cap frees a slot (CapState.until). */
  readonly until: number | null;
}

/** Present on a message only while every SIM that could send its next part is held by a cap. */
export interface MessageWaiting {
  /** The cap of the SIM that frees first. */
  readonly reason: CapName;
  /** Every SIM that could send the message, each with the cap that holds it, earliest first. */
  readonly modems: readonly CapHold[];
  /** The earliest time one of them frees a slot; other waiting messages may take it first. */
  readonly until: number | null;
}

export interface ModemCaps {
  readonly modemId: string;
  readonly caps: readonly (CapState & {
    /** Reached while a due part this SIM would otherwise take waits: /health warns. */
    readonly holding: boolean;
  })[];
}

export interface CapHoldsContext {
  readonly cfg: EngineConfig;
  /** Attached modems that are enabled and ready: the ones whose worker leases. */
  usable(): string[];
  /** The worker context's healthy list (usable and not at a daily cap), as the lease sees it. */
  healthy(): string[];
  caps(modemId: string): CapLimits;
}

const routing = (c: CapHoldsContext, at: number): Routing => ({
  healthy: c.healthy(),
  stickySince: at - c.cfg.stickyMs,
  stickyFallback: c.cfg.stickyFallback,
});

const byUntil = (a: CapHold, b: CapHold) =>
  (a.until ?? Number.POSITIVE_INFINITY) - (b.until ?? Number.POSITIVE_INFINITY);

/** The waiting reason of message `id`, undefined when no cap holds it (or it is not queued). */
export function messageWaiting(tx: Tx, c: CapHoldsContext, id: string): MessageWaiting | undefined {
  const part = nextDuePart(tx, id);
  if (!part) return undefined;
  const r = routing(c, tx.at);
  const since = tx.at - c.cfg.recipientWindowMs;
  const holds: CapHold[] = [];
  for (const m of c.usable()) {
    if (!couldTake(tx, m, r, { id, seq: part.seq })) continue;
    const s = capHolding(tx, m, capStates(tx, m, c.caps(m), c.cfg.recipientWindowMs), part.to, since);
    // One SIM free to take it: the message waits at most for the rate or its turn, not for a cap.
    if (!s) return undefined;
    holds.push({ modemId: m, cap: s.cap, limit: s.limit, until: s.until });
  }
  holds.sort(byUntil);
  const first = holds[0];
  return first && { reason: first.cap, modems: holds, until: first.until };
}

/** The caps of each listed modem, with whether a reached cap holds parts back. */
export function modemCaps(tx: Tx, c: CapHoldsContext, modemIds: readonly string[]): ModemCaps[] {
  const r = routing(c, tx.at);
  const since = tx.at - c.cfg.recipientWindowMs;
  return modemIds.map((m) => ({
    modemId: m,
    caps: capStates(tx, m, c.caps(m), c.cfg.recipientWindowMs).map((s) => ({
      ...s,
      holding: capHoldsParts(tx, m, r, s, since),
    })),
  }));
}
