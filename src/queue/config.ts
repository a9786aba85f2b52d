/**
 * Engine settings with documented defaults. Carrier caps are per SIM (peers.md §3.11: SMSGate #34,
 * #148, #270 report 100–500 parts/day and 99–250 distinct recipients per month).
 */
export interface EngineConfig {
  /** ISO 3166 country for national numbers, default "FR". */
  readonly defaultCountry: string;
  /** E.164 numbers of simulated SIMs ([sim.numbers]), valid recipients whatever the numbering plan. */
  readonly virtualNumbers: readonly string[];
  /** [1…600] parts per minute per modem (token bucket), default 20 (≈3 s per part, Gammu #419). */
  readonly ratePerMinute: number;
  /** [1…60] token bucket burst, default 3. */
  readonly rateBurst: number;
  /** Parts per SIM per UTC day, default 500; 0 = no cap. */
  readonly dailyCapPerModem: number;
  /** Distinct recipients per SIM over `recipientWindowMs`, default 150; 0 = no cap. */
  readonly distinctRecipientsCap: number;
  /** Window of the distinct-recipient cap, default 30 days. */
  readonly recipientWindowMs: number;
  /** Parts per UTC day for the whole gateway, default 0 (no cap). */
  readonly globalDailyCap: number;
  /** Sticky sender: a contact keeps its SIM for this long after the last exchange, default 8 days. */
  readonly stickyMs: number;
  /** When the sticky SIM is down or disabled: "move" to another modem (default) or "wait" for it. */
  readonly stickyFallback: "move" | "wait";
  /** Attempts per part for retryable failures, default 6. */
  readonly maxAttempts: number;
  /** Time budget from the first attempt for retryable failures, default 6 h. */
  readonly retryBudgetMs: number;
  /** Backoff base and cap: base·2^(n-1) with full jitter, default 30 s and 30 min. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** Lease length; a lease older than this is recovered (the modem's own CMGS timeout is shorter). Default 5 min. */
  readonly leaseMs: number;
  /** Automatic disable: failure ratio over the window, minimum samples. Defaults 0.5, 10 min, 5. */
  readonly failureThreshold: number;
  readonly failureWindowMs: number;
  readonly failureMinSamples: number;
  /** Release an incomplete concatenated inbound message after this long, default 24 h (Gammu MultipartTimeout is 600 s; networks can be slower). */
  readonly reassemblyTimeoutMs: number;
  /** Status reports are matched to parts sent within this window, default 3 days. */
  readonly reportWindowMs: number;
  /** Period of the sweep (expiry, reassembly timeout, lease recovery), default 30 s. */
  readonly sweepIntervalMs: number;
}

export const defaultEngineConfig: EngineConfig = {
  defaultCountry: "FR",
  virtualNumbers: [],
  ratePerMinute: 20,
  rateBurst: 3,
  dailyCapPerModem: 500,
  distinctRecipientsCap: 150,
  recipientWindowMs: 30 * 86_400_000,
  globalDailyCap: 0,
  stickyMs: 8 * 86_400_000,
  stickyFallback: "move",
  maxAttempts: 6,
  retryBudgetMs: 6 * 3_600_000,
  backoffBaseMs: 30_000,
  backoffMaxMs: 30 * 60_000,
  leaseMs: 5 * 60_000,
  failureThreshold: 0.5,
  failureWindowMs: 10 * 60_000,
  failureMinSamples: 5,
  reassemblyTimeoutMs: 24 * 3_600_000,
  reportWindowMs: 3 * 86_400_000,
  sweepIntervalMs: 30_000,
};

export const PRIORITY = { transactional: 0, conversational: 0, marketing: 1 } as const;
export type Category = keyof typeof PRIORITY;
