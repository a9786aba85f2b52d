/** The faults switched on in one simulated modem, and the small bits of state some of them keep. */
import type { Fault } from "./faults.js";

const digits = (s: string) => s.replace(/\D/g, "");

export class FaultState {
  list: Fault[] = [];
  /** Submits counted since each "cms" fault was set (its `nth` counts from there). */
  readonly #submits = new Map<Fault, number>();
  #hangUntil = 0;
  #simBusyUntil = 0;

  constructor(private readonly now: () => number) {}

  set(f: Fault): void {
    this.list.push(f);
    if (f.kind === "cms") this.#submits.set(f, 0);
    if (f.kind === "sim-busy") this.#simBusyUntil = this.now() + f.seconds * 1000;
  }

  clear(kind?: Fault["kind"]): void {
    this.list = kind ? this.list.filter((f) => f.kind !== kind) : [];
    if (!kind || kind === "hang") this.#hangUntil = 0;
  }

  get<K extends Fault["kind"]>(kind: K): Extract<Fault, { kind: K }> | undefined {
    return this.list.find((f) => f.kind === kind) as Extract<Fault, { kind: K }> | undefined;
  }

  remove(f: Fault): void {
    this.list = this.list.filter((x) => x !== f);
  }

  /** Latency multiplier of the "slow" fault. */
  scale(ms: number): number {
    return ms * (this.get("slow")?.factor ?? 1);
  }

  get simBusy(): boolean {
    return this.now() < this.#simBusyUntil;
  }

  /** "sim-busy" counts from power-up when it was set before the boot. */
  booted(): void {
    const b = this.get("sim-busy");
    if (b) this.#simBusyUntil = this.now() + b.seconds * 1000;
  }

  /** True when a command line must be swallowed ("hang" starts at the first line after being set). */
  swallowLine(): boolean {
    const now = this.now();
    if (now < this.#hangUntil) return true;
    const hang = this.get("hang");
    if (!hang) return false;
    this.remove(hang);
    this.#hangUntil = now + hang.seconds * 1000;
    return true;
  }

  /** The +CMS code a submit to `to` fails with ("cms" every time or on the nth, "reject" per recipient). */
  submitError(to: string): number | null {
    for (const f of this.list) {
      if (f.kind !== "cms") continue;
      const n = (this.#submits.get(f) ?? 0) + 1;
      this.#submits.set(f, n);
      if (f.nth === undefined) return f.code;
      if (f.nth === n) {
        this.remove(f);
        return f.code;
      }
    }
    const reject = this.list.find((f) => f.kind === "reject" && digits(f.recipient) === digits(to));
    return reject?.kind === "reject" ? reject.code : null;
  }
}
