/**
 * AtChannel: AT commands over one Transport (reference-ril atchannel.c, warthog618/modem at.go).
 *
 *   Transport ──onData──▶ AtLineParser ──frames──▶ #onLine / #onPrompt ──▶ command in flight
 *                                                                     └──▶ UrcRouter ──▶ handlers
 *   command()/commandWithPrompt() ──▶ FIFO queue ──▶ #start ──write──▶ Transport
 *
 * Invariants:
 * - At most one command in flight (`#current`); the others wait in `#queue`, in call order.
 * - Every wait has a timer and honours an AbortSignal; every failure is an AtError.
 * - Lines are owned by the command (ownership.ts rules) or routed as URCs; the two-line SMS URCs
 *   (+CMT/+CDS) are taken as a pair first, even in the middle of a command.
 * - The channel never retries or resends: after a timeout the modem layer decides (escape, re-init).
 * - Single use: once the transport closes, every pending and later command rejects with "closed".
 */
import { type Clock, systemClock } from "../clock.js";
import type { Transport, TransportClosed } from "../transport/types.js";
import { AtError } from "./errors.js";
import { classifyFinal, describeFinal } from "./final-codes.js";
import { checkInput } from "./input.js";
import { type AtFrame, AtLineParser } from "./line-parser.js";
import { answersWithBareText, isKnownUnsolicited, redactCommand, responsePrefix } from "./ownership.js";
import type { Pending } from "./pending.js";
import type {
  AtChannelLike,
  AtFailureKind,
  AtLog,
  AtResponse,
  CommandOptions,
  FinalResult,
  PromptCommandOptions,
  UrcRegistration,
} from "./types.js";
import { UrcRouter } from "./urc-router.js";

export interface AtChannelOptions {
  readonly log?: AtLog;
  readonly clock?: Clock;
  /** Default per-command timeout, [100…600000] ms, default 5000. */
  readonly defaultTimeoutMs?: number;
  /** Default wait for "> ", default 5000 ms. */
  readonly defaultPromptTimeoutMs?: number;
  /** Quiet time after ESC before the next command, so a late answer to the escaped command is not
   * taken for the next one's; default 200 ms (warthog618/modem escTime is 20 ms; SIM800 needs more). */
  readonly escapeSettleMs?: number;
  /** Longest unterminated line kept, default 4096 bytes. */
  readonly maxLineBytes?: number;
  /** While a prompt is expected, a lone ">" followed by this much silence is the prompt; default 200 ms. */
  readonly promptIdleMs?: number;
}

const ESC = new Uint8Array([0x1b]);
const CTRL_Z = "\x1a";
const encoder = new TextEncoder();

export class AtChannel implements AtChannelLike {
  readonly closed: Promise<void>;
  readonly #transport: Transport;
  readonly #parser: AtLineParser;
  readonly #urcs: UrcRouter;
  readonly #log: AtLog | undefined;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #promptTimeoutMs: number;
  readonly #settleMs: number;
  readonly #promptIdleMs: number;
  #idleTimer: { clear(): void } | null = null;
  #lastNoiseAt: number | null = null;
  #noiseSuppressed = 0;
  readonly #queue: Pending[] = [];
  #current: Pending | null = null;
  #holds = 0;
  #closedBy: string | null = null;

