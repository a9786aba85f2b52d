/**
 * Message storages of a simulated modem ("SM" on the SIM, "ME" in the module, "SR" for status
 * reports). Contents survive AT+CFUN=1,1 like a real SIM does. Indexes start at the persona's base.
 */

/** 27.005 §3.1 <stat> in PDU mode: 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT. */
export type Stat = 0 | 1 | 2 | 3;

export interface StoredMessage {
  stat: Stat;
  readonly kind: "deliver" | "status-report" | "submit";
  /** PDU-mode hex, SMSC field first. */
  readonly pdu: string;
  readonly tpduLength: number;
  /** What text mode prints (27.005 §3.4.2/§3.4.3): originator, timestamp, text. */
  readonly meta: { readonly address?: string; readonly timestamp?: number; readonly text?: string };
}

export class SimStorage {
  readonly #slots = new Map<string, Map<number, StoredMessage>>();

  constructor(
    readonly sizes: Readonly<Record<string, number>>,
    readonly base: 0 | 1,
  ) {
    for (const name of Object.keys(sizes)) this.#slots.set(name, new Map());
  }

  names(): string[] {
    return Object.keys(this.sizes);
  }

  has(name: string): boolean {
    return this.#slots.has(name);
  }

  used(name: string): number {
    return this.#slots.get(name)?.size ?? 0;
  }

  total(name: string): number {
    return this.sizes[name] ?? 0;
  }

  validIndex(name: string, index: number): boolean {
    return Number.isInteger(index) && index >= this.base && index < this.base + this.total(name);
  }

  /** Stores in the lowest free slot; null when full. */
  store(name: string, msg: StoredMessage): number | null {
    const slots = this.#slots.get(name);
    if (!slots) return null;
    for (let i = this.base; i < this.base + this.total(name); i++) {
      if (!slots.has(i)) {
        slots.set(i, msg);
        return i;
      }
    }
    return null;
  }

  get(name: string, index: number): StoredMessage | undefined {
    return this.#slots.get(name)?.get(index);
  }

  delete(name: string, index: number): boolean {
    return this.#slots.get(name)?.delete(index) ?? false;
  }

  /** Entries in index order; stat 4 = all (27.005 §3.4.2). */
  list(name: string, stat: Stat | 4): Array<[number, StoredMessage]> {
    const slots = this.#slots.get(name);
    if (!slots) return [];
    return [...slots.entries()].filter(([, m]) => stat === 4 || m.stat === stat).sort((a, b) => a[0] - b[0]);
  }
}
