/**
 * Part-level metrics from the modems themselves: every AT+CMGS ends in one `outcome` event
 * (src/modem/modem.ts). The composition root attaches each modem under its configured name when
 * the registry reports it, and detaches it when it goes away.
 *   sent            → part.sent
 *   rejected        → part.failed{reason="rejected"} + at.error (a final ERROR / +CMS ERROR)
 *   not-sent        → part.failed{reason="not-sent"}
 *   unknown/timeout → part.failed{reason="unknown"} + at.timeout (27.005 §3.5.1: no final result)
 * and every outcome, whatever its kind, → a send-latency sample {modem, outcome kind, seconds}.
 */
import type { MetricsEventSource, MetricsEvents } from "../http/deps.js";
import type { SendOutcome } from "../modem/types.js";

export interface OutcomeEmitter {
  /** `seconds`: AT+CMGS start → outcome, when the modem measures it. */
  on(event: "outcome", listener: (o: SendOutcome, seconds?: number) => void): () => void;
}

/** One part's submission time; `outcome` is the SendOutcome kind (a closed set, no ids). */
export interface SendLatencySample {
  readonly modem: string;
  readonly outcome: SendOutcome["kind"];
  readonly seconds: number;
}

export interface SendLatencySource {
  onSendLatency(handler: (s: SendLatencySample) => void): () => void;
}

type Listener = { event: keyof MetricsEvents; fn: (e: never) => void };

export class ModemOutcomeTap implements MetricsEventSource, SendLatencySource {
  readonly #listeners = new Set<Listener>();
  readonly #latency = new Set<(s: SendLatencySample) => void>();

  onSendLatency(handler: (s: SendLatencySample) => void): () => void {
    this.#latency.add(handler);
    return () => this.#latency.delete(handler);
  }

  on<K extends keyof MetricsEvents>(event: K, handler: (e: MetricsEvents[K]) => void): () => void {
    const l: Listener = { event, fn: handler as (e: never) => void };
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  #emit<K extends keyof MetricsEvents>(event: K, e: MetricsEvents[K]): void {
    for (const l of this.#listeners) if (l.event === event) (l.fn as (e: MetricsEvents[K]) => void)(e);
  }

  /** Returns the detach function. */
  attach(name: string, modem: OutcomeEmitter): () => void {
    return modem.on("outcome", (o, seconds) => {
      if (seconds !== undefined) for (const h of this.#latency) h({ modem: name, outcome: o.kind, seconds });
      switch (o.kind) {
        case "sent":
          this.#emit("part.sent", { modem: name });
          break;
        case "rejected":
          this.#emit("part.failed", { modem: name, reason: "rejected" });
          this.#emit("at.error", { modem: name });
          break;
        case "not-sent":
          this.#emit("part.failed", { modem: name, reason: "not-sent" });
          break;
        case "unknown":
          this.#emit("part.failed", { modem: name, reason: "unknown" });
          if (o.reason === "timeout") this.#emit("at.timeout", { modem: name });
          break;
      }
    });
  }
}

/** Several sources as one (engine bus + modem taps). */
export function mergeSources(...sources: MetricsEventSource[]): MetricsEventSource {
  return {
    on(event, handler) {
      const offs = sources.map((s) => s.on(event, handler));
      return () => {
        for (const off of offs) off();
      };
    },
  };
}
