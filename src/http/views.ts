/** Engine views → JSON bodies (timestamps as ISO 8601 UTC). */
import type { MessageView, ModemView } from "./deps.js";
import { toIso } from "./request.js";

/** A SIM's send cap, by the name the API, /health and /metrics give it (the engine's CapName). */
export type CapName = "daily-cap" | "global-daily-cap" | "distinct-recipients-cap";

/** One SIM that could send a waiting message, and the cap that holds it. */
export interface CapHoldView {
  /** Configured modem name. */
  readonly modem: string;
  readonly cap: CapName;
  readonly limit: number;
  /** ms since epoch: the earliest time this cap frees a slot; null when unknown. */
  readonly until: number | null;
}

/** Why a queued message waits, while every SIM that could send it is held by a cap. */
export interface WaitingView {
  /** The cap of the SIM that frees first. */
  readonly reason: CapName;
  readonly modems: readonly CapHoldView[];
  readonly until: number | null;
}

/** One cap set on a SIM (a cap of 0 is none and is not listed). */
export interface ModemCapView {
  readonly cap: CapName;
  readonly limit: number;
  readonly used: number;
  readonly reached: boolean;
  /** ms since epoch, when reached: the earliest time the cap frees a slot. */
  readonly until: number | null;
  /** Reached while a due part this SIM would otherwise send waits: /health warns, /metrics shows it. */
  readonly holding: boolean;
}

// The optional fields the engine adapter fills in (adapters.ts); absent, nothing is rendered, so a
// service that knows no caps (a test fake, an older adapter) keeps its answers unchanged.
declare module "./deps.js" {
  interface MessageView {
    /** Set only while a SIM's cap holds the message (engine.getMessage().waiting). */
    readonly waiting?: WaitingView;
  }
  interface ModemView {
    /** The caps set on this SIM (engine.capStatus()). */
    readonly caps?: readonly ModemCapView[];
  }
}

export function waitingJson(w: WaitingView) {
  return {
    reason: w.reason,
    until: toIso(w.until),
    modems: w.modems.map((h) => ({ modem: h.modem, cap: h.cap, limit: h.limit, until: toIso(h.until) })),
  };
}

export function messageJson(m: MessageView) {
  return {
    id: m.id,
    direction: m.direction,
    contact: m.contact,
    text: m.text,
    status: m.status,
    coding: m.coding,
    category: m.category,
    categorySource: m.categorySource ?? null,
    modem: m.modem,
    createdAt: toIso(m.createdAt),
    updatedAt: toIso(m.updatedAt),
    sendAt: toIso(m.sendAt),
    validUntil: toIso(m.validUntil),
    parts: m.parts.map((p) => ({ seq: p.seq, modem: p.modem, mr: p.mr, status: p.status, error: p.error })),
    ...(m.events
      ? { events: m.events.map((e) => ({ at: toIso(e.at), type: e.type, detail: e.detail ?? null })) }
      : {}),
    // Absent unless a cap holds the message: a client tests for the key, not for null.
    ...(m.waiting && { waiting: waitingJson(m.waiting) }),
  };
}

export function modemJson(m: ModemView) {
  // The caps are shown by /health and /metrics; the Modem schema of /v1/modems does not list them.
  const { caps: _caps, ...rest } = m;
  return { ...rest, lastSuccessAt: toIso(m.lastSuccessAt) };
}
