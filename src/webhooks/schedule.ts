/**
 * Retry schedule. After the first attempt fails, retries wait 5 s, 5 min, 30 min, 2 h, 5 h, then
 * 10 h six times and a last 5 h: 72 h 35 min in all (≈ 3 days, the budget the Standard Webhooks
 * reference schedule extends), after which the delivery is dead-lettered and kept for replay.
 * Each delay gets ±20 % jitter so endpoints that failed together do not retry in lockstep.
 */
const S = 1000;
const M = 60 * S;
const H = 60 * M;

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [
  5 * S,
  5 * M,
  30 * M,
  2 * H,
  5 * H,
  10 * H,
  10 * H,
  10 * H,
  10 * H,
  10 * H,
  10 * H,
  5 * H,
];

export interface RetryPolicy {
  readonly delaysMs: readonly number[];
  /** Fraction of each delay, default 0.2. */
  readonly jitter: number;
}

export const defaultRetryPolicy: RetryPolicy = { delaysMs: DEFAULT_RETRY_DELAYS_MS, jitter: 0.2 };

/**
 * Delay before the next attempt after `attemptsSoFar` failed attempts (1 = the first one failed),
 * or undefined when the schedule is exhausted (dead letter). `rand` is in [0, 1).
 */
export function nextDelay(policy: RetryPolicy, attemptsSoFar: number, rand: number): number | undefined {
  const base = policy.delaysMs[attemptsSoFar - 1];
  if (base === undefined) return undefined;
  return Math.max(0, Math.round(base * (1 + policy.jitter * (2 * rand - 1))));
}
