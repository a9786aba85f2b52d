import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const text = readFileSync(join(import.meta.dirname, "../../systemd/77-smsgw-modems.rules"), "utf8");
const rules = text
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));

const TOKEN = /^\s*([A-Z_]+)(\{[^}]+\})?\s*(==|!=|\+=|:=|=)\s*"([^"]*)"\s*(,|$)/;

function tokens(rule: string): { key: string; attr?: string; op: string; value: string }[] {
  const out: { key: string; attr?: string; op: string; value: string }[] = [];
  let rest = rule;
  while (rest.trim() !== "") {
    const m = TOKEN.exec(rest);
    if (!m) throw new Error(`cannot parse rule near: ${rest}`);
    out.push({ key: m[1] as string, attr: m[2]?.slice(1, -1), op: m[3] as string, value: m[4] as string });
    rest = rest.slice(m[0].length);
  }
  return out;
}

/** Attributes of the USB device vs of its interface: one rule's ATTRS{} must all match one ancestor. */
const DEVICE_ATTRS = new Set(["idVendor", "idProduct", "serial", "manufacturer", "product"]);
const INTERFACE_ATTRS = new Set([
  "bInterfaceNumber",
  "bInterfaceClass",
  "bInterfaceSubClass",
  "bInterfaceProtocol",
]);

describe("systemd/77-smsgw-modems.rules", () => {
  it("parses as key-operator-value tokens and every GOTO has its LABEL", () => {
    const all = rules.flatMap(tokens);
    const labels = all.filter((t) => t.key === "LABEL").map((t) => t.value);
    for (const g of all.filter((t) => t.key === "GOTO")) expect(labels).toContain(g.value);
  });

  it("never mixes device and interface ATTRS in one rule (such a rule can never match)", () => {
    for (const rule of rules) {
      const attrs = tokens(rule)
        .filter((t) => t.key === "ATTRS")
        .map((t) => t.attr ?? "");
      const mixed = attrs.some((a) => DEVICE_ATTRS.has(a)) && attrs.some((a) => INTERFACE_ATTRS.has(a));
      expect(mixed, rule).toBe(false);
    }
  });

  it.each([
    ["Quectel EC25/EG25", "2c7c", "0125", "smsgw/quectel-ec25"],
    ["SIMCom SIM7600", "1e0e", "9001", "smsgw/simcom-sim7600"],
    ["Huawei stick mode", "12d1", "1506|1001", "smsgw/huawei"],
  ])("%s: ModemManager told to ignore the whole device, AT port symlinked", (_name, vid, pid, link) => {
    const ignore = rules.find(
      (r) =>
        r.includes(`ATTRS{idVendor}=="${vid}"`) &&
        r.includes(`ATTRS{idProduct}=="${pid}"`) &&
        r.includes('ENV{ID_MM_DEVICE_IGNORE}="1"'),
    );
    expect(ignore).toBeDefined();
    // On every event of the device (no SUBSYSTEM filter): ModemManager may read it from any port.
    expect(ignore).not.toMatch(/SUBSYSTEM==/);
    const symlink = rules.find((r) => r.includes(`SYMLINK+="${link}"`));
    expect(symlink).toMatch(/^SUBSYSTEM=="tty"/);
    expect(symlink).toContain(`SYMLINK+="${link}-$env{ID_PATH_TAG}"`);
  });

  it("takes the AT primary interface that ModemManager's rules name (EC25 and SIM7600: if02)", () => {
    expect(rules.find((r) => r.includes('SYMLINK+="smsgw/quectel-ec25"'))).toContain(
      'ENV{.SMSGW_IFNUM}=="02"',
    );
    expect(rules.find((r) => r.includes('SYMLINK+="smsgw/simcom-sim7600"'))).toContain(
      'ENV{.SMSGW_IFNUM}=="02"',
    );
    expect(rules.find((r) => r.includes('SYMLINK+="smsgw/huawei"'))).toContain(
      'ATTRS{bInterfaceProtocol}=="02"',
    );
  });

  it("does not claim generic USB-serial bridges by id (a CH340 is not necessarily a modem)", () => {
    for (const vid of ["1a86", "10c4", "0403"]) expect(rules.some((r) => r.includes(`"${vid}"`))).toBe(false);
  });
});
