import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { parseConfig } from "../../../src/config/load.js";

const MODEM = '[[modems]]\nid = "gsm0"\nport = "/dev/ttyUSB2"\n';

describe("SMSGW_* environment overrides (double underscore = nesting)", () => {
  it("SMSGW_HTTP__LISTEN and SMSGW_DATABASE__PATH override the file", () => {
    const c = parseConfig(MODEM, "t", {
      env: { SMSGW_HTTP__LISTEN: "127.0.0.1:9090", SMSGW_DATABASE__PATH: "/srv/x.db" },
    });
    expect(c.http.listen).toBe("127.0.0.1:9090");
    expect(c.database.path).toBe("/srv/x.db");
  });

  it("a single underscore stays in the key name; values are typed as TOML", () => {
    const c = parseConfig(MODEM, "t", {
      env: {
        SMSGW_DATA_DIR: "/srv/smsgw",
        SMSGW_HTTP__PUBLIC_HEALTH: "false",
        SMSGW_MODEMS__0__MAX_PER_DAY: "50",
      },
      cwd: "/",
    });
    expect(c.data_dir).toBe("/srv/smsgw");
    expect(c.http.public_health).toBe(false);
    expect(c.modems[0]?.max_per_day).toBe(50);
  });

  it("digits index arrays and can add a modem; inline tables give secret references", () => {
    const c = parseConfig(MODEM, "t", {
      env: {
        SMSGW_MODEMS__1__ID: "gsm1",
        SMSGW_MODEMS__1__PORT: "tcp://127.0.0.1:4001",
        SMSGW_MODEMS__0__SIM_PIN: '{ env = "PIN" }',
      },
    });
    expect(c.modems.map((m) => m.id)).toEqual(["gsm0", "gsm1"]);
    expect(c.modems[0]?.sim_pin).toEqual({ env: "PIN" });
  });

  it("leaves SMSGW_PIN and SMSGW_CONFIG alone (free for secrets and the file path)", () => {
    expect(() =>
      parseConfig(MODEM, "t", { env: { SMSGW_PIN: "1234", SMSGW_CONFIG: "/x.toml" } }),
    ).not.toThrow();
  });

  it("names the variable that set a bad value, and reports unknown sections", () => {
    try {
      parseConfig(MODEM, "t", { env: { SMSGW_MODEMS__0__BAUD: "9601", SMSGW_HTPP__LISTEN: "x" } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const lines = (e as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
      expect(lines[0]).toMatch(/^SMSGW_HTPP__LISTEN: "htpp" is not a config section/);
      expect(lines[1]).toMatch(
        /^modems\[0\]\.baud: expected a standard baud rate .*got 9601 \(set by SMSGW_MODEMS__0__BAUD\)$/,
      );
    }
  });
});
