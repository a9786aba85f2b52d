/**
 * Bytes from the modem → AT frames (lines and the SMS prompt).
 *
 *   transport chunks ──▶ push() ──▶ per-byte state machine ──▶ onFrame({ kind: "line" | "prompt" })
 *                                                  └──────────▶ onNoise(note)   (discarded bytes)
 *
 * The result never depends on where the transport split the bytes: every decision is taken per byte
 * (or per complete line), never per chunk (atat's `chunkwise_digest` regression).
 *
 * - V.250 §5.7.1: responses are framed by CR LF; modems also send bare CR, bare LF or LF CR, so any
 *   run of CR/LF ends a line and empty lines are dropped.
 * - 27.005 §3.5.1: the "> " prompt after AT+CMGS is NOT terminated by CR LF. It is recognized when
 *   the channel expects a prompt, or when ">" + " " are the first bytes of a line (reference-ril
 *   atchannel.c findNextEOL).
 * - Control bytes, NULs and invalid UTF-8 are line noise: they are reported and dropped, never fatal.
 *   Ctrl-Z (0x1A) is dropped too, which turns a modem's echo of "PDU<Ctrl-Z>" into the bare PDU.
 * - A line without a terminator longer than `maxLineBytes` is discarded up to its next terminator
 *   (reference-ril MAX_AT_RESPONSE "Input line exceeded buffer").
 */

export type AtFrame = { readonly kind: "line"; readonly text: string } | { readonly kind: "prompt" };

export interface LineParserOptions {
  readonly onFrame: (frame: AtFrame) => void;
  /** Told about every discarded byte run (noise, over-long line). Never throws into the parser. */
  readonly onNoise?: (note: string) => void;
  /** Maximum bytes of one unterminated line, default 4096. */
  readonly maxLineBytes?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const GT = 0x3e;
const SPACE = 0x20;
const TAB = 0x09;

export class AtLineParser {
  readonly #onFrame: (frame: AtFrame) => void;
  readonly #onNoise: (note: string) => void;
  readonly #max: number;
  #buf: Uint8Array;
  #len = 0;
  /** Dropping bytes of an over-long line until the next CR/LF. */
  #skipping = false;
  #noiseBytes = 0;
  /** Set by the channel while an AT+CMGS-style command waits for "> ". */
  expectPrompt = false;

  constructor(options: LineParserOptions) {
    this.#onFrame = options.onFrame;
    this.#onNoise = options.onNoise ?? (() => {});
    this.#max = options.maxLineBytes ?? 4096;
    this.#buf = new Uint8Array(Math.min(this.#max, 256));
  }

  push(chunk: Uint8Array): void {
    for (const byte of chunk) this.#byte(byte);
  }

  /** Bytes of the line currently being assembled (for tests and diagnostics). */
  get pendingBytes(): number {
    return this.#len;
  }

  /**
   * Takes a lone ">" waiting at the start of a line as the prompt. Called by the channel after an
   * idle gap while a prompt is expected: some modems send ">" without the space (warthog618/modem
   * at_test "ATSMS" answers "\n>"), and a ">" that was followed by nothing for that long is no line.
   */
  takePendingPrompt(): boolean {
    if (this.#skipping || this.#len !== 1 || this.#buf[0] !== GT) return false;
    this.#len = 0;
    this.#reportNoise();
    this.#onFrame({ kind: "prompt" });
    return true;
  }

  #byte(b: number): void {
    if (b === CR || b === LF) {
      this.#endLine();
      return;
    }
    if (this.#skipping) return;
    // Control characters other than TAB are never part of an AT response (V.250 §5.7.1 uses only
    // IRA 32–126 plus S3/S4 in responses); DEL too. Counted and reported once per line.
    if ((b < SPACE && b !== TAB) || b === 0x7f) {
      this.#noiseBytes++;
      return;
    }
    if (this.#len >= this.#max) {
      this.#onNoise(`discarded an unterminated line longer than ${this.#max} bytes`);
      this.#len = 0;
      this.#skipping = true;
      return;
    }
    if (this.#len === this.#buf.length) {
      const bigger = new Uint8Array(Math.min(this.#max, this.#buf.length * 2));
      bigger.set(this.#buf);
      this.#buf = bigger;
    }
    this.#buf[this.#len++] = b;
    if (b === SPACE && this.#len >= 2 && this.#buf[this.#len - 2] === GT) this.#maybePrompt();
  }

  #maybePrompt(): void {
    const atLineStart = this.#len === 2;
    if (!atLineStart && !this.expectPrompt) return;
    // With a prompt expected, text before "> " on the same line (an unterminated echo) is a line.
    if (!atLineStart) this.#emitLine(this.#len - 2);
    this.#len = 0;
    this.#reportNoise();
    this.#onFrame({ kind: "prompt" });
  }

  #endLine(): void {
    if (this.#skipping) {
      this.#skipping = false;
      this.#len = 0;
      this.#noiseBytes = 0;
      return;
    }
    this.#emitLine(this.#len);
    this.#len = 0;
    this.#reportNoise();
  }

  #emitLine(length: number): void {
    if (length === 0) return;
    const raw = this.#buf.subarray(0, length);
    let text = decoder.decode(raw);
    if (text.includes("\uFFFD")) {
      // Invalid UTF-8 (line noise at a wrong baud rate, a half-written byte after a reset):
      // keep the valid text around it, so "\xFF\xFEOK" still yields OK.
      text = text.replaceAll("\uFFFD", "");
      this.#onNoise(`dropped invalid UTF-8 in a line of ${length} bytes`);
    }
    text = text.trim();
    if (text.length > 0) this.#onFrame({ kind: "line", text });
  }

  #reportNoise(): void {
    if (this.#noiseBytes === 0) return;
    const n = this.#noiseBytes;
    this.#noiseBytes = 0;
    this.#onNoise(`dropped ${n} control byte${n === 1 ? "" : "s"}`);
  }
}

const decoder = new TextDecoder("utf-8", { fatal: false });
