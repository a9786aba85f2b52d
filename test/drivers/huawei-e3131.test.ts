import { describe, expect, it } from "vitest";
import { huaweiE3131, isHiLink, parseHuaweiCpin } from "../../drivers/huawei-e3131.js";
import { resolveProfile } from "../../drivers/index.js";
import { replay, untilDone } from "./helpers/replay.js";

describe("E3131: pure helpers", () => {
  it("^CPIN: code, times, puk_times, pin_times, puk2_times, pin2_times", () => {
    expect(parseHuaweiCpin(["^CPIN: SIM PIN,3,10,3,10,3"])).toEqual({ pin: 3, puk: 10 });
    expect(parseHuaweiCpin(["^CPIN: READY,,10,3,10,3"])).toEqual({ pin: 3, puk: 10 });
    expect(parseHuaweiCpin(["^CPIN: SIM PUK,10,10,0,10,3"])).toEqual({ pin: 0, puk: 10 });
    expect(parseHuaweiCpin(["^CPIN: READY"])).toBeNull();
  });

  it("HiLink product ids have no AT port; stick-mode ids resolve to the profile", () => {
    expect(isHiLink({ vendorId: "12d1", productId: "14DC" })).toBe(true);
    expect(isHiLink({ vendorId: "12d1", productId: "1506" })).toBe(false);
    expect(resolveProfile({ usb: { vendorId: "12d1", productId: "1506" } })).toBe(huaweiE3131);
    expect(resolveProfile({ manufacturer: "huawei", model: "E3372" })).toBe(huaweiE3131);
  });

  it("never resets with AT+CFUN=1,1 (the stick would come back in its default USB mode)", () => {
    expect(huaweiE3131.cfunReset).toBe(false);
  });
});

describe("E3131: transcript replays (exact bytes)", () => {
  it("init tolerates ^RSSI/^MODE/^DSFLOWRPT noise inside answers and ends with AT^CURC=0", async () => {
    const { port, modem } = replay("huawei-e3131", "init");
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    await untilDone(port);
    // ^ICCID prints the EF_ICCID nibbles swapped.
    expect(modem.identity?.iccid).toBe("89333012456789012345");
    expect(modem.health().storage).toEqual({ used: 0, total: 50 });
    await modem.stop();
  });

  it("PIN counter from AT^CPIN?, then the PIN once", async () => {
    const { port, modem } = replay("huawei-e3131", "pin", { pin: "0000" });
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    await untilDone(port);
    await modem.stop();
  });
});
