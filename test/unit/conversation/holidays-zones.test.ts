import { describe, expect, it } from "vitest";
import { localeOf } from "../../../src/conversation/contacts.js";
import { holidaysOf, regionOfZone } from "../../../src/conversation/holidays.js";
import { isAllowed, nextAllowedInstant, PROFILES } from "../../../src/conversation/windows.js";

const af2m = PROFILES["af2m-2026"];
const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

describe("a neighbour's number reaches its country's calendar", () => {
  it.each([
    // number, region, a 2026 holiday there that is a working day in France
    ["+32470123456", "BE", "07-21"],
    ["+352621123456", "LU", "06-23"],
    ["+37761234567", "MC", "01-27"],
    ["+41791234567", "CH", "04-03"],
    ["+34612345678", "ES", "10-12"],
    ["+4915112345678", "DE", "10-03"],
    ["+393331234567", "IT", "06-02"],
    ["+376312345", "AD", "03-14"],
  ])("%s is %s, off on %s", (e164, region, day) => {
    const l = localeOf(e164);
    expect(l.region).toBe(region);
    expect(holidaysOf(2026, l.region ?? "").has(day)).toBe(true);
    expect(holidaysOf(2026, "FR").has(day)).toBe(false);
  });
});

describe("regionOfZone", () => {
  it.each([
    ["Europe/Brussels", "BE"],
    ["Europe/Luxembourg", "LU"],
    ["Europe/Monaco", "MC"],
    ["Europe/Zurich", "CH"],
    ["Europe/Madrid", "ES"],
    ["Atlantic/Canary", "ES"],
    ["Africa/Ceuta", "ES"],
    ["Europe/Berlin", "DE"],
    ["Europe/Busingen", "DE"],
    ["Europe/Rome", "IT"],
    ["Europe/Andorra", "AD"],
    ["Europe/Paris", "FR"],
  ])("%s → %s", (zone, region) => {
    expect(regionOfZone(zone)).toBe(region);
  });

  it("gives no calendar to states that only share a neighbour's clock", () => {
    expect(regionOfZone("Europe/Vatican")).toBeNull();
    expect(regionOfZone("Europe/San_Marino")).toBeNull();
    expect(regionOfZone("Europe/Vienna")).toBeNull();
  });
});

describe("af2m-2026 window on a neighbour's holiday", () => {
  it("holds a Belgian number on Easter Monday 2026 until Tuesday 08:00 Brussels", () => {
    const now = at("2026-04-06T08:00:00Z"); // 10:00 CEST
    expect(isAllowed(now, "Europe/Brussels", af2m, "BE")).toBe(false);
    expect(iso(nextAllowedInstant(now, "Europe/Brussels", af2m, "BE"))).toBe("2026-04-07T06:00:00.000Z");
  });

  it("finds Germany's calendar from the zone alone: Good Friday 2027 waits for Saturday 08:00 CET", () => {
    const now = at("2027-03-26T09:00:00Z"); // 10:00 CET
    expect(isAllowed(now, "Europe/Berlin", af2m)).toBe(false);
    expect(iso(nextAllowedInstant(now, "Europe/Berlin", af2m))).toBe("2027-03-27T07:00:00.000Z");
  });

  it("skips Monaco's Monday 2 November 2026 (All Saints on a Sunday) and Italy's 4 October 2027", () => {
    const mc = at("2026-11-02T09:00:00Z");
    expect(isAllowed(mc, "Europe/Monaco", af2m)).toBe(false);
    expect(iso(nextAllowedInstant(mc, "Europe/Monaco", af2m))).toBe("2026-11-03T07:00:00.000Z");
    expect(isAllowed(at("2027-10-04T09:00:00Z"), "Europe/Rome", af2m)).toBe(false);
    expect(isAllowed(at("2027-10-05T09:00:00Z"), "Europe/Rome", af2m)).toBe(true);
  });

  it("still sends to Paris on Belgium's National Day, a working day in France", () => {
    expect(isAllowed(at("2026-07-21T08:00:00Z"), "Europe/Paris", af2m)).toBe(true);
    expect(isAllowed(at("2026-07-21T08:00:00Z"), "Europe/Brussels", af2m)).toBe(false);
  });
});
