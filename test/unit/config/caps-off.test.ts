/**
 * `max_per_day` and `max_distinct_recipients_30d` accept 0 = no cap, per SIM; the engine-wide
 * fallback derived from the modems ignores a 0 instead of taking it as the tightest cap.
 */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { parseConfig } from "../../../src/config/load.js";
import { engineConfigFrom } from "../../../src/gateway-config.js";

const modem = (id: string, extra = "") =>
  `[[modems]]\nid = "${id}"\nport = "/dev/serial/by-id/usb-Quectel_EC25-${id}-port0"\n${extra}\n`;
const parse = (text: string) => parseConfig(text, "test.toml", { env: {}, cwd: "/srv" });

function problems(text: string): string[] {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("per-SIM caps can be turned off", () => {
  it("accepts 0 for max_per_day and max_distinct_recipients_30d", () => {
    const c = parse(modem("gsm0", "max_per_day = 0\nmax_distinct_recipients_30d = 0"));
    expect(c.modems[0]).toMatchObject({ max_per_day: 0, max_distinct_recipients_30d: 0 });
  });

  it("still refuses a negative cap, a fraction and a rate of 0, naming the range", () => {
    expect(
      problems(modem("gsm0", "max_per_day = -1\nmax_distinct_recipients_30d = 1.5\nmax_per_minute = 0")),
    ).toEqual([
      "modems[0].max_per_minute: expected an integer number of messages per minute in [1…60], got 0",
      "modems[0].max_per_day: expected an integer number of messages per day in [0…100000], got -1",
      "modems[0].max_distinct_recipients_30d: expected an integer number of recipients in [0…100000], got 1.5",
    ]);
  });

  it("one uncapped SIM does not uncap the engine-wide fallback of the others", () => {
    const c = parse(
      modem("gsm0", "max_per_day = 0\nmax_distinct_recipients_30d = 0") +
        modem("gsm1", "max_per_day = 300\nmax_distinct_recipients_30d = 150") +
        modem("gsm2", "max_per_day = 500\nmax_distinct_recipients_30d = 250"),
    );
    expect(engineConfigFrom(c)).toMatchObject({ dailyCapPerModem: 300, distinctRecipientsCap: 150 });
  });

  it("the fallback is no cap only when no enabled SIM sets one", () => {
    const c = parse(
      modem("gsm0", "max_per_day = 0\nmax_distinct_recipients_30d = 0") +
        modem("gsm1", "max_per_day = 0\nmax_distinct_recipients_30d = 0") +
        modem("gsm2", "max_per_day = 10\nmax_distinct_recipients_30d = 10\nenabled = false"),
    );
    expect(engineConfigFrom(c)).toMatchObject({ dailyCapPerModem: 0, distinctRecipientsCap: 0 });
  });
});
