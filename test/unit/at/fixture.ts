/**
 * AT transcripts (test/fixtures/at/*.at) and their replay against a real AtChannel.
 *
 * Format, one item per line ("#" lines are comments and cite the source):
 *   >> AT+CSQ                   we write "AT+CSQ\r" (the test calls channel.command)
 *   >> AT+CMGL=4  {"pduAfter":["+CMGL:"]}   with CommandOptions as JSON
 *   >>z 0011…                   we write the payload + Ctrl-Z (the preceding >> is a prompt command)
 *   << +CSQ: 20,99              the modem sends "\r\n+CSQ: 20,99\r\n"
 *   <<| \r\n>\x20               the modem sends exactly these bytes (\r \n \t \\ \xNN escapes)
 *   == line <text>              expected information line of the preceding command
 *   == final <line>             expected final result of the preceding command (classified)
 *   == code <n>                 expected numeric CME/CMS code of that final result
 *   == urc <line> [| <trailing>…]  expected URC delivered to a handler
 *   == unsolicited <line>       expected line delivered to onUnsolicited
 */
import { readFileSync } from "node:fs";
import { AtChannel } from "../../../src/at/channel.js";
import { classifyFinal } from "../../../src/at/final-codes.js";
import type { AtUrc, CommandOptions, FinalResult } from "../../../src/at/types.js";
import { createMemoryPair } from "../../../src/transport/memory.js";
import { flush } from "./helpers.js";

export interface FixtureCommand {
  readonly command: string;
  readonly options: CommandOptions;
  payload: string | null;
  readonly lines: string[];
  final: FinalResult | null;
  code: number | null;
}

interface Step {
  /** Bytes we must write before the modem sends `reply`; "" for the modem's opening output. */
  readonly expect: string;
  readonly reply: Uint8Array[];
}

export interface Fixture {
  readonly name: string;
  readonly commands: FixtureCommand[];
  readonly steps: Step[];
  readonly urcs: AtUrc[];
  readonly unsolicited: string[];
}

const encoder = new TextEncoder();

export function unescapeBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length) {
      const n = text[i + 1];
      if (n === "x") {
        out.push(Number.parseInt(text.slice(i + 2, i + 4), 16));
        i += 3;
        continue;
      }
      const simple: Record<string, number> = { r: 13, n: 10, t: 9, "\\": 92 };
      const v = n !== undefined ? simple[n] : undefined;
      if (v !== undefined) {
        out.push(v);
        i++;
        continue;
      }
    }
    out.push(...encoder.encode(c));
  }
  return Uint8Array.from(out);
}

export function loadFixture(path: string): Fixture {
  const f: Fixture = { name: path.replace(/.*\//, ""), commands: [], steps: [], urcs: [], unsolicited: [] };
  let step: Step = { expect: "", reply: [] };
  f.steps.push(step);
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    if (raw.trim() === "" || raw.startsWith("#")) continue;
    const [tag = "", ...rest] = raw.split(" ");
    const body = rest.join(" ");
    const last = f.commands.at(-1);
    if (tag === ">>") {
      const m = /^(.*?)(?:\s{2,}(\{.*\}))?$/.exec(body);
      const command = (m?.[1] ?? body).trim();
      f.commands.push({
        command,
        options: m?.[2] ? JSON.parse(m[2]) : {},
        payload: null,
        lines: [],
        final: null,
        code: null,
      });
      step = { expect: `${command}\r`, reply: [] };
      f.steps.push(step);
    } else if (tag === ">>z") {
      if (!last) throw new Error(`${path}: >>z before >>`);
      last.payload = body;
      step = { expect: `${body}\x1a`, reply: [] };
      f.steps.push(step);
    } else if (tag === "<<") {
      step.reply.push(encoder.encode(`\r\n${body}\r\n`));
    } else if (tag === "<<|") {
      step.reply.push(unescapeBytes(body));
    } else if (tag === "==") {
      const [kind = "", ...words] = body.split(" ");
      const value = words.join(" ");
      if (kind === "urc") {
        const [line = "", ...trailing] = value.split(" | ");
        f.urcs.push({ line, trailing });
      } else if (kind === "unsolicited") f.unsolicited.push(value);
      else if (!last) throw new Error(`${path}: "== ${kind}" before any command`);
      else if (kind === "line") last.lines.push(value);
      else if (kind === "final") last.final = classifyFinal(value);
      else if (kind === "code") last.code = Number(value);
      else throw new Error(`${path}: unknown expectation "${kind}"`);
    } else {
      throw new Error(`${path}: unknown line "${raw}"`);
    }
  }
  return f;
}

export interface Observed {
  readonly responses: Array<{ command: string; lines: readonly string[]; final: FinalResult }>;
  readonly urcs: AtUrc[];
  readonly unsolicited: string[];
  readonly written: string;
}

/** Total bytes the modem sends in the fixture (split offsets range over [1, total)). */
export function modemByteCount(f: Fixture): number {
  return f.steps.reduce((n, s) => n + s.reply.reduce((m, r) => m + r.length, 0), 0);
}

/**
 * Replays the fixture: the modem's bytes are cut at every offset in `cuts` (offsets count across
 * the whole transcript) and each piece is delivered as its own chunk.
 */
export async function replay(f: Fixture, cuts: ReadonlySet<number>): Promise<Observed> {
  const [driver, device] = createMemoryPair("fixture");
  const channel = new AtChannel(driver, { defaultTimeoutMs: 2000, defaultPromptTimeoutMs: 2000 });
  const urcs: AtUrc[] = [];
  const unsolicited: string[] = [];
  for (const prefix of ["+CMT:", "+CDS:", "+CMTI:", "RING", "^RSSI:", "^BOOT:"]) {
    channel.onUrc({ prefix, handler: (u) => urcs.push({ line: u.line, trailing: [...u.trailing] }) });
  }
  channel.onUnsolicited((l) => unsolicited.push(l));

  let offset = 0;
  const sendStep = (s: Step) => {
    for (const block of s.reply) {
      let from = 0;
      for (let i = 1; i < block.length; i++) {
        if (cuts.has(offset + i)) {
          void device.write(block.subarray(from, i));
          from = i;
        }
      }
      void device.write(block.subarray(from));
      offset += block.length;
    }
  };

  let written = "";
  let next = 1;
  let buffer = "";
  device.onData((chunk) => {
    const text = new TextDecoder("latin1").decode(chunk);
    written += text;
    buffer += text;
    for (let s = f.steps[next]; s && buffer.startsWith(s.expect); s = f.steps[next]) {
      buffer = buffer.slice(s.expect.length);
      next++;
      sendStep(s);
    }
  });

  const first = f.steps[0];
  if (first) sendStep(first);
  await flush();
  const responses: Observed["responses"] = [];
  for (const c of f.commands) {
    const r =
      c.payload === null
        ? await channel.command(c.command, c.options)
        : await channel.commandWithPrompt(c.command, c.payload, c.options);
    responses.push({ command: r.command, lines: r.lines, final: r.final });
    await flush();
  }
  await flush();
  await channel.close();
  return { responses, urcs, unsolicited, written };
}

/** What `replay` must observe for the fixture, derived from its "==" lines and ">>" lines. */
export function expected(f: Fixture): Observed {
  return {
    responses: f.commands.map((c) => ({
      command: c.command,
      lines: c.lines,
      final: c.final ?? { kind: "ok" },
    })),
    urcs: f.urcs,
    unsolicited: f.unsolicited,
    written: f.steps.map((s) => s.expect).join(""),
  };
}
