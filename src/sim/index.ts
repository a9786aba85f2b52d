/**
 * Factory of simulated modems: `createSimModem()` wires a SimModem to the device end of an in-memory
 * pair and returns the driver end as a Transport; `simTransportFactory()` does the same from a
 * `sim://<persona>?seed=N&msisdn=…` URL for the transport resolver.
 */
import { type Clock, systemClock } from "../clock.js";
import { createMemoryPair } from "../transport/memory.js";
import type { Transport, TransportFactory } from "../transport/types.js";
import { type Fault, parseFault } from "./faults.js";
import { type InjectOptions, SimNetwork, type StatusName } from "./network.js";
import { isPersonaId, type Persona, type PersonaTimings, personas } from "./personas.js";
import { luhn, mulberry32, rngDigits } from "./prng.js";
import { SimModem } from "./sim-modem.js";
import type { SimBehavior } from "./sim-types.js";

export interface CreateSimModemOptions {
  readonly persona?: Persona["id"];
  readonly seed?: number;
  readonly clock?: Clock;
  readonly network?: SimNetwork;
  readonly msisdn?: string;
  readonly imei?: string;
  /** SIM locked with this PIN at power-up. */
  readonly pin?: string;
  readonly puk?: string;
  readonly faults?: readonly Fault[];
  readonly timings?: Partial<PersonaTimings>;
  /** Already powered before the port opened: no boot URCs, SMS usable at once. */
  readonly booted?: boolean;
  readonly cnmaTimeoutMs?: number;
}

/** Control side of a simulated modem, for tests, the CLI and the HTTP sim routes. */
export interface SimControl {
  readonly modem: SimModem;
  readonly network: SimNetwork;
  readonly msisdn: string;
  inject(o: Omit<InjectOptions, "to">): void;
  injectStatusReport(o: {
    mr: number;
    recipient?: string;
    status: StatusName | number;
    delayMs?: number;
  }): void;
  setFault(f: Fault | string): void;
  clearFaults(kind?: Fault["kind"]): void;
  defineBehavior(b: SimBehavior<SimModem>): () => void;
  readonly storage: SimModem["storage"];
  readonly state: SimModem["state"];
}

export function createSimModem(o: CreateSimModemOptions = {}): { transport: Transport; sim: SimControl } {
  const persona = personas[o.persona ?? "generic"];
  const [driverSide, deviceSide] = createMemoryPair(`sim://${persona.id}?seed=${o.seed ?? 1}`);
  const sim = buildSimModem(o);
  void deviceSide.closed.then(sim.unregister);
  sim.modem.attach(deviceSide);
  return { transport: driverSide, sim };
}

/** Builds the modem and its control without attaching it to a line (see SimModem.attach). */
export function buildSimModem(o: CreateSimModemOptions = {}): SimControl & { unregister: () => void } {
  const persona = personas[o.persona ?? "generic"];
  const seed = o.seed ?? 1;
  const rng = mulberry32(seed);
  const clock = o.clock ?? systemClock;
  const network = o.network ?? new SimNetwork({ clock, seed });
  const imeiBody = `35${rngDigits(rng, 12)}`;
  const identity = {
    msisdn: o.msisdn ?? `+336${rngDigits(rng, 8)}`,
    imei: o.imei ?? imeiBody + luhn(imeiBody),
    imsi: `20801${rngDigits(rng, 10)}`,
    iccid: (() => {
      const b = `893301${rngDigits(rng, 12)}`;
      return b + luhn(b);
    })(),
  };
  const modem = new SimModem({
    persona,
    identity,
    clock,
    rng,
    timings: { ...persona.timings, ...o.timings },
    ...(o.pin !== undefined ? { pin: o.pin } : {}),
    ...(o.puk !== undefined ? { puk: o.puk } : {}),
    ...(o.faults ? { faults: o.faults } : {}),
    ...(o.booted ? { booted: true } : {}),
    ...(o.cnmaTimeoutMs !== undefined ? { cnmaTimeoutMs: o.cnmaTimeoutMs } : {}),
    smsc: network.smsc,
    network: network.portFor(),
  });
  const unregister = network.register(modem);
  return {
    unregister,
    modem,
    network,
    msisdn: identity.msisdn,
    inject: (i) => network.inject({ ...i, to: identity.msisdn }),
    injectStatusReport: (i) => network.injectStatusReport({ ...i, to: identity.msisdn }),
    setFault: (f) => modem.setFault(typeof f === "string" ? parseFault(f) : f),
    clearFaults: (k) => modem.clearFaults(k),
    defineBehavior: (b) => modem.defineBehavior(b),
    get storage() {
      return modem.storage;
    },
    get state() {
      return modem.state;
    },
  };
}

