import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastSim } from "./raw-client.js";

describe("the simulator survives hostile input", () => {
  it("answers AT after arbitrary bytes (no crash, no stuck prompt after ESC)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (junk) => {
        const { client, sim } = fastSim({ persona: "sim800" });
        await client.transport.write(junk);
        await client.send("\x1b\r");
        await new Promise((r) => setTimeout(r, 5));
        client.take();
        await client.send("AT\r");
        await client.waitFor(/(OK\r\n|0\r)$/, 2000);
        expect(sim.modem.closed).toBe(false);
      }),
      { numRuns: 40, seed: 20261126 },
    );
  });

  it("answers a command sent one byte at a time (regression: bytes arriving as the input loop ended were never read)", async () => {
    const { client } = fastSim({ persona: "quectel" });
    await client.cmd("ATE0");
    client.take();
    for (const ch of "AT+CGMI;+CGMM\r") await client.send(ch);
    expect(await client.waitFor(/OK\r\n$/)).toBe("\r\nQuectel\r\n\r\nEC25\r\n\r\nOK\r\n");
  });

  it("drops an endless line without CR instead of growing without bound", async () => {
    const { client } = fastSim({ persona: "generic" });
    await client.cmd("ATE0");
    await client.send("A".repeat(100_000));
    expect(await client.cmd("\rAT")).toMatch(/OK\r\n$/);
  });
});

describe("a throwing behaviour", () => {
  it("answers ERROR, keeps the error, and the next command works", async () => {
    const { client, sim } = fastSim({ persona: "generic" });
    await client.cmd("ATE0");
    sim.defineBehavior({
      onCommand(_modem, line) {
        if (line === "AT+BOOM") throw new Error("behaviour bug");
        return false;
      },
    });
    expect(await client.cmd("AT+BOOM")).toBe("\r\nERROR\r\n");
    expect((sim.modem.lastError as Error).message).toBe("behaviour bug");
    expect(await client.cmd("AT")).toBe("\r\nOK\r\n");
  });
});
