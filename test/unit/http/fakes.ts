/** In-memory fakes of the HTTP layer's dependencies (src/http/deps.ts), with just enough behaviour. */

import { generateApiKey, hashApiKey, type Scope } from "../../../src/http/auth.js";
import {
  type EnqueuedMessage,
  type HealthSource,
  type InjectRequest,
  type MessageFilter,
  type MessagesService,
  type MessageView,
  type ModemsService,
  type ModemView,
  type NewMessage,
  type QueueStats,
  type SegmentPreviewFn,
  ServiceError,
  type SimControl,
} from "../../../src/http/deps.js";

export class FakeMessages implements MessagesService {
  readonly rows = new Map<string, MessageView>();
  readonly optedOut = new Set<string>();
  enqueued: NewMessage[] = [];
  /** Artificial latency of enqueue, for in-flight idempotency tests. */
  delayMs = 0;
  #n = 0;
  constructor(private readonly now: () => number = Date.now) {}

  async enqueue(msg: NewMessage): Promise<EnqueuedMessage> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.optedOut.has(msg.to)) throw new ServiceError("opted_out", "Recipient sent STOP", "to");
    if (msg.modem === "nope") throw new ServiceError("invalid", "Unknown modem", "modem");
    this.enqueued.push(msg);
    const id = `msg_${++this.#n}`;
    const ucs2 = /[^\x00-\x7f£€éèùìòÇØøÅåÄÖÑÜäöñüà]/.test(msg.text);
    const per = ucs2 ? [70, 67] : [160, 153];
    const parts = msg.text.length <= per[0]! ? 1 : Math.ceil(msg.text.length / per[1]!);
    const t = this.now();
    const view: MessageView = {
      id,
      direction: "outbound",
      contact: msg.to,
      text: msg.text,
      status: msg.sendAt !== undefined ? "scheduled" : "queued",
      coding: ucs2 ? "ucs2" : "gsm7",
      category: msg.category ?? null,
      modem: msg.modem ?? null,
      createdAt: t,
      updatedAt: t,
      sendAt: msg.sendAt ?? null,
      validUntil: msg.validUntil ?? null,
      parts: Array.from({ length: parts }, (_, i) => ({
        seq: i + 1,
        modem: null,
        mr: null,
        status: "queued",
        error: null,
      })),
      events: [{ at: t, type: "queued" }],
    };
    this.rows.set(id, view);
    return { id, status: view.status, coding: view.coding ?? "gsm7", parts };
  }

  async get(id: string) {
    return this.rows.get(id);
  }

  async list(f: MessageFilter, page: { limit: number; after?: string }) {
    let all = [...this.rows.values()]
      .filter((m) => (f.direction ? m.direction === f.direction : true))
      .filter((m) => (f.status ? m.status === f.status : true))
      .filter((m) => (f.contact ? m.contact === f.contact : true))
      .filter((m) => (f.modem ? m.modem === f.modem : true))
      .filter((m) => (f.since !== undefined ? m.createdAt >= f.since : true))
      .filter((m) => (f.until !== undefined ? m.createdAt < f.until : true))
      .sort((a, b) => b.createdAt - a.createdAt || Number(b.id.slice(4)) - Number(a.id.slice(4)));
    if (page.after !== undefined) {
      const i = all.findIndex((m) => m.id === page.after);
      all = i < 0 ? [] : all.slice(i + 1);
    }
    const items = all.slice(0, page.limit);
    const more = all.length > page.limit;
    return more ? { items, next: items[items.length - 1]!.id } : { items };
  }

  #set(id: string, status: MessageView["status"]): MessageView {
    const m = this.rows.get(id)!;
    const next = { ...m, status, updatedAt: this.now() };
    this.rows.set(id, next);
    return next;
  }

  async cancel(id: string) {
    const m = this.rows.get(id);
    if (!m) throw new ServiceError("not_found", "No such message");
    if (m.status !== "queued" && m.status !== "scheduled")
      throw new ServiceError("conflict", `Message is ${m.status}`);
    return this.#set(id, "canceled");
  }

  async resend(id: string) {
    const m = this.rows.get(id);
    if (!m) throw new ServiceError("not_found", "No such message");
    if (m.status !== "unknown" && m.status !== "failed")
      throw new ServiceError("conflict", `Message is ${m.status}`);
    return this.enqueue({ to: m.contact, text: m.text ?? "" });
  }

  /** Test helper: force a status (e.g. "unknown" after a +CMGS timeout). */
  setStatus(id: string, status: MessageView["status"]) {
    this.#set(id, status);
  }
}

export function fakeModem(name: string, over: Partial<ModemView> = {}): ModemView {
  return {
    name,
    id: `imei:35${name.length}000000000001`,
    enabled: true,
    simulated: true,
    state: "ready",
    identity: {
      manufacturer: "SIMCOM",
      model: "SIM800",
      revision: "1418B04",
      imei: "350000000000001",
      profile: "sim800",
    },
    sim: { state: "ready", iccid: "8933000000000000001" },
    registration: "home",
    operator: "Orange F",
    signalDbm: -73,
    storage: { used: 2, total: 30 },
    counters: { sent: 10, failed: 1, received: 4 },
    queueDepth: 0,
    lastSuccessAt: 1_700_000_000_000,
    lastError: null,
    ...over,
  };
}

export class FakeModems implements ModemsService {
  constructor(public modems: ModemView[] = [fakeModem("gsm1")]) {}
  resets: string[] = [];
  #find(id: string) {
    const i = this.modems.findIndex((m) => m.name === id || m.id === id);
    if (i < 0) throw new ServiceError("not_found", "No such modem");
    return i;
  }
  async list() {
    return this.modems;
  }
  async get(id: string) {
    return this.modems.find((m) => m.name === id || m.id === id);
  }
  async enable(id: string) {
    const i = this.#find(id);
    this.modems[i] = { ...this.modems[i]!, enabled: true, state: "ready" };
    return this.modems[i]!;
  }
  async disable(id: string) {
    const i = this.#find(id);
    this.modems[i] = { ...this.modems[i]!, enabled: false, state: "disabled" };
    return this.modems[i]!;
  }
  async reset(id: string) {
    const i = this.#find(id);
    this.resets.push(this.modems[i]!.name);
    return this.modems[i]!;
  }
}

export class FakeHealth implements HealthSource {
  dbError: string | null = null;
  stats: QueueStats = {
    depth: 3,
    oldestAgeSeconds: 12,
    perModem: { gsm1: { depth: 3, oldestAgeSeconds: 12 } },
  };
  database() {
    return this.dbError === null ? ({ ok: true } as const) : ({ ok: false, error: this.dbError } as const);
  }
  queue() {
    return this.stats;
  }
}

export class FakeSim implements SimControl {
  injected: { modem: string; req: InjectRequest }[] = [];
  modems() {
    return ["gsm1"];
  }
  async inject(modem: string, req: InjectRequest) {
    this.injected.push({ modem, req });
    return { injected: 1 };
  }
}

export function makeKey(name: string, scopes: Scope[]) {
  const key = generateApiKey();
  return { key, config: { name, hash: hashApiKey(key), scopes } };
}

/** Stand-in for the codec's segmentPreview where the codec itself is not under test. */
export const fakePreview: SegmentPreviewFn = (text) => ({
  coding: "gsm7",
  parts: Math.max(1, Math.ceil(text.length / 153)),
  units: text.length,
  remainingInLastPart: 0,
  perPart: text.length <= 160 ? 160 : 153,
  ucs2Forcers: [],
  text,
});
