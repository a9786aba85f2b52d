import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultOptions } from "../../../src/config/defaults.js";
import { ConfigError } from "../../../src/config/errors.js";
import { loadConfig, parseConfig } from "../../../src/config/load.js";
import { parseListen } from "../../../src/config/schema.js";

const root = join(import.meta.dirname, "../../..");
const MODEM = '[[modems]]\nid = "gsm0"\nport = "/dev/serial/by-id/usb-Quectel_EC25-if02-port0"\n';

function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(text, "test.toml", { env, cwd: "/srv" });
  } catch (e) {
    if (e instanceof ConfigError)
      return e.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("shipped config files", () => {
  it("config/default.toml is valid: two simulated modems of different personas, loopback HTTP, ./data", () => {
    const c = loadConfig(join(root, "config/default.toml"), { env: {}, cwd: "/x" });
    expect(c.modems.map((m) => m.port)).toEqual(["sim://sim800?seed=1", "sim://quectel?seed=2"]);
    expect(c.http.listen).toBe("127.0.0.1:8080");
    expect(c.data_dir).toBe("/x/data");
    expect(c.database.path).toBe("/x/data/smsgw.db");
    expect(Object.keys(c.sim.numbers).sort()).toEqual(["sim1", "sim2"]);
    expect(c.api.keys).toEqual([]);
  });

  it("config/example.pi.toml is valid and uses /dev/serial/by-id ports, /var/lib/smsgw and credentials", () => {
    const c = loadConfig(join(root, "config/example.pi.toml"), { env: {} });
    expect(c.data_dir).toBe("/var/lib/smsgw");
    for (const m of c.modems) expect(m.port).toMatch(/^\/dev\/serial\/by-id\//);
    expect(c.api.keys[0]?.key).toEqual({ credential: "api-key" });
  });

  it("example.pi.toml states every default of defaults.ts with the same value", () => {
    const c = loadConfig(join(root, "config/example.pi.toml"), { env: {} });
    const m = c.modems[0];
    expect(
      m && {
        baud: m.baud,
        profile: m.profile,
        max_per_minute: m.max_per_minute,
        max_per_day: m.max_per_day,
        max_distinct_recipients_30d: m.max_distinct_recipients_30d,
        enabled: m.enabled,
      },
    ).toEqual(defaultOptions.modem);
    expect(c.queue).toEqual(defaultOptions.queue);
    expect(c.routing).toEqual(defaultOptions.routing);
    expect(c.logging).toEqual(defaultOptions.logging);
    expect(c.http).toEqual(defaultOptions.http);
    const { keywords, ...compliance } = c.compliance;
    const { keywords: defaultKeywords, ...defaultCompliance } = defaultOptions.compliance;
    expect(compliance).toEqual(defaultCompliance);
    expect({ languages: keywords.languages, reply_language: keywords.reply_language }).toEqual(
      defaultKeywords,
    );
    expect(c.retention).toEqual(defaultOptions.retention);
  });
});

describe("defaults and freezing", () => {
  it("a file with only a modem gets every documented default", () => {
    const c = parseConfig(MODEM, "t", { env: {}, cwd: "/srv" });
    expect(c.version).toBe(1);
    expect(c.http).toEqual({ listen: "127.0.0.1:8080", public_health: true });
    expect(c.modems[0]).toMatchObject({
      baud: 115200,
      profile: "auto",
      max_distinct_recipients_30d: 150,
      enabled: true,
    });
    expect(c.compliance.marketing_window).toEqual({ start: "08:00", end: "21:30" });
    expect(c.routing.sticky_fallback).toBe("wait");
    expect(c.business.default_country).toBe("FR");
  });

  it("the loaded config is deeply frozen", () => {
    const c = parseConfig(MODEM, "t", { env: {} });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.modems[0])).toBe(true);
    expect(() => {
      (c.http as { listen: string }).listen = "0.0.0.0:1";
    }).toThrow(TypeError);
  });

  it("accepts TOML local times for the marketing window", () => {
    const c = parseConfig(
      `${MODEM}[compliance]\nmarketing_window = { start = 09:00:00, end = 20:00:00 }\n`,
      "t",
      { env: {} },
    );
    expect(c.compliance.marketing_window).toEqual({ start: "09:00", end: "20:00" });
  });
});

