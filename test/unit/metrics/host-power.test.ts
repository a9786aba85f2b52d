import { afterEach, describe, expect, it } from "vitest";
import { createMetrics, registerHostPowerMetrics } from "../../../src/metrics/metrics.js";
import { PowerProbe } from "../../../src/platform/power-probe.js";
import { ManualClock } from "../../helpers/engine-fakes.js";
import { samples } from "../../helpers/prom-samples.js";
import { FakeHealth, FakeModems } from "../http/fakes.js";
import { harness } from "../http/harness.js";
import { captureLog, fakeRoot } from "../platform/power-fixture.js";

describe("smsgw_host_* gauges from the Pi's get_throttled", () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const f of cleanup.splice(0)) f();
  });

  /** What the composition root does: register the gauges only when the probe found a source. */
  async function scrape(throttled: string | null) {
    const fx = fakeRoot(throttled);
    const power = new PowerProbe({
      clock: new ManualClock(),
      log: captureLog().log,
      root: fx.root,
      vcgencmd: null,
    });
    cleanup.push(() => power.stop(), fx.remove);
    const metrics = createMetrics({
      modems: new FakeModems(),
      health: new FakeHealth(),
      processMetrics: false,
    });
    cleanup.push(() => metrics.close());
    if (await power.start()) registerHostPowerMetrics(metrics.registry, power);
    const h = harness({ deps: { metrics } });
    const res = await h.call("GET", "/metrics", { key: null });
    expect(res.status).toBe(200);
    return { text: await res.text(), fx, h };
  }

  it("exposes bits 0–3 as when=now and 16–19 as when=since_boot through /metrics", async () => {
    // 0x50005 as seen on a Pi 4 on a phone charger: under-voltage and throttling, now and since boot.
    const s = samples((await scrape("50005")).text);
    expect(s.get('smsgw_host_undervoltage{when="now"}')).toBe(1);
    expect(s.get('smsgw_host_undervoltage{when="since_boot"}')).toBe(1);
    expect(s.get('smsgw_host_throttled{when="now"}')).toBe(1);
    expect(s.get('smsgw_host_throttled{when="since_boot"}')).toBe(1);
    expect(s.get('smsgw_host_frequency_capped{when="now"}')).toBe(0);
    expect(s.get('smsgw_host_soft_temp_limit{when="since_boot"}')).toBe(0);
  });

  it("follows the file between scrapes", async () => {
    const { fx, h } = await scrape("0");
    fx.set("a0000");
    const s = samples(await (await h.call("GET", "/metrics", { key: null })).text());
    expect(s.get('smsgw_host_undervoltage{when="since_boot"}')).toBe(0);
    expect(s.get('smsgw_host_frequency_capped{when="since_boot"}')).toBe(1);
    expect(s.get('smsgw_host_soft_temp_limit{when="since_boot"}')).toBe(1);
    expect(s.get('smsgw_host_soft_temp_limit{when="now"}')).toBe(0);
  });

  it("exposes no smsgw_host_ series, not even HELP lines, when this is not a Pi", async () => {
    const { text } = await scrape(null);
    expect(text).not.toContain("smsgw_host_");
  });
});
