/**
 * Typed event bus (herdsman AdapterEventMap / zigbee2mqtt EventBusMap). Event names are `noun.verb`.
 * Listeners are grouped by an owner key so that a module can remove all of its own listeners on stop.
 * Events are emitted only after the SQLite transaction that caused them committed: a listener never
 * sees a state that a crash could roll back.
 */
import type { ModemState } from "./modem/types.js";

export type MessageStatus =
  | "queued"
  | "scheduled"
  | "sending"
  | "sent"
  | "delivered"
  | "undelivered"
  | "failed"
  | "unknown"
  | "canceled"
  | "expired"
  | "received";

export interface MessageStatusEvent {
  readonly id: string;
  readonly direction: "outbound" | "inbound";
  readonly from: MessageStatus | null;
  readonly to: MessageStatus;
  /** ms since epoch. */
  readonly at: number;
  readonly contact: string;
  readonly modemId: string | null;
  readonly detail?: string;
}

export interface InboundReceivedEvent {
  readonly id: string;
  readonly modemId: string;
  readonly from: string;
  readonly text: string;
  readonly partial: boolean;
  readonly receivedAt: number;
}

/** What changed a conversation thread (src/conversation/threads.ts); bus name `conversation.<type>`. */
export type ConversationChange = "opened" | "reopened" | "assigned" | "resolved" | "updated";

export interface ConversationChangedEvent {
  readonly id: string;
  readonly contact: string;
  readonly change: ConversationChange;
  readonly status: "open" | "pending" | "resolved";
  readonly previousStatus: "open" | "pending" | "resolved" | null;
  readonly assignedAgent: string | null;
  /** "customer", "agent:<name>" or "system". */
  readonly actor: string;
  /** ms since epoch. */
  readonly at: number;
}

export interface ContactOptEvent {
  readonly contact: string;
  readonly keyword: string;
  readonly inboundMessageId: string;
  /** ms since epoch. */
  readonly at: number;
}

export interface GatewayEvents {
  "message.status": [e: MessageStatusEvent];
  "message.received": [e: InboundReceivedEvent];
  "report.unmatched": [e: { readonly modemId: string; readonly mr: number; readonly recipient: string }];
  "inbound.quarantined": [e: { readonly modemId: string; readonly error: string }];
  "modem.disabled": [e: { readonly id: string; readonly reason: string; readonly at: number }];
  "modem.enabled": [e: { readonly id: string; readonly at: number }];
  "modem.state": [e: { readonly id: string; readonly state: ModemState }];
  /** A webhook_outbox row was committed: the webhook worker delivers it now instead of at its next poll. */
  "outbox.written": [e: { readonly eventType: string }];
  "conversation.opened": [e: ConversationChangedEvent];
  "conversation.reopened": [e: ConversationChangedEvent];
  "conversation.assigned": [e: ConversationChangedEvent];
  "conversation.resolved": [e: ConversationChangedEvent];
  "conversation.updated": [e: ConversationChangedEvent];
  /** A STOP keyword took effect (not a repeated STOP), emitted after the ingest commit. */
  "contact.opted_out": [e: ContactOptEvent];
  /** A START keyword lifted an opt-out. */
  "contact.opted_in": [e: ContactOptEvent];
}

type Listener<A extends unknown[]> = (...args: A) => void;

export class EventBus<E extends { [K in keyof E]: unknown[] } = GatewayEvents> {
  #listeners = new Map<keyof E, { fn: Listener<never[]>; owner: string | undefined }[]>();

  on<K extends keyof E>(name: K, fn: Listener<E[K]>, owner?: string): () => void {
    const list = this.#listeners.get(name) ?? [];
    const entry = { fn: fn as unknown as Listener<never[]>, owner };
    list.push(entry);
    this.#listeners.set(name, list);
    return () => {
      const l = this.#listeners.get(name);
      if (l)
        this.#listeners.set(
          name,
          l.filter((x) => x !== entry),
        );
    };
  }

  emit<K extends keyof E>(name: K, ...args: E[K]): void {
    for (const { fn } of this.#listeners.get(name) ?? []) {
      // A throwing listener must not break the engine loop nor the other listeners.
      try {
        (fn as unknown as Listener<E[K]>)(...args);
      } catch {
        /* listener errors are the listener's problem */
      }
    }
  }

  removeListeners(owner: string): void {
    for (const [name, list] of this.#listeners)
      this.#listeners.set(
        name,
        list.filter((x) => x.owner !== owner),
      );
  }
}
