import { describe, expect, it } from "vitest";
import {
  parseSimUrl,
  type SimControl,
  SimNetwork,
  SimUrlError,
  simOpener,
  simTransportFactory,
} from "../../src/sim/index.js";
import { RawClient } from "./raw-client.js";

describe("sim:// URLs", () => {
  it("parses persona, seed, msisdn, pin, booted and repeated faults", () => {
    expect(
      parseSimUrl(
        "sim://quectel?seed=7&msisdn=%2B33600000009&pin=1234&booted=1&fault=cms:500&fault=echo-dup",
      ),
    ).toEqual({
      persona: "quectel",
      seed: 7,
      msisdn: "+33600000009",
      pin: "1234",
      booted: true,
      faults: [{ kind: "cms", code: 500 }, { kind: "echo-dup" }],
    });
    expect(parseSimUrl("sim://sim800")).toEqual({ persona: "sim800", faults: [] });
  });

  it("refuses an unknown persona, a bad seed and a non-sim URL with a clear error", () => {
    expect(() => parseSimUrl("sim://nokia3310")).toThrow(SimUrlError);
    expect(() => parseSimUrl("sim://nokia3310")).toThrow(/unknown persona 'nokia3310'/);
    expect(() => parseSimUrl("sim://sim800?seed=abc")).toThrow(/seed must be an integer/);
    expect(() => parseSimUrl("tcp://host:1")).toThrow(/not a sim:\/\/ URL/);
  });
});

describe("simTransportFactory", () => {
  it("reopening the port finds the same running modem: settings, storage and MR kept", async () => {
    let sim: SimControl | undefined;
    const factory = simTransportFactory("sim://sim800?booted=1&seed=4", new SimNetwork(), {
      onCreated: (s) => {
        sim = s;
      },
    });
    const first = new RawClient(await factory());
    await first.cmd("ATE0;+CNMI=2,1,0,0,0");
    sim?.inject({ from: "+33600000000", text: "kept" });
    await first.waitFor("+CMTI");
    const second = new RawClient(await factory());
    expect(await first.transport.closed).toMatchObject({ reason: "unplugged" });
    expect(await second.cmd("AT+CPMS?")).toBe('\r\n+CPMS: "SM",1,50,"SM",1,50,"SM",1,50\r\n\r\nOK\r\n');
    expect(await second.cmd("AT+CNMI?")).toBe("\r\n+CNMI: 2,1,0,0,0\r\n\r\nOK\r\n");
  });

  it("after a dropped line the next open boots the modem again", async () => {
    let sim: SimControl | undefined;
    const factory = simTransportFactory("sim://generic?booted=1", new SimNetwork(), {
      onCreated: (s) => {
        sim = s;
      },
    });
    const first = new RawClient(await factory());
    await first.cmd("ATE0");
    sim?.setFault("drop");
    await first.send("AT\r");
    await first.transport.closed;
    const second = new RawClient(await factory());
    expect(sim?.state.powered).toBe(false);
    await second.waitFor(() => sim?.state.smsReady === true, 5000);
    expect(await second.cmd("AT")).toBe("AT\r\r\nOK\r\n"); // echo is back on after the boot
  });
});

describe("simOpener (ResolveDeps.sim of transport/resolve.ts)", () => {
  it("opens one modem per URL and the same one again on reopen", async () => {
    const created: string[] = [];
    const open = simOpener(new SimNetwork(), { onCreated: (s, url) => created.push(`${url} ${s.msisdn}`) });
    const a1 = await open({ url: "sim://generic?seed=1&booted=1" });
    await open({ url: "sim://generic?seed=2&booted=1" });
    const a2 = await open({ url: "sim://generic?seed=1&booted=1" });
    expect(created).toHaveLength(2);
    expect(await a1.closed).toMatchObject({ reason: "unplugged" });
    const c = new RawClient(a2);
    expect(await c.cmd("AT")).toBe("AT\r\r\nOK\r\n");
    await expect(open({ url: "sim://nokia" })).rejects.toThrow(/unknown persona/);
  });
});
