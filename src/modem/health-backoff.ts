/**
 * Health polls on a short backoff while a modem is "degraded", i.e. answering but not registered
 * (27.007 §7.2 +CREG <stat> 0/2/3/4 on every one of CS, GPRS and EPS). The engine sends only through
 * "ready" modems, and the modem's own poll runs once per health interval (60 s): a modem reopened
 * after a USB reset finishes init before its SIM has re-registered (Huawei E3131 and plain 27.007
 * modems report SMS ready a few hundred ms after boot, registration comes seconds later), so it
 * stayed out of the rotation for a whole interval. Polling at 2 s, 4 s, 8 s… until the delay reaches
 * the normal interval brings it back within seconds of registering; a modem that stays unregistered
 * is then left to its regular poll. (+CREG URCs would say it sooner, but the modem layer does not
 * enable them: a read on a short backoff works the same on every profile.)
 */
import type { Clock } from "../clock.js";
import type { ModemState } from "./types.js";

export interface HealthPolled {
  readonly state: ModemState;
  refreshHealth(): Promise<unknown>;
  on(event: "state", listener: (next: ModemState, prev: ModemState) => void): () => void;
}

export interface HealthBackoffOptions {
  readonly clock: Clock;
  /** First delay, doubled after each poll that still finds the modem degraded. Default 2 s. */
  readonly firstMs?: number;
  /** The modem's own poll period: the backoff stops before reaching it. Default 60 s. */
  readonly intervalMs?: number;
  readonly onError?: (e: unknown) => void;
}

/** Watches `modem` for its whole life (it is single-use); returns a function that stops watching. */
export function pollWhileDegraded(modem: HealthPolled, o: HealthBackoffOptions): () => void {
  const first = o.firstMs ?? 2_000;
  const interval = o.intervalMs ?? 60_000;
  let timer: { clear(): void } | null = null;
  let done = false;

  const stop = () => {
    done = true;
    timer?.clear();
    timer = null;
    off();
  };
  const arm = (delay: number) => {
    if (done || timer || delay >= interval) return;
    timer = o.clock.setTimeout(() => {
      timer = null;
      if (done || modem.state !== "degraded") return;
      void modem
        .refreshHealth()
        .catch((e: unknown) => o.onError?.(e))
        .finally(() => {
          if (modem.state === "degraded") arm(delay * 2);
        });
    }, delay);
  };
  const off = modem.on("state", (next) => {
    if (next === "degraded") arm(first);
    else if (next === "failed" || next === "stopped") stop();
    else {
      timer?.clear();
      timer = null;
    }
  });
  if (modem.state === "degraded") arm(first);
  return stop;
}
