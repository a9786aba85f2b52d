/**
 * Prometheus metrics on a private Registry (no prom-client global state, so two gateways in one
 * test process do not collide). Naming follows the Prometheus guidelines: `smsgw_` prefix, base
 * units (seconds, dBm as the unit suffix), `_total` for counters.
 * Labels never carry phone numbers, message ids or IMEIs: `modem` is the configured modem name,
 * `endpoint` the configured webhook id; everything else is a small closed set.
 * Counters are fed by engine events; gauges are computed on scrape from the live sources.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { HealthSource, MetricsEventSource, ModemsService, WebhooksAdmin } from "../http/deps.js";
import { MODEM_STATES } from "../modem/types.js";
import type { PowerSource } from "../platform/power-probe.js";
import { COUNT_NAMES } from "../retention/policy.js";
import type { RetentionReport } from "../retention/runner.js";
import type { DeliveryOutcome } from "../webhooks/worker.js";
import type { SendLatencySource } from "./modem-events.js";

export interface MetricsDeps {
  readonly modems: ModemsService;
  readonly health: HealthSource;
  readonly events?: MetricsEventSource;
  readonly webhooks?: WebhooksAdmin;
  /** Per-part AT+CMGS durations from the modems (ModemOutcomeTap). */
  readonly sendLatency?: SendLatencySource;
  /** Process metrics (CPU, memory, event loop lag), default true. */
  readonly processMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  readonly contentType: string;
  render(): Promise<string>;
  /** Hook for WebhookWorker's `onOutcome`. */
  webhookOutcome(endpoint: string, outcome: DeliveryOutcome): void;
  /** Hook for RetentionRunner's `onReport`. */
  retentionRun(report: RetentionReport): void;
  /** Unsubscribes from the event source. */
  close(): void;
}

/** The modem states, and "disabled" for a configured modem that is not run. */
const STATES = [...MODEM_STATES, "disabled"] as const;
const REGISTRATIONS = ["home", "roaming", "searching", "denied", "not-registered", "unknown"] as const;

