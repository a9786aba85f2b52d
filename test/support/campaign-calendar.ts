/**
 * The campaign checker's own calendar: when marketing may reach a recipient under the af2m-2026
 * profile (af2m Charte Business Messaging 2026: 08:00–21:30 recipient-local; product default
 * ecosystem §6.3: Monday–Saturday, Sundays and public holidays off).
 *
 * Written from the rules, not from src/conversation: the 2026 holidays are listed as dates
 * (Code du travail L3133-1 national days, Easter 2026 = 5 April; décret 83-1003 abolition days and
 * the territories' own days as docs/compliance.md lists them), so a bug in the policy's computus,
 * zone math or tables shows up as a violation instead of being agreed with.
 */

/** Regions the population uses, each with the IANA zone of its numbers. */
export const ZONES = {
  FR: "Europe/Paris",
  GP: "America/Guadeloupe",
  MQ: "America/Martinique",
  GF: "America/Cayenne",
  RE: "Indian/Reunion",
  YT: "Indian/Mayotte",
  PM: "America/Miquelon",
  NC: "Pacific/Noumea",
  PF: "Pacific/Tahiti",
  WF: "Pacific/Wallis",
  BE: "Europe/Brussels",
  CH: "Europe/Zurich",
  ES: "Europe/Madrid",
  DE: "Europe/Berlin",
} as const;
export type Region = keyof typeof ZONES;

/** 2026 national days: 1 Jan, Easter Monday 6 Apr, 1 May, 8 May, Ascension 14 May, Whit Monday 25 May, 14 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec. */
const NATIONAL_2026 = [
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
];

/** Territories' own 2026 days; Good Friday 2026 is 3 April. */
const OWN_2026: Readonly<Record<string, readonly string[]>> = {
  GP: ["04-03", "05-27", "07-21"],
  MQ: ["04-03", "05-22", "07-21"],
  GF: ["06-10"],
  RE: ["12-20"],
  YT: ["04-27"],
  PM: [],
  NC: ["09-24"],
  PF: ["03-05", "04-03", "06-29"],
  WF: ["04-28", "07-29"],
  FR: [],
};

/**
 * Neighbours' nationwide public holidays in the campaign weeks (Belgian loi du 4 janvier 1974, Swiss
 * days off in nearly all cantons, Spanish state calendar, German nationwide days): marketing must
 * wait them out like a French holiday (docs/compliance.md). Regional days cannot be told from a number.
 */
export const FOREIGN_HOLIDAYS_2026: Readonly<Record<string, readonly string[]>> = {
  BE: ["04-06"],
  CH: ["04-03", "04-06"],
  ES: ["04-03"],
  DE: ["04-03", "04-06"],
};

export function isHoliday(region: Region, mmdd: string): boolean {
  const foreign = FOREIGN_HOLIDAYS_2026[region];
  if (foreign !== undefined) return foreign.includes(mmdd);
  const own = OWN_2026[region];
  return own !== undefined && (NATIONAL_2026.includes(mmdd) || own.includes(mmdd));
}

export interface Local {
  /** "MM-DD". */
  readonly mmdd: string;
  /** 0 = Sunday. */
  readonly weekday: number;
  readonly minutes: number;
  readonly year: number;
}

const fmts = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export function local(instant: number, zone: string): Local {
  let f = fmts.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    fmts.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  return {
    mmdd: `${p.month}-${p.day}`,
    weekday: WEEKDAYS.indexOf(p.weekday ?? ""),
    minutes: Number(p.hour) * 60 + Number(p.minute),
    year: Number(p.year),
  };
}

export type WindowBreach = "sunday" | "holiday" | "before-08:00" | "after-21:30";

/** Why marketing may not reach `region` at `instant`, or null when it may. */
export function windowBreach(instant: number, region: Region): WindowBreach | null {
  const l = local(instant, ZONES[region]);
  if (l.year !== 2026) throw new Error("the campaign calendar covers 2026 only");
  if (l.weekday === 0) return "sunday";
  if (isHoliday(region, l.mmdd)) return "holiday";
  if (l.minutes < 8 * 60) return "before-08:00";
  if (l.minutes >= 21 * 60 + 30) return "after-21:30";
  return null;
}

/**
 * The first instant at or after `from` open for marketing to `region`, looking three weeks ahead.
 * Every zone used has a whole- or half-hour offset, so windows open on UTC half hours: `from` and
 * the half hours after it are the only candidates.
 */
export function firstOpenInstant(from: number, region: Region): number {
  const half = 30 * 60_000;
  for (let t = from; t < from + 21 * 86_400_000; t = (Math.floor(t / half) + 1) * half)
    if (windowBreach(t, region) === null) return t;
  throw new Error(`no open instant for ${region} in three weeks from ${new Date(from).toISOString()}`);
}

/** Whether some instant of [from, to) is open for marketing to `region`. */
export function anyOpenInstant(from: number, to: number, region: Region): boolean {
  return from < to && firstOpenInstant(from, region) < to;
}
