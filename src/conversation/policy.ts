/**
 * Send-path compliance rules (ecosystem §4.3), as functions of the store state so that the same
 * rules run at enqueue (CompliantSender) and again at dispatch (a STOP may arrive while a message
 * waits in the queue: the STOP must win).
 *
 * - A suppressed (opted-out) contact gets nothing, whatever the category, except the keyword
 *   replies recorded in `compliance_exempt` (the one opt-out confirmation, the HELP answer).
 * - Marketing needs the purpose's consent in force (CPCE L34-5: prior consent), must name the
 *   advertiser and give a free way to object (a footer is appended when the body lacks either), and
 *   goes out only inside the recipient's sending window (moved to the next allowed slot, not dropped).
 */
import { stmt } from "../store/tx.js";
import { hasConsent, suppressionOf } from "./consent.js";
import { type Ctx, getContact, localeOf } from "./contacts.js";
import { regionOfZone } from "./holidays.js";
import { normalise } from "./keywords.js";
import { hashedObjection } from "./pepper-hash.js";
import { nextAllowedInstant, type WindowProfile } from "./windows.js";

/**
 * `advertiser-unnamed`: marketing while `[business].name` is empty (a configuration gap, not the
 * contact's). `outside-window`: the recipient's sending window opens only after the message's
 * validUntil, so it could only ever expire.
 */
export type ComplianceProblem =
  | "opted-out"
  | "consent-missing"
  | "frequency-cap"
  | "advertiser-unnamed"
  | "outside-window";

