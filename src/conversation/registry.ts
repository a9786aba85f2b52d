/**
 * The compliance configuration in force for one database, so that the send path finds it where it
 * runs: the HTTP messages service (enqueue through CompliantSender) and the lease transaction
 * (src/store/lease.ts, dispatch-time re-check). The composition root registers it once, before the
 * engine starts leasing:
 *
 *   useCompliance(db, complianceFrom(config, clock))
 *
 * Keyed by the connection (a WeakMap, so a closed and dropped Db takes its entry with it) because
 * the engine's worker context and the HTTP stack take no compliance option yet; an explicit option
 * there would replace this lookup.
 */
import type { Db } from "../store/db.js";
import type { SenderConfig } from "./compliant-sender.js";

const registry = new WeakMap<Db, SenderConfig>();

export function useCompliance(db: Db, cfg: SenderConfig): void {
  registry.set(db, cfg);
}

/** Undefined when nothing was registered: then only opt-outs are enforced at dispatch. */
export function complianceOf(db: Db): SenderConfig | undefined {
  return registry.get(db);
}
