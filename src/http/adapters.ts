/**
 * Thin adapters from the message engine (src/engine) to the HTTP layer's interfaces (deps.ts).
 * Engine modem ids ("imei:…") are shown and filtered by configured name through `ModemNames`;
 * metrics labels therefore never carry an IMEI.
 */
import { CompliantSender } from "../conversation/compliant-sender.js";
import { isComplianceError } from "../conversation/policy.js";
import type { Engine, EnqueueManyItem, EnqueueRequest, EnqueueResult } from "../engine/index.js";
import { isEngineError } from "../engine/index.js";
import {
  type BatchItem,
  type EnqueuedMessage,
  type MessageStatus,
  type MessagesService,
  type MessageView,
  type NewMessage,
  ServiceError,
} from "./deps.js";
import { identityNames, type ModemNames } from "./modem-names.js";
import { ProblemError } from "./problems.js";

export { identityNames, type ModemNames };

/** How the messages service enqueues: the engine itself, or CompliantSender in front of it. */
export type SendFn = (req: EnqueueRequest) => EnqueueResult;
/** The same for a batch: one transaction, results by index. */
export type SendManyFn = (reqs: readonly EnqueueRequest[]) => readonly EnqueueManyItem[];

/**
 * CompliantSender when the engine was given a compliance configuration (the composition root does),
 * else the bare engine (tests of the HTTP layer alone).
 */
export function defaultSend(engine: Engine): SendFn {
  const sender = engine.compliance ? new CompliantSender(engine, engine.compliance) : engine;
  return (req) => sender.enqueue(req);
}

/** The batch counterpart of defaultSend. */
export function defaultSendMany(engine: Engine): SendManyFn {
  const sender = engine.compliance ? new CompliantSender(engine, engine.compliance) : engine;
  return (reqs) => sender.enqueueMany(reqs);
}

/** Item by item through `send` (a custom seam without a batch form): one transaction per item. */
const oneByOne =
  (send: SendFn): SendManyFn =>
  (reqs) =>
    reqs.map((req): EnqueueManyItem => {
      try {
        return { ok: true, result: send(req) };
      } catch (error) {
        return { ok: false, error };
      }
    });

/** mapError's verdict as a value, for one item of a batch. */
function mappedError(e: unknown): unknown {
  try {
    mapError(e);
  } catch (mapped) {
    return mapped;
  }
}

function mapError(e: unknown): never {
  if (isComplianceError(e)) {
    // The problem types clients switch on (problems.ts); the number is the one they sent us.
    if (e.problem === "opted-out") throw new ServiceError("opted_out", e.message, "to", { cause: e });
    // The request is fine but this install cannot send marketing at all: 422 on the category.
    if (e.problem === "advertiser-unnamed")
      throw new ServiceError("invalid", e.message, "category", { cause: e });
    throw new ProblemError(e.problem, e.message, {
      cause: e,
      ...(e.extensions && { extensions: e.extensions }),
    });
  }
  if (!isEngineError(e)) throw e;
  const field = (e.context as { field?: string } | undefined)?.field;
  switch (e.code) {
    case "invalid_number":
      throw new ServiceError("invalid", e.message, field ?? "to", { cause: e });
    case "invalid_request":
      throw new ServiceError("invalid", e.message, field, { cause: e });
    case "not_found":
      throw new ServiceError("not_found", e.message, undefined, { cause: e });
    case "idempotency_conflict":
    case "not_cancelable":
    case "not_resendable":
      throw new ServiceError("conflict", e.message, undefined, { cause: e });
  }
  // A code added to the engine later is still a refusal of this request: a 4xx, never a 500.
  const code = String((e as { code: unknown }).code);
  if (/opt|consent|suppress/.test(code)) throw new ServiceError("opted_out", e.message, "to", { cause: e });
  throw new ServiceError("invalid", e.message, field, { cause: e });
}

const CODINGS = new Set(["gsm7", "ucs2", "8bit"]);
const coding = (c: string | null | undefined) =>
  c && CODINGS.has(c) ? (c as "gsm7" | "ucs2" | "8bit") : null;

