import { describe, expect, it } from "vitest";
import { TransportError } from "../../../src/transport/errors.js";
import { createMemoryPair } from "../../../src/transport/memory.js";
import {
  createTransportResolver,
  parseSimUrl,
  resolveTransport,
  type SimSpec,
} from "../../../src/transport/resolve.js";
import { parseTcpUrl } from "../../../src/transport/tcp.js";

function thrown(fn: () => unknown): TransportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TransportError);
    return e as TransportError;
  }
  throw new Error("expected a TransportError");
}

describe("resolveTransport", () => {
  it("routes sim:// to the injected simulator with persona and seed", async () => {
    const specs: SimSpec[] = [];
    const factory = resolveTransport("sim://sim800?seed=7&storage=full", {
      sim: (spec) => {
        specs.push(spec);
        return createMemoryPair("sim")[0];
      },
    });
    expect(specs).toEqual([]); // nothing opens before the factory is called
    const t = await factory();
    expect(t.description).toBe("sim");
    expect(specs[0]?.persona).toBe("sim800");
    expect(specs[0]?.seed).toBe(7);
    expect(specs[0]?.params.get("storage")).toBe("full");
  });

  it("defaults the sim seed to 1 and rejects a bad one", () => {
    expect(parseSimUrl("sim://huawei").seed).toBe(1);
    expect(thrown(() => parseSimUrl("sim://huawei?seed=abc")).message).toMatch(
      /seed must be a non-negative integer/,
    );
    expect(thrown(() => parseSimUrl("sim://?seed=1")).code).toBe("invalid-url");
  });

  it("says so when a sim:// port is configured but no simulator was injected", () => {
    expect(thrown(() => resolveTransport("sim://sim800?seed=1")).message).toMatch(/no simulator/);
  });

  it("rejects an unknown scheme naming the URL and the accepted forms", () => {
    const e = thrown(() => resolveTransport("udp://10.0.0.1:5000"));
    expect(e.code).toBe("invalid-url");
    expect(e.target).toBe("udp://10.0.0.1:5000");
    expect(e.message).toBe(
      'invalid port "udp://10.0.0.1:5000": unsupported transport scheme "udp://"; expected /dev/… (serial), tcp://host:port or sim://persona?seed=N',
    );
    expect(thrown(() => resolveTransport("ttyUSB0")).message).toMatch(/not a port path or URL/);
  });

  it("checks tcp:// URLs when resolving, before anything connects", () => {
    expect(parseTcpUrl("tcp://127.0.0.1:4001")).toEqual({ host: "127.0.0.1", port: 4001 });
    expect(parseTcpUrl("tcp://[::1]:4001")).toEqual({ host: "::1", port: 4001 });
    expect(thrown(() => resolveTransport("tcp://modem-host")).message).toMatch(/expected tcp:\/\/host:port/);
    expect(thrown(() => resolveTransport("tcp://h:70000")).code).toBe("invalid-url");
    expect(typeof resolveTransport("tcp://localhost:4001")).toBe("function");
  });

  it("opening a serial path that does not exist fails with an error naming the path", async () => {
    const factory = resolveTransport("/dev/serial/by-id/usb-no-such-modem-if00-port0");
    const e = await factory().then(
      () => null,
      (err: unknown) => err as TransportError,
    );
    expect(e).toBeInstanceOf(TransportError);
    expect(e?.code).toBe("not-found");
    expect(e?.message).toBe("serial port /dev/serial/by-id/usb-no-such-modem-if00-port0 does not exist");
  });

  it("createTransportResolver bundles resolve and list", async () => {
    const r = createTransportResolver({ sim: () => createMemoryPair("s")[0] });
    expect((await r.resolve("sim://generic")()).description).toBe("s");
    expect(Array.isArray(await r.list())).toBe(true);
  });
});
