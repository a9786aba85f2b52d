import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AtFrame, AtLineParser } from "../../../src/at/line-parser.js";

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf8 = (s: string) => new TextEncoder().encode(s);

function parse(chunks: Uint8Array[], setup?: (p: AtLineParser) => void) {
  const frames: AtFrame[] = [];
  const noise: string[] = [];
  const p = new AtLineParser({
    onFrame: (f) => frames.push(f),
    onNoise: (n) => noise.push(n),
    maxLineBytes: 64,
  });
  setup?.(p);
  for (const c of chunks) p.push(c);
  return { frames, noise, parser: p };
}

const line = (text: string): AtFrame => ({ kind: "line", text });
const prompt: AtFrame = { kind: "prompt" };

describe("AtLineParser", () => {
  it("splits on CR, LF, CR LF and LF CR and drops empty lines", () => {
    const { frames } = parse([bytes("\r\nOK\r\n\r\nA\rB\nC\n\rD\r\r\n\n")]);
    expect(frames).toEqual([line("OK"), line("A"), line("B"), line("C"), line("D")]);
  });

  it("keeps a line split inside its CR LF whole", () => {
    const { frames } = parse([bytes("\r\n+CSQ: 2"), bytes("0,99\r"), bytes("\nOK\r"), bytes("\n")]);
    expect(frames).toEqual([line("+CSQ: 20,99"), line("OK")]);
  });

  it('emits the unterminated "> " prompt at the start of a line (27.005 §3.5.1)', () => {
    expect(parse([bytes("\r\n> ")]).frames).toEqual([prompt]);
  });

  it('recognizes "> " split between ">" and " "', () => {
    const { frames, parser } = parse([bytes("\r\n>")]);
    expect(frames).toEqual([]);
    expect(parser.pendingBytes).toBe(1);
    parser.push(bytes(" "));
    expect(frames).toEqual([prompt]);
  });

  it('leaves "> " inside a line alone when no prompt is expected', () => {
    expect(parse([bytes("a > b\r\n")]).frames).toEqual([line("a > b")]);
  });

  it("splits an unterminated echo from the prompt when a prompt is expected", () => {
    const { frames } = parse([bytes("AT+CMGS=23> ")], (p) => {
      p.expectPrompt = true;
    });
    expect(frames).toEqual([line("AT+CMGS=23"), prompt]);
  });

  it("drops NULs and control bytes, reporting them once per line", () => {
    const { frames, noise } = parse([bytes("\x00\x00O\x1aK\r\n")]);
    expect(frames).toEqual([line("OK")]);
    expect(noise).toEqual(["dropped 3 control bytes"]);
  });

  it("drops invalid UTF-8 but keeps the valid text of the line", () => {
    const { frames, noise } = parse([Uint8Array.from([0xff, 0xfe, 0x4f, 0x4b, 0x0d, 0x0a])]);
    expect(frames).toEqual([line("OK")]);
    expect(noise).toEqual(["dropped invalid UTF-8 in a line of 4 bytes"]);
  });

  it("keeps a multi-byte UTF-8 character split across chunks", () => {
    const all = utf8("Zürich\r\n");
    const { frames, noise } = parse([all.subarray(0, 2), all.subarray(2)]);
    expect(frames).toEqual([line("Zürich")]);
    expect(noise).toEqual([]);
  });

  it("discards an over-long unterminated line and recovers at the next line end", () => {
    const { frames, noise } = parse([bytes("X".repeat(100)), bytes("Y".repeat(50)), bytes("\r\nOK\r\n")]);
    expect(frames).toEqual([line("OK")]);
    expect(noise).toEqual(["discarded an unterminated line longer than 64 bytes"]);
  });

  it("gives the same frames wherever the bytes are split (property)", () => {
    const token = fc.constantFrom(
      "OK",
      "+CMGS: 5",
      "> ",
      "\r",
      "\n",
      "\r\n",
      "\x00",
      "\xff",
      "RING",
      ">",
      " ",
      "x",
    );
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (tokens, cutSeeds) => {
          const input = bytes(tokens.join(""));
          const whole = parse([input]).frames;
          const cuts = [...new Set(cutSeeds.map((c) => (input.length ? c % input.length : 0)))].sort(
            (a, b) => a - b,
          );
          const chunks: Uint8Array[] = [];
          let from = 0;
          for (const c of cuts) {
            chunks.push(input.subarray(from, c));
            from = c;
          }
          chunks.push(input.subarray(from));
          expect(parse(chunks).frames).toEqual(whole);
        },
      ),
      { seed: 4242, numRuns: 300 },
    );
  });
});