  constructor(transport: Transport, options: AtChannelOptions = {}) {
    this.#transport = transport;
    this.#log = options.log;
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = options.defaultTimeoutMs ?? 5000;
    this.#promptTimeoutMs = options.defaultPromptTimeoutMs ?? 5000;
    this.#settleMs = options.escapeSettleMs ?? 200;
    this.#promptIdleMs = options.promptIdleMs ?? 200;
    this.#urcs = new UrcRouter(this.#log);
    this.#parser = new AtLineParser({
      onFrame: (f) => this.#onFrame(f),
      onNoise: (note) => this.#noise(note),
      ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}),
    });
    transport.onData((chunk) => this.#onData(chunk));
    this.closed = transport.closed.then((c) => this.#onClosed(c));
  }

  command(command: string, options: CommandOptions = {}): Promise<AtResponse> {
    return this.#enqueue(command, null, options);
  }

  commandWithPrompt(
    command: string,
    payload: string,
    options: PromptCommandOptions = {},
  ): Promise<AtResponse> {
    return this.#enqueue(command, payload, options);
  }

  onUrc(registration: UrcRegistration): () => void {
    return this.#urcs.add(registration);
  }

  onUnsolicited(listener: (line: string) => void): void {
    this.#urcs.onUnsolicited(listener);
  }

  async escape(): Promise<void> {
    if (this.#closedBy !== null) throw new AtError("closed", "ESC", { reason: this.#closedBy });
    this.#log?.trace({ dir: "out" }, "» <ESC>");
    this.#hold();
    try {
      await this.#transport.write(ESC);
    } finally {
      await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, this.#settleMs));
      this.#release();
    }
  }

  async close(): Promise<void> {
    await this.#transport.close();
    await this.closed;
  }

  /** Line noise is worth one warning, not one per line: a modem at the wrong baud rate would flood
   * the journal (and the Pi's SD card). At most one warning per 10 s, with the count suppressed. */
  #noise(note: string): void {
    const now = this.#clock.now();
    if (this.#lastNoiseAt !== null && now - this.#lastNoiseAt < 10_000) {
      this.#noiseSuppressed++;
      return;
    }
    this.#lastNoiseAt = now;
    const suppressed = this.#noiseSuppressed;
    this.#noiseSuppressed = 0;
    this.#log?.warn({ port: this.#transport.description, suppressed }, `AT line noise: ${note}`);
  }

  #onData(chunk: Uint8Array): void {
    this.#parser.push(chunk);
    this.#idleTimer?.clear();
    this.#idleTimer = null;
    if (this.#parser.expectPrompt && this.#parser.pendingBytes === 1) {
      this.#idleTimer = this.#clock.setTimeout(() => {
        this.#idleTimer = null;
        if (this.#parser.expectPrompt) this.#parser.takePendingPrompt();
      }, this.#promptIdleMs);
    }
  }

  #enqueue(command: string, payload: string | null, options: PromptCommandOptions): Promise<AtResponse> {
    const shown = options.sensitive ? redactCommand(command) : command;
    return new Promise<AtResponse>((resolve, reject) => {
      const invalid = checkInput(command, payload, options);
      if (invalid) {
        reject(new RangeError(`${shown}: ${invalid}`));
        return;
      }
      if (this.#closedBy !== null) {
        reject(new AtError("closed", shown, { reason: this.#closedBy }));
        return;
      }
      if (options.signal?.aborted) {
        reject(new AtError("aborted", shown, { cause: options.signal.reason }));
        return;
      }
      const own = responsePrefix(command);
      const p: Pending = {
        command,
        shown,
        payload,
        options,
        prefixes: [...(own ? [own] : []), ...(options.prefixes ?? [])],
        bareText: options.bareText ?? answersWithBareText(command),
        lines: [],
        stage: "queued",
        echoPending: true,
        payloadEchoPending: payload !== null,
        pduLineNext: false,
        payloadWritten: false,
        timer: null,
        resolve,
        reject,
        detachAbort: () => {},
      };
      const signal = options.signal;
      if (signal) {
        const onAbort = () => this.#abort(p);
        signal.addEventListener("abort", onAbort, { once: true });
        p.detachAbort = () => signal.removeEventListener("abort", onAbort);
      }
      this.#queue.push(p);
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#current || this.#holds > 0 || this.#closedBy !== null) return;
    const next = this.#queue.shift();
    if (!next) return;
    this.#current = next;
    this.#start(next);
  }

  #start(p: Pending): void {
    const prompt = p.payload !== null;
    p.stage = prompt ? "prompt" : "command";
    this.#parser.expectPrompt = prompt;
    // Register the expectation (timer) before writing (zigbee-herdsman waitress).
    if (prompt) {
      const ms = p.options.promptTimeoutMs ?? this.#promptTimeoutMs;
      p.timer = this.#clock.setTimeout(() => this.#onPromptTimeout(p, ms), ms);
    } else {
      const ms = p.options.timeoutMs ?? this.#timeoutMs;
      p.timer = this.#clock.setTimeout(() => this.#fail(p, "timeout", { timeoutMs: ms }), ms);
    }
    this.#log?.trace({ dir: "out" }, `» ${p.shown}`);
    this.#write(p, `${p.command}\r`);
  }

  #write(p: Pending, text: string): void {
    this.#transport.write(encoder.encode(text)).catch((error: unknown) => {
      this.#fail(p, "closed", {
        reason: `write failed: ${(error as Error)?.message ?? error}`,
        cause: error,
      });
    });
  }

  #onPromptTimeout(p: Pending, ms: number): void {
    // 27.005 §3.5.1: ESC leaves the prompt state without sending; hold the queue so that the
    // modem's late answer to the escaped command cannot complete the next one.
    this.#escapeQuietly();
    this.#fail(p, "no-prompt", { timeoutMs: ms });
  }

  #abort(p: Pending): void {
    if (p.stage === "prompt") this.#escapeQuietly();
    this.#fail(p, "aborted", { cause: p.options.signal?.reason });
  }

  #escapeQuietly(): void {
    this.#log?.trace({ dir: "out" }, "» <ESC>");
    this.#hold();
    this.#transport.write(ESC).catch(() => {});
    this.#clock.setTimeout(() => this.#release(), this.#settleMs);
  }

  #hold(): void {
    this.#holds++;
  }

  #release(): void {
    this.#holds--;
    this.#pump();
  }

  #settle(p: Pending): boolean {
    if (p.stage === "done") return false;
    p.stage = "done";
    p.timer?.clear();
    p.detachAbort();
    if (this.#current === p) {
      this.#current = null;
      this.#parser.expectPrompt = false;
    } else {
      const i = this.#queue.indexOf(p);
      if (i >= 0) this.#queue.splice(i, 1);
    }
    return true;
  }

  #finish(p: Pending, final: FinalResult): void {
    if (!this.#settle(p)) return;
    p.resolve({ command: p.shown, lines: p.lines, final });
    this.#pump();
  }

  #fail(
    p: Pending,
    kind: AtFailureKind,
    detail: { timeoutMs?: number; reason?: string; cause?: unknown } = {},
  ): void {
    if (!this.#settle(p)) return;
    const error = new AtError(kind, p.shown, { ...detail, payloadWritten: p.payloadWritten });
    if (kind === "timeout" && p.options.expectTimeout) this.#log?.trace({ kind }, error.message);
    else if (kind === "timeout" || kind === "no-prompt") this.#log?.warn({ kind }, error.message);
    p.reject(error);
    this.#pump();
  }

  #onFrame(frame: AtFrame): void {
    if (frame.kind === "prompt") {
      this.#log?.trace({ dir: "in" }, "« > ");
      this.#onPrompt();
    } else {
      this.#onLine(frame.text);
    }
  }

  #onPrompt(): void {
    const p = this.#current;
    if (p?.stage !== "prompt" || p.payload === null) {
      this.#log?.warn({}, 'AT "> " prompt with no prompt command waiting; dropped');
      return;
    }
    p.timer?.clear();
    p.stage = "payload";
    p.payloadWritten = true;
    this.#parser.expectPrompt = false;
    const ms = p.options.timeoutMs ?? this.#timeoutMs;
    p.timer = this.#clock.setTimeout(() => this.#fail(p, "timeout", { timeoutMs: ms }), ms);
    this.#log?.trace({ dir: "out" }, `» ${p.payload}<Ctrl-Z>`);
    this.#write(p, p.payload + CTRL_Z);
  }

  #onLine(line: string): void {
    const p = this.#current;
    const isCommandLine = p !== null && line === p.command;
    // An echo of AT+CPIN="1234" must not put the PIN in the log either.
    this.#log?.trace({ dir: "in" }, `« ${isCommandLine && p.options.sensitive ? p.shown : line}`);
    if (this.#urcs.collecting && this.#urcs.continue(line, classifyFinal(line) !== null)) return;
    if (p && isCommandLine && p.echoPending) {
      // V.250 §6.2.4: echo should stop after ATE0, but modems echo the ATE0 itself and some keep
      // echoing; a line equal to the command just sent is dropped once.
      p.echoPending = false;
      return;
    }
    if (p && p.stage === "payload" && p.payloadEchoPending && line === p.payload) {
      // The PDU echoed after the prompt (warthog618/modem processSmsRxLine).
      p.payloadEchoPending = false;
      return;
    }
    const owned = p?.prefixes.some((x) => line.startsWith(x)) ?? false;
    const trailing = owned ? 0 : this.#urcs.trailingCount(line);
    if (trailing > 0) {
      this.#urcs.begin(line, trailing);
      return;
    }
    const final = classifyFinal(line);
    if (p) {
      if (final) {
        this.#finish(p, final);
        return;
      }
      if (p.stage === "prompt" && line === ">") {
        this.#onPrompt();
        return;
      }
      if (this.#claim(p, line, owned)) return;
    } else if (final && final.kind !== "other") {
      this.#log?.warn({ final: describeFinal(final) }, "AT final result with no command in flight; dropped");
      return;
    }
    this.#urcs.begin(line, 0);
  }

  /** Adds `line` to the command's response when it belongs to it (ownership.ts). */
  #claim(p: Pending, line: string, owned: boolean): boolean {
    if (p.pduLineNext) {
      // 27.005 §3.4.2/§3.4.3: the PDU follows its +CMGL:/+CMGR: header, unprefixed.
      p.pduLineNext = false;
      p.lines.push(line);
      return true;
    }
    if (owned) {
      p.lines.push(line);
      p.pduLineNext = (p.options.pduAfter ?? []).some((x) => line.startsWith(x));
      return true;
    }
    if (p.bareText && line !== p.command && !this.#urcs.isRegistered(line) && !isKnownUnsolicited(line)) {
      p.lines.push(line);
      return true;
    }
    return false;
  }

  #onClosed(c: TransportClosed): void {
    this.#closedBy = c.error ? `${c.reason}: ${c.error.message}` : c.reason;
    this.#idleTimer?.clear();
    this.#urcs.abandon();
    const all = [...(this.#current ? [this.#current] : []), ...this.#queue];
    for (const p of all) this.#fail(p, "closed", { reason: this.#closedBy, cause: c.error });
  }
}
