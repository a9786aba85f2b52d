import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { healthRoutes } from "../../../src/http/routes/health.js";
import { PowerProbe } from "../../../src/platform/power-probe.js";
import { ManualClock } from "../../helpers/engine-fakes.js";
import { captureLog, fakeRoot } from "../platform/power-fixture.js";
import { FakeHealth, FakeModems, fakeModem } from "./fakes.js";

type Body = {
  status: string;
  checks: Record<string, { status: string; output?: string; [k: string]: unknown }[]>;
};

describe("/health host:power (Pi get_throttled)", () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const f of cleanup.splice(0)) f();
  });

  async function health(throttled: string | null, modems = new FakeModems([fakeModem("gsm1")])) {
    const fx = fakeRoot(throttled);
    const clock = new ManualClock();
    const power = new PowerProbe({ clock, log: captureLog().log, root: fx.root, vcgencmd: null });
    cleanup.push(() => power.stop(), fx.remove);
    await power.start();
    const app = new Hono().route(
      "/",
      healthRoutes({ health: new FakeHealth(), modems, version: "1", now: () => clock.now(), power }),
    );
    const res = await app.request("/health");
    return { res, body: (await res.json()) as Body, fx, app };
  }

  it("under-voltage now turns /health to warn (still 200) and tells the operator which supply and hub to use", async () => {
    const { res, body } = await health("50005");
    expect(res.status).toBe(200);
    expect(body.status).toBe("warn");
    const [check] = body.checks["host:power"] ?? [];
    expect(check).toMatchObject({
      status: "warn",
      componentType: "system",
      observedValue: "0x50005",
      undervoltage: { now: true, sinceBoot: true },
    });
    expect(check?.output).toMatch(/^Under-voltage now \(get_throttled=0x50005\)/);
    expect(check?.output).toContain("5.1 V");
    expect(check?.output).toContain("powered USB hub");
  });

  it("under-voltage since boot alone still warns: the modem resets it caused are in the past, not gone", async () => {
    const { body } = await health("50000");
    expect(body.status).toBe("warn");
    expect(body.checks["host:power"]?.[0]?.status).toBe("warn");
    expect(body.checks["host:power"]?.[0]?.output).toMatch(/since boot.*clears at the next reboot/);
  });

  it("passes with no output when the supply has held since boot", async () => {
    const { body } = await health("0");
    expect(body.status).toBe("pass");
    expect(body.checks["host:power"]).toEqual([
      expect.objectContaining({
        status: "pass",
        observedValue: "0x0",
        undervoltage: { now: false, sinceBoot: false },
      }),
    ]);
    expect(body.checks["host:power"]?.[0]?.output).toBeUndefined();
  });

  it("reads the bits on each request: a sag after start shows without waiting for the poll", async () => {
    const { fx, app } = await health("0");
    fx.set("1");
    const body = (await (await app.request("/health")).json()) as Body;
    expect(body.checks["host:power"]?.[0]?.status).toBe("warn");
  });

  it("has no host:power check at all when this is not a Pi", async () => {
    const { body } = await health(null);
    expect(Object.keys(body.checks)).not.toContain("host:power");
    expect(body.status).toBe("pass");
  });

  it("a power warning never hides a failure: no ready modem is still fail (503)", async () => {
    const { res, body } = await health("50005", new FakeModems([fakeModem("gsm1", { state: "failed" })]));
    expect(res.status).toBe(503);
    expect(body.status).toBe("fail");
    expect(body.checks["host:power"]?.[0]?.status).toBe("warn");
  });
});
