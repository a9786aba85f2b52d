/**
 * In-memory duplex pair: what one end writes, the other end receives. Used to attach the simulated
 * modem (src/sim) to the real AT channel, and by tests (zwave-js MockPort style).
 *
 *   driver ── Transport A ──write──▶ listener of B ── simulator
 *   driver ◀── listener of A ◀──write── Transport B ── simulator
 *
 * Delivery is asynchronous (queueMicrotask) so that neither side re-enters the other while writing.
 * Closing either end closes both; the far end sees reason "unplugged", as a pulled USB stick would.
 */
import type { Transport, TransportClosed } from "./types.js";

class MemoryEnd implements Transport {
  #listener: ((chunk: Uint8Array) => void) | null = null;
  #pending: Uint8Array[] = [];
  #peer!: MemoryEnd;
  #isClosed = false;
  #resolveClosed!: (c: TransportClosed) => void;
  readonly closed: Promise<TransportClosed>;

  constructor(readonly description: string) {
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  static pair(description: string): [MemoryEnd, MemoryEnd] {
    const a = new MemoryEnd(description);
    const b = new MemoryEnd(`${description} (far end)`);
    a.#peer = b;
    b.#peer = a;
    return [a, b];
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.#listener = listener;
    const queued = this.#pending;
    this.#pending = [];
    for (const c of queued) listener(c);
  }

  #receive(chunk: Uint8Array): void {
    if (this.#isClosed) return;
    if (this.#listener) this.#listener(chunk);
    else this.#pending.push(chunk);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#isClosed) throw new Error(`${this.description}: write after close`);
    const copy = bytes.slice();
    const peer = this.#peer;
    queueMicrotask(() => peer.#receive(copy));
  }

  #end(c: TransportClosed): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#resolveClosed(c);
  }

  async close(): Promise<void> {
    this.#end({ reason: "local" });
    this.#peer.#end({ reason: "unplugged" });
  }
}

/** Returns [driverSide, deviceSide]. */
export function createMemoryPair(
  description = "memory",
): [Transport & { readonly isClosed: boolean }, Transport & { readonly isClosed: boolean }] {
  return MemoryEnd.pair(description);
}
