/**
 * URC registry: handlers by line prefix, with a trailing-line count (warthog618/modem at.go
 * `WithIndication(…, WithTrailingLines(n))`). Unclaimed lines go to the `onUnsolicited` listeners.
 * Owned by one AtChannel; handlers run synchronously on the channel's reader path, and an exception
 * in one is reported and never stops the reader.
 */
import { longestPrefix, SMS_PAIR_PREFIXES } from "./ownership.js";
import type { AtLog, AtUrc, UrcRegistration } from "./types.js";

export class UrcRouter {
  readonly #registrations = new Set<UrcRegistration>();
  readonly #unsolicited = new Set<(line: string) => void>();
  readonly #log: AtLog | undefined;
  /** A multi-line URC being collected: its header and the number of lines still owed. */
  #collecting: { line: string; trailing: string[]; owed: number } | null = null;

  constructor(log: AtLog | undefined) {
    this.#log = log;
  }

  add(registration: UrcRegistration): () => void {
    this.#registrations.add(registration);
    return () => {
      this.#registrations.delete(registration);
    };
  }

  onUnsolicited(listener: (line: string) => void): void {
    this.#unsolicited.add(listener);
  }

  /** True when `line` starts with a registered prefix. */
  isRegistered(line: string): boolean {
    return this.#match(line).length > 0;
  }

  get collecting(): boolean {
    return this.#collecting !== null;
  }

  /**
   * Number of lines that follow `line` and belong to it: the registration's count when it gives one,
   * else 1 for the two-line SMS URCs, even when nobody listens (reference-ril isSMSUnsolicited), else 0.
   */
  trailingCount(line: string): number {
    const pairDefault = SMS_PAIR_PREFIXES.some((p) => line.startsWith(p)) ? 1 : 0;
    const matched = this.#match(line);
    if (matched.length === 0) return pairDefault;
    return Math.max(...matched.map((r) => r.trailingLines ?? pairDefault));
  }

  /** Starts collecting `line` plus `owed` trailing lines, or dispatches it at once when `owed` is 0. */
  begin(line: string, owed: number): void {
    if (owed <= 0) {
      this.#dispatch({ line, trailing: [] });
      return;
    }
    this.#collecting = { line, trailing: [], owed };
  }

  /**
   * Offers the next line to the URC being collected; returns false when the line cannot be one of
   * its trailing lines, in which case the URC is dropped (with a warning) and the caller handles the
   * line as usual. A final result code is never a trailing line, and after +CMT/+CDS/+CBM the line
   * must be a hex PDU (27.005 §3.4.1, PDU mode): a header whose PDU got lost must not swallow the
   * next command's OK.
   */
  continue(line: string, isFinal: boolean): boolean {
    const c = this.#collecting;
    if (!c) return false;
    const pair = SMS_PAIR_PREFIXES.some((p) => c.line.startsWith(p));
    if (isFinal || (pair && !/^[0-9A-Fa-f]+$/.test(line))) {
      this.#log?.warn({ urc: c.line, next: line }, "URC trailing line missing; URC dropped");
      this.#collecting = null;
      return false;
    }
    c.trailing.push(line);
    if (--c.owed > 0) return true;
    this.#collecting = null;
    this.#dispatch({ line: c.line, trailing: c.trailing });
    return true;
  }

  /** Drops a half-collected URC (the channel closed): a partial PDU is never handed out. */
  abandon(): void {
    if (!this.#collecting) return;
    this.#log?.warn({ urc: this.#collecting.line }, "channel closed before the trailing lines of a URC");
    this.#collecting = null;
  }

  #match(line: string): UrcRegistration[] {
    const best = longestPrefix(
      line,
      [...this.#registrations].map((r) => r.prefix),
    );
    if (best === undefined) return [];
    return [...this.#registrations].filter((r) => r.prefix === best);
  }

  #dispatch(urc: AtUrc): void {
    const handlers = this.#match(urc.line);
    if (handlers.length === 0) {
      for (const l of [urc.line, ...urc.trailing]) this.#emitUnsolicited(l);
      return;
    }
    for (const r of handlers) {
      try {
        r.handler(urc);
      } catch (error) {
        this.#log?.warn({ err: error, urc: urc.line }, "URC handler threw");
      }
    }
  }

  #emitUnsolicited(line: string): void {
    for (const l of this.#unsolicited) {
      try {
        l(line);
      } catch (error) {
        this.#log?.warn({ err: error, line }, "unsolicited-line listener threw");
      }
    }
  }
}
