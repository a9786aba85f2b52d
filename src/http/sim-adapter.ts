/**
 * SimControl (deps.ts) over the simulator's control side (src/sim). Inbound texts go through the
 * fake SMSC as a +CMT/+CMTI to the modem; status reports target a TP-MR, or every submitted part of
 * an outbound message (looked up in the engine), as the SMSC would send them (23.040 §9.2.2.3).
 */
import type { Engine } from "../engine/index.js";
import type { SimControl as SimDevice } from "../sim/index.js";
import { ServiceError, type SimControl } from "./deps.js";

export function simControl(
  devices: ReadonlyMap<string, SimDevice>,
  engine?: Engine,
  idOf?: (name: string) => string | undefined,
): SimControl {
  return {
    modems: () => [...devices.keys()],
    async inject(name, req) {
      const sim = devices.get(name);
      if (!sim) throw new ServiceError("not_found", "No simulated modem with this name");
      try {
        if (req.kind === "inbound") {
          sim.inject({
            from: req.from,
            text: req.text,
            ...(req.parts !== undefined && { parts: req.parts }),
          });
          return { injected: 1 };
        }
        if (req.mr !== undefined) {
          sim.injectStatusReport({ mr: req.mr, status: req.status });
          return { injected: 1 };
        }
        const m = req.messageId === undefined ? undefined : engine?.getMessage(req.messageId);
        if (!m) throw new ServiceError("not_found", "No message with this id");
        const modemId = idOf?.(name) ?? name;
        const parts = m.parts.filter((p) => p.mr !== null && (p.modemId === null || p.modemId === modemId));
        if (parts.length === 0)
          throw new ServiceError("conflict", "No part of this message was submitted through this modem yet");
        for (const p of parts)
          sim.injectStatusReport({ mr: p.mr as number, recipient: m.contact, status: req.status });
        return { injected: parts.length };
      } catch (e) {
        if (e instanceof ServiceError) throw e;
        // The simulator refuses what it cannot model (e.g. an unknown number): the caller's input.
        throw new ServiceError("invalid", (e as Error).message, req.kind === "inbound" ? "from" : "status", {
          cause: e,
        });
      }
    },
  };
}
