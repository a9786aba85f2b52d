import { describe, expect, it } from "vitest";
import { AtChannel } from "../../../src/at/channel.js";
import type { AtChannelLike, AtResponse } from "../../../src/at/types.js";
import { gatherFacts } from "../../../src/doctor/gather.js";
import { probeChannel, probeFinding, probeTarget, probeTargets } from "../../../src/doctor/probe.js";
import { createSimModem } from "../../../src/sim/index.js";
import type { Transport } from "../../../src/transport/types.js";
import { buildPiSnapshot } from "../../fixtures/doctor/pi-snapshot.js";

/** A channel that never answers (a GPS/diag port, or a modem that is off). */
function silentChannel(): AtChannelLike & { closedCount: number } {
  const ch = {
    closedCount: 0,
    command: () => Promise.reject(new Error("timeout")),
    commandWithPrompt: () => Promise.reject(new Error("timeout")),
    onUrc: () => () => {},
    onUnsolicited: () => {},
    escape: async () => {},
    close: async () => {
      ch.closedCount++;
    },
    closed: new Promise<void>(() => {}),
  };
  return ch;
}

/**
 * The simulator (memory pair) does not process bytes written from inside its own data callback until
 * the next write arrives, which the AT channel does when it sends the next queued command as soon as
 * OK is parsed. Deferring each write by one macrotask keeps this test about the probe; the simulator
 * behaviour is reported separately.
 */
function deferWrites(t: Transport): Transport {
  return {
    description: t.description,
    onData: (l) => t.onData(l),
    write: (b) => new Promise((r) => setImmediate(r)).then(() => t.write(b)),
    close: () => t.close(),
    closed: t.closed,
  };
}

describe("AT probe against the simulator", () => {
  it.each([
    ["quectel", "quectel-ec25"],
    ["sim800", "simcom-sim800"],
    ["sim7600", "simcom-sim7600"],
  ] as const)("identifies the %s persona and its profile from +CGMI/+CGMM", async (persona, profile) => {
    const { transport } = createSimModem({ persona, seed: 1, booted: true });
    const channel = new AtChannel(deferWrites(transport), { defaultTimeoutMs: 1000 });
    try {
      const r = await probeChannel(channel, undefined, 1000);
      expect(r.kind).toBe("answered");
      if (r.kind === "answered") {
        expect(r.profile).toBe(profile);
        expect(r.manufacturer).not.toBeNull();
        expect(r.model).not.toBeNull();
      }
    } finally {
      await channel.close();
    }
  });
});

describe("probe targets", () => {
  const root = buildPiSnapshot({
    processes: {
      512: ["ModemManager", "/usr/sbin/ModemManager", ["/dev/ttyUSB4"]],
      801: ["node", "/usr/bin/node /opt/smsgw/bin/smsgw start", ["/dev/ttyUSB2"]],
    },
  });
  const targets = probeTargets(gatherFacts({ root }));

  it("probes only the modem's AT port and the adapter, never its diag/GPS ports", () => {
    expect(targets.map((t) => t.port.path)).toEqual(["/dev/ttyUSB2", "/dev/ttyUSB4"]);
  });

  it("does not open a port the running gateway or another program holds, and says so", async () => {
    const opened: string[] = [];
    const open = async (path: string) => {
      opened.push(path);
      return silentChannel();
    };
    const results = await Promise.all(targets.map((t) => probeTarget(t, open)));
    expect(opened).toEqual([]);
    expect(results).toEqual([
      { kind: "skipped", detail: "in use by the running smsgw (pid 801): not probed" },
      { kind: "skipped", detail: "open in ModemManager (pid 512): not probed" },
    ]);
  });

  it("without root, does not open a port configured for the gateway whose descriptors it cannot read", () => {
    const facts = gatherFacts({
      root: buildPiSnapshot({
        processes: { 801: ["node", "/usr/bin/node /opt/smsgw/bin/smsgw start", ["/dev/ttyUSB2"]] },
        hiddenFds: [801],
      }),
      configuredPorts: [{ id: "gsm0", port: "/dev/serial/by-id/usb-Quectel_EC25_EC25-if02-port0" }],
    });
    expect(facts.processes.find((p) => p.pid === 801)).toMatchObject({ devices: [], fdsReadable: false });
    expect(probeTargets(facts).map((t) => [t.port.name, t.skip])).toEqual([
      [
        "ttyUSB2",
        "configured for the running smsgw (pid 801), whose open ports cannot be read without root: not probed (run sudo smsgw doctor to check)",
      ],
      ["ttyUSB4", null],
    ]);
  });

  it("reports a silent port as a warning with wiring advice for an adapter, and closes the channel", async () => {
    const free = probeTargets(gatherFacts({ root: buildPiSnapshot({}) }));
    const adapter = free.find((t) => t.port.name === "ttyUSB4");
    if (!adapter) throw new Error("adapter target missing");
    const ch = silentChannel();
    const r = await probeTarget(adapter, async () => ch, 50);
    expect(r.kind).toBe("silent");
    expect(ch.closedCount).toBe(1);
    const f = probeFinding(adapter, r);
    expect(f).toMatchObject({ id: "at-silent", severity: "warn" });
    expect(f.detail).toContain("adapter TX → modem RX");
  });

  it("turns a permission error into the dialout fix", async () => {
    const free = probeTargets(gatherFacts({ root: buildPiSnapshot({}) }));
    const t = free[0];
    if (!t) throw new Error("no target");
    const r = await probeTarget(t, async () => {
      throw new Error("cannot open /dev/ttyUSB2: permission denied (is the user in the dialout group?)");
    });
    expect(probeFinding(t, r)).toMatchObject({
      id: "at-permission",
      severity: "error",
      fix: ["sudo usermod -aG dialout $USER", "log out and back in"],
    });
  });

  it("falls back to ATI when +CGMI/+CGMM are refused", async () => {
    const answers: Record<string, AtResponse> = {
      AT: { command: "AT", lines: [], final: { kind: "ok" } },
      ATI: { command: "ATI", lines: ["SIM800 R14.18"], final: { kind: "ok" } },
    };
    const ch: AtChannelLike = {
      ...silentChannel(),
      command: async (c: string) => answers[c] ?? { command: c, lines: [], final: { kind: "error" } },
    };
    const r = await probeChannel(ch, { vendorId: "1a86", productId: "7523" });
    expect(r).toMatchObject({ kind: "answered", manufacturer: "SIM800 R14.18", model: null });
  });
});
