/**
 * The daemon's HTTP stack hands the Pi power reader to /health: a stack built as the gateway builds
 * it, over a fake sysfs root, shows "host:power" (the route alone is covered in
 * test/unit/http/health-host.test.ts; this is the wiring that once left it out of the daemon).
 */
import { afterEach, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/index.js";
import { generateApiKey } from "../../src/http/auth.js";
import { createHttpStack } from "../../src/http/stack.js";
import { PowerProbe } from "../../src/platform/power-probe.js";
import { ManualClock } from "../helpers/engine-fakes.js";
import { captureLog, fakeRoot } from "../unit/platform/power-fixture.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function stackHealth(throttled: string | null) {
  const fx = fakeRoot(throttled);
  const clock = new ManualClock();
  const power = new PowerProbe({ clock, log: captureLog().log, root: fx.root, vcgencmd: null });
  const engine = new Engine({ db: ":memory:" });
  const stack = createHttpStack({
    engine,
    apiKeys: [{ name: "a", key: generateApiKey(), scopes: ["read"] }],
    power,
  });
  cleanup.push(
    fx.remove,
    () => power.stop(),
    () => stack.stop(),
    () => {
      engine.db.close();
    },
  );
  await power.start();
  const res = await stack.app.request("/health");
  return (await res.json()) as { status: string; checks: Record<string, { status: string }[]> };
}

describe("daemon /health shows the Pi's power", () => {
  it("under-voltage since boot reaches /health through the stack the gateway builds", async () => {
    const body = await stackHealth("50000");
    expect(body.checks["host:power"]?.[0]?.status).toBe("warn");
  });

  it("not a Pi: no host:power check at all", async () => {
    const body = await stackHealth(null);
    expect(body.checks["host:power"]).toBeUndefined();
  });
});