describe("errors name the key path and what was expected, all of them", () => {
  it("reports a bad port with the expected forms and the value given", () => {
    const p = problems(`${MODEM}[[modems]]\nid = "gsm1"\nport = 42\n`);
    expect(p).toEqual([
      "modems[1].port: expected a path like /dev/serial/by-id/… or tcp://host:port or sim://persona, got 42",
    ]);
  });

  it("says what was expected and what was given, without zod's own wording", () => {
    const p = problems(`data_dir = 3\n${MODEM}`);
    expect(p).toEqual(["data_dir: expected string, got 3"]);
    expect(problems(`${MODEM}[routing]\nsticky_fallback = "later"\n`)).toEqual([
      'routing.sticky_fallback: expected one of "wait"|"move", got "later"',
    ]);
  });

  it("collects every error, not just the first", () => {
    const p = problems(
      `version = 1\n[http]\nlisten = "localhost"\nlistenn = "x"\n[[modems]]\nid = "a b"\nport = "COM3"\nbaud = 9601\nmax_per_minute = 0\n[routing]\nsticky_fallback = "later"\n`,
    );
    expect(p).toHaveLength(7);
    expect(p.join("\n")).toContain('http.listen: expected "host:port"');
    expect(p.join("\n")).toContain("http.listenn: unknown key");
    expect(p.join("\n")).toContain("modems[0].id: expected an id");
    expect(p.join("\n")).toContain("modems[0].port: expected a path like");
    expect(p.join("\n")).toContain("modems[0].baud: expected a standard baud rate");
    expect(p.join("\n")).toContain(
      "modems[0].max_per_minute: expected an integer number of messages per minute in [1…60], got 0",
    );
    expect(p.join("\n")).toContain("routing.sticky_fallback:");
  });

  it("names the known profiles when a forced profile does not exist", () => {
    const p = problems(MODEM.replace("port", 'profile = "quectel-ec52"\nport'));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(
      /^modems\[0\]\.profile: expected "auto" or one of .*quectel-ec25.*, got "quectel-ec52"$/,
    );
    expect(
      parseConfig(MODEM.replace("port", 'profile = "quectel-ec25"\nport'), "t", { env: {} }).modems[0]
        ?.profile,
    ).toBe("quectel-ec25");
  });

  it("rejects unknown top-level sections (strict) instead of ignoring a typo", () => {
    expect(problems(`${MODEM}[loging]\nlevel = "debug"\n`)).toEqual([
      "loging: unknown key (keys are checked strictly so that a typo is not silently ignored)",
    ]);
  });

  it("requires at least one modem", () => {
    expect(problems("version = 1\n")).toEqual(["modems: required: expected at least one [[modems]] entry"]);
    expect(problems("modems = []\n")).toEqual([
      "modems: expected at least one [[modems]] entry, got an empty list",
    ]);
  });

  it("refuses an inline SIM PIN and never echoes it", () => {
    const p = problems(MODEM.replace("port", 'sim_pin = "4821"\nport'));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^modems\[0\]\.sim_pin: expected a secret reference.*inline secrets are refused/);
    expect(p.join()).not.toContain("4821");
  });

  it("reports a TOML syntax error with its line", () => {
    expect(problems('version = 1\n[http\nlisten = "x"\n')[0]).toMatch(/TOML syntax error at line 2/);
  });

  it("refuses a config version newer than the build", () => {
    expect(problems(`version = 2\n${MODEM}`)).toEqual([
      "version: the file is version 2, newer than this build reads (1); upgrade smsgw",
    ]);
  });

  it("checks cross-field rules: duplicate ids and ports, sim numbers for real modems", () => {
    const p = problems(
      `${MODEM}${MODEM}[[modems]]\nid = "s"\nport = "sim://sim800"\n[sim.numbers]\ngsm0 = "+33639980001"\nnobody = "+33639980002"\ns = "0612"\n`,
    );
    expect(p).toContain("modems[1].id: duplicate id, already used by modems[0]");
    expect(p).toContain("modems[1].port: port already used by modems[0]");
    expect(p.some((x) => x.startsWith('sim.numbers.gsm0: modem "gsm0" is not a sim:// modem'))).toBe(true);
    expect(p).toContain('sim.numbers.nobody: no [[modems]] entry has id "nobody"');
    expect(p.some((x) => x.startsWith("sim.numbers.s: expected an E.164 number"))).toBe(true);
  });

  it("validates tcp:// ports and the listen port range", () => {
    expect(
      problems(`[http]\nlisten = "0.0.0.0:70000"\n[[modems]]\nid = "t"\nport = "tcp://10.0.0.2:99999"\n`),
    ).toHaveLength(2);
    const ok = parseConfig(
      '[http]\nlisten = "[::1]:8080"\n[[modems]]\nid = "t"\nport = "tcp://ser2net.lan:4001"\n',
      "t",
      { env: {} },
    );
    expect(ok.modems[0]?.port).toBe("tcp://ser2net.lan:4001");
  });

  it("rejects a marketing window that ends before it starts and an unknown country", () => {
    const p = problems(
      `${MODEM}[business]\ndefault_country = "XX"\n[compliance]\nmarketing_window = { start = "21:00", end = "08:00" }\n`,
    );
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/^business\.default_country: expected an ISO 3166-1 alpha-2/);
    expect(p[1]).toBe("compliance.marketing_window: expected start before end, got 21:00–08:00");
  });

  it("a missing file is a ConfigError, not a crash", () => {
    expect(() => loadConfig("/nonexistent/smsgw.toml")).toThrow(/cannot read the config file \(ENOENT\)/);
  });
});

describe("parseListen", () => {
  it("splits IPv4, host names and bracketed IPv6", () => {
    expect(parseListen("127.0.0.1:8080")).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(parseListen("gw.local:9000")).toEqual({ host: "gw.local", port: 9000 });
    expect(parseListen("[::1]:8080")).toEqual({ host: "::1", port: 8080 });
    expect(() => parseListen("8080")).toThrow(TypeError);
  });
});

describe("marketing window set partly", () => {
  it("an override of start alone keeps the default end (was: end reported missing)", () => {
    const c = parseConfig(MODEM, "t", { env: { SMSGW_COMPLIANCE__MARKETING_WINDOW__START: "09:30" } });
    expect(c.compliance.marketing_window).toEqual({ start: "09:30", end: "21:30" });
    const f = parseConfig(`${MODEM}[compliance.marketing_window]\nend = "20:00"\n`, "t", { env: {} });
    expect(f.compliance.marketing_window).toEqual({ start: "08:00", end: "20:00" });
  });
});
