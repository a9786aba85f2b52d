import { closeSync, fstatSync, mkdtempSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DestinationStream } from "pino";
import { describe, expect, it } from "vitest";
import { createLogger, formatAtTrace, maskNumber, stdoutIsJournal, syslogPriority } from "../../src/log.js";

/** In-memory sink (pino test/helper.js style): every written line, as text. */
function sink(): DestinationStream & { lines: string[]; json: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  return {
    lines,
    write: (s: string) => void lines.push(s),
    json: () => lines.map((l) => JSON.parse(l.replace(/^<\d>/, "")) as Record<string, unknown>),
  };
}

describe("createLogger", () => {
  it("writes one JSON line per entry with child bindings per component and modem", () => {
    const s = sink();
    const root = createLogger({ destination: s, syslogPrefix: false });
    root.child({ mod: "modem", modem: "gsm0" }).info({ csq: 17 }, "registered");
    const [entry] = s.json();
    expect(entry).toMatchObject({ level: 30, mod: "modem", modem: "gsm0", csq: 17, msg: "registered" });
    expect(s.lines[0]?.endsWith("\n")).toBe(true);
  });

  it("redacts numbers, bodies and secrets by default, nested too", () => {
    const s = sink();
    const log = createLogger({ destination: s, syslogPrefix: false });
    log.info(
      {
        to: "+33612345678",
        message: { from: "+33698765432", body: "Votre RDV" },
        pin: "1234",
        req: { headers: { authorization: "Bearer k" } },
      },
      "x",
    );
    const line = s.lines[0] ?? "";
    for (const secret of ["+33612345678", "+33698765432", "Votre RDV", "1234", "Bearer k"])
      expect(line).not.toContain(secret);
    expect(s.json()[0]).toMatchObject({
      to: "[redacted]",
      message: { from: "[redacted]", body: "[redacted]" },
      pin: "[redacted]",
    });
  });

  it("include_content shows numbers and bodies but never PINs or keys", () => {
    const s = sink();
    const log = createLogger({ destination: s, syslogPrefix: false, includeContent: true });
    log.info(
      { to: "+33612345678", text: "Bonjour", sim_pin: "1234", api: { key: "smsgw_abc" }, secret: "whsec" },
      "x",
    );
    expect(s.json()[0]).toMatchObject({
      to: "+33612345678",
      text: "Bonjour",
      sim_pin: "[redacted]",
      api: { key: "[redacted]" },
      secret: "[redacted]",
    });
  });

  it("prefixes each line with the syslog priority journald understands", () => {
    const s = sink();
    const log = createLogger({ destination: s, syslogPrefix: true, level: "trace" });
    log.trace("t");
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    log.fatal("f");
    expect(s.lines.map((l) => l.slice(0, 3))).toEqual(["<7>", "<7>", "<6>", "<4>", "<3>", "<2>"]);
    expect(s.json().map((e) => e.msg)).toEqual(["t", "d", "i", "w", "e", "f"]);
  });

  it("'auto' adds no prefix when stdout is not the journal stream", () => {
    const s = sink();
    createLogger({ destination: s, env: { JOURNAL_STREAM: "1:2" } }).info("plain");
    expect(s.lines[0]?.startsWith("{")).toBe(true);
  });

  it("honours the level", () => {
    const s = sink();
    const log = createLogger({ destination: s, level: "warn", syslogPrefix: false });
    log.info("hidden");
    log.warn("shown");
    expect(s.json().map((e) => e.msg)).toEqual(["shown"]);
  });
});

describe("stdoutIsJournal", () => {
  it("matches $JOURNAL_STREAM against the device and inode of the descriptor", () => {
    const fd = openSync(join(mkdtempSync(join(tmpdir(), "smsgw-log-")), "stream"), "w");
    const st = fstatSync(fd);
    expect(stdoutIsJournal({ JOURNAL_STREAM: `${st.dev}:${st.ino}` }, fd)).toBe(true);
    expect(stdoutIsJournal({ JOURNAL_STREAM: `${st.dev}:${st.ino + 1}` }, fd)).toBe(false);
    expect(stdoutIsJournal({}, fd)).toBe(false);
    closeSync(fd);
  });
});

describe("syslogPriority", () => {
  it("maps pino levels to RFC 5424 severities", () => {
    expect([10, 20, 30, 40, 50, 60].map(syslogPriority)).toEqual([7, 7, 6, 4, 3, 2]);
  });
});

describe("formatAtTrace", () => {
  it("never shows a PIN, even with include_content", () => {
    expect(formatAtTrace("»", 'AT+CPIN="4821"\r', true)).toBe("» AT+CPIN=[redacted]\\r");
    expect(formatAtTrace("»", 'AT+CLCK="SC",0,"4821"\r', true)).not.toContain("4821");
    expect(formatAtTrace("«", "\r\n+CPIN: SIM PIN\r\n", false)).toBe("« \\r\\n+CPIN: SIM PIN\\r\\n");
    expect(formatAtTrace("»", "AT+CPIN?\r", false)).toBe("» AT+CPIN?\\r");
  });

  it("hides PDU lines and quoted numbers unless include_content", () => {
    const pdu = "0011000B913326543210F00000AA0BE8329BFD4697D9EC37";
    expect(formatAtTrace("»", `${pdu}\x1a`, false)).toBe(`» <pdu ${pdu.length / 2} octets><ctrl-z>`);
    expect(formatAtTrace("»", `${pdu}\x1a`, true)).toBe(`» ${pdu}<ctrl-z>`);
    expect(formatAtTrace("«", '+CNUM: "","+33612345678",145\r\n', false)).toBe(
      '« +CNUM: "","[redacted]",145\\r\\n',
    );
  });

  it("shows control bytes readably", () => {
    expect(formatAtTrace("»", new Uint8Array([0x1b, 0x41, 0x54, 0x0d]), false)).toBe("» <esc>AT\\r");
  });
});

describe("maskNumber", () => {
  it("keeps the country code and the last two digits", () => {
    expect(maskNumber("+33612345678", false)).toBe("+33•••••••78");
    expect(maskNumber("+33612345678", true)).toBe("+33612345678");
  });
});
