/**
 * Adapts the engine's bus (src/events.ts, message-level events emitted after commit) to the events
 * the metrics consume. Part-level figures (send latency, failures by reason) and AT errors need
 * events the engine and modem layer do not emit yet; those counters stay at zero until they do.
 */
import type { EventBus, GatewayEvents } from "../events.js";
import type { MessageStatus, MetricsEventSource, MetricsEvents } from "../http/deps.js";

type Handler<K extends keyof MetricsEvents> = (e: MetricsEvents[K]) => void;

export function metricsEventsFromBus(
  bus: EventBus<GatewayEvents>,
  nameOf: (modemId: string) => string = (id) => id,
): MetricsEventSource {
  return {
    on<K extends keyof MetricsEvents>(event: K, handler: Handler<K>): () => void {
      switch (event) {
        case "inbound.stored":
          return bus.on("message.received", (e) =>
            (handler as Handler<"inbound.stored">)({ modem: nameOf(e.modemId) }),
          );
        case "message.status":
          return bus.on("message.status", (e) =>
            (handler as Handler<"message.status">)({
              direction: e.direction,
              status: e.to as MessageStatus,
              modem: e.modemId === null ? null : nameOf(e.modemId),
            }),
          );
        default:
          return () => {};
      }
    },
  };
}
