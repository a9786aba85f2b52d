import { describe, expect, it } from "vitest";
import { generic, parseCpinr, parseIccidLines, parseNumericAnswer } from "../../drivers/generic.js";
import { resolveProfile } from "../../drivers/index.js";
import type { IncomingPdu } from "../../src/modem/types.js";
import { replay, untilDone } from "./helpers/replay.js";

const DELIVER = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";
const SUBMIT = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";

describe("generic profile: pure helpers", () => {
  it("+CPINR lines (27.007 §8.65)", () => {
    expect(parseCpinr(['+CPINR: "SIM PIN",3,3', '+CPINR: "SIM PUK",10,10'])).toEqual({ pin: 3, puk: 10 });
    expect(parseCpinr(['+CPINR: "SIM PUK",3'])).toEqual({ pin: null, puk: 3 });
    expect(parseCpinr(["OK"])).toBeNull();
  });

  it("ICCID answers, with F padding and swapped nibbles (E.118 prefix 89)", () => {
    expect(parseIccidLines(["+CCID: 89330123456789012345"], "+CCID:")).toBe("89330123456789012345");
    expect(parseIccidLines(["8933012345678901234F"], null)).toBe("8933012345678901234");
    expect(parseIccidLines(['+CCID: "89330123456789012345"'], "+CCID:")).toBe("89330123456789012345");
    expect(parseIccidLines(["^ICCID: 98330321547698103254"], "^ICCID:")).toBe("89333012456789012345");
    expect(parseIccidLines(["ERROR"], null)).toBeNull();
  });

  it("IMEI with or without a +CGSN: prefix", () => {
    expect(parseNumericAnswer(["356938035643809"], "+CGSN:", 14)).toBe("356938035643809");
    expect(parseNumericAnswer(['+CGSN: "356938035643809"'], "+CGSN:", 14)).toBe("356938035643809");
    expect(parseNumericAnswer(["ERROR"], "+CGSN:", 14)).toBeNull();
  });

  it("unknown strings resolve to the generic profile", () => {
    expect(resolveProfile({ manufacturer: "ACME", model: "X1" })).toBe(generic);
    expect(resolveProfile({})).toBe(generic);
  });
});

describe("generic profile: transcript replays (exact bytes)", () => {
  it("init", async () => {
    const { port, modem } = replay("generic", "init");
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    await untilDone(port);
    expect(modem.identity).toMatchObject({
      imei: "356938035643809",
      iccid: "89330123456789012345",
      profile: "generic",
    });
    expect(modem.id).toBe("imei:356938035643809");
    expect(modem.smsSetup).toMatchObject({
      cnmaActive: false,
      smsc: "+33609001390",
      cnmi: { receive: "cmti", statusReports: "cds" },
    });
    await modem.stop();
  });

  it("a bare ERROR while booting is retried within the SMS-ready window", async () => {
    const { port, modem } = replay("generic", "init-bare-error");
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    await untilDone(port);
    await modem.stop();
  });

  it("+CMTI: read, hand over, delete only after the handler resolved", async () => {
    const { port, modem } = replay("generic", "receive-cmti");
    const got: IncomingPdu[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    modem.onIncoming(async (p) => {
      got.push(p);
      await gate;
    });
    await modem.start();
    port.trigger("incoming");
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([
      { kind: "deliver", pdu: DELIVER, source: { via: "storage", storage: "SM", index: 3 } },
    ]);
    expect(port.written).not.toContain("AT+CMGD");
    release();
    await untilDone(port);
    await modem.stop();
  });

  it("handler rejecting leaves the message stored; the next sweep delivers it again", async () => {
    const { port, modem } = replay("generic", "receive-handler-fails");
    let calls = 0;
    modem.onIncoming(async () => {
      calls++;
      if (calls === 1) throw new Error("disk full");
    });
    await modem.start();
    port.trigger("incoming");
    await new Promise((r) => setTimeout(r, 50));
    expect(port.written).not.toContain("AT+CMGD");
    await modem.sweep();
    await untilDone(port);
    expect(calls).toBe(2);
    await modem.stop();
  });

  it("regression: +CMTI during init is read after init, not between two init commands", async () => {
    const { port, modem } = replay("generic", "cmti-during-init");
    const got: IncomingPdu[] = [];
    modem.onIncoming(async (p) => {
      got.push(p);
    });
    expect(await modem.start()).toBe("ready");
    await untilDone(port);
    expect(got).toEqual([
      { kind: "deliver", pdu: DELIVER, source: { via: "storage", storage: "SM", index: 1 } },
    ]);
    await modem.stop();
  });

  it("regression: no SIM ends in 'failed' and settles `failed`, so the supervisor retries", async () => {
    const { port, modem } = replay("generic", "no-sim");
    expect(await modem.start()).toBe("failed");
    await untilDone(port);
    expect(await modem.failed).toMatch(/SIM not inserted/);
    expect(modem.state).toBe("failed");
    await modem.stop();
  });

  it("send: +CMGS: <mr>", async () => {
    const { port, modem } = replay("generic", "send");
    modem.onIncoming(async () => {});
    await modem.start();
    expect(await modem.sendPart(SUBMIT, 23)).toEqual({ kind: "sent", mr: 42 });
    await untilDone(port);
    await modem.stop();
  });

  it("send: +CMS ERROR: 21 is a classified permanent rejection", async () => {
    const { port, modem } = replay("generic", "send-rejected");
    modem.onIncoming(async () => {});
    await modem.start();
    expect(await modem.sendPart(SUBMIT, 23)).toEqual({
      kind: "rejected",
      code: 21,
      category: "permanent",
      text: "Short message transfer rejected",
    });
    await untilDone(port);
    await modem.stop();
  });

  it("send: no prompt → not-sent, ESC written, then the ladder's AT ping", async () => {
    const { port, modem } = replay("generic", "send-no-prompt");
    modem.onIncoming(async () => {});
    await modem.start();
    const out = await modem.sendPart(SUBMIT, 23);
    expect(out).toMatchObject({ kind: "not-sent", reason: "no-prompt" });
    await untilDone(port);
    await new Promise((r) => setTimeout(r, 20));
    expect(modem.state).toBe("ready");
    await modem.stop();
  });

  it("a PDU whose length disagrees with the hex is refused before anything is written", async () => {
    const { port, modem } = replay("generic", "init");
    modem.onIncoming(async () => {});
    await modem.start();
    await untilDone(port);
    const out = await modem.sendPart(SUBMIT, 22);
    expect(out).toMatchObject({ kind: "rejected", category: "permanent", code: null });
    expect(port.written).not.toContain("AT+CMGS");
    await modem.stop();
  });
});
