/**
 * +CSMP (27.005 §3.3.2): the read command answers the text-mode parameters (it used to answer a
 * bare OK), and TP-SRR in <fo> decides whether a text-mode submit asks for a status report.
 */
import { describe, expect, it } from "vitest";
import { fastSim } from "./raw-client.js";

describe("+CSMP text-mode parameters (27.005 §3.3.2)", () => {
  it("+CSMP? answers <fo>,<vp>,<pid>,<dcs>: the default, then what was set", async () => {
    const { client } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    expect(await client.cmd("AT+CSMP?")).toBe("\r\n+CSMP: 17,167,0,0\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+CSMP=49,143")).toBe("\r\nOK\r\n");
    expect(await client.cmd("AT+CSMP?")).toBe("\r\n+CSMP: 49,143,0,0\r\n\r\nOK\r\n");
    expect(await client.cmd('AT+CSMP=25,"24/12/31,23:59:59+04",0,8')).toBe("\r\nOK\r\n");
    expect(await client.cmd("AT+CSMP?")).toBe('\r\n+CSMP: 25,"24/12/31,23:59:59+04",0,8\r\n\r\nOK\r\n');
  });

  it("refuses values outside an octet with 305 and keeps the previous ones", async () => {
    const { client } = fastSim({ persona: "quectel" });
    await client.cmd("ATE0;+CMEE=1");
    expect(await client.cmd("AT+CSMP=256")).toBe("\r\n+CMS ERROR: 305\r\n");
    expect(await client.cmd("AT+CSMP=17,300")).toBe("\r\n+CMS ERROR: 305\r\n");
    expect(await client.cmd("AT+CSMP=17,167,0,x")).toBe("\r\n+CMS ERROR: 305\r\n");
    expect(await client.cmd("AT+CSMP?")).toBe("\r\n+CSMP: 17,167,0,0\r\n\r\nOK\r\n");
  });

  it("a text-mode submit asks for a status report only when <fo> has TP-SRR (23.040 §9.2.3.5)", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0;+CMGF=1");
    for (const fo of [17, 49]) {
      await client.cmd(`AT+CSMP=${fo}`);
      client.take();
      await client.send('AT+CMGS="+33611112222"\r');
      await client.waitFor("> ");
      client.take();
      await client.send(`fo ${fo}\x1a`);
      expect(await client.waitFor(/OK\r\n$/)).toMatch(/^\r\n\+CMGS: \d+\r\n\r\nOK\r\n$/);
    }
    expect(sim.network.log.map((e) => [e.text, e.srr])).toEqual([
      ["fo 17", false],
      ["fo 49", true],
    ]);
  });
});
