import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SdNotify } from "../../../src/platform/sd-notify.js";
import { startWatchdog, watchdogIntervalMs } from "../../../src/platform/watchdog.js";

/** A fake `systemd-notify` on PATH that appends "<NOTIFY_SOCKET> <args>" to $FAKE_LOG. */
function fakeNotify(exitCode = 0) {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-notify-"));
  const log = join(dir, "calls.log");
  const bin = join(dir, "systemd-notify");
  writeFileSync(bin, `#!/bin/sh\nprintf '%s|%s\\n' "$NOTIFY_SOCKET" "$*" >> "$FAKE_LOG"\nexit ${exitCode}\n`);
  chmodSync(bin, 0o755);
  const env = {
    PATH: `${dir}:${process.env.PATH ?? ""}`,
    NOTIFY_SOCKET: "/run/systemd/notify",
    FAKE_LOG: log,
  };
  const calls = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
  return { env, calls };
}

describe("SdNotify", () => {
  it("sends READY, STATUS, WATCHDOG and STOPPING through systemd-notify, in call order", async () => {
    const f = fakeNotify();
    const n = new SdNotify({ env: f.env });
    expect(n.enabled).toBe(true);
    const results = await Promise.all([
      n.status("starting modems"),
      n.ready("2 modems ready"),
      n.watchdog(),
      n.stopping(),
    ]);
    expect(results).toEqual([true, true, true, true]);
    expect(f.calls()).toEqual([
      "/run/systemd/notify|--status=starting modems",
      "/run/systemd/notify|--ready --status=2 modems ready",
      "/run/systemd/notify|WATCHDOG=1",
      "/run/systemd/notify|STOPPING=1",
    ]);
  });

  it("is silently off when NOTIFY_SOCKET is unset", async () => {
    const f = fakeNotify();
    const n = new SdNotify({ env: { ...f.env, NOTIFY_SOCKET: "" } });
    expect(n.enabled).toBe(false);
    expect(await n.ready()).toBe(false);
    expect(f.calls()).toEqual([]);
  });

  it("never throws when the binary is missing or fails", async () => {
    const missing = new SdNotify({ env: { NOTIFY_SOCKET: "/x", PATH: "/nonexistent" } });
    await expect(missing.ready()).resolves.toBe(false);
    await expect(missing.watchdog()).resolves.toBe(false);
    const f = fakeNotify(1);
    await expect(new SdNotify({ env: f.env }).ready()).resolves.toBe(false);
  });
});

describe("watchdog", () => {
  it("pings at half WATCHDOG_USEC and ignores a watchdog meant for another pid", () => {
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000" })).toBe(15_000);
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: String(process.pid) })).toBe(15_000);
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "1" })).toBeNull();
    expect(watchdogIntervalMs({})).toBeNull();
  });

  it("pings while the event loop is healthy and skips pings while it lags", async () => {
    const f = fakeNotify();
    const env = { ...f.env, WATCHDOG_USEC: "120000" }; // ping every 60 ms
    let lagMs = 0;
    const first = new SdNotify({ env });
    const stop = startWatchdog(first, { env, lag: () => lagMs, maxLagMs: 50 });
    await waitFor(() => f.calls().length >= 2);
    stop();
    await first.flush();
    const healthy = f.calls().length;
    expect(f.calls().every((c) => c.endsWith("|WATCHDOG=1"))).toBe(true);

    lagMs = 500;
    const stop2 = startWatchdog(new SdNotify({ env }), { env, lag: () => lagMs, maxLagMs: 50 });
    await new Promise((r) => setTimeout(r, 300));
    expect(f.calls().length).toBe(healthy);
    lagMs = 0;
    await waitFor(() => f.calls().length > healthy);
    stop2();
  });

  it("does nothing without WATCHDOG_USEC", async () => {
    const f = fakeNotify();
    const stop = startWatchdog(new SdNotify({ env: f.env }), { env: f.env, lag: () => 0 });
    await new Promise((r) => setTimeout(r, 100));
    stop();
    expect(f.calls()).toEqual([]);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