export function engineMessages(
  engine: Engine,
  names: ModemNames = identityNames,
  send?: SendFn,
  sendMany?: SendManyFn,
): MessagesService {
  const sendOne = send ?? defaultSend(engine);
  // A custom `send` without its batch form keeps being the one seam every enqueue goes through.
  const sendBatch = sendMany ?? (send ? oneByOne(send) : defaultSendMany(engine));
  const toRequest = (msg: NewMessage): EnqueueRequest => {
    const modem = msg.modem === undefined ? undefined : names.idOf(msg.modem);
    if (msg.modem !== undefined && modem === undefined)
      throw new ServiceError("invalid", "No modem with this name", "modem");
    return {
      to: msg.to,
      text: msg.text,
      category: (msg.category ?? "transactional") as "transactional",
      ...(modem !== undefined && { modem }),
      ...(msg.sendAt !== undefined && { sendAt: msg.sendAt }),
      ...(msg.validUntil !== undefined && { validUntil: msg.validUntil }),
      ...(msg.statusReport !== undefined && { statusReport: msg.statusReport }),
      ...(msg.smart !== undefined && { smart: msg.smart }),
      ...(msg.categorySource !== undefined && { categorySource: msg.categorySource }),
      ...(msg.idempotencyKey !== undefined && { idempotencyKey: msg.idempotencyKey }),
    };
  };
  const accepted = (r: EnqueueResult): EnqueuedMessage => ({
    id: r.id,
    status: r.status as MessageStatus,
    coding: coding(r.coding) ?? "gsm7",
    parts: r.parts,
  });
  const view = (id: string): MessageView | undefined => {
    const m = engine.getMessage(id);
    if (!m) return undefined;
    const last = m.events.at(-1)?.at ?? m.createdAt;
    return {
      id: m.id,
      direction: m.direction,
      contact: m.contact,
      text: m.text,
      status: m.status as MessageStatus,
      coding: coding(m.coding),
      category: m.category ?? null,
      categorySource: m.categorySource ?? null,
      modem: m.modemId === null ? null : names.nameOf(m.modemId),
      createdAt: m.createdAt,
      updatedAt: last,
      sendAt: m.sendAt ?? null,
      validUntil: m.validUntil ?? null,
      parts: m.parts.map((p) => ({
        seq: p.seq,
        modem: p.modemId === null ? null : names.nameOf(p.modemId),
        mr: p.mr,
        status: p.status,
        error: p.errorText ?? p.errorCode,
      })),
      events: m.events.map((e) => ({
        at: e.at,
        type: e.to,
        detail: e.partSeq === null ? e.detail : `part ${e.partSeq}${e.detail ? `: ${e.detail}` : ""}`,
      })),
      // Only while a SIM's cap holds the message (engine cap-holds.ts); modems by configured name.
      ...(m.waiting && {
        waiting: {
          ...m.waiting,
          modems: m.waiting.modems.map(({ modemId, ...h }) => ({ ...h, modem: names.nameOf(modemId) })),
        },
      }),
    };
  };
  const must = (id: string) => {
    const v = view(id);
    if (!v) throw new ServiceError("not_found", "No message with this id");
    return v;
  };
  return {
    async enqueue(msg): Promise<EnqueuedMessage> {
      const req = toRequest(msg);
      try {
        return accepted(sendOne(req));
      } catch (e) {
        mapError(e);
      }
    },
    async enqueueMany(msgs): Promise<BatchItem[]> {
      const out: (BatchItem | undefined)[] = [];
      const reqs: EnqueueRequest[] = [];
      const at: number[] = [];
      msgs.forEach((msg, i) => {
        try {
          reqs.push(toRequest(msg));
          at.push(i);
        } catch (error) {
          out[i] = { ok: false, error };
        }
      });
      const items = reqs.length > 0 ? sendBatch(reqs) : [];
      items.forEach((it, k) => {
        out[at[k] as number] = it.ok
          ? { ok: true, message: accepted(it.result) }
          : { ok: false, error: mappedError(it.error) };
      });
      // Every index is filled: refused before the engine, or by the engine's result at that index.
      return out as BatchItem[];
    },
    async get(id) {
      return view(id);
    },
    async list(f, page) {
      const modem = f.modem === undefined ? undefined : names.idOf(f.modem);
      if (f.modem !== undefined && modem === undefined) return { items: [] };
      const r = engine.listMessages({
        ...(f.direction && { direction: f.direction }),
        ...(f.status && { status: f.status }),
        ...(f.contact && { contact: f.contact }),
        ...(modem !== undefined && { modem }),
        ...(f.since !== undefined && { from: f.since }),
        ...(f.until !== undefined && { to: f.until }),
        ...(page.after !== undefined && { cursor: page.after }),
        limit: page.limit,
      });
      // List items are summaries (no parts/events): GET /v1/messages/{id} has the detail.
      const items: MessageView[] = r.items.map((m) => ({
        id: m.id,
        direction: m.direction,
        contact: m.contact,
        text: m.text,
        status: m.status as MessageStatus,
        coding: null,
        category: null,
        modem: m.modemId === null ? null : names.nameOf(m.modemId),
        createdAt: m.createdAt,
        updatedAt: m.createdAt,
        parts: [],
      }));
      return r.nextCursor === null ? { items } : { items, next: r.nextCursor };
    },
    async cancel(id) {
      try {
        engine.cancel(id);
      } catch (e) {
        mapError(e);
      }
      return must(id);
    },
    async resend(id) {
      try {
        engine.resend(id);
      } catch (e) {
        mapError(e);
      }
      // The engine requeues the same message's failed/unknown parts: same id.
      const v = must(id);
      return { id: v.id, status: v.status, coding: v.coding ?? "gsm7", parts: v.parts.length };
    },
  };
}

export { engineHealth, engineModems, type ModemControl } from "./adapters-modems.js";
