/**
 * The modem side of the composition root: one supervisor per enabled [[modems]] entry, one shared
 * registry (stable ids by IMEI), one virtual network for every sim:// modem, and the name mapping
 * between configured names ("sim1", "gsm0") and the engine's stable ids ("imei:35…").
 *
 * Ownership: the supervisors own their transports, channels and Modem objects; this file only
 * forwards each started Modem to `onModem` (the engine) through a shutdown-aware wrapper.
 */

import { AtChannel } from "./at/channel.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config/index.js";
import { isSimPort } from "./config/schema.js";
import type { ModemStateSource } from "./engine/engine.js";
import { simPinFrom } from "./gateway-config.js";
import type { ModemNames } from "./http/adapters.js";
import type { Logger } from "./log.js";
import { pollWhileDegraded } from "./modem/health-backoff.js";
import type { LoggerLike } from "./modem/log.js";
import type { Modem } from "./modem/modem.js";
import { ModemRegistry } from "./modem/registry.js";
import { ModemSupervisor } from "./modem/supervisor.js";
import type { ModemLike, SendOutcome } from "./modem/types.js";
import { buildSimModem, parseSimUrl, type SimControl, SimNetwork } from "./sim/index.js";
import { createMemoryPair } from "./transport/memory.js";
import { resolveTransport } from "./transport/resolve.js";
import type { Transport, TransportFactory } from "./transport/types.js";

