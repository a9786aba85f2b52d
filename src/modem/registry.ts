/**
 * Modems by stable identity, not by tty path (chan-dongle #171, sms-gammu-gateway #11: ttyUSB
 * numbers change across reboots and replugs). A modem that comes back on another path, or through a
 * recreated transport, gets the same entry: same id, same statistics, and so the same queue in the
 * message engine, which keys on `id`.
 *
 * The registry also owns the PinMemory, so a PIN the SIM rejected stays rejected across re-inits and
 * recreations of the Modem object for the life of the process.
 */
import { EventEmitter } from "node:events";
import type { Modem } from "./modem.js";
import { PinMemory } from "./sim-card.js";

export interface ModemStats {
  sent: number;
  rejected: number;
  notSent: number;
  unknown: number;
  received: number;
  statusReports: number;
  /** How many times a Modem object was attached to this entry (1 on first start). */
  attachments: number;
}

export interface RegistryEntry {
  /** "imei:<IMEI>", else "iccid:<ICCID>", else the configured id. */
  readonly id: string;
  imei: string | undefined;
  iccid: string | undefined;
  /** Every transport path this modem was seen on, oldest first. */
  readonly paths: string[];
  currentPath: string | null;
  modem: Modem | null;
  readonly stats: ModemStats;
}

export interface RegistryEvents {
  attached: [entry: RegistryEntry];
  detached: [entry: RegistryEntry];
}

export class ModemRegistry extends EventEmitter<RegistryEvents> {
  readonly pinMemory = new PinMemory();
  readonly #entries = new Map<string, RegistryEntry>();

  get(id: string): RegistryEntry | undefined {
    return this.#entries.get(id);
  }

  list(): RegistryEntry[] {
    return [...this.#entries.values()];
  }

  #find(imei: string | undefined, iccid: string | undefined, fallback: string): RegistryEntry | undefined {
    if (imei) {
      const byImei = this.list().find((e) => e.imei === imei);
      if (byImei) return byImei;
    }
    // Same SIM in a modem whose IMEI we never read: treat as the same gateway line.
    if (iccid) {
      const byIccid = this.list().find((e) => e.iccid === iccid && (!e.imei || !imei));
      if (byIccid) return byIccid;
    }
    return imei || iccid ? undefined : this.#entries.get(fallback);
  }

  /** Binds a started modem to its entry (created on first sight). */
  attach(modem: Modem, path: string): RegistryEntry {
    const imei = modem.identity?.imei;
    const iccid = modem.identity?.iccid;
    let entry = this.#find(imei, iccid, modem.id);
    if (!entry) {
      const id = imei ? `imei:${imei}` : iccid ? `iccid:${iccid}` : modem.id;
      entry = {
        id,
        imei,
        iccid,
        paths: [],
        currentPath: null,
        modem: null,
        stats: {
          sent: 0,
          rejected: 0,
          notSent: 0,
          unknown: 0,
          received: 0,
          statusReports: 0,
          attachments: 0,
        },
      };
      this.#entries.set(id, entry);
    }
    const e = entry;
    e.imei ??= imei;
    if (iccid) e.iccid = iccid;
    if (!e.paths.includes(path)) e.paths.push(path);
    e.currentPath = path;
    e.modem = modem;
    e.stats.attachments++;
    const offs = [
      modem.on("outcome", (o) => {
        if (o.kind === "sent") e.stats.sent++;
        else if (o.kind === "rejected") e.stats.rejected++;
        else if (o.kind === "not-sent") e.stats.notSent++;
        else e.stats.unknown++;
      }),
      modem.on("incoming", (p) => {
        if (p.kind === "deliver") e.stats.received++;
        else e.stats.statusReports++;
      }),
    ];
    void modem.failed.then(() => {
      for (const off of offs) off();
      if (e.modem === modem) {
        e.modem = null;
        e.currentPath = null;
        this.emit("detached", e);
      }
    });
    this.emit("attached", e);
    return e;
  }
}
