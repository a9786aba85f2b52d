/**
 * Serial transport logic against a stand-in for serialport's SerialPort (the real binding is
 * exercised on a socat pty in test/pty/serial-transport.test.ts).
 */
import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TransportError } from "../../../src/transport/errors.js";
import { openSerialTransport } from "../../../src/transport/serial.js";

class FakePort extends EventEmitter {
  static last: FakePort | undefined;
  static openError: Error | null = null;
  isOpen = false;
  written: Buffer[] = [];
  constructor(readonly options: { path: string; baudRate: number; autoOpen: boolean }) {
    super();
    FakePort.last = this;
  }
  open(cb: (e: Error | null) => void) {
    this.isOpen = FakePort.openError === null;
    cb(FakePort.openError);
  }
  write(data: Buffer, cb: (e: Error | null) => void) {
    this.written.push(data);
    cb(null);
  }
  close(cb?: (e?: Error | null) => void) {
    this.isOpen = false;
    this.emit("close", null);
    cb?.(null);
  }
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  FakePort.openError = null;
});

function fakeDevice(): { tty: string; link: string } {
  dir = mkdtempSync(join(tmpdir(), "smsgw-serial-"));
  const tty = join(dir, "ttyUSB2");
  writeFileSync(tty, "");
  const link = join(dir, "usb-HUAWEI_Mobile-if02-port0");
  symlinkSync(tty, link);
  return { tty, link };
}

const open = (path: string) => openSerialTransport(path, { portClass: FakePort });

describe("serial transport", () => {
  it("opens at 115200 by default and names the by-id link and its target", async () => {
    const { tty, link } = fakeDevice();
    const t = await open(link);
    expect(FakePort.last?.options).toEqual({ path: link, baudRate: 115200, autoOpen: false });
    expect(t.description).toBe(`${link} → ${tty}`);
  });

  it("passes data through and writes bytes", async () => {
    const { tty } = fakeDevice();
    const t = await open(tty);
    const got: string[] = [];
    FakePort.last?.emit("data", Buffer.from("early"));
    t.onData((c) => got.push(Buffer.from(c).toString()));
    FakePort.last?.emit("data", Buffer.from("OK"));
    await t.write(new TextEncoder().encode("AT\r"));
    expect(got).toEqual(["early", "OK"]);
    expect(FakePort.last?.written.map(String)).toEqual(["AT\r"]);
  });

  it("a close with a disconnect error is unplugged, and writes reject after it", async () => {
    const { tty } = fakeDevice();
    const t = await open(tty);
    const port = FakePort.last!;
    port.isOpen = false;
    port.emit("close", Object.assign(new Error("Reading from COM port (ENXIO)"), { disconnected: true }));
    expect((await t.closed).reason).toBe("unplugged");
    await expect(t.write(new Uint8Array([0x41]))).rejects.toThrow(/write after close \(unplugged\)/);
  });

  it("EIO from the binding is unplugged; EOF is unplugged; our own close is local", async () => {
    const { tty } = fakeDevice();
    const a = await open(tty);
    FakePort.last?.emit("error", Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" }));
    expect((await a.closed).reason).toBe("unplugged");
    const b = await open(tty);
    FakePort.last?.emit("end");
    expect((await b.closed).reason).toBe("unplugged");
    const c = await open(tty);
    await c.close();
    expect(await c.closed).toEqual({ reason: "local" });
  });

  it("reports a path that does not exist, naming it", async () => {
    fakeDevice();
    const e = await open(join(dir!, "ttyUSB9")).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(TransportError);
    expect((e as Error).message).toBe(`serial port ${join(dir!, "ttyUSB9")} does not exist`);
  });

  it("explains a permission error", async () => {
    const { tty } = fakeDevice();
    FakePort.openError = Object.assign(new Error("Error: Permission denied, cannot open"), {
      code: "EACCES",
    });
    const e = (await open(tty).catch((err: unknown) => err)) as TransportError;
    expect(e.code).toBe("permission");
    expect(e.message).toMatch(/permission denied \(is the user in the dialout group\?\)/);
  });
});
