/**
 * The engine's modems and queue as the HTTP layer sees them (deps.ts: ModemsService, HealthSource),
 * by configured name (adapters.ts `ModemNames`): /v1/modems, /health and /metrics.
 */
import type { Engine } from "../engine/index.js";
import { MODEM_STATES, type ModemHealth, type ModemLike } from "../modem/types.js";
import {
  type HealthSource,
  type ModemStateView,
  type ModemsService,
  type ModemView,
  ServiceError,
} from "./deps.js";
import { identityNames, type ModemNames } from "./modem-names.js";

const STATES = new Set<string>(MODEM_STATES);

export interface ModemControl {
  readonly names?: ModemNames;
  /** The attached modem (for live health), undefined while detached. */
  live?(id: string): ModemLike | undefined;
  /** Ask the supervisor to recreate the connection. */
  reset?(id: string): Promise<void>;
  simulated?(id: string): boolean;
}

export function engineModems(engine: Engine, ctl: ModemControl = {}): ModemsService {
  const names = ctl.names ?? identityNames;
  const queue = () => new Map(engine.queueStats().map((q) => [q.modemId, q.depth]));
  // Each attached SIM's caps, read on demand for /health and /metrics (engine.capStatus()).
  const caps = () => new Map(engine.capStatus().map((s) => [s.modemId, s.caps]));
  const toView = (
    m: ReturnType<Engine["listModems"]>[number],
    depth: Map<string | null, number>,
    capsOf: Map<string, ModemView["caps"]> = new Map(),
  ): ModemView => {
    let h: ModemHealth | undefined;
    try {
      h = ctl.live?.(m.id)?.health();
    } catch {
      h = undefined;
    }
    const state: ModemStateView = !m.enabled
      ? "disabled"
      : STATES.has(m.state)
        ? (m.state as ModemStateView)
        : "stopped";
    const id = (m.identity ?? {}) as {
      manufacturer?: string;
      model?: string;
      revision?: string;
      imei?: string;
      iccid?: string;
      imsi?: string;
      profile?: string;
    };
    const sim =
      m.state === "pin-required" || m.state === "puk-required"
        ? m.state
        : m.state === "ready" || m.state === "degraded"
          ? "ready"
          : "unknown";
    return {
      name: names.nameOf(m.id),
      id: m.id,
      enabled: m.enabled,
      simulated: ctl.simulated?.(m.id) ?? false,
      state,
      identity: m.identity
        ? {
            ...(id.manufacturer && { manufacturer: id.manufacturer }),
            ...(id.model && { model: id.model }),
            ...(id.revision && { revision: id.revision }),
            ...(id.imei && { imei: id.imei }),
            ...(id.profile && { profile: id.profile }),
          }
        : null,
      sim: { state: sim, ...(id.iccid && { iccid: id.iccid }), ...(id.imsi && { imsi: id.imsi }) },
      registration: h?.registration ?? "unknown",
      operator: h?.operator ?? null,
      signalDbm: h?.signalDbm ?? null,
      storage: h?.storage ?? null,
      counters: { sent: m.sentCount, failed: m.failureCount, received: m.receivedCount },
      queueDepth: depth.get(m.id) ?? 0,
      lastSuccessAt: h?.lastSuccessAt ?? null,
      lastError: h?.lastError ?? m.disabledReason,
      ...(capsOf.has(m.id) && { caps: capsOf.get(m.id) }),
    };
  };
  const find = (nameOrId: string) => {
    const id = names.idOf(nameOrId);
    const m = id === undefined ? undefined : engine.listModems().find((x) => x.id === id);
    return m ? toView(m, queue(), caps()) : undefined;
  };
  const must = (nameOrId: string) => {
    const v = find(nameOrId);
    if (!v) throw new ServiceError("not_found", "No modem with this name or id");
    return v;
  };
  return {
    async list() {
      const depth = queue();
      const c = caps();
      return engine.listModems().map((m) => toView(m, depth, c));
    },
    async get(nameOrId) {
      return find(nameOrId);
    },
    async enable(nameOrId) {
      engine.enableModem(must(nameOrId).id);
      return must(nameOrId);
    },
    async disable(nameOrId) {
      engine.disableModem(must(nameOrId).id, "disabled through the API");
      return must(nameOrId);
    },
    async reset(nameOrId) {
      const v = must(nameOrId);
      if (!ctl.reset) throw new ServiceError("unavailable", "This gateway cannot reset modems");
      await ctl.reset(v.id);
      return must(nameOrId);
    },
  };
}

export function engineHealth(engine: Engine, names: ModemNames = identityNames): HealthSource {
  return {
    database() {
      try {
        engine.db.prepare("SELECT 1").get();
        return { ok: true };
      } catch (e) {
        return { ok: false, error: (e as Error).message };
      }
    },
    queue() {
      let depth = 0;
      let oldest = 0;
      const perModem: Record<string, { depth: number; oldestAgeSeconds: number }> = {};
      for (const q of engine.queueStats()) {
        depth += q.depth;
        oldest = Math.max(oldest, q.oldestAgeMs / 1000);
        if (q.modemId !== null)
          perModem[names.nameOf(q.modemId)] = { depth: q.depth, oldestAgeSeconds: q.oldestAgeMs / 1000 };
      }
      return { depth, oldestAgeSeconds: oldest, perModem };
    },
  };
}
