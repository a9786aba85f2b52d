/**
 * Which modems are in rotation, and what the outside hears about it: the enabled flags (operator and
 * failure window), the automatic re-enable with its stored cool-down, and the "modem.state" webhook
 * rows. Split from the Engine facade, which keeps the workers and hands their modems in.
 */
import type { Clock } from "../clock.js";
import type { ModemLike, ModemState } from "../modem/types.js";
import { releaseModem } from "../store/lease.js";
import { listModemRows, setModemEnabled, upsertModem } from "../store/modems.js";
import { runTx, type StoreDeps, type Tx, writeOutbox } from "../store/tx.js";
import { AutoEnable } from "./auto-enable.js";
import { type AutoRecord, loadAutoRecords, saveAutoRecord } from "./auto-record.js";

/**
 * What a modem handed to addModem may offer beyond ModemLike (the composition root's wrapper does):
 * its configured name, used in webhook payloads instead of the IMEI-based id, and its state changes.
 */
export interface ModemStateSource {
  readonly name?: string;
  onState?(listener: (next: ModemState, prev: ModemState) => void): () => void;
}

/** `data` of a "modem.state" webhook_outbox row. */
export interface ModemStatePayload {
  readonly modem: string;
  readonly state: ModemState | "disabled";
  readonly previous: ModemState | "disabled" | null;
  readonly reason?: string;
  /** ms since epoch. */
  readonly at: number;
}

export interface ModemControlDeps {
  readonly store: StoreDeps;
  readonly clock: Clock;
  /** How often a modem not ready at the end of its cool-down is looked at again. */
  readonly recheckMs: number;
  /** The attached modem of that id, if any. */
  modem(id: string): ModemLike | undefined;
  started(): boolean;
  wake(): void;
  /** Clears the failure window of `id`: a modem back in rotation starts from a clean slate. */
  resetFailures(id: string): void;
}

export class ModemControl {
  readonly #enabled = new Map<string, boolean>();
  readonly #names = new Map<string, string>();
  /** Last live state written to the outbox per modem id: a health poll that changes nothing writes nothing. */
  readonly #announced = new Map<string, ModemState>();
  readonly #detachState = new Map<string, () => void>();
  readonly #auto: AutoEnable;

  constructor(private readonly d: ModemControlDeps) {
    for (const m of runTx(d.store, (tx) => listModemRows(tx))) this.#enabled.set(m.id, m.enabled);
    this.#auto = new AutoEnable({
      clock: d.clock,
      recheckMs: d.recheckMs,
      isReady: (id) => d.started() && d.modem(id)?.health().state === "ready",
      enable: (id, record) => this.#enable(id, record),
    });
  }

  known(id: string): boolean {
    return this.#enabled.has(id);
  }

  isEnabled(id: string): boolean {
    return this.#enabled.get(id) ?? true;
  }

  usable(m: ModemLike): boolean {
    return this.isEnabled(m.id) && m.health().state === "ready";
  }

  /** Registers a modem's row, name and state feed; a recreated Modem replaces the previous one's feed. */
  attach(modem: ModemLike & ModemStateSource): void {
    const id = modem.id;
    runTx(this.d.store, (tx) => upsertModem(tx, id, modem.identity));
    if (!this.#enabled.has(id)) this.#enabled.set(id, true);
    this.#names.set(id, modem.name ?? id);
    // Only a modem that reports its states is announced (bare ModemLikes in tests stay silent). Its
    // first state is announced now, since the supervisor hands it over already started.
    this.#detachState.get(id)?.();
    if (modem.onState) {
      this.#detachState.set(
        id,
        modem.onState((next) => this.#announce(id, next)),
      );
      this.#announce(id, modem.health().state);
    }
  }

  /**
   * Takes up the cool-downs stored by a previous process: a modem the failure window disabled comes
   * back at its stored retry time (at once when that is past), once it is attached and ready.
   */
  restore(): void {
    for (const [id, record] of runTx(this.d.store, (tx) => loadAutoRecords(tx)))
      this.#auto.restore(id, record);
  }

  stop(): void {
    this.#auto.stop();
  }

  /** An operator's disable: no automatic re-enable follows. */
  disable(id: string, reason: string): boolean {
    this.#auto.forget(id);
    return this.#disable(id, reason, null);
  }

  /** The failure window's disable: the modem is tried again after a cool-down, stored with the disable. */
  autoDisable(id: string, reason: string): void {
    const record = this.#auto.next(id);
    if (this.#disable(id, reason, record)) this.#auto.disabled(id, record);
  }

  /** An operator's enable: any automatic re-enable pending is dropped. */
  enable(id: string): boolean {
    this.#auto.forget(id);
    return this.#enable(id, null);
  }

  #disable(id: string, reason: string, record: AutoRecord | null): boolean {
    const changed = runTx(this.d.store, (tx) => {
      const c = setModemEnabled(tx, id, false, reason);
      // An operator's disable of a modem already disabled still clears a stored cool-down.
      if (c || record === null) saveAutoRecord(tx, id, record);
      if (c) {
        releaseModem(tx, id);
        this.#modemOutbox(tx, id, { state: "disabled", previous: this.#liveState(id), reason });
        tx.emit("modem.disabled", { id, reason, at: tx.at });
      }
      return c;
    });
    this.#enabled.set(id, false);
    this.d.wake();
    return changed;
  }

  #enable(id: string, record: AutoRecord | null): boolean {
    const changed = runTx(this.d.store, (tx) => {
      const c = setModemEnabled(tx, id, true, null);
      saveAutoRecord(tx, id, record);
      if (c) {
        this.#modemOutbox(tx, id, { state: this.#liveState(id), previous: "disabled" });
        tx.emit("modem.enabled", { id, at: tx.at });
      }
      return c;
    });
    this.#enabled.set(id, true);
    this.d.resetFailures(id);
    this.d.wake();
    return changed;
  }

  #liveState(id: string): ModemState {
    return this.d.modem(id)?.health().state ?? this.#announced.get(id) ?? "stopped";
  }

  /** Writes a "modem.state" webhook row when the live state differs from the last one written. */
  #announce(id: string, state: ModemState): void {
    const previous = this.#announced.get(id) ?? "starting";
    if (previous === state) return;
    this.#announced.set(id, state);
    // A state change during shutdown may come after the DB closed; it is not worth a crash.
    if (!this.d.store.db.open) return;
    try {
      runTx(this.d.store, (tx) => this.#modemOutbox(tx, id, { state, previous }));
    } catch {
      /* a locked or failing DB must not break the modem's state machine (listener context) */
    }
  }

  #modemOutbox(tx: Tx, id: string, change: Pick<ModemStatePayload, "state" | "previous" | "reason">): void {
    const modem = this.#names.get(id) ?? id;
    const payload: ModemStatePayload = { modem, ...change, at: tx.at };
    // contact_key = the modem name: the worker delivers rows with one key in order, per endpoint.
    writeOutbox(tx, "modem.state", payload, modem);
  }

  /** A worker's modem became usable or not. */
  stateChanged(id: string, usable: boolean): void {
    const state = this.d.modem(id)?.health().state ?? "stopped";
    this.d.store.bus.emit("modem.state", { id, state });
    // A modem that went down hands its not-yet-started messages to the others.
    if (!usable) runTx(this.d.store, (tx) => releaseModem(tx, id));
    this.d.wake();
  }
}
