/**
 * The compliant way to enqueue: the policy of policy.ts, then `Engine.enqueue`. The check and the
 * enqueue run in one synchronous call; the inbound ingest (where a STOP takes effect) is a
 * synchronous transaction on the same connection, so it cannot run in between.
 *
 *   const sender = new CompliantSender(engine, { businessName, window: PROFILES["af2m-2026"], now: clock.now });
 *   sender.enqueue({ to, text, category: "marketing" })   // ComplianceError "opted-out" | "consent-missing"
 *   sender.enqueueMany([...])   // one transaction; each item checked inside it, refusals per item
 */
import type { Engine, EnqueueManyItem, EnqueueRequest, EnqueueResult } from "../engine/index.js";
import { segmentPreview } from "../pdu/index.js";
import type { SegmentPreview } from "../pdu/types.js";
import { stmt } from "../store/tx.js";
import { marketingBody, type Planned, type PolicyConfig, planSend } from "./policy.js";

export interface SenderConfig extends PolicyConfig {
  readonly now: () => number;
}

export interface Preview extends Planned {
  readonly to: string;
  /** Counted on the text as sent, footer included. */
  readonly segments: SegmentPreview;
}

const toMs = (v: EnqueueRequest["sendAt"]): number | null =>
  v === undefined ? null : typeof v === "number" ? v : v instanceof Date ? v.getTime() : Date.parse(v);

export type Sent = EnqueueResult & { readonly sendAt: number | null };
export type SentItem = { readonly ok: true; readonly result: Sent } | Exclude<EnqueueManyItem, { ok: true }>;

export class CompliantSender {
  constructor(
    readonly engine: Pick<Engine, "enqueue" | "db" | "recipient"> & Partial<Pick<Engine, "enqueueMany">>,
    readonly cfg: SenderConfig,
  ) {}

  /** What would be sent, and when; throws ComplianceError when it would be refused. */
  preview(req: EnqueueRequest): Preview {
    // The engine's own rule (country, simulated SIMs' numbers), so both layers agree on who this is.
    const to = this.engine.recipient(req.to);
    const sendAt = toMs(req.sendAt);
    const validUntil = toMs(req.validUntil);
    const p = planSend(
      { db: this.engine.db, at: this.cfg.now() },
      {
        to,
        text: req.text,
        category: req.category,
        sendAt: Number.isFinite(sendAt) ? sendAt : null,
        // An unparsable validUntil is left to the engine's validation (a 422 on that field).
        validUntil: Number.isFinite(validUntil) ? validUntil : null,
      },
      this.cfg,
    );
    return { ...p, to, segments: segmentPreview(p.text, { smart: !!req.smart }) };
  }

  enqueue(req: EnqueueRequest): Sent {
    const p = this.#plan(req);
    return { ...this.engine.enqueue(p.req), sendAt: p.sendAt };
  }

  /**
   * A batch in one engine transaction: the policy runs per item inside it, so an item sees the rows
   * of the items before it (a marketing cap counts them) and a STOP cannot slip in between.
   * An engine without enqueueMany (a test double) gets the items one by one.
   */
  enqueueMany(reqs: readonly EnqueueRequest[]): SentItem[] {
    if (!this.engine.enqueueMany)
      return reqs.map((req): SentItem => {
        try {
          return { ok: true, result: this.enqueue(req) };
        } catch (error) {
          return { ok: false, error };
        }
      });
    const sendAt: (number | null)[] = [];
    const items = this.engine.enqueueMany(reqs, (req, i) => {
      const p = this.#plan(req);
      sendAt[i] = p.sendAt;
      return p.req;
    });
    return items.map((it, i) =>
      it.ok ? { ok: true, result: { ...it.result, sendAt: sendAt[i] ?? null } } : it,
    );
  }

  /** The request as the engine must enqueue it, and its earliest send time; throws ComplianceError. */
  #plan(req: EnqueueRequest): { req: EnqueueRequest; sendAt: number | null } {
    // A retry with a known idempotency key goes straight to the engine, which answers with the
    // original message (or a conflict): the window may have moved since, the request has not.
    if (req.idempotencyKey !== undefined) {
      const prev = stmt(
        this.engine.db,
        "SELECT m.send_at AS sendAt FROM idempotency_keys k JOIN messages m ON m.id = k.message_id WHERE k.key = ?",
      ).get(req.idempotencyKey) as { sendAt: number | null } | undefined;
      if (prev) {
        const text = req.category === "marketing" ? marketingBody(req.text, this.cfg) : req.text;
        return { req: this.#final(req, { text }, prev.sendAt), sendAt: prev.sendAt };
      }
    }
    const p = this.preview(req);
    return { req: this.#final(req, p, p.sendAt), sendAt: p.sendAt };
  }

  #final(req: EnqueueRequest, p: { text: string }, sendAt: number | null): EnqueueRequest {
    const { sendAt: _drop, ...rest } = req;
    return { ...rest, text: p.text, ...(sendAt !== null ? { sendAt } : {}) };
  }
}