export interface ModemFleet {
  readonly registry: ModemRegistry;
  readonly supervisors: ReadonlyMap<string, ModemSupervisor>;
  /** Simulated modems by configured name (empty without sim:// modems). */
  readonly sims: ReadonlyMap<string, SimControl>;
  readonly names: ModemNames;
  /** Configured name → true when its port is sim://. */
  simulated(engineId: string): boolean;
  live(engineId: string): ModemLike | undefined;
  /** Recreates the connection (the supervisor reopens it after its backoff). */
  reset(engineId: string): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

export interface FleetOptions {
  readonly config: Config;
  readonly clock: Clock;
  readonly log: Logger;
  readonly env: NodeJS.ProcessEnv;
  /** A started modem: `modem` for the engine (shutdown-aware), `raw` for its events (metrics). */
  readonly onModem: (modem: ModemLike, name: string, raw: Modem) => void;
  /** Overrides the transport of a port URL (tests). */
  readonly transport?: (url: string) => TransportFactory | undefined;
  /** Added to each modem's "modem down" warning (SupervisorOptions.downNote). */
  readonly downNote?: () => Record<string, unknown>;
}

/** A serial line delivers asynchronously; the simulator expects the same of its in-memory line. */
function lineDelay(t: Transport): Transport {
  return {
    description: t.description,
    onData: (l) => t.onData(l),
    write: (b) => new Promise<void>((ok, fail) => setImmediate(() => t.write(b).then(ok, fail))),
    close: () => t.close(),
    closed: t.closed,
  };
}

/**
 * One simulated device per sim:// modem, created now (so the HTTP sim routes exist from the start);
 * every open is a new line to the same device, as reopening a real stick's port is.
 */
function simFactory(sim: SimControl, url: string): TransportFactory {
  let previous: Transport | null = null;
  return async () => {
    if (previous) await previous.close();
    const [driverSide, deviceSide] = createMemoryPair(url);
    previous = deviceSide;
    sim.modem.attach(deviceSide);
    return lineDelay(driverSide);
  };
}

export function createModemFleet(o: FleetOptions): ModemFleet {
  const { config, clock, log } = o;
  const registry = new ModemRegistry();
  const supervisors = new Map<string, ModemSupervisor>();
  const sims = new Map<string, SimControl>();
  const idByName = new Map<string, string>();
  const simIds = new Set<string>();
  let network: SimNetwork | undefined;

  const names: ModemNames = {
    nameOf: (id) => [...idByName].find(([, v]) => v === id)?.[0] ?? id,
    idOf: (n) => idByName.get(n) ?? ([...idByName.values()].includes(n) ? n : undefined),
  };

  // Once the PDU is out, only the final result code (27.005 §3.5.1 +CMGS: <mr> / +CMS ERROR) tells
  // "sent" from "unknown". The engine aborts its sends on stop, and the AT channel turns an abort
  // after the PDU into "unknown"; so a started AT+CMGS keeps running to its own timeout (graceful
  // shutdown lets in-flight commands finish) and only a send not yet started is refused.
  // `name` and `onState` (engine ModemStateSource) let the engine write "modem.state" webhook rows
  // under the configured name as the modem's state machine moves.
  const wrap = (m: Modem, name: string): ModemLike & ModemStateSource => ({
    name,
    onState: (listener) => m.on("state", listener),
    get id() {
      return m.id;
    },
    get identity() {
      return m.identity;
    },
    health: () => m.health(),
    onIncoming: (h) => m.onIncoming(h),
    sendPart(pdu, tpduLength, options): Promise<SendOutcome> {
      const signal = options?.signal;
      if (signal?.aborted)
        return Promise.resolve({ kind: "not-sent", reason: "aborted", text: "gateway stopping" });
      return m.sendPart(pdu, tpduLength);
    },
  });

  config.modems.forEach((mc, index) => {
    if (!mc.enabled) {
      log.info({ modem: mc.id }, "modem disabled in the configuration; not opened");
      return;
    }
    let factory = o.transport?.(mc.port);
    if (!factory && isSimPort(mc.port)) {
      network ??= new SimNetwork({ clock, seed: 1 });
      const msisdn = config.sim.numbers[mc.id];
      const sim = buildSimModem({ ...parseSimUrl(mc.port), network, clock, ...(msisdn && { msisdn }) });
      sims.set(mc.id, sim);
      factory = simFactory(sim, mc.port);
    }
    factory ??= resolveTransport(mc.port, { serial: { baudRate: mc.baud } });
    const pin = simPinFrom(mc, index, o.env);
    const supervisor = new ModemSupervisor({
      transportFactory: factory,
      channelFactory: (t: Transport, atLog?: LoggerLike) =>
        new AtChannel(t, { clock, ...(atLog && { log: atLog }) }),
      modemOptions: {
        configuredId: mc.id,
        ...(mc.profile !== "auto" && { profileId: mc.profile }),
        ...(pin !== undefined && { pin }),
      },
      registry,
      clock,
      log: log as unknown as LoggerLike,
      ...(o.downNote && { downNote: o.downNote }),
    });
    supervisor.on("modem", (modem, entry) => {
      idByName.set(mc.id, entry.id);
      if (sims.has(mc.id)) simIds.add(entry.id);
      log.info({ modem: mc.id, id: entry.id, state: modem.state }, "modem attached");
      o.onModem(wrap(modem, mc.id), mc.id, modem);
      // A modem that is up but not registered yet (right after a reopen) is polled again within
      // seconds, not one health interval later: the engine sends only through "ready" modems.
      pollWhileDegraded(modem, {
        clock,
        onError: (e) => log.warn({ modem: mc.id, err: String(e) }, "health poll failed"),
      });
      // First health poll now rather than one poll interval later, so /health and /metrics show
      // signal, registration and operator as soon as the modem is up.
      void modem
        .refreshHealth()
        .catch((e: unknown) => log.warn({ modem: mc.id, err: String(e) }, "health poll failed"));
    });
    supervisors.set(mc.id, supervisor);
  });

  const supervisorOf = (engineId: string) => supervisors.get(names.nameOf(engineId));
  return {
    registry,
    supervisors,
    sims,
    names,
    simulated: (id) => simIds.has(id),
    live: (id) => registry.get(id)?.modem ?? undefined,
    async reset(id) {
      await supervisorOf(id)?.current?.stop();
    },
    start() {
      for (const s of supervisors.values()) s.start();
    },
    async stop() {
      await Promise.all([...supervisors.values()].map((s) => s.stop()));
    },
  };
}
