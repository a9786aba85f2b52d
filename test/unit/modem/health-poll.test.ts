/**
 * pollHealth on a scripted modem: which queries one poll sends. In a routine (timed) poll,
 * registration stops at the first domain that reports "home" (27.007 §7.2) and operator and storage
 * are read only when asked for; an explicit poll reads everything.
 */
import { describe, expect, it } from "vitest";
import { generic } from "../../../drivers/generic.js";
import type { AtResponse } from "../../../src/at/types.js";
import type { Exec } from "../../../src/modem/command.js";
import { pollHealth } from "../../../src/modem/health.js";

function scripted(answers: Record<string, string[] | null>) {
  const sent: string[] = [];
  const exec: Exec = async (line) => {
    sent.push(line);
    const lines = answers[line];
    const r: AtResponse = lines
      ? { command: line, lines, final: { kind: "ok" } }
      : { command: line, lines: [], final: { kind: "error" } };
    return r;
  };
  return { exec, sent };
}

const idle = {
  "AT+CSQ": ["+CSQ: 20,99"],
  "AT+CREG?": ["+CREG: 0,1"],
  "AT+CGREG?": ["+CGREG: 0,1"],
  "AT+CEREG?": ["+CEREG: 0,1"],
  "AT+COPS?": ['+COPS: 0,0,"Orange F",2'],
  "AT+CPMS?": ['+CPMS: "SM",3,30,"SM",3,30,"SM",3,30'],
};

describe("pollHealth", () => {
  it("a modem registered home on CS is asked for signal and +CREG? only when the details are not wanted", async () => {
    const { exec, sent } = scripted(idle);
    const h = await pollHealth(exec, generic, "SM", () => false);
    expect(sent).toEqual(["AT+CSQ", "AT+CREG?"]);
    expect(h).toMatchObject({ registration: "home", details: false, operator: null, storage: null });
    expect(h.signalDbm).not.toBeNull();
  });

  it("reads operator and storage when asked, after the registration that decides it", async () => {
    const { exec, sent } = scripted(idle);
    let seen: string | null = null;
    const h = await pollHealth(exec, generic, "SM", (reg) => {
      seen = reg;
      return true;
    });
    expect(seen).toBe("home");
    expect(sent).toEqual(["AT+CSQ", "AT+CREG?", "AT+COPS?", "AT+CPMS?"]);
    expect(h).toMatchObject({ details: true, operator: "Orange F", storage: { used: 3, total: 30 } });
  });

  it("an explicit poll (no details callback) reads every domain, the operator and the storage", async () => {
    const { exec, sent } = scripted(idle);
    const h = await pollHealth(exec, generic, "SM");
    expect(sent).toEqual(["AT+CSQ", "AT+CREG?", "AT+CGREG?", "AT+CEREG?", "AT+COPS?", "AT+CPMS?"]);
    expect(h).toMatchObject({ registration: "home", details: true, operator: "Orange F" });
  });

  it("an LTE-only registration (CS searching, EPS home) still reads every domain and counts as home", async () => {
    const { exec, sent } = scripted({
      ...idle,
      "AT+CREG?": ["+CREG: 0,2"],
      "AT+CGREG?": null,
      "AT+CEREG?": ["+CEREG: 0,1"],
    });
    const h = await pollHealth(exec, generic, "SM", () => false);
    expect(sent).toEqual(["AT+CSQ", "AT+CREG?", "AT+CGREG?", "AT+CEREG?"]);
    expect(h.registration).toBe("home");
  });

  it("roaming on CS goes on to the other domains (one of them may be home)", async () => {
    const { exec, sent } = scripted({ ...idle, "AT+CREG?": ["+CREG: 0,5"], "AT+CGREG?": ["+CGREG: 0,5"] });
    const h = await pollHealth(exec, generic, "SM", () => false);
    expect(sent).toEqual(["AT+CSQ", "AT+CREG?", "AT+CGREG?", "AT+CEREG?"]);
    expect(h.registration).toBe("home");
  });
});