export class ComplianceError extends Error {
  override readonly name = "ComplianceError";
  constructor(
    readonly problem: ComplianceProblem,
    message: string,
    readonly contact: string,
    /** Extra members of the problem document (e.g. `nextWindowAt`). */
    readonly extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export const isComplianceError = (e: unknown): e is ComplianceError => e instanceof ComplianceError;

export interface PolicyConfig {
  readonly businessName: string;
  /** `{business}` is replaced. Must contain the business name and a STOP instruction. */
  readonly footer?: string;
  /** Consent purpose marketing messages need, default "marketing". */
  readonly marketingPurpose?: string;
  readonly window: WindowProfile;
  /** Zone of numbers whose region has no known zone, default Europe/Paris. */
  readonly fallbackZone?: string;
  /**
   * Let conversational replies through to an opted-out contact who wrote again after the STOP
   * (ecosystem §4.3 matrix: "only until the contact writes again; never marketing"). Default false:
   * an opt-out blocks every category until START.
   */
  readonly conversationalAfterInbound?: boolean;
  /**
   * Marketing messages per contact over a rolling window (ecosystem §4.7; config default 4 per
   * 30 days). Counted over messages created in the window that were not canceled, expired or
   * failed: at enqueue, and again at dispatch (a resent failed message counts again, so it must not
   * pass unchecked). `max: 0` = no cap.
   */
  readonly marketingCap?: { readonly max: number; readonly perDays: number };
}

/** Marketing messages to `to` created after `since` that still count; `except` leaves one message out. */
export function marketingCount(c: Ctx, to: string, since: number, except?: string): number {
  return (
    stmt(
      c.db,
      `SELECT COUNT(*) AS n FROM messages WHERE to_number = ? AND category = 'marketing' AND created_at > ?
         AND status NOT IN ('canceled','expired','failed') AND id IS NOT ?`,
    ).get(to, since, except ?? null) as { n: number }
  ).n;
}

/**
 * Whether the suppression of `to` blocks a message of `category`. A marketing withdrawal kept as a
 * hash after erasure (pepper-hash.ts) blocks marketing as an opt-out would (GDPR art. 21(3)).
 */
function blocked(c: Ctx, to: string, category: string | undefined, cfg: PolicyConfig): boolean {
  if (category === "marketing" && hashedObjection(c, to, cfg.marketingPurpose ?? "marketing")) return true;
  const s = suppressionOf(c, to);
  if (!s) return false;
  if (!cfg.conversationalAfterInbound || category !== "conversational") return true;
  return !((getContact(c, to)?.lastInboundAt ?? 0) > s.since);
}

/** GSM 7-bit, so the footer never turns a GSM message into UCS-2 (which would halve its room). */
export const DEFAULT_FOOTER = "{business} : répondez STOP pour ne plus recevoir de SMS.";

export function footerOf(cfg: PolicyConfig): string {
  return (cfg.footer ?? DEFAULT_FOOTER).replaceAll("{business}", cfg.businessName);
}

/** The marketing body as it will be sent: the footer is appended unless name and STOP are both there. */
export function marketingBody(text: string, cfg: PolicyConfig): string {
  const words = normalise(text).join(" ");
  const named = ` ${words} `.includes(` ${normalise(cfg.businessName).join(" ")} `);
  const stop = normalise(text).includes("stop");
  return named && stop ? text : `${text}\n${footerOf(cfg)}`;
}

export interface Planned {
  readonly text: string;
  /** Earliest send time; null = now. */
  readonly sendAt: number | null;
}

/** Zone (and holiday calendar) for a contact: its override if any, else derived from the number. */
export function zoneOf(c: Ctx, to: string, fallbackZone?: string): { zone: string; region: string | null } {
  const contact = getContact(c, to);
  // An overridden zone says where the person lives, so its holidays apply too: a +33 customer
  // living in Guadeloupe gets no marketing on Guadeloupe's Good Friday (af2m 2026: local holidays).
  if (contact?.zoneOverridden) return { zone: contact.timeZone, region: regionOfZone(contact.timeZone) };
  if (contact) return { zone: contact.timeZone, region: contact.region };
  const l = localeOf(to, fallbackZone);
  return { zone: l.zone, region: l.region };
}

/**
 * The enqueue-time verdict for a request to E.164 `to`; throws ComplianceError when refused.
 * `c.at` is now.
 */
export function planSend(
  c: Ctx,
  req: {
    readonly to: string;
    readonly text: string;
    readonly category: string;
    readonly sendAt?: number | null;
    readonly validUntil?: number | null;
  },
  cfg: PolicyConfig,
): Planned {
  if (blocked(c, req.to, req.category, cfg))
    throw new ComplianceError("opted-out", `${req.to} has opted out (replied STOP)`, req.to);
  if (req.category !== "marketing") return { text: req.text, sendAt: req.sendAt ?? null };
  // CPCE L34-5: a marketing message must identify the advertiser; without a name the footer could not.
  if (cfg.businessName.trim() === "")
    throw new ComplianceError(
      "advertiser-unnamed",
      "marketing messages need [business].name in the configuration: each one must name the advertiser",
      req.to,
    );
  const purpose = cfg.marketingPurpose ?? "marketing";
  if (!hasConsent(c, req.to, purpose))
    throw new ComplianceError("consent-missing", `no ${purpose} consent in force for ${req.to}`, req.to);
  const cap = cfg.marketingCap;
  if (cap && cap.max > 0 && marketingCount(c, req.to, c.at - cap.perDays * 86_400_000) >= cap.max)
    throw new ComplianceError(
      "frequency-cap",
      `${req.to} already has ${cap.max} marketing messages in the last ${cap.perDays} days`,
      req.to,
    );
  const { zone, region } = zoneOf(c, req.to, cfg.fallbackZone);
  const earliest = Math.max(c.at, req.sendAt ?? c.at);
  const at = nextAllowedInstant(earliest, zone, cfg.window, region);
  // Queueing it would only lead to `expired`: say so now, with the time the window opens, so the
  // caller can move validUntil or drop the message (af2m 2026 window, issue #7 §5).
  if (req.validUntil != null && at >= req.validUntil)
    throw new ComplianceError(
      "outside-window",
      `the sending window for ${req.to} opens at ${new Date(at).toISOString()}, after validUntil ${new Date(req.validUntil).toISOString()}`,
      req.to,
      { nextWindowAt: new Date(at).toISOString() },
    );
  return { text: marketingBody(req.text, cfg), sendAt: at > c.at ? at : null };
}

/** Only `conversationalAfterInbound` (false) of it is read when no configuration is registered. */
const OPT_OUT_ONLY: PolicyConfig = {
  businessName: "",
  window: { name: "none", days: [], slots: [], holidaysOff: false },
};

export type DispatchVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly action: "cancel"; readonly reason: ComplianceProblem }
  | { readonly ok: false; readonly action: "defer"; readonly until: number; readonly reason: "window" };

/**
 * The dispatch-time re-check of a part about to be leased, inside the lease transaction (`c.at` is
 * the lease time). The engine applies it: cancel the message's pending parts, or push
 * `next_attempt_at` to `until`. Without a configuration (`null`: an engine run without the
 * composition root) only the opt-out holds: it is the recipient's own word, whereas consent and
 * sending windows are the operator's configured marketing policy.
 */
export function checkDispatch(
  c: Ctx,
  part: { readonly messageId: string; readonly to: string },
  cfg: PolicyConfig | null,
): DispatchVerdict {
  const exempt = stmt(c.db, "SELECT 1 FROM compliance_exempt WHERE message_id = ?").get(part.messageId);
  if (exempt) return { ok: true };
  const m = stmt(c.db, "SELECT category FROM messages WHERE id = ?").get(part.messageId) as
    | { category: string }
    | undefined;
  if (blocked(c, part.to, m?.category, cfg ?? OPT_OUT_ONLY))
    return { ok: false, action: "cancel", reason: "opted-out" };
  if (cfg === null || m?.category !== "marketing") return { ok: true };
  if (!hasConsent(c, part.to, cfg.marketingPurpose ?? "marketing"))
    return { ok: false, action: "cancel", reason: "consent-missing" };
  // The enqueue-time cap does not see a resend (engine.resend of a failed message, which counts
  // again once queued): the contact's other marketing messages in the window are counted here too.
  const cap = cfg.marketingCap;
  if (
    cap &&
    cap.max > 0 &&
    marketingCount(c, part.to, c.at - cap.perDays * 86_400_000, part.messageId) >= cap.max
  )
    return { ok: false, action: "cancel", reason: "frequency-cap" };
  const { zone, region } = zoneOf(c, part.to, cfg.fallbackZone);
  const until = nextAllowedInstant(c.at, zone, cfg.window, region);
  return until > c.at ? { ok: false, action: "defer", until, reason: "window" } : { ok: true };
}
