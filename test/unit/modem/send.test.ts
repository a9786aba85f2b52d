import { describe, expect, it } from "vitest";
import { AtError } from "../../../src/at/errors.js";
import type { AtChannelLike, AtResponse, FinalResult } from "../../../src/at/types.js";
import { checkPdu, submitPart } from "../../../src/modem/send.js";

const PDU = "0001000B913316325476F8000005E8329BFD06";
const T = { promptMs: 5_000, cmgsMs: 60_000 };

/** A channel whose commandWithPrompt answers `final` with `lines`, or throws `error`. */
function channel(answer: {
  readonly final?: FinalResult;
  readonly lines?: readonly string[];
  readonly error?: AtError;
}): AtChannelLike & { calls: number } {
  const ch = {
    calls: 0,
    async commandWithPrompt(command: string): Promise<AtResponse> {
      ch.calls++;
      if (answer.error) throw answer.error;
      return { command, lines: [...(answer.lines ?? [])], final: answer.final ?? { kind: "ok" } };
    },
  };
  return ch as unknown as AtChannelLike & { calls: number };
}

describe("AT+CMGS outcome mapping (never resends)", () => {
  it.each([
    ["+CMGS: <mr> then OK", { lines: ["+CMGS: 17"] }, { kind: "sent", mr: 17 }, false],
    [
      "+CMS ERROR: 38",
      { final: { kind: "cms", code: 38, text: "38" } as FinalResult },
      { kind: "rejected", code: 38, category: "retry-later", text: "Network out of order" },
      false,
    ],
    [
      "+CME ERROR: 10",
      { final: { kind: "cme", code: 10, text: "SIM not inserted" } as FinalResult },
      { kind: "rejected", code: null, category: "modem-fault" },
      false,
    ],
    [
      "no prompt",
      { error: new AtError("no-prompt", "AT+CMGS=18", { timeoutMs: 5000 }) },
      { kind: "not-sent", reason: "no-prompt" },
      true,
    ],
    [
      "closed before the PDU",
      { error: new AtError("closed", "AT+CMGS=18") },
      { kind: "not-sent", reason: "closed" },
      false,
    ],
    [
      "aborted before the PDU",
      { error: new AtError("aborted", "AT+CMGS=18") },
      { kind: "not-sent", reason: "aborted" },
      false,
    ],
    [
      "timeout after the PDU",
      { error: new AtError("timeout", "AT+CMGS=18", { timeoutMs: 60000, payloadWritten: true }) },
      { kind: "unknown", reason: "timeout" },
      true,
    ],
    [
      "closed after the PDU",
      { error: new AtError("closed", "AT+CMGS=18", { payloadWritten: true }) },
      { kind: "unknown", reason: "closed-after-pdu" },
      false,
    ],
    [
      "aborted after the PDU",
      { error: new AtError("aborted", "AT+CMGS=18", { payloadWritten: true }) },
      { kind: "unknown", reason: "timeout" },
      false,
    ],
  ] as const)("%s", async (_name, answer, want, suspect) => {
    const ch = channel(answer);
    const r = await submitPart(ch, T, PDU, 18);
    expect(r.outcome).toMatchObject(want);
    expect(r.suspect).toBe(suspect);
    expect(ch.calls).toBe(1);
  });

  it("bad input is refused before anything is written", async () => {
    const ch = channel({});
    expect((await submitPart(ch, T, "XYZ", 1)).outcome).toMatchObject({
      kind: "rejected",
      category: "permanent",
    });
    expect((await submitPart(ch, T, PDU, 17)).outcome).toMatchObject({
      kind: "rejected",
      category: "permanent",
    });
    expect(ch.calls).toBe(0);
    const aborted = new AbortController();
    aborted.abort();
    expect((await submitPart(ch, T, PDU, 18, aborted.signal)).outcome).toMatchObject({
      kind: "not-sent",
      reason: "aborted",
    });
    expect(ch.calls).toBe(0);
  });

  it.each([
    [PDU, 18, null],
    ["07911326040000F0" + "01000B913316325476F8000005E8329BFD06", 18, null],
    [PDU, 19, /does not match/],
    [PDU.slice(1), 18, /hex/],
    [PDU, 0, /outside/],
  ] as const)("checkPdu(%s, %i)", (pdu, len, want) => {
    const r = checkPdu(pdu, len);
    if (want === null) expect(r).toBeNull();
    else expect(r).toMatch(want);
  });
});
