/**
 * Scripted port for transcript replays (warthog618/modem mockModem{cmdSet} style): a Transport that
 * checks every byte the driver writes against the next ">>" step of a transcript and answers with
 * the "<<" lines that follow it. "@@ name" pauses the script until the test calls trigger(name), for
 * network events (an incoming SMS) that happen between commands.
 *
 * Transcript syntax (test/fixtures/transcripts/<profile>/*.at):
 *   # comment
 *   >> AT+CMGF=0          bytes written, CR appended (not after <ESC> or a payload ending in <SUB>)
 *   << OK                 a line sent back as CR LF text CR LF
 *   << <PROMPT>           the 27.005 §3.5.1 prompt: CR LF "> " without line end
 *   @@ incoming           pause point
 *   %include init.at      the steps of another transcript of the same profile
 *   Tokens: <ESC> 0x1B, <SUB> 0x1A (Ctrl-Z).
 */
import { readFileSync } from "node:fs";
import type { Transport, TransportClosed } from "../../../src/transport/types.js";

export type Step =
  | { readonly kind: "out"; readonly bytes: string; readonly line: number }
  | { readonly kind: "in"; readonly text: string }
  | { readonly kind: "mark"; readonly name: string };

const tokens = (s: string): string => s.replaceAll("<ESC>", "\x1b").replaceAll("<SUB>", "\x1a");

export function parseTranscript(text: string): Step[] {
  const steps: Step[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === "" || raw.startsWith("#")) return;
    const body = raw.slice(3);
    if (raw.startsWith(">> ")) {
      const bytes = tokens(body);
      const raw = body === "<ESC>" || body.endsWith("<SUB>");
      steps.push({ kind: "out", bytes: raw ? bytes : `${bytes}\r`, line: i + 1 });
    } else if (raw.startsWith("<< ")) {
      steps.push({ kind: "in", text: body === "<PROMPT>" ? "\r\n> " : `\r\n${body}\r\n` });
    } else if (raw.startsWith("@@ ")) {
      steps.push({ kind: "mark", name: body.trim() });
    } else throw new Error(`transcript line ${i + 1}: cannot parse '${raw}'`);
  });
  return steps;
}

/** Reads a fixture, expanding "%include <file>" lines (same folder) so shared init stays in one file. */
export function readTranscript(profile: string, name: string): string {
  const url = new URL(`../../fixtures/transcripts/${profile}/${name}.at`, import.meta.url);
  return readFileSync(url, "utf8").replace(/^%include (\S+)\.at$/gm, (_m, inc: string) =>
    readTranscript(profile, inc),
  );
}

export function loadTranscript(profile: string, name: string): Step[] {
  return parseTranscript(readTranscript(profile, name));
}

const show = (s: string): string => JSON.stringify(s.replaceAll("\x1b", "<ESC>").replaceAll("\x1a", "<SUB>"));

export class ScriptedPort implements Transport {
  readonly description = "scripted://port";
  readonly closed: Promise<TransportClosed>;
  /** Everything the driver wrote, as latin1 text. */
  written = "";
  readonly errors: string[] = [];
  #steps: Step[];
  #cursor = 0;
  #pending = "";
  #listener: ((chunk: Uint8Array) => void) | null = null;
  #resolveClosed!: (c: TransportClosed) => void;
  #isClosed = false;

  constructor(steps: Step[]) {
    this.#steps = steps;
    this.closed = new Promise((r) => {
      this.#resolveClosed = r;
    });
  }

  /** Every step consumed and nothing unexpected written. */
  get done(): boolean {
    return this.#cursor >= this.#steps.length && this.#pending === "" && this.errors.length === 0;
  }

  /** What the script still expects, for failure messages. */
  get remaining(): string {
    return this.#steps
      .slice(this.#cursor, this.#cursor + 3)
      .map((s) =>
        s.kind === "out" ? `>> ${show(s.bytes)}` : s.kind === "in" ? `<< ${show(s.text)}` : `@@ ${s.name}`,
      )
      .join(" | ");
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.#listener = listener;
    this.#emitInputs(); // lines before the first ">>" (boot URCs)
  }

  trigger(name: string): void {
    const s = this.#steps[this.#cursor];
    if (s?.kind !== "mark" || s.name !== name) {
      this.errors.push(`trigger(${name}) but the script is at ${this.remaining}`);
      return;
    }
    this.#cursor++;
    this.#emitInputs();
  }

  #emitInputs(): void {
    let out = "";
    while (this.#steps[this.#cursor]?.kind === "in")
      out += (this.#steps[this.#cursor++] as { text: string }).text;
    if (out && this.#listener) {
      const l = this.#listener;
      const bytes = Buffer.from(out, "latin1");
      queueMicrotask(() => {
        if (!this.#isClosed) l(new Uint8Array(bytes));
      });
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#isClosed) throw new Error("write after close");
    const text = Buffer.from(bytes).toString("latin1");
    this.written += text;
    this.#pending += text;
    for (;;) {
      const step = this.#steps[this.#cursor];
      if (step?.kind !== "out") {
        if (this.#pending)
          this.errors.push(`unexpected write ${show(this.#pending)}; script at ${this.remaining}`);
        this.#pending = "";
        return;
      }
      if (this.#pending.length < step.bytes.length) {
        if (!step.bytes.startsWith(this.#pending)) {
          this.errors.push(`line ${step.line}: expected ${show(step.bytes)}, got ${show(this.#pending)}`);
          this.#pending = "";
        }
        return;
      }
      if (!this.#pending.startsWith(step.bytes)) {
        this.errors.push(`line ${step.line}: expected ${show(step.bytes)}, got ${show(this.#pending)}`);
        this.#pending = "";
        return;
      }
      this.#pending = this.#pending.slice(step.bytes.length);
      this.#cursor++;
      this.#emitInputs();
      if (!this.#pending) return;
    }
  }

  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#resolveClosed({ reason: "local" });
  }
}
