/**
 * Message engine facade: the durable queue (src/store), the per-modem send loop (src/queue) and
 * inbound ingest, for the HTTP layer and the composition root.
 *
 *   const engine = new Engine({ db: "/var/lib/smsgw/gateway.db", clock, config: { defaultCountry: "FR" } });
 *   registry.on("attached", (e) => e.modem && engine.addModem(e.modem));  // by stable id; re-attach replaces
 *   engine.start();                       // recovers leases of a previous process, starts workers + sweep
 *
 * Outbound
 *   enqueue({to, text, category, modem?, sendAt?, validUntil?, statusReport?, smart?, idempotencyKey?})
 *       → {id, status: "queued"|"scheduled", coding, parts, duplicate}. Synchronous; the row is committed
 *       (synchronous=FULL) when it returns, so the HTTP 202 may be sent. `to` is validated to E.164
 *       (libphonenumber-js "max" metadata, default country from config). The same idempotency key with
 *       the same request returns the original message (duplicate: true); with another request throws
 *       EngineError "idempotency_conflict". `categorySource` records who set the category (issue #7).
 *   enqueueMany(requests, prepare?) → per index {ok, result} | {ok: false, error}: the whole batch in one
 *       transaction (one commit); a refused item leaves no row and does not stop the others.
 *   cancel(id)  → "canceled"; only while no part went to a modem (else "not_cancelable").
 *   resend(id)  → puts failed/unknown parts back in the queue. The ONLY way an `unknown` part is sent
 *       again: the engine never resends a submission whose outcome is unknown.
 * Read side
 *   getMessage(id) → MessageDetail | undefined: status, parts (modem, mr, status, attempts, error, times),
 *       events (every transition with its time and detail, part-level ones carry partSeq), and
 *       `waiting` {reason, modems, until} while every SIM that could send it is held by a cap
 *       (daily, gateway daily, distinct recipients); absent otherwise (cap-holds.ts).
 *   listMessages({direction, status, contact, modem, from, to, cursor, limit}) → {items, nextCursor}:
 *       newest first; pass nextCursor back as cursor; null on the last page.
 *   listUnmatchedReports(limit?) — status reports that matched no part (late or foreign).
 *   queueStats() → [{modemId (null = not routed yet), depth, oldestAgeMs}] for metrics.
 * Modems
 *   listModems() → id, identity, enabled/disabledReason, live state, counters, sentToday.
 *   capStatus() → per attached modem, each cap set on it: limit, used, reached, until, and holding
 *       (reached while a due part it would otherwise take waits). Read from the cap tables on demand.
 *   disableModem(id, reason?) / enableModem(id): out of / back into rotation; a modem whose failure
 *       rate passes the threshold is disabled automatically (event "modem.disabled" with the reason)
 *       and enabled again after a cool-down (5 min, doubling, at most 1 h) if it is ready then
 *       (auto-enable.ts); an operator's disable or enable cancels that. The cool-down is stored with the
       disable (migration 007) and start() takes it up again, so a restart does not leave the modem out.
 * Inbound
 *   ingest(modemId, IncomingPdu) is registered as each modem's onIncoming handler by addModem; it
 *   resolves after the commit (dedupe, decode or quarantine, reassembly, webhook outbox row, keyword
 *   hook, sticky route), and only then does the modem acknowledge or delete the PDU.
 * Events (engine.bus, emitted after commit): "message.status", "message.received", "report.unmatched",
 *   "inbound.quarantined", "modem.disabled", "modem.enabled", "modem.state". Each message-level
 *   status change and each received message also has a row in `webhook_outbox`, written in the same
 *   transaction, for the webhook sender.
 * Statuses: queued, scheduled, sending, sent, delivered, undelivered, failed, unknown, canceled,
 *   expired (outbound, aggregated from parts: delivered only when every part is); received (inbound).
 * Errors: EngineError with code invalid_number | invalid_request | idempotency_conflict | not_found |
 *   not_cancelable | not_resendable.
 */

export { defaultEngineConfig, type EngineConfig } from "../queue/config.js";
export type { InboundMessage, KeywordHook } from "../store/inbox.js";
export type { EventView, ListItem, ListQuery, MessageView, PartView, QueueStat } from "../store/queries.js";
export type { UnmatchedReport } from "../store/reports.js";
export type { Tx } from "../store/tx.js";
export type { CapHold, CapName, CapState, MessageWaiting, ModemCaps } from "./cap-holds.js";
export {
  type Codec,
  Engine,
  type EngineOptions,
  type EnqueueManyItem,
  type EnqueueRequest,
  type EnqueueResult,
  type MessageDetail,
  type ModemInfo,
  type PrepareItem,
} from "./engine.js";
export { EngineError, type EngineErrorCode, isEngineError } from "./errors.js";
