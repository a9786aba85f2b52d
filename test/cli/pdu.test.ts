import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultConcatRef } from "../../src/cli/pdu.js";
import { ensureBuilt, pdu, ROOT } from "./pdu-helpers.js";

// A DELIVER as a modem prints it after +CMGR: SMSC +79037011111, from +79642161111, SCTS with
// zone octet "23" = +32 quarter hours (23.040 §9.2.3.11), GSM-7 "Hello, world!".
const DELIVER = "07919730071111F1000B919746121611F10000811170021222230DC8329BFD6681EE6F399B1C02";
const DELIVER_TPDU = DELIVER.slice(16);
// A STATUS-REPORT (23.040 §9.2.2.3): MR 42, recipient +33612345678, TP-ST 0 (delivered).
const REPORT = "00062A0B913316325476F86211620112004062116201125040" + "00";

describe("smsgw pdu decode", () => {
  it("prints the fields of a DELIVER with the SMSC and the SCTS in ISO 8601 with its offset", async () => {
    const r = await pdu(["decode", DELIVER]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.json).toEqual([
      {
        type: "deliver",
        smsc: "+79037011111",
        number: "+79642161111",
        text: "Hello, world!",
        coding: "gsm7",
        class: null,
        concat: null,
        scts: "2018-11-07T20:21:22+08:00",
      },
    ]);
  });

  it("reads a TPDU without SMSC octets with --no-smsc", async () => {
    const r = await pdu(["decode", "--no-smsc", DELIVER_TPDU]);
    expect(r.code).toBe(0);
    expect(r.json[0]).toMatchObject({ type: "deliver", smsc: null, text: "Hello, world!" });
  });

  it("prints MR, status and discharge time of a STATUS-REPORT", async () => {
    const r = await pdu(["decode", REPORT]);
    expect(r.code).toBe(0);
    expect(r.json[0]).toMatchObject({
      type: "status-report",
      number: "+33612345678",
      mr: 42,
      status: 0,
      scts: "2026-11-26T10:21:00+01:00",
      dischargeTime: "2026-11-26T10:21:05+01:00",
    });
  });

  it("rejects a truncated PDU with exit code 2 and one stderr line naming the field and the offset", async () => {
    const r = await pdu(["decode", DELIVER.slice(0, 30)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^smsgw pdu decode: tpdu\.\S+ at octet \d+: /);
  });

  it("rejects a PDU that is not hex, naming the offset of the bad character", async () => {
    const r = await pdu(["decode", "0011ZZ"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/ at octet 2: .*"Z"/);
  });

  it("decodes one PDU per stdin line; a bad line gets an error object and the stream goes on (exit 2)", async () => {
    const r = await pdu(["decode"], [DELIVER, "", "07FFFF", `  ${REPORT}  `]);
    expect(r.json).toHaveLength(3);
    expect(r.json[0]).toMatchObject({ type: "deliver", text: "Hello, world!" });
    expect(r.json[1]).toMatchObject({ line: 3, error: expect.any(String), field: expect.any(String) });
    expect(r.json[1]!["offset"]).toEqual(expect.any(Number));
    expect(r.json[2]).toMatchObject({ type: "status-report", mr: 42 });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("line 3");
  });

  it("asks for a PDU instead of waiting when stdin is a terminal", async () => {
    const r = await pdu(["decode"], undefined, { tty: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("expected a PDU");
    expect((await pdu(["encode", "--jsonl"], undefined, { tty: true })).code).toBe(2);
  });

  it("exits 0 on a stdin stream where every line decodes", async () => {
    const r = await pdu(["decode", "--no-smsc"], [DELIVER_TPDU, DELIVER_TPDU]);
    expect(r.code).toBe(0);
    expect(r.json.map((j) => j["text"])).toEqual(["Hello, world!", "Hello, world!"]);
  });
});

describe("smsgw pdu encode", () => {
  it("prints the PDU with the SMSC octets '00' and the TPDU length AT+CMGS wants", async () => {
    const r = await pdu(["encode", "--to", "+33612345678", "--text", "Rdv à 10h @ l'atelier"]);
    expect(r.code).toBe(0);
    const out = r.json[0] as { coding: string; parts: { pdu: string; tpduLength: number }[] };
    expect(out.coding).toBe("gsm7");
    expect(out.parts).toHaveLength(1);
    const part = out.parts[0]!;
    expect(part.pdu.startsWith("00")).toBe(true);
    expect(part.tpduLength).toBe(part.pdu.length / 2 - 1); // 27.005 §3.5.1: SMSC octets not counted
    const back = await pdu(["decode", part.pdu]);
    expect(back.json[0]).toMatchObject({
      type: "submit",
      number: "+33612345678",
      text: "Rdv à 10h @ l'atelier",
    });
  });

  it("carries class, status report request, validity and SMSC into the PDU", async () => {
    const args = ["--class", "0", "--status-report", "--validity", "3600", "--smsc", "+33609001390"];
    const r = await pdu(["encode", "--to", "0612345678", "--text", "Flash", ...args]);
    expect(r.code).toBe(0);
    const p = (r.json[0] as { parts: { pdu: string; tpduLength: number }[] }).parts[0]!;
    expect(p.tpduLength).toBe(p.pdu.length / 2 - 8); // 1 length octet + TOA + 6 octets of digits
    const back = await pdu(["decode", p.pdu]);
    expect(back.json[0]).toMatchObject({
      smsc: "+33609001390",
      number: "0612345678",
      class: 0,
      statusReport: true,
      validity: { format: "relative", seconds: 3600 },
    });
  });

  it("is reproducible: a long text gets the same reference and PDUs every run, or the --ref given", async () => {
    const text = "Votre commande est prête ! ".repeat(12);
    const a = await pdu(["encode", "--to", "+33612345678", "--text", text]);
    const b = await pdu(["encode", "--to", "+33612345678", "--text", text]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const parts = (a.json[0] as { parts: { pdu: string }[] }).parts;
    expect(parts.length).toBeGreaterThan(1);
    expect(a.json[0]!["ref"]).toBe(defaultConcatRef("+33612345678", text, 8));
    const fixed = await pdu(["encode", "--to", "+33612345678", "--text", text, "--ref", "513", "--ref16"]);
    const decoded = await pdu(
      ["decode"],
      (fixed.json[0] as { parts: { pdu: string }[] }).parts.map((p) => p.pdu),
    );
    expect(decoded.json.map((j) => j["concat"])).toEqual(
      parts.map((_, i) => ({ ref: 513, total: parts.length, seq: i + 1 })),
    );
    expect(decoded.json.map((j) => j["text"]).join("")).toBe(text);
  });

  it.each([
    [["--text", "x"], "--to"],
    [["--to", "+33612345678"], "--text"],
    [["--to", "+33612345678", "--text", "x", "--class", "7"], "--class"],
    [["--to", "+33612345678", "--text", "x", "--validity", "1h"], "--validity"],
    [["--to", "+33612345678", "--text", "x", "--coding", "latin1"], "--coding"],
    [["--to", "+33612345678", "--text", "x", "--ref", "256"], "--ref"],
    [["--to", "+33612345678", "--text", "x", "--bogus"], "--bogus"],
    [["--to", "not a number", "--text", "x"], "--to"],
    [["--to", "+33612345678", "--text", "😀", "--coding", "gsm7"], "--text"],
  ])("rejects %j with exit code 2 and one stderr line naming %s", async (args, option) => {
    const r = await pdu(["encode", ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(option);
  });

  it("answers one JSONL request per line; a bad request gets an error naming the option", async () => {
    const r = await pdu(
      ["encode", "--jsonl"],
      [
        JSON.stringify({ to: "+33612345678", text: "un" }),
        JSON.stringify({ to: "+33612345678", text: "deux", class: 9 }),
        "{not json",
        JSON.stringify({ to: "+33612345678", text: "ça", coding: "ucs2", statusReport: true }),
      ],
    );
    expect(r.json).toHaveLength(4);
    expect(r.json[0]).toMatchObject({ coding: "gsm7" });
    expect(r.json[1]).toMatchObject({ line: 2, option: "class" });
    expect(r.json[2]).toMatchObject({ line: 3, option: "jsonl" });
    expect(r.json[3]).toMatchObject({ coding: "ucs2" });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("smsgw pdu count", () => {
  it("prints the segment preview with the characters that force UCS-2", async () => {
    const r = await pdu(["count", "Crème brûlée"]);
    expect(r.code).toBe(0);
    expect(r.json[0]).toMatchObject({ coding: "ucs2", parts: 1, ucs2Forcers: ["û"] });
  });

  it("rejects a text that the forced coding cannot carry with exit 2 naming --text", async () => {
    const r = await pdu(["count", "--coding", "gsm7", "ô"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--text");
  });

  it("counts an extension character as two septets", async () => {
    const r = await pdu(["count", "€".repeat(80)]);
    expect(r.json[0]).toMatchObject({ coding: "gsm7", parts: 1, units: 160, remainingInLastPart: 0 });
  });
});

describe("smsgw pdu usage", () => {
  it("prints help with exit 0, and exit 2 for an unknown subcommand or missing argument", async () => {
    const help = await pdu(["decode", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("usage: smsgw pdu decode");
    expect(help.stdout).toContain("exit code is then 2");
    expect((await pdu(["frobnicate"])).code).toBe(2);
    expect((await pdu([])).code).toBe(2);
    expect((await pdu(["count"])).code).toBe(2);
  });
});

describe("the installed bin/smsgw", () => {
  // A rebuild is needed only when sources are newer than dist/ (not in CI, where npm ci builds).
  beforeAll(() => ensureBuilt(), 300_000);

  it("decodes from stdin and encodes from flags as a real process with the documented exit codes", () => {
    const bin = join(ROOT, "bin/smsgw");
    const dec = spawnSync(bin, ["pdu", "decode"], { input: `${DELIVER}\nzz\n`, encoding: "utf8" });
    expect(dec.status).toBe(2);
    expect(JSON.parse(dec.stdout.split("\n")[0]!)).toMatchObject({ text: "Hello, world!" });
    expect(dec.stderr.trimEnd().split("\n")).toHaveLength(1);
    const enc = spawnSync(bin, ["pdu", "encode", "--to", "+33612345678", "--text", "ok"], {
      encoding: "utf8",
    });
    expect(enc.status).toBe(0);
    expect(JSON.parse(enc.stdout)).toMatchObject({
      coding: "gsm7",
      parts: [{ tpduLength: expect.any(Number) }],
    });
  });
});
