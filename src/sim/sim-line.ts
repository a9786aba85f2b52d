/**
 * The simulated modem's command line, i.e. its side of the DTE-DCE dialogue: it frames command
 * lines out of the byte stream (V.250 §5.2), echoes and edits them (backspace, A/), lets behaviours
 * take a line before the handlers run it, holds the "> " prompt of +CMGS/+CMGW until Ctrl-Z or ESC
 * (27.005 §3.5.1), and holds URCs back while a command runs so that they never split a response
 * (27.005 §3.4.1, +CNMI <mode> 2: buffered while the TA-TE link is reserved). What the modem is
 * (state, power, timers, output) stays in sim-modem.ts.
 */
import { parseCommandBody } from "./at-parse.js";
import type { SimModem } from "./sim-modem.js";
import { noiseUrc } from "./sim-output.js";
import { type CommandResult, ERROR, type Handler, type SimBehavior } from "./sim-types.js";

/** Thrown by SimModem.sleep when the modem rebooted or closed meanwhile; ends the command quietly. */
export class Aborted extends Error {}

const MAX_BUFFER = 4096;

export class SimLine {
  #buf = "";
  #running = false;
  #busy = false;
  #prompt: CommandResult["prompt"] | null = null;
  #urcQueue: string[] = [];
  #lastLine = "";

  constructor(
    private readonly sim: SimModem,
    private readonly handlers: Readonly<Record<string, Handler>>,
    /** Newest first; read on each line, as behaviours come and go. */
    private readonly behaviors: () => readonly SimBehavior<SimModem>[],
    /** Bumped by a power cycle or close: a command still running from before must not touch the line. */
    private readonly generation: () => number,
  ) {}

  /** Power cycle: the typed input, the prompt and the held URCs are lost. */
  reset(): void {
    this.reopen();
    this.#urcQueue = [];
  }

  /** The host reopened the port without a power cycle: what it was typing goes with the old port. */
  reopen(): void {
    this.#buf = "";
    this.#prompt = null;
    this.#busy = false;
    this.#running = false;
  }

  push(chunk: Uint8Array): void {
    this.#buf += Buffer.from(chunk).toString("latin1");
    // A real command buffer is a few hundred bytes (SIM800: 556); endless input without CR or
    // Ctrl-Z is dropped from the front instead of growing without bound.
    if (this.#buf.length > MAX_BUFFER) this.#buf = this.#buf.slice(-MAX_BUFFER);
    this.#kick();
  }

  /** An unsolicited result, already framed; held while a command runs unless "urc-storm" is on. */
  urc(text: string): void {
    if (this.#busy && !this.sim.fault("urc-storm")) this.#urcQueue.push(text);
    else this.sim.writeRaw(text);
  }

  #flushUrcs(): void {
    const q = this.#urcQueue;
    this.#urcQueue = [];
    for (const t of q) this.sim.writeRaw(t);
  }

  #stormNoise(): void {
    if (!this.sim.fault("urc-storm")) return;
    this.#flushUrcs();
    this.sim.writeRaw(`\r\n${noiseUrc(this.sim.persona)}\r\n`);
  }

  #kick(): void {
    if (this.#running) return;
    this.#running = true;
    const gen = this.generation();
    void this.#loop()
      .catch((e: unknown) => {
        // A bug in a behaviour or handler must not take the simulator (or the test run) down:
        // answer ERROR, keep the error for inspection, and go on reading.
        if (e instanceof Aborted) return;
        this.sim.lastError = e;
        this.sim.writeFinal(ERROR);
      })
      .finally(() => {
        if (gen !== this.generation()) return;
        this.#running = false;
        // At the "> " prompt the command is still running: URCs wait until it has been answered.
        this.#busy = this.#prompt !== null;
        if (!this.#prompt) this.#flushUrcs();
        // Bytes that arrived between the loop's last look and now would otherwise wait forever.
        if (this.#prompt ? /[\x1a\x1b]/.test(this.#buf) : this.#buf.includes("\r")) this.#kick();
      });
  }

  async #loop(): Promise<void> {
    for (;;) {
      if (this.#prompt) {
        const k = this.#buf.search(/[\x1a\x1b]/);
        if (k < 0) return;
        const payload = this.#buf.slice(0, k);
        const cancel = this.#buf[k] === "\x1b";
        this.#buf = this.#buf.slice(k + 1);
        const handler = this.#prompt;
        this.#prompt = null;
        if (this.sim.state.echo) this.sim.writeRaw(payload);
        // 27.005 §3.5.1: <ESC> cancels the edited message; nothing is sent.
        const res = cancel ? { final: { kind: "ok" } as const } : await handler(payload);
        this.#finish(res);
        this.#busy = false;
        this.#flushUrcs();
        continue;
      }
      const k = this.#buf.indexOf("\r");
      if (k < 0) return;
      const raw = this.#buf.slice(0, k + 1);
      this.#buf = this.#buf.slice(k + 1);
      this.#busy = true;
      await this.#line(raw);
      if (!this.#prompt) {
        this.#busy = false;
        this.#flushUrcs();
      }
    }
  }

  #finish(res: CommandResult): void {
    this.sim.writeInfo(res.lines ?? []);
    this.#stormNoise();
    this.sim.writeFinal(res.final ?? { kind: "ok" });
    res.after?.();
  }

  async #line(raw: string): Promise<void> {
    const sim = this.sim;
    if (sim.faultState.swallowLine()) return;
    const drop = sim.fault("drop");
    if (drop) {
      sim.removeFault(drop);
      sim.dropLine();
      return;
    }
    const echoes = sim.fault("echo-dup") ? 2 : sim.state.echo ? 1 : 0;
    for (let i = 0; i < echoes; i++) sim.writeRaw(raw);
    // V.250 §5.2.2: backspace edits the line; §5.2.1: characters before "AT" are ignored.
    let text = raw.slice(0, -1);
    while (text.includes("\x08")) text = text.replace(/[^\x08]?\x08/, "");
    if (/^\s*a\/\s*$/i.test(text)) text = this.#lastLine;
    const start = text.search(/at/i);
    if (start < 0) return;
    const line = text.slice(start).trimEnd();
    this.#lastLine = line;
    for (const b of this.behaviors()) if (await b.onCommand?.(sim, line)) return;
    await sim.sleep(sim.timings.commandMs);
    const cmds = parseCommandBody(line.slice(2));
    if (!cmds) return sim.writeFinal(ERROR);
    const afters: Array<() => void> = [];
    for (const cmd of cmds) {
      const h = this.handlers[cmd.name];
      const res = h ? await h(cmd) : { final: ERROR };
      if (res.prompt) {
        sim.writeInfo(res.lines ?? []);
        this.#prompt = res.prompt;
        sim.writeRaw("\r\n> ");
        return;
      }
      const final = res.final ?? { kind: "ok" };
      if (final.kind !== "ok") return this.#finish(res);
      sim.writeInfo(res.lines ?? []);
      if (res.after) afters.push(res.after);
    }
    this.#stormNoise();
    sim.writeFinal({ kind: "ok" });
    for (const a of afters) a();
  }
}
