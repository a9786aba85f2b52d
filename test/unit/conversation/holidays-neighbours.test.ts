import { describe, expect, it } from "vitest";
import { holidaysOf } from "../../../src/conversation/holidays.js";

// Expected sets written by hand from each country's official calendar (Easter 2026 = 5 April,
// Easter 2027 = 28 March), not derived from the tables under test.
const sorted = (year: number, region: string) => [...holidaysOf(year, region)].sort();

describe("nationwide holidays of the neighbours", () => {
  it.each([
    // Belgium, arrêté royal du 18 avril 1974: 10 days.
    ["BE", 2026, ["01-01", "04-06", "05-01", "05-14", "05-25", "07-21", "08-15", "11-01", "11-11", "12-25"]],
    ["BE", 2027, ["01-01", "03-29", "05-01", "05-06", "05-17", "07-21", "08-15", "11-01", "11-11", "12-25"]],
    // Luxembourg, Code du travail L.232-2: 11 days with Europe Day (9 May) and National Day (23 June).
    [
      "LU",
      2026,
      ["01-01", "04-06", "05-01", "05-09", "05-14", "05-25", "06-23", "08-15", "11-01", "12-25", "12-26"],
    ],
    [
      "LU",
      2027,
      ["01-01", "03-29", "05-01", "05-06", "05-09", "05-17", "06-23", "08-15", "11-01", "12-25", "12-26"],
    ],
    // Monaco, loi n° 798: 12 days; All Saints 2026 and Assumption 2027 fall on a Sunday, so the
    // Monday after (2 Nov 2026, 16 Aug 2027) is a legal holiday too.
    [
      "MC",
      2026,
      [
        "01-01",
        "01-27",
        "04-06",
        "05-01",
        "05-14",
        "05-25",
        "06-04",
        "08-15",
        "11-01",
        "11-02",
        "11-19",
        "12-08",
        "12-25",
      ],
    ],
    [
      "MC",
      2027,
      [
        "01-01",
        "01-27",
        "03-29",
        "05-01",
        "05-06",
        "05-17",
        "05-27",
        "08-15",
        "08-16",
        "11-01",
        "11-19",
        "12-08",
        "12-25",
      ],
    ],
    // Switzerland: federal 1 August plus the days off in (nearly) every canton.
    ["CH", 2026, ["01-01", "04-03", "04-06", "05-14", "05-25", "08-01", "12-25"]],
    ["CH", 2027, ["01-01", "03-26", "03-29", "05-06", "05-17", "08-01", "12-25"]],
    // Spain: the national days of the state calendar (BOE), Good Friday included.
    ["ES", 2026, ["01-01", "01-06", "04-03", "05-01", "08-15", "10-12", "11-01", "12-06", "12-08", "12-25"]],
    ["ES", 2027, ["01-01", "01-06", "03-26", "05-01", "08-15", "10-12", "11-01", "12-06", "12-08", "12-25"]],
    // Germany: the nine days of every Land.
    ["DE", 2026, ["01-01", "04-03", "04-06", "05-01", "05-14", "05-25", "10-03", "12-25", "12-26"]],
    ["DE", 2027, ["01-01", "03-26", "03-29", "05-01", "05-06", "05-17", "10-03", "12-25", "12-26"]],
    // Italy: legge 260/1949 as amended, with San Francesco (4 October) from 2026.
    [
      "IT",
      2026,
      [
        "01-01",
        "01-06",
        "04-06",
        "04-25",
        "05-01",
        "06-02",
        "08-15",
        "10-04",
        "11-01",
        "12-08",
        "12-25",
        "12-26",
      ],
    ],
    [
      "IT",
      2027,
      [
        "01-01",
        "01-06",
        "03-29",
        "04-25",
        "05-01",
        "06-02",
        "08-15",
        "10-04",
        "11-01",
        "12-08",
        "12-25",
        "12-26",
      ],
    ],
    // Andorra: the Govern's calendari laboral, 14 days with Carnival Monday (16 Feb 2026, 8 Feb 2027).
    [
      "AD",
      2026,
      [
        "01-01",
        "01-06",
        "02-16",
        "03-14",
        "04-03",
        "04-06",
        "05-01",
        "05-25",
        "08-15",
        "09-08",
        "11-01",
        "12-08",
        "12-25",
        "12-26",
      ],
    ],
    [
      "AD",
      2027,
      [
        "01-01",
        "01-06",
        "02-08",
        "03-14",
        "03-26",
        "03-29",
        "05-01",
        "05-17",
        "08-15",
        "09-08",
        "11-01",
        "12-08",
        "12-25",
        "12-26",
      ],
    ],
  ] as const)("%s %i", (region, year, days) => {
    expect(sorted(year, region)).toEqual([...days].sort());
  });

  it("matches Andorra's published 2023 calendar (Carnival 20 Feb, Good Friday 7 Apr, Whit Monday 29 May)", () => {
    const ad = holidaysOf(2023, "AD");
    for (const d of ["02-20", "04-07", "04-10", "05-29"]) expect(ad.has(d)).toBe(true);
    expect(ad.size).toBe(14);
  });

  it("moves only Monaco's listed days to the Monday: Christmas 2022 yes, Immaculate Conception 2024 no", () => {
    expect(holidaysOf(2022, "MC").has("12-26")).toBe(true);
    expect(holidaysOf(2024, "MC").has("12-09")).toBe(false);
    expect(holidaysOf(2026, "FR").has("11-02")).toBe(false);
  });

  it("applies days only from the year the law created them", () => {
    expect(holidaysOf(2025, "IT").has("10-04")).toBe(false);
    expect(holidaysOf(2018, "LU").has("05-09")).toBe(false);
    expect(holidaysOf(2019, "LU").has("05-09")).toBe(true);
  });

  it("keeps regional days out: Holy Thursday in Spain, Corpus Christi in Germany, 2 Jan and 26 Dec in Switzerland", () => {
    expect(holidaysOf(2026, "ES").has("04-02")).toBe(false);
    expect(holidaysOf(2026, "DE").has("06-04")).toBe(false);
    expect(holidaysOf(2026, "CH").has("01-02")).toBe(false);
    expect(holidaysOf(2026, "CH").has("12-26")).toBe(false);
  });

  it("accepts the ISO code in either case and gives other countries no calendar", () => {
    expect(sorted(2026, "be")).toEqual(sorted(2026, "BE"));
    expect(sorted(2026, " de ")).toEqual(sorted(2026, "DE"));
    expect(holidaysOf(2026, "gp").has("05-27")).toBe(true);
    expect(holidaysOf(2026, "US").size).toBe(0);
    expect(holidaysOf(2026, "VA").size).toBe(0);
  });
});
