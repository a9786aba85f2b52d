import { describe, expect, it } from "vitest";
import { easter, holidaysOf } from "../../../src/conversation/holidays.js";
import {
  customProfile,
  isAllowed,
  localTime,
  nextAllowedInstant,
  PROFILES,
  profileFromConfig,
  WindowError,
  zonedInstant,
} from "../../../src/conversation/windows.js";

const af2m = PROFILES["af2m-2026"];
const strict = PROFILES["strict-canvassing"];
const Z = (iso: string) => Date.parse(iso);
const next = (iso: string, zone: string, p = af2m) =>
  new Date(nextAllowedInstant(Z(iso), zone, p)).toISOString();

describe("easter and holidays", () => {
  it.each([
    [2024, 3, 31],
    [2025, 4, 20],
    [2026, 4, 5],
    [2027, 3, 28],
    [2038, 4, 25],
    [2285, 3, 22],
  ])("Easter %i is %i/%i", (y, m, d) => {
    expect(easter(y)).toEqual([m, d]);
  });

  it("derives the moving holidays and adds each territory's own", () => {
    const fr = holidaysOf(2026, "FR");
    expect([...fr].sort()).toEqual(
      [
        "01-01",
        "04-06",
        "05-01",
        "05-08",
        "05-14",
        "05-25",
        "07-14",
        "08-15",
        "11-01",
        "11-11",
        "12-25",
      ].sort(),
    );
    expect(holidaysOf(2026, "MQ").has("04-03")).toBe(true); // Good Friday in the Antilles
    expect(holidaysOf(2026, "FR").has("04-03")).toBe(false);
    expect(holidaysOf(2026, "YT").has("04-27")).toBe(true);
    expect(holidaysOf(2026, "RE").has("12-20")).toBe(true);
    expect(holidaysOf(2026, "US").size).toBe(0);
  });
});

describe("af2m-2026 window", () => {
  it("allows a weekday morning in Paris and returns now", () => {
    expect(next("2026-11-26T09:00:00Z", "Europe/Paris")).toBe("2026-11-26T09:00:00.000Z");
  });

  it("closes at 21:30 local and reopens at 08:00 the next day", () => {
    expect(isAllowed(Z("2026-11-26T20:29:00Z"), "Europe/Paris", af2m)).toBe(true);
    expect(next("2026-11-26T20:30:00Z", "Europe/Paris")).toBe("2026-11-27T07:00:00.000Z");
  });

  it("skips Sunday across the March DST change (Saturday night CET → Monday 08:00 CEST)", () => {
    expect(next("2026-03-28T20:45:00Z", "Europe/Paris")).toBe("2026-03-30T06:00:00.000Z");
  });

  it("skips Sunday across the October DST change (Saturday night CEST → Monday 08:00 CET)", () => {
    expect(next("2026-10-24T20:00:00Z", "Europe/Paris")).toBe("2026-10-26T07:00:00.000Z");
  });

  it("skips Easter Monday in metropolitan France", () => {
    expect(next("2026-04-06T08:00:00Z", "Europe/Paris")).toBe("2026-04-07T06:00:00.000Z");
  });

  it("keeps each overseas territory's own holidays", () => {
    // 27 April 2026 (Monday): Mayotte off, Réunion open.
    expect(next("2026-04-27T06:00:00Z", "Indian/Mayotte")).toBe("2026-04-28T05:00:00.000Z");
    expect(next("2026-04-27T06:00:00Z", "Indian/Reunion")).toBe("2026-04-27T06:00:00.000Z");
    // 22 May 2026 (Friday): Martinique off, Guadeloupe open.
    expect(next("2026-05-22T14:00:00Z", "America/Martinique")).toBe("2026-05-23T12:00:00.000Z");
    expect(next("2026-05-22T14:00:00Z", "America/Guadeloupe")).toBe("2026-05-22T14:00:00.000Z");
    expect(next("2026-05-27T14:00:00Z", "America/Guadeloupe")).toBe("2026-05-28T12:00:00.000Z");
    expect(next("2026-06-10T15:00:00Z", "America/Cayenne")).toBe("2026-06-11T11:00:00.000Z");
    expect(next("2027-12-20T06:00:00Z", "Indian/Reunion")).toBe("2027-12-21T04:00:00.000Z");
  });

  it("works far from Paris: Nouméa (UTC+11), Tahiti (UTC−10), Miquelon across its own DST change", () => {
    expect(next("2026-11-26T21:00:00Z", "Pacific/Noumea")).toBe("2026-11-26T21:00:00.000Z");
    expect(next("2026-11-26T20:59:00Z", "Pacific/Noumea")).toBe("2026-11-26T21:00:00.000Z");
    expect(next("2026-11-28T08:00:00Z", "Pacific/Tahiti")).toBe("2026-11-28T18:00:00.000Z");
    // Saturday 7 March 21:30 (UTC−3) → Sunday off (DST starts) → Monday 08:00 (UTC−2).
    expect(next("2026-03-08T00:30:00Z", "America/Miquelon")).toBe("2026-03-09T10:00:00.000Z");
  });

  it("lets the caller choose the holiday calendar (a Saint-Martin number shares Guadeloupe's zone)", () => {
    const t = Z("2026-05-28T14:00:00Z");
    expect(nextAllowedInstant(t, "America/Guadeloupe", af2m)).toBe(t);
    expect(nextAllowedInstant(t, "America/Guadeloupe", af2m, "MF")).toBe(Z("2026-05-29T12:00:00Z"));
  });
});

