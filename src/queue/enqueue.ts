/**
 * Enqueue: validation (E.164 recipient, category, times, pin), idempotency, encoding with a stable
 * concat reference, and the message + parts rows — one transaction. The PDUs are computed once here:
 * a part is resent byte for byte, and its concat reference never changes (23.040 §9.2.3.24.1).
 */
import { createHash } from "node:crypto";
import { EngineError } from "../engine/errors.js";
import { toE164 } from "../engine/phone.js";
import type { EncodedSubmit, SubmitOptions } from "../pdu/types.js";
import {
  bumpConcatRef,
  findIdempotent,
  insertMessage,
  peekConcatRef,
  saveIdempotent,
} from "../store/outbox.js";
import { getMessageView } from "../store/queries.js";
import type { PartStatus } from "../store/status.js";
import { runTx, type StoreDeps } from "../store/tx.js";
import { type Category, PRIORITY } from "./config.js";

export interface EnqueueRequest {
  readonly to: string;
  readonly text: string;
  readonly category: Category;
  /** Pin to one modem id. */
  readonly modem?: string;
  /** ms since epoch, Date, or ISO 8601 string. */
  readonly sendAt?: number | Date | string;
  readonly validUntil?: number | Date | string;
  readonly statusReport?: boolean;
  /** Replace look-alike punctuation so that the text fits GSM-7. */
  readonly smart?: boolean;
  readonly idempotencyKey?: string;
  /**
   * Who set the category (issue #7), stored with the message: `api-key:<name>`, `default`,
   * `keyword-reply`, `agent:<name>`, `import`. Absent: not recorded (NULL).
   */
  readonly categorySource?: string;
}

/** The sources of a category (migration 006); a name after the colon, up to 120 characters. */
const CATEGORY_SOURCE = /^(?:default|keyword-reply|import|(?:api-key|agent):[^\s].{0,119})$/s;

export interface EnqueueResult {
  readonly id: string;
  readonly status: PartStatus;
  readonly coding: string;
  readonly parts: number;
  /** True when an earlier request with the same idempotency key produced this message. */
  readonly duplicate: boolean;
}

export interface EnqueueOptions {
  readonly defaultCountry: string;
  readonly virtualNumbers?: ReadonlySet<string>;
  knownModem(id: string): boolean;
}

function requestHash(fields: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}

function toMs(v: number | Date | string | undefined, field: string): number | null {
  if (v === undefined) return null;
  const ms = typeof v === "number" ? v : v instanceof Date ? v.getTime() : Date.parse(v);
  if (!Number.isFinite(ms))
    throw new EngineError(`${field} is not a valid time`, "invalid_request", { field });
  return ms;
}

export function enqueueMessage(
  store: StoreDeps,
  codec: { encodeSubmit(opts: SubmitOptions): EncodedSubmit },
  req: EnqueueRequest,
  o: EnqueueOptions,
): EnqueueResult {
  if (typeof req.text !== "string" || req.text.length === 0)
    throw new EngineError("text must be a non-empty string", "invalid_request", { field: "text" });
  if (!Object.hasOwn(PRIORITY, req.category))
    throw new EngineError(`category must be one of ${Object.keys(PRIORITY).join(", ")}`, "invalid_request", {
      field: "category",
    });
  const source = req.categorySource ?? null;
  if (source !== null && (typeof source !== "string" || !CATEGORY_SOURCE.test(source)))
    throw new EngineError(
      "categorySource must be default, keyword-reply, import, api-key:<name> or agent:<name>",
      "invalid_request",
      { field: "categorySource" },
    );
  const to = toE164(req.to, o.defaultCountry, o.virtualNumbers);
  const now = store.now();
  const sendAt = toMs(req.sendAt, "sendAt");
  const validUntil = toMs(req.validUntil, "validUntil");
  if (validUntil !== null && validUntil <= Math.max(now, sendAt ?? now))
    throw new EngineError("validUntil must be after now and after sendAt", "invalid_request", {
      field: "validUntil",
    });
  const modemPin = req.modem ?? null;
  // A pin to a modem this gateway has never seen would wait forever.
  if (modemPin !== null && !o.knownModem(modemPin))
    throw new EngineError(`unknown modem '${modemPin}'`, "invalid_request", { field: "modem" });
  const key = req.idempotencyKey ?? null;
  // The request's fingerprint matters only to a request with an idempotency key.
  const hash =
    key === null
      ? ""
      : requestHash([
          to,
          req.text,
          req.category,
          modemPin,
          sendAt,
          validUntil,
          !!req.statusReport,
          !!req.smart,
        ]);
  const result = runTx(store, (tx): EnqueueResult => {
    if (key !== null) {
      const prev = findIdempotent(tx, key);
      if (prev) {
        if (prev.requestHash !== hash)
          throw new EngineError("idempotency key reused with a different request", "idempotency_conflict", {
            key,
          });
        const v = getMessageView(tx, prev.messageId);
        if (!v) throw new EngineError(`message ${prev.messageId} not found`, "not_found");
        return {
          id: v.id,
          status: v.status as PartStatus,
          coding: v.coding,
          parts: v.parts.length,
          duplicate: true,
        };
      }
    }
    const ref = peekConcatRef(tx, to);
    let enc: EncodedSubmit;
    try {
      enc = codec.encodeSubmit({
        to,
        text: req.text,
        smart: !!req.smart,
        statusReport: !!req.statusReport,
        concatRef: ref,
        // 23.040 §9.2.3.12.1 TP-VP (relative, counted from SMSC receipt): the SMSC stops trying once
        // the message is no longer wanted. The PDU is built now, so the period runs from the earliest
        // send time; a later send only lengthens it. The codec rounds up to a representable step (≥ 5 min).
        ...(validUntil !== null
          ? {
              validity: {
                format: "relative" as const,
                seconds: Math.ceil((validUntil - Math.max(now, sendAt ?? now)) / 1000),
              },
            }
          : {}),
      });
    } catch (e) {
      throw new EngineError(
        `cannot encode: ${e instanceof Error ? e.message : e}`,
        "invalid_request",
        undefined,
        {
          cause: e,
        },
      );
    }
    if (enc.parts.length > 1) bumpConcatRef(tx, to, ref);
    const { id, status } = insertMessage(tx, {
      to,
      text: enc.text ?? req.text,
      category: req.category,
      coding: enc.coding,
      priority: PRIORITY[req.category],
      sendAt,
      validUntil,
      statusReport: !!req.statusReport,
      modemPin,
      idempotencyKey: key,
      concatRef: enc.parts.length > 1 ? ref : null,
      // Not part of the idempotency hash: who asked is not what was asked (a retry is the same message).
      categorySource: source,
      parts: enc.parts,
    });
    if (key !== null) saveIdempotent(tx, key, hash, id);
    return { id, status, coding: enc.coding, parts: enc.parts.length, duplicate: false };
  });
  return result;
}