export class SimUrlError extends Error {}

/** Parses `sim://<persona>?seed=N&msisdn=…&pin=…&booted=1&fault=<spec>` (fault may repeat). */
export function parseSimUrl(url: string): CreateSimModemOptions {
  const m = /^sim:\/\/([a-z0-9]+)\/?(\?.*)?$/i.exec(url);
  if (!m) throw new SimUrlError(`not a sim:// URL: ${url}`);
  const persona = (m[1] ?? "").toLowerCase();
  if (!isPersonaId(persona))
    throw new SimUrlError(`unknown persona '${persona}' (known: ${Object.keys(personas).join(", ")})`);
  const q = new URLSearchParams(m[2] ?? "");
  const seed = q.get("seed");
  if (seed !== null && !/^\d+$/.test(seed)) throw new SimUrlError(`seed must be an integer, got '${seed}'`);
  const msisdn = q.get("msisdn");
  const pin = q.get("pin");
  return {
    persona,
    ...(seed !== null ? { seed: Number(seed) } : {}),
    ...(msisdn ? { msisdn } : {}),
    ...(pin ? { pin } : {}),
    ...(q.get("booted") === "1" ? { booted: true } : {}),
    faults: q.getAll("fault").map(parseFault),
  };
}

/**
 * TransportFactory for a sim:// URL on a shared network. Every call opens a new line to the SAME
 * simulated modem (its SIM storage, MR counter and settings survive, as a real stick's do when the
 * port is reopened); opening again closes the previous line. After a "drop" fault it boots again.
 */
export function simTransportFactory(
  url: string,
  network: SimNetwork,
  extra: { clock?: Clock; onCreated?: (sim: SimControl) => void } = {},
): TransportFactory {
  const opts = parseSimUrl(url);
  let sim: SimControl | null = null;
  let previous: Transport | null = null;
  return async () => {
    if (!sim) {
      sim = buildSimModem({ ...opts, network, ...(extra.clock ? { clock: extra.clock } : {}) });
      extra.onCreated?.(sim);
    }
    if (previous) await previous.close();
    const [driverSide, deviceSide] = createMemoryPair(url);
    previous = deviceSide;
    sim.modem.attach(deviceSide);
    return driverSide;
  };
}

/**
 * The `sim` dependency of transport/resolve.ts (`ResolveDeps.sim`): one simulated modem per URL on a
 * shared network, the same one each time the URL is opened again.
 */
export function simOpener(
  network: SimNetwork,
  extra: { clock?: Clock; onCreated?: (sim: SimControl, url: string) => void } = {},
): (spec: { readonly url: string }) => Promise<Transport> {
  const factories = new Map<string, TransportFactory>();
  return async (spec) => {
    let f = factories.get(spec.url);
    if (!f) {
      f = simTransportFactory(spec.url, network, {
        ...(extra.clock ? { clock: extra.clock } : {}),
        onCreated: (sim) => extra.onCreated?.(sim, spec.url),
      });
      factories.set(spec.url, f);
    }
    return f();
  };
}

export type { Fault } from "./faults.js";
export { parseFault } from "./faults.js";
export { SimNetwork } from "./network.js";
export { SimModem } from "./sim-modem.js";
