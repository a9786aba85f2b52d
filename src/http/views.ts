/** Engine views → JSON bodies (timestamps as ISO 8601 UTC). */
import type { MessageView, ModemView } from "./deps.js";
import { toIso } from "./request.js";

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
  };
}

export function modemJson(m: ModemView) {
  return { ...m, lastSuccessAt: toIso(m.lastSuccessAt) };
}
