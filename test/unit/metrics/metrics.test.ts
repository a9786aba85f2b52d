import { register as globalRegister } from "prom-client";
import { describe, expect, it } from "vitest";
import type { MetricsEventSource, MetricsEvents } from "../../../src/http/deps.js";
import { createMetrics } from "../../../src/metrics/metrics.js";
import { ModemOutcomeTap, mergeSources } from "../../../src/metrics/modem-events.js";
import type { SendOutcome } from "../../../src/modem/types.js";
import { samples } from "../../helpers/prom-samples.js";
import { FakeHealth, FakeModems, fakeModem } from "../http/fakes.js";
import { harness } from "../http/harness.js";

class Bus implements MetricsEventSource {
  #h = new Map<string, ((e: never) => void)[]>();
  on<K extends keyof MetricsEvents>(event: K, handler: (e: MetricsEvents[K]) => void) {
    const list = this.#h.get(event) ?? [];
    list.push(handler as (e: never) => void);
    this.#h.set(event, list);
    return () =>
      this.#h.set(
        event,
        (this.#h.get(event) ?? []).filter((x) => x !== handler),
      );
  }
  emit<K extends keyof MetricsEvents>(event: K, e: MetricsEvents[K]) {
    for (const h of this.#h.get(event) ?? []) (h as (e: MetricsEvents[K]) => void)(e);
  }
}

describe("metrics", () => {
  it("counts engine events and computes gauges on scrape, on a private registry", async () => {
    const bus = new Bus();
    const modems = new FakeModems([
      fakeModem("gsm1"),
      fakeModem("gsm2", { state: "recovering", signalDbm: null, registration: "searching" }),
    ]);
    const m = createMetrics({ modems, health: new FakeHealth(), events: bus, processMetrics: false });
    bus.emit("part.sent", { modem: "gsm1", latencySeconds: 2.5 });
    bus.emit("part.sent", { modem: "gsm1", latencySeconds: 4 });
    bus.emit("part.failed", { modem: "gsm2", reason: "unknown" });
    bus.emit("inbound.stored", { modem: "gsm1", parts: 3 });
    bus.emit("report.received", { modem: "gsm1", status: "delivered" });
    bus.emit("at.timeout", { modem: "gsm2" });
    m.webhookOutcome("crm", "retry");
    m.webhookOutcome("crm", "dead");
    m.webhookOutcome("crm", "delivered");
    const s = samples(await m.render());
    expect(s.get('smsgw_parts_sent_total{modem="gsm1"}')).toBe(2);
    expect(s.get('smsgw_parts_failed_total{modem="gsm2",reason="unknown"}')).toBe(1);
    expect(s.get('smsgw_inbound_messages_total{modem="gsm1"}')).toBe(1);
    expect(s.get('smsgw_inbound_parts_total{modem="gsm1"}')).toBe(3);
    expect(s.get('smsgw_status_reports_total{modem="gsm1",status="delivered"}')).toBe(1);
    expect(s.get('smsgw_send_latency_seconds_bucket{le="3",modem="gsm1",outcome="sent"}')).toBe(1);
    expect(s.get('smsgw_send_latency_seconds_sum{modem="gsm1",outcome="sent"}')).toBe(6.5);
    expect(s.get('smsgw_at_timeouts_total{modem="gsm2"}')).toBe(1);
    expect(s.get("smsgw_queue_depth")).toBe(3);
    expect(s.get("smsgw_queue_oldest_age_seconds")).toBe(12);
    expect(s.get('smsgw_modem_signal_dbm{modem="gsm1"}')).toBe(-73);
    expect(s.has('smsgw_modem_signal_dbm{modem="gsm2"}')).toBe(false);
    expect(s.get('smsgw_modem_state{modem="gsm2",state="recovering"}')).toBe(1);
    expect(s.get('smsgw_modem_state{modem="gsm2",state="ready"}')).toBe(0);
    expect(s.get('smsgw_modem_registration{modem="gsm2",registration="searching"}')).toBe(1);
    expect(s.get('smsgw_webhook_failed_attempts_total{endpoint="crm"}')).toBe(2);
    expect(s.get('smsgw_webhook_dead_lettered_total{endpoint="crm"}')).toBe(1);
    expect(s.get('smsgw_webhook_delivered_total{endpoint="crm"}')).toBe(1);
    expect(await globalRegister.metrics()).not.toContain("smsgw_");
    m.close();
    bus.emit("part.sent", { modem: "gsm1", latencySeconds: 1 });
    expect(samples(await m.render()).get('smsgw_parts_sent_total{modem="gsm1"}')).toBe(2);
  });

  it("labels carry configured names only: no phone numbers, IMEIs or message ids", async () => {
    const h = harness();
    await h.call("POST", "/v1/messages", { body: { to: "+33612345678", text: "hi" } });
    h.outbox.append({ type: "message.received", contact: "+33612345678", data: {}, createdAt: 0 });
    await h.webhooks.tick();
    const res = await h.call("GET", "/metrics", { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('smsgw_webhook_pending{endpoint="crm"} 1');
    const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
    expect(labelValues.length).toBeGreaterThan(10);
    for (const v of labelValues) expect(v, v).not.toMatch(/\d{6,}|msg_|imei/);
    for (const line of text
      .split("\n")
      .filter((l) => l.startsWith("# TYPE smsgw_") && l.endsWith(" counter"))) {
      expect(line.split(" ")[2], line).toMatch(/_total$/);
    }
  });
});

describe("modem outcome tap", () => {
  it("turns each AT+CMGS outcome into part and AT counters under the configured name", async () => {
    const listeners: ((o: SendOutcome, seconds?: number) => void)[] = [];
    const modem = {
      on: (_e: "outcome", l: (o: SendOutcome, seconds?: number) => void) => {
        listeners.push(l);
        return () => listeners.splice(listeners.indexOf(l), 1);
      },
    };
    const tap = new ModemOutcomeTap();
    const m = createMetrics({
      modems: new FakeModems(),
      health: new FakeHealth(),
      events: mergeSources(new Bus(), tap),
      sendLatency: tap,
      processMetrics: false,
    });
    const detach = tap.attach("gsm1", modem);
    const emit = (o: SendOutcome, seconds?: number) => {
      for (const l of [...listeners]) l(o, seconds);
    };
    emit({ kind: "sent", mr: 7 }, 2.5);
    emit({ kind: "rejected", code: 500, category: "retry-later", text: "+CMS ERROR: 500" }, 0.5);
    emit({ kind: "unknown", reason: "timeout", text: "no final result" }, 60);
    emit({ kind: "not-sent", reason: "no-prompt", text: "no prompt" });
    detach();
    emit({ kind: "sent", mr: 8 }, 1);
    const s = samples(await m.render());
    expect(s.get('smsgw_parts_sent_total{modem="gsm1"}')).toBe(1);
    expect(s.get('smsgw_parts_failed_total{modem="gsm1",reason="rejected"}')).toBe(1);
    expect(s.get('smsgw_parts_failed_total{modem="gsm1",reason="unknown"}')).toBe(1);
    expect(s.get('smsgw_parts_failed_total{modem="gsm1",reason="not-sent"}')).toBe(1);
    expect(s.get('smsgw_at_errors_total{modem="gsm1"}')).toBe(1);
    expect(s.get('smsgw_at_timeouts_total{modem="gsm1"}')).toBe(1);
    expect(s.get('smsgw_send_latency_seconds_sum{modem="gsm1",outcome="sent"}')).toBe(2.5);
    expect(s.get('smsgw_send_latency_seconds_count{modem="gsm1",outcome="rejected"}')).toBe(1);
    expect(s.get('smsgw_send_latency_seconds_bucket{le="60",modem="gsm1",outcome="unknown"}')).toBe(1);
    // An outcome without a measured duration is counted but not observed.
    expect(s.has('smsgw_send_latency_seconds_count{modem="gsm1",outcome="not-sent"}')).toBe(false);
  });
});
