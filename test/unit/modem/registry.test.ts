import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { Modem } from "../../../src/modem/modem.js";
import { ModemRegistry } from "../../../src/modem/registry.js";
import type { ModemIdentity, SendOutcome } from "../../../src/modem/types.js";

/** Just what the registry reads from a Modem: id, identity, events and `failed`. */
function fakeModem(identity: Partial<ModemIdentity>, configuredId = "cfg") {
  const ev = new EventEmitter();
  let fail!: (r: string) => void;
  const failed = new Promise<string>((r) => (fail = r));
  const m = {
    identity: { profile: "generic", ...identity },
    get id() {
      return identity.imei
        ? `imei:${identity.imei}`
        : identity.iccid
          ? `iccid:${identity.iccid}`
          : configuredId;
    },
    failed,
    on: (e: string, l: (...a: unknown[]) => void) => {
      ev.on(e, l);
      return () => ev.off(e, l);
    },
  };
  return {
    modem: m as unknown as Modem,
    emit: (e: string, v: unknown) => ev.emit(e, v),
    fail: (r = "gone") => fail(r),
  };
}

const sent: SendOutcome = { kind: "sent", mr: 1 };

describe("ModemRegistry", () => {
  it("same IMEI on another tty → same entry, statistics kept", async () => {
    const reg = new ModemRegistry();
    const a = fakeModem({ imei: "356938035643809", iccid: "8933" + "0".repeat(15) });
    const e1 = reg.attach(a.modem, "/dev/ttyUSB0");
    a.emit("outcome", sent);
    a.emit("incoming", { kind: "deliver", pdu: "00", source: { via: "cmt" } });
    a.fail();
    await a.modem.failed;
    await Promise.resolve();
    expect(e1.modem).toBeNull();
    const b = fakeModem({ imei: "356938035643809" });
    const e2 = reg.attach(b.modem, "/dev/ttyUSB2");
    expect(e2).toBe(e1);
    expect(e2.id).toBe("imei:356938035643809");
    expect(e2.paths).toEqual(["/dev/ttyUSB0", "/dev/ttyUSB2"]);
    expect(e2.stats).toMatchObject({ sent: 1, received: 1, attachments: 2 });
    b.emit("outcome", sent);
    expect(e2.stats.sent).toBe(2);
    // Events of the dead modem no longer count.
    a.emit("outcome", sent);
    expect(e2.stats.sent).toBe(2);
  });

  it("different IMEIs are different entries; ICCID identifies a modem whose IMEI is unreadable", () => {
    const reg = new ModemRegistry();
    reg.attach(fakeModem({ imei: "111111111111111" }).modem, "/dev/ttyUSB0");
    reg.attach(fakeModem({ imei: "222222222222222" }).modem, "/dev/ttyUSB1");
    const c = reg.attach(fakeModem({ iccid: "89330123456789012345" }).modem, "/dev/ttyACM0");
    const d = reg.attach(fakeModem({ iccid: "89330123456789012345" }).modem, "/dev/ttyACM1");
    expect(reg.list().map((e) => e.id)).toEqual([
      "imei:111111111111111",
      "imei:222222222222222",
      "iccid:89330123456789012345",
    ]);
    expect(d).toBe(c);
  });

  it("without any identity the configured id is used", () => {
    const reg = new ModemRegistry();
    expect(reg.attach(fakeModem({}, "line-1").modem, "sim://generic").id).toBe("line-1");
  });
});
