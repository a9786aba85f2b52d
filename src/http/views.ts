/** Engine views → JSON bodies (timestamps as ISO 8601 UTC). */
import type { MessageView, ModemView, WaitingView } from "./deps.js";
import { toIso } from "./request.js";

export type { CapHoldView, CapName, ModemCapView, WaitingView } from "./deps.js";

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
  const { caps, ...rest } = m;
  return {
    ...rest,
    lastSuccessAt: toIso(m.lastSuccessAt),
    // The SIM's caps that are set (a cap of 0 is none and is not listed), as /health shows them.
    ...(caps && { caps: caps.map((c) => ({ ...c, until: toIso(c.until) })) }),
  };
}
