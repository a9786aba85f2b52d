/**
 * Sending windows for marketing, in the recipient's zone (pure; zone math with Intl.DateTimeFormat,
 * never the process TZ). Transactional and conversational messages have no window: the af2m
 * Charte Business Messaging 2026 restricts promotional messages only (ecosystem §4.1, §4.3).
 *
 * Profiles:
 * - `af2m-2026` (default): 08:00–21:30, Monday to Saturday; Sundays and public holidays off
 *   (the charter tolerates them, the product default does not: ecosystem §6.3).
 * - `strict-canvassing`: the shape of Code de la consommation D223-9 for calls — Monday to Friday
 *   10:00–13:00 and 14:00–20:00, public holidays off.
 * - custom: any days, slots and holiday rule.
 */
import { holidaysOf, regionOfZone } from "./holidays.js";

export interface Slot {
  /** Minutes after local midnight, [from, to). */
  readonly from: number;
  readonly to: number;
}

export interface WindowProfile {
  readonly name: string;
  /** Allowed weekdays, 0 = Sunday … 6 = Saturday. */
  readonly days: readonly number[];
  readonly slots: readonly Slot[];
  /** Public holidays of the recipient's territory are off. */
  readonly holidaysOff: boolean;
}

export class WindowError extends Error {
  override readonly name = "WindowError";
  readonly code = "invalid_window" as const;
}

const hm = (s: string): number => {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  const v = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!(v >= 0 && v <= 1440) || Number(m?.[2]) > 59) throw new WindowError(`'${s}' is not a HH:MM time`);
  return v;
};

export function customProfile(o: {
  name?: string;
  days: readonly number[];
  slots: readonly (readonly [string, string])[];
  holidaysOff: boolean;
}): WindowProfile {
  if (o.days.length === 0 || o.days.some((d) => !Number.isInteger(d) || d < 0 || d > 6))
    throw new WindowError("days must be weekdays 0 (Sunday) … 6 (Saturday)");
  const slots = o.slots.map(([a, b]) => ({ from: hm(a), to: hm(b) })).sort((x, y) => x.from - y.from);
  if (slots.length === 0 || slots.some((s) => s.from >= s.to))
    throw new WindowError("each slot must end after it starts");
  return { name: o.name ?? "custom", days: [...new Set(o.days)], slots, holidaysOff: o.holidaysOff };
}

export const PROFILES = {
  "af2m-2026": customProfile({
    name: "af2m-2026",
    days: [1, 2, 3, 4, 5, 6],
    slots: [["08:00", "21:30"]],
    holidaysOff: true,
  }),
  "strict-canvassing": customProfile({
    name: "strict-canvassing",
    days: [1, 2, 3, 4, 5],
    slots: [
      ["10:00", "13:00"],
      ["14:00", "20:00"],
    ],
    holidaysOff: true,
  }),
} as const satisfies Record<string, WindowProfile>;

export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  /** Minutes after local midnight. */
  readonly minutes: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
      });
    } catch (e) {
      throw new WindowError(`unknown time zone '${zone}'`, { cause: e });
    }
    formats.set(zone, f);
  }
  return f;
}

export function localTime(instant: number, zone: string): LocalTime {
  const p: Record<string, number> = {};
  for (const x of format(zone).formatToParts(instant)) if (x.type !== "literal") p[x.type] = Number(x.value);
  const year = p.year!;
  const month = p.month!;
  const day = p.day!;
  return {
    year,
    month,
    day,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    minutes: p.hour! * 60 + p.minute!,
  };
}

/**
 * The instant of a local wall time. A time skipped by a DST jump is moved forward by the jump (02:30 on
 * the March change in Paris is 03:30 CEST); a time that occurs twice gets the later instant.
 */
export function zonedInstant(
  zone: string,
  year: number,
  month: number,
  day: number,
  minutes: number,
): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const offset = (t: number) => {
    const l = localTime(t, zone);
    return Date.UTC(l.year, l.month - 1, l.day, 0, l.minutes) - Math.floor(t / 60_000) * 60_000;
  };
  const first = wall - offset(wall);
  const second = wall - offset(first);
  return offset(second) === offset(first) ? second : Math.max(first, second);
}

function dayAllowed(
  l: { year: number; month: number; day: number; weekday: number },
  p: WindowProfile,
  region: string | null,
) {
  if (!p.days.includes(l.weekday)) return false;
  if (!p.holidaysOff || region === null) return true;
  return !holidaysOf(l.year, region).has(
    `${String(l.month).padStart(2, "0")}-${String(l.day).padStart(2, "0")}`,
  );
}

/** `region` selects the holiday calendar (default: the French territory of the zone). */
export function isAllowed(
  now: number,
  zone: string,
  profile: WindowProfile,
  region = regionOfZone(zone),
): boolean {
  const l = localTime(now, zone);
  return dayAllowed(l, profile, region) && profile.slots.some((s) => l.minutes >= s.from && l.minutes < s.to);
}

/** `now` when sending is allowed now, else the start of the next allowed slot in the zone. */
export function nextAllowedInstant(
  now: number,
  zone: string,
  profile: WindowProfile,
  region = regionOfZone(zone),
): number {
  if (isAllowed(now, zone, profile, region)) return now;
  const l = localTime(now, zone);
  // Up to 3 weeks ahead: Christmas + a weekend + holidays can never close more than that.
  for (let offset = 0; offset <= 21; offset++) {
    const date = new Date(Date.UTC(l.year, l.month - 1, l.day + offset));
    const civil = {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      weekday: date.getUTCDay(),
    };
    if (!dayAllowed(civil, profile, region)) continue;
    for (const s of profile.slots) {
      const t = zonedInstant(zone, civil.year, civil.month, civil.day, s.from);
      if (t > now && isAllowed(t, zone, profile, region)) return t;
    }
  }
  throw new WindowError(`profile ${profile.name} allows no time in the next 3 weeks`);
}

/**
 * The profile described by the `[compliance]` configuration section. `allowSundaysAndHolidays`
 * opens Sundays and public holidays on the named profiles' hours (af2m 2026 tolerates them);
 * `custom` uses `marketingWindow` every day from Monday to Saturday (Sunday too when allowed).
 */
export function profileFromConfig(c: {
  readonly profile: "af2m-2026" | "strict-canvassing" | "custom";
  readonly marketingWindow: { readonly start: string; readonly end: string };
  readonly allowSundaysAndHolidays: boolean;
}): WindowProfile {
  const open = c.allowSundaysAndHolidays;
  if (c.profile !== "custom") {
    const p = PROFILES[c.profile];
    return open
      ? {
          ...p,
          name: `${p.name}+sundays-holidays`,
          days: [0, ...p.days.filter((d) => d !== 0)],
          holidaysOff: false,
        }
      : p;
  }
  return customProfile({
    name: "custom",
    days: open ? [0, 1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5, 6],
    slots: [[c.marketingWindow.start, c.marketingWindow.end]],
    holidaysOff: !open,
  });
}