describe("other profiles", () => {
  it("strict-canvassing: lunch break, weekdays only", () => {
    expect(next("2026-11-24T12:30:00Z", "Europe/Paris", strict)).toBe("2026-11-24T13:00:00.000Z");
    expect(next("2026-11-27T19:00:00Z", "Europe/Paris", strict)).toBe("2026-11-30T09:00:00.000Z");
  });

  it("custom profile open on Sundays lands on 08:00 local on both DST change days", () => {
    const p = customProfile({ days: [0, 1, 2, 3, 4, 5, 6], slots: [["08:00", "21:30"]], holidaysOff: false });
    expect(next("2026-03-29T03:30:00Z", "Europe/Paris", p)).toBe("2026-03-29T06:00:00.000Z");
    expect(next("2026-10-25T02:30:00Z", "Europe/Paris", p)).toBe("2026-10-25T07:00:00.000Z");
  });

  it("refuses malformed profiles and zones with typed errors", () => {
    expect(() => customProfile({ days: [7], slots: [["08:00", "09:00"]], holidaysOff: false })).toThrow(
      WindowError,
    );
    expect(() => customProfile({ days: [1], slots: [["10:00", "09:00"]], holidaysOff: false })).toThrow(
      WindowError,
    );
    expect(() => customProfile({ days: [1], slots: [["8h", "09:00"]], holidaysOff: false })).toThrow(
      WindowError,
    );
    expect(() => nextAllowedInstant(0, "Mars/Olympus", af2m)).toThrow(WindowError);
  });
});

describe("zone math", () => {
  it("maps local wall times to instants, including DST gaps and repeats", () => {
    expect(zonedInstant("Europe/Paris", 2026, 3, 29, 8 * 60)).toBe(Z("2026-03-29T06:00:00Z"));
    expect(zonedInstant("Europe/Paris", 2026, 3, 29, 2 * 60 + 30)).toBe(Z("2026-03-29T01:30:00Z"));
    expect(zonedInstant("Europe/Paris", 2026, 10, 25, 2 * 60 + 30)).toBe(Z("2026-10-25T01:30:00Z"));
    expect(localTime(Z("2026-10-25T01:30:00Z"), "Europe/Paris")).toMatchObject({ minutes: 150, weekday: 0 });
  });
});

describe("profile from the [compliance] configuration", () => {
  it("builds the named profiles, opens Sundays and holidays on request, and reads a custom window", () => {
    const base = { marketingWindow: { start: "09:00", end: "19:00" }, allowSundaysAndHolidays: false };
    expect(profileFromConfig({ ...base, profile: "af2m-2026" })).toBe(af2m);
    const open = profileFromConfig({ ...base, profile: "af2m-2026", allowSundaysAndHolidays: true });
    expect(next("2026-11-29T10:00:00Z", "Europe/Paris", open)).toBe("2026-11-29T10:00:00.000Z"); // Sunday
    expect(next("2026-04-06T08:00:00Z", "Europe/Paris", open)).toBe("2026-04-06T08:00:00.000Z"); // Easter Monday
    const custom = profileFromConfig({ ...base, profile: "custom" });
    expect(next("2026-11-26T18:30:00Z", "Europe/Paris", custom)).toBe("2026-11-27T08:00:00.000Z");
    expect(() =>
      profileFromConfig({ ...base, profile: "custom", marketingWindow: { start: "19:00", end: "09:00" } }),
    ).toThrow(WindowError);
  });
});
