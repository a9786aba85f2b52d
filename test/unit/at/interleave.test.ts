/**
 * Property: whatever URCs the modem interleaves with a response, at whatever line position, and
 * however the bytes are chunked, the command gets exactly its own lines and every URC reaches its
 * handler, in order (peers.md: Kannel msg04259, +CMTI/+CMT in the middle of AT+CMGS).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AtChannel } from "../../../src/at/channel.js";
import type { AtUrc } from "../../../src/at/types.js";
import { createMemoryPair } from "../../../src/transport/memory.js";
import { flush, ModemSide } from "./helpers.js";

const DELIVER = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";
const URCS: AtUrc[] = [
  { line: '+CMTI: "SM",7', trailing: [] },
  { line: "RING", trailing: [] },
  { line: "^RSSI:12", trailing: [] },
  { line: "+CMT: ,30", trailing: [DELIVER] },
  { line: "+CDS: 25", trailing: ["0791448720003023060D91448720900000F0"] },
];

const CASES = [
  { command: "AT+CPMS?", lines: ['+CPMS: "SM",3,30,"SM",3,30,"SM",3,30'], options: {} },
  { command: "AT+CGSN", lines: ["490154203237518"], options: {} },
  {
    command: "AT+CMGL=4",
    lines: ["+CMGL: 1,1,,30", DELIVER, "+CMGL: 2,1,,30", DELIVER],
    options: { pduAfter: ["+CMGL:"] },
  },
];

describe("URCs interleaved with responses (property)", () => {
  it("never mixes URC lines into a response nor loses a URC", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CASES),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...URCS)), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (c, inserts, cutSeeds) => {
          // Positions between logical items; a PDU line stays glued to its +CMGL header.
          const items: string[][] = [];
          for (let i = 0; i < c.lines.length; i++) {
            const l = c.lines[i] ?? "";
            if (l.startsWith("+CMGL:")) {
              items.push([l, c.lines[i + 1] ?? ""]);
              i++;
            } else items.push([l]);
          }
          const placed = inserts.map(([at, u]) => ({ at: at % (items.length + 1), u }));
          const sequence: string[] = [];
          const expectedUrcs: AtUrc[] = [];
          for (let i = 0; i <= items.length; i++) {
            for (const p of placed.filter((x) => x.at === i)) {
              sequence.push(p.u.line, ...p.u.trailing);
              expectedUrcs.push(p.u);
            }
            sequence.push(...(items[i] ?? []));
          }
          sequence.push("OK");
          const bytes = new TextEncoder().encode(sequence.map((l) => `\r\n${l}\r\n`).join(""));

          const [driver, device] = createMemoryPair("prop");
          const channel = new AtChannel(driver, { defaultTimeoutMs: 2000 });
          const urcs: AtUrc[] = [];
          for (const prefix of ["+CMTI:", "RING", "^RSSI:", "+CMT:", "+CDS:"]) {
            channel.onUrc({ prefix, handler: (u) => urcs.push({ line: u.line, trailing: [...u.trailing] }) });
          }
          const modem = new ModemSide(device);
          const r = channel.command(c.command, c.options);
          await modem.expect(`${c.command}\r`);
          const cuts = [...new Set(cutSeeds.map((s) => s % bytes.length))].sort((a, b) => a - b);
          let from = 0;
          for (const cut of [...cuts, bytes.length]) {
            if (cut > from) modem.send(bytes.subarray(from, cut));
            from = Math.max(from, cut);
          }
          const res = await r;
          await flush();
          expect(res.lines).toEqual(c.lines);
          expect(urcs).toEqual(expectedUrcs);
          await channel.close();
        },
      ),
      { seed: 77, numRuns: 300 },
    );
  });
});