export function createMetrics(deps: MetricsDeps): Metrics {
  const registry = new Registry();
  const r = [registry];
  // Event-loop lag sampled every 100 ms, not prom-client's default 10 ms: that timer woke the idle
  // daemon 100 times a second, about two thirds of its idle CPU (bench/idle.ts, bench/RESULTS.md
  // "Idle daemon"); a stall that matters here (a blocking fsync on an SD card) lasts longer than
  // 100 ms and still shows in smsgw_nodejs_eventloop_lag_* whenever it happens.
  if (deps.processMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: "smsgw_", eventLoopMonitoringPrecision: 100 });

  const sent = new Counter({
    name: "smsgw_parts_sent_total",
    help: "SMS parts accepted by the SMSC (+CMGS answered)",
    labelNames: ["modem"],
    registers: r,
  });
  const failed = new Counter({
    name: "smsgw_parts_failed_total",
    help: "SMS parts that did not go out, by reason",
    labelNames: ["modem", "reason"],
    registers: r,
  });
  const inbound = new Counter({
    name: "smsgw_inbound_messages_total",
    help: "Inbound messages stored (after reassembly)",
    labelNames: ["modem"],
    registers: r,
  });
  const inboundParts = new Counter({
    name: "smsgw_inbound_parts_total",
    help: "Inbound PDUs stored",
    labelNames: ["modem"],
    registers: r,
  });
  const reports = new Counter({
    name: "smsgw_status_reports_total",
    help: "Status reports received, by TP-ST class",
    labelNames: ["modem", "status"],
    registers: r,
  });
  const latency = new Histogram({
    name: "smsgw_send_latency_seconds",
    help: "Time from the start of a part's AT+CMGS to its outcome (sent, rejected, not-sent, unknown)",
    labelNames: ["modem", "outcome"],
    // Real modems take ~3 s per part (Gammu #419); the tail covers slow SMSCs up to the 60 s timeout.
    buckets: [0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60],
    registers: r,
  });
  const transitions = new Counter({
    name: "smsgw_message_status_changes_total",
    help: 'Messages entering a status (modem "unassigned" before routing)',
    labelNames: ["direction", "status", "modem"],
    registers: r,
  });
  const atErrors = new Counter({
    name: "smsgw_at_errors_total",
    help: "AT commands that ended in ERROR/+CMS/+CME",
    labelNames: ["modem"],
    registers: r,
  });
  const atTimeouts = new Counter({
    name: "smsgw_at_timeouts_total",
    help: "AT commands without a final result in time",
    labelNames: ["modem"],
    registers: r,
  });
  const reconnects = new Counter({
    name: "smsgw_modem_reconnects_total",
    help: "Transport recreations by the supervisor",
    labelNames: ["modem"],
    registers: r,
  });
  const whDelivered = new Counter({
    name: "smsgw_webhook_delivered_total",
    help: "Webhook deliveries answered with 2xx",
    labelNames: ["endpoint"],
    registers: r,
  });
  const whFailed = new Counter({
    name: "smsgw_webhook_failed_attempts_total",
    help: "Webhook attempts that failed (non-2xx, timeout, network)",
    labelNames: ["endpoint"],
    registers: r,
  });
  const whDead = new Counter({
    name: "smsgw_webhook_dead_lettered_total",
    help: "Webhook deliveries that exhausted retries or hit 410",
    labelNames: ["endpoint"],
    registers: r,
  });

  // Retention (src/retention). The label is `kind`, not `job`: Prometheus attaches its own `job`
  // target label to every scraped series and would rename ours to `exported_job`.
  const retRows = new Counter({
    name: "smsgw_retention_rows_total",
    help: "Rows the retention jobs deleted or blanked, by kind (contacts_erased counts contacts)",
    labelNames: ["kind"],
    registers: r,
  });
  // Every kind from the start, so that rate() and absence alerts work before the first deletion.
  for (const kind of COUNT_NAMES) retRows.inc({ kind }, 0);
  const retFailures = new Counter({
    name: "smsgw_retention_job_failures_total",
    help: "Retention jobs that failed during a run (the log names the job); the others went on",
    registers: r,
  });
  const retLastRun = new Gauge({
    name: "smsgw_retention_last_run_timestamp_seconds",
    help: "Time of the last finished retention run (the time its cutoffs were computed from)",
    registers: r,
  });
  const retLastSuccess = new Gauge({
    name: "smsgw_retention_last_success_timestamp_seconds",
    help: "Time of the last retention run that went through every job without a failure",
    registers: r,
  });
  const retDuration = new Gauge({
    name: "smsgw_retention_last_run_duration_seconds",
    help: "Wall-clock duration of the last finished retention run",
    registers: r,
  });
  const dbSize = new Gauge({
    name: "smsgw_database_size_bytes",
    help: "Size of the SQLite database file (without its WAL), as of the last retention run",
    registers: r,
  });
  const dbFree = new Gauge({
    name: "smsgw_database_free_bytes",
    help: "Free pages in the database file, reused for new rows, as of the last retention run",
    registers: r,
  });

  new Gauge({
    name: "smsgw_queue_depth",
    help: "Outbound parts waiting to be sent",
    registers: r,
    collect() {
      this.set(deps.health.queue().depth);
    },
  });
  new Gauge({
    name: "smsgw_queue_oldest_age_seconds",
    help: "Age of the oldest waiting outbound part",
    registers: r,
    collect() {
      this.set(deps.health.queue().oldestAgeSeconds);
    },
  });
  const perModem = (name: string, help: string, labels: string[] = []) =>
    new Gauge({ name, help, labelNames: ["modem", ...labels], registers: r });
  const mQueue = perModem("smsgw_modem_queue_depth", "Outbound parts waiting for this modem");
  const mSignal = perModem("smsgw_modem_signal_dbm", "Received signal strength (+CSQ) in dBm");
  const mState = perModem("smsgw_modem_state", "1 for the modem's current state", ["state"]);
  const mReg = perModem("smsgw_modem_registration", "1 for the current network registration", [
    "registration",
  ]);
  // One series per cap set on the SIM (daily-cap, global-daily-cap, distinct-recipients-cap); a cap
  // of 0 is none and has no series. A reached cap holds parts for hours or weeks (SMSGate #148).
  const mCapReached = perModem("smsgw_modem_cap_reached", "1 when the SIM has reached this cap", ["cap"]);
  const mCapHolding = perModem(
    "smsgw_modem_cap_holding",
    "1 when this cap is reached while due parts the SIM would otherwise send wait",
    ["cap"],
  );
  const mCapRemaining = perModem(
    "smsgw_modem_cap_remaining",
    "Parts (daily caps) or new recipients (distinct-recipient cap) left before this cap",
    ["cap"],
  );
  const whPending = new Gauge({
    name: "smsgw_webhook_pending",
    help: "Webhook deliveries waiting",
    labelNames: ["endpoint"],
    registers: r,
  });
  const whDeadNow = new Gauge({
    name: "smsgw_webhook_dead",
    help: "Dead-lettered deliveries awaiting replay",
    labelNames: ["endpoint"],
    registers: r,
  });

  async function refresh(): Promise<void> {
    const modems = await deps.modems.list();
    const q = deps.health.queue();
    for (const g of [mQueue, mSignal, mState, mReg, mCapReached, mCapHolding, mCapRemaining]) g.reset();
    for (const m of modems) {
      mQueue.set({ modem: m.name }, q.perModem[m.name]?.depth ?? m.queueDepth);
      if (m.signalDbm !== null) mSignal.set({ modem: m.name }, m.signalDbm);
      for (const s of STATES) mState.set({ modem: m.name, state: s }, m.state === s ? 1 : 0);
      for (const s of REGISTRATIONS)
        mReg.set({ modem: m.name, registration: s }, m.registration === s ? 1 : 0);
      for (const c of m.caps ?? []) {
        const l = { modem: m.name, cap: c.cap };
        mCapReached.set(l, c.reached ? 1 : 0);
        mCapHolding.set(l, c.holding ? 1 : 0);
        mCapRemaining.set(l, Math.max(0, c.limit - c.used));
      }
    }
    whPending.reset();
    whDeadNow.reset();
    for (const e of deps.webhooks?.endpoints() ?? []) {
      whPending.set({ endpoint: e.id }, e.health.pending);
      whDeadNow.set({ endpoint: e.id }, e.health.dead);
    }
  }

  const subs: (() => void)[] = [];
  if (deps.sendLatency)
    subs.push(
      deps.sendLatency.onSendLatency((s) =>
        latency.observe({ modem: s.modem, outcome: s.outcome }, s.seconds),
      ),
    );
  const ev = deps.events;
  if (ev) {
    subs.push(
      ev.on("part.sent", (e) => {
        sent.inc({ modem: e.modem });
        // Only when the source has no sendLatency feed, so a part is never observed twice.
        if (e.latencySeconds !== undefined && !deps.sendLatency)
          latency.observe({ modem: e.modem, outcome: "sent" }, e.latencySeconds);
      }),
      ev.on("part.failed", (e) => failed.inc({ modem: e.modem, reason: e.reason })),
      ev.on("inbound.stored", (e) => {
        inbound.inc({ modem: e.modem });
        if (e.parts !== undefined) inboundParts.inc({ modem: e.modem }, e.parts);
      }),
      ev.on("message.status", (e) =>
        transitions.inc({ direction: e.direction, status: e.status, modem: e.modem ?? "unassigned" }),
      ),
      ev.on("report.received", (e) => reports.inc({ modem: e.modem, status: e.status })),
      ev.on("at.error", (e) => atErrors.inc({ modem: e.modem })),
      ev.on("at.timeout", (e) => atTimeouts.inc({ modem: e.modem })),
      ev.on("modem.reconnect", (e) => reconnects.inc({ modem: e.modem })),
    );
  }

  return {
    registry,
    contentType: registry.contentType,
    async render() {
      await refresh();
      return registry.metrics();
    },
    webhookOutcome(endpoint, outcome) {
      if (outcome === "delivered") whDelivered.inc({ endpoint });
      else whFailed.inc({ endpoint });
      if (outcome === "dead") whDead.inc({ endpoint });
    },
    retentionRun(report) {
      for (const kind of COUNT_NAMES) if (report.counts[kind] > 0) retRows.inc({ kind }, report.counts[kind]);
      if (report.failures.length > 0) retFailures.inc(report.failures.length);
      retLastRun.set(report.at / 1000);
      if (report.failures.length === 0 && !report.interrupted) retLastSuccess.set(report.at / 1000);
      retDuration.set(report.seconds);
      if (report.database) {
        dbSize.set(report.database.bytes);
        dbFree.set(report.database.freeBytes);
      }
    },
    close() {
      for (const s of subs.splice(0)) s();
    },
  };
}

