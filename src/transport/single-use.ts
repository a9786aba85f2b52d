/**
 * Shared bookkeeping for single-use transports (zwave-js "has to be re-created after being closed"):
 * buffers data until the one listener attaches, settles `closed` exactly once, rejects writes after.
 */
import type { TransportClosed } from "./types.js";

export class SingleUse {
  readonly closed: Promise<TransportClosed>;
  #listener: ((chunk: Uint8Array) => void) | null = null;
  #pending: Uint8Array[] = [];
  #ended: TransportClosed | null = null;
  #resolve!: (c: TransportClosed) => void;

  constructor(readonly description: string) {
    this.closed = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get isClosed(): boolean {
    return this.#ended !== null;
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.#listener = listener;
    const queued = this.#pending;
    this.#pending = [];
    for (const c of queued) listener(c);
  }

  deliver(chunk: Uint8Array): void {
    if (this.#ended) return;
    if (this.#listener) this.#listener(chunk);
    else this.#pending.push(chunk);
  }

  /** Settles `closed` (first call wins); returns false when already ended. */
  end(closed: TransportClosed): boolean {
    if (this.#ended) return false;
    this.#ended = closed;
    this.#resolve(closed);
    return true;
  }

  assertOpen(): void {
    if (this.#ended) throw new Error(`${this.description}: write after close (${this.#ended.reason})`);
  }
}
