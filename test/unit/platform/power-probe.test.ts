import { afterEach, describe, expect, it } from "vitest";
import { PowerProbe } from "../../../src/platform/power-probe.js";
import { ManualClock } from "../../helpers/engine-fakes.js";
import { captureLog, countingClock, fakeRoot } from "./power-fixture.js";

const MINUTE = 60_000;

describe("PowerProbe", () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const f of cleanup.splice(0)) f();
  });
  function probe(throttled: string | null, vcgencmd: (() => Promise<string | null>) | null = null) {
    const fx = fakeRoot(throttled);
    const clock = countingClock(new ManualClock());
    const { log, lines } = captureLog();
    const p = new PowerProbe({ clock, log, root: fx.root, vcgencmd });
    cleanup.push(() => p.stop(), fx.remove);
    return { p, fx, clock, lines };
  }

  it("not a Pi: says 'not applicable' once at info level, arms no timer and reports nothing", async () => {
    const { p, clock, lines } = probe(null);
    expect(await p.start()).toBe(false);
    expect(p.applicable).toBe(false);
    expect(p.current()).toBeNull();
    expect(p.logNote()).toEqual({});
    expect(clock.armed).toBe(0);
    expect(lines.filter((l) => /not applicable/.test(l.msg))).toHaveLength(1);
    expect(lines.some((l) => l.level >= 40)).toBe(false);
  });

  it("sysfs: current() rereads the file on each call, so /health sees a change before the next poll", async () => {
    const { p, fx } = probe("0");
    expect(await p.start()).toBe(true);
    expect(p.current()).toMatchObject({ source: "sysfs", bits: 0 });
    fx.set("50005");
    expect(p.current()).toMatchObject({ bits: 0x50005, now: { undervoltage: true } });
  });

  it("keeps the last good reading when the file becomes unreadable", async () => {
    const { p, fx } = probe("50000");
    await p.start();
    fx.set("garbage!");
    expect(p.current()?.bits).toBe(0x50000);
  });

  it("logs a standing under-voltage once, not at every poll, and again after it cleared and came back", async () => {
    const fx = fakeRoot("50005");
    const clock = new ManualClock();
    const { log, lines } = captureLog();
    const p = new PowerProbe({ clock, log, root: fx.root, vcgencmd: null });
    cleanup.push(() => p.stop(), fx.remove);
    await p.start();
    await clock.advance(5 * MINUTE);
    const warnings = () => lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings()).toEqual(["under-voltage now: USB modems may reset when they transmit"]);
    expect(lines.find((l) => l.level === 40)?.get_throttled).toBe("0x50005");
    fx.set("50000");
    await clock.advance(MINUTE);
    fx.set("50001");
    await clock.advance(MINUTE);
    expect(warnings()).toHaveLength(2);
  });

  it("warns once about under-voltage that occurred since boot", async () => {
    const { p, lines } = probe("50000");
    await p.start();
    p.current();
    p.current();
    const warned = lines.filter((l) => l.level === 40);
    expect(warned.map((l) => l.msg)).toEqual(["under-voltage occurred since boot: check the power supply"]);
  });

  it("vcgencmd: spawns at most once per interval, however often /health and /metrics ask", async () => {
    let runs = 0;
    let answer = "throttled=0x0";
    const clock = new ManualClock();
    const fx = fakeRoot(null);
    const { log } = captureLog();
    const p = new PowerProbe({
      clock,
      log,
      root: fx.root,
      vcgencmd: async () => {
        runs++;
        return answer;
      },
    });
    cleanup.push(() => p.stop(), fx.remove);
    expect(await p.start()).toBe(true);
    for (let i = 0; i < 10; i++) p.current();
    expect(runs).toBe(1);
    expect(p.current()).toMatchObject({ source: "vcgencmd", bits: 0 });
    answer = "throttled=0x50005";
    await clock.advance(MINUTE - 1);
    expect(runs).toBe(1);
    await clock.advance(1);
    expect(runs).toBe(2);
    expect(p.current()?.now.undervoltage).toBe(true);
  });

  it("stop() disarms the timer", async () => {
    let runs = 0;
    const clock = new ManualClock();
    const fx = fakeRoot(null);
    const p = new PowerProbe({
      clock,
      log: captureLog().log,
      root: fx.root,
      vcgencmd: async () => {
        runs++;
        return "0x0";
      },
    });
    cleanup.push(fx.remove);
    await p.start();
    p.stop();
    await clock.advance(10 * MINUTE);
    expect(runs).toBe(1);
  });

  it("logNote says which under-voltage a vanished modem coincides with", async () => {
    const { p, fx } = probe("50005");
    await p.start();
    expect(p.logNote()).toEqual({ undervoltage: "now" });
    fx.set("50000");
    expect(p.logNote()).toEqual({ undervoltage: "since_boot" });
    fx.set("0");
    expect(p.logNote()).toEqual({});
  });
});