/**
 * The Pi firmware's get_throttled bits as 0/1 gauges, `when` = "now" (bits 0–3) or "since_boot"
 * (bits 16–19) (Raspberry Pi documentation, "vcgencmd get_throttled"). Registered by the composition
 * root only on a Pi (PowerProbe.start() true), so other hosts expose no smsgw_host_* series at all.
 */
export function registerHostPowerMetrics(registry: Registry, power: PowerSource): void {
  const bits = [
    ["smsgw_host_undervoltage", "Pi supply under-voltage (USB modems reset under load)", "undervoltage"],
    ["smsgw_host_frequency_capped", "Pi ARM frequency capped", "frequencyCapped"],
    ["smsgw_host_throttled", "Pi CPU throttled", "throttled"],
    ["smsgw_host_soft_temp_limit", "Pi soft temperature limit active", "softTempLimit"],
  ] as const;
  for (const [name, help, flag] of bits)
    new Gauge({
      name,
      help: `${help}: 1 now / since boot, else 0`,
      labelNames: ["when"],
      registers: [registry],
      collect() {
        this.reset();
        const s = power.current();
        if (!s) return;
        this.set({ when: "now" }, s.now[flag] ? 1 : 0);
        this.set({ when: "since_boot" }, s.sinceBoot[flag] ? 1 : 0);
      },
    });
}
