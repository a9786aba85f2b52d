/**
 * systemd watchdog (WatchdogSec=): pings WATCHDOG=1 every WATCHDOG_USEC/2, but only while the event
 * loop is healthy. The ping reflects the health of this process's event loop, not of any modem (a
 * modem failure is handled by the supervisor; restarting the daemon would not fix a SIM).
 *
 * Health is the worst event-loop delay seen since the last tick (perf_hooks.monitorEventLoopDelay).
 * A loop that is fully blocked never runs the timer, so systemd restarts the service; a loop that is
 * sluggish past `maxLagMs` skips the ping on purpose, so a sick process is not kept alive by a timer
 * that happens to get through.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Logger } from "pino";
import type { SdNotify } from "./sd-notify.js";

/** Worst event-loop delay since the previous call, in ms. */
export type LagProbe = () => number;

export function eventLoopLagProbe(): { probe: LagProbe; stop: () => void } {
  const h = monitorEventLoopDelay({ resolution: 20 });
  h.enable();
  return {
    probe: () => {
      const ms = h.max / 1e6;
      h.reset();
      return ms;
    },
    stop: () => h.disable(),
  };
}

export interface WatchdogOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Skip the ping when the loop lagged more than this, ms. Default: half the ping interval, ≤ 5000. */
  readonly maxLagMs?: number;
  /** Injected for tests; default monitorEventLoopDelay. */
  readonly lag?: LagProbe;
  readonly log?: Logger;
}

/** Interval in ms from $WATCHDOG_USEC, or null when the watchdog is off or meant for another pid. */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv, pid = process.pid): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isFinite(usec) || usec <= 0) return null;
  // sd_watchdog_enabled(3): WATCHDOG_PID, when set, names the process the watchdog is for.
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return null;
  return Math.max(1, Math.floor(usec / 2 / 1000));
}

/** Starts pinging; returns a stop function. Does nothing (and returns a no-op) when off. */
export function startWatchdog(notify: SdNotify, options: WatchdogOptions = {}): () => void {
  const env = options.env ?? process.env;
  const interval = watchdogIntervalMs(env);
  if (interval === null || !notify.enabled) return () => {};
  const maxLag = options.maxLagMs ?? Math.min(interval / 2, 5000);
  const own = options.lag ? null : eventLoopLagProbe();
  const lag = options.lag ?? (own as { probe: LagProbe }).probe;
  let skipped = 0;
  const timer = setInterval(() => {
    const worst = lag();
    if (worst > maxLag) {
      skipped++;
      options.log?.warn(
        { lagMs: Math.round(worst), maxLagMs: maxLag, skipped },
        "event loop lagging: watchdog ping skipped",
      );
      return;
    }
    if (skipped > 0) options.log?.info({ skipped }, "event loop healthy again: watchdog pings resumed");
    skipped = 0;
    void notify.watchdog();
  }, interval);
  timer.unref();
  return () => {
    clearInterval(timer);
    own?.stop();
  };
}
