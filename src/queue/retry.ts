/**
 * What to do after one `sendPart`. Kept as one small pure function because the decision encodes
 * *why* (zwave-js Driver.ts mayRetrySerialAPICommand): an `unknown` outcome is never retried — the
 * PDU may have reached the SMSC, and resending it is the classic duplicate (peers.md §3.3).
 */
import type { SendOutcome } from "../modem/types.js";
import type { OutcomeDecision } from "../store/outcome.js";
import type { EngineConfig } from "./config.js";

export interface AttemptInfo {
  /** Attempts made so far, including this one. */
  readonly attempts: number;
  /** When the first attempt started (ms). */
  readonly firstAttemptAt: number;
}

/** Exponential backoff with jitter in [½, 1] of the step, so retries of a batch spread out. */
export function backoffMs(
  attempt: number,
  cfg: Pick<EngineConfig, "backoffBaseMs" | "backoffMaxMs">,
  random: () => number,
): number {
  const step = Math.min(cfg.backoffMaxMs, cfg.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step * (0.5 + 0.5 * random()));
}

export function decide(
  o: SendOutcome,
  a: AttemptInfo,
  now: number,
  cfg: EngineConfig,
  random: () => number,
): OutcomeDecision {
  switch (o.kind) {
    case "sent":
      return { kind: "sent", mr: o.mr };
    case "unknown":
      return { kind: "unknown", code: `unknown_${o.reason.replace(/-/g, "_")}`, text: o.text };
    case "rejected": {
      const code = o.code === null ? "rejected" : `cms_${o.code}`;
      if (o.category === "permanent") return { kind: "failed", code, text: o.text };
      if (o.category === "modem-fault") {
        // Not the message's fault: try another SIM at once. A PDU that faults every modem still ends,
        // after twice the normal budget.
        if (a.attempts >= cfg.maxAttempts * 2)
          return { kind: "failed", code: "modem_fault_exhausted", text: o.text };
        return { kind: "retry", code, text: o.text, retryAt: now, releaseRouting: true };
      }
      return retryOrFail(code, o.text, a, now, cfg, random);
    }
    case "not-sent":
      // A stop in progress: the part is given back without spending its budget on a backoff.
      if (o.reason === "aborted")
        return { kind: "retry", code: "aborted", text: o.text, retryAt: now, releaseRouting: false };
      return retryOrFail(`not_sent_${o.reason.replace(/-/g, "_")}`, o.text, a, now, cfg, random);
  }
}

function retryOrFail(
  code: string,
  text: string,
  a: AttemptInfo,
  now: number,
  cfg: EngineConfig,
  random: () => number,
): OutcomeDecision {
  const retryAt = now + backoffMs(a.attempts, cfg, random);
  if (a.attempts >= cfg.maxAttempts || retryAt - a.firstAttemptAt > cfg.retryBudgetMs)
    return {
      kind: "failed",
      code: "retry_exhausted",
      text: `${code}: ${text} (after ${a.attempts} attempts)`,
    };
  return { kind: "retry", code, text, retryAt, releaseRouting: false };
}
