/**
 * Public holidays of metropolitan France and the overseas territories, computed in-house (the full
 * calendar packages weigh megabytes; ecosystem §4.6 suggests a small table + Easter computus).
 *
 * National days: Code du travail L3133-1 (11 days). Overseas additions: the abolition-of-slavery
 * days set by décret 83-1003 (Mayotte 27 Apr, Martinique 22 May, Guadeloupe 27 May, Saint-Martin
 * 28 May, Guyane 10 Jun, Saint-Barthélemy 9 Oct, Réunion 20 Dec), Good Friday and Victor Schœlcher
 * day (21 Jul) in the Antilles; New Caledonia's citizenship day (24 Sep); French Polynesia's Gospel
 * day (5 Mar), autonomy day (29 Jun) and Good Friday; Wallis-et-Futuna's Saint Pierre Chanel
 * (28 Apr) and territory day (29 Jul). Alsace-Moselle's extra days (Good Friday, 26 Dec) cannot be
 * told from a phone number and are not applied.
 *
 * Neighbouring countries (BE, LU, MC, CH, ES, DE, IT, AD) get their nationwide days from
 * holidays-neighbours.ts: the af2m rule is the recipient's own public holidays, not France's.
 */
import { EASTER, neighbourHolidays } from "./holidays-neighbours.js";

/** Gregorian Easter Sunday (Meeus/Jones/Butcher algorithm): [month 1-12, day]. */
export function easter(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const FRENCH_REGIONS = new Set(["FR", "GP", "MF", "BL", "MQ", "GF", "RE", "YT", "PM", "NC", "PF", "WF"]);

const EXTRA: Readonly<Record<string, readonly string[]>> = {
  GP: ["good-friday", "05-27", "07-21"],
  MQ: ["good-friday", "05-22", "07-21"],
  MF: ["good-friday", "05-28"],
  BL: ["10-09"],
  GF: ["06-10"],
  RE: ["12-20"],
  YT: ["04-27"],
  NC: ["09-24"],
  PF: ["good-friday", "03-05", "06-29"],
  WF: ["04-28", "07-29"],
};

const key = (d: Date) =>
  `${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")}`;

const cache = new Map<string, ReadonlySet<string>>();

/**
 * "MM-DD" keys of the region's public holidays in `year`: a French territory or a neighbouring
 * country, by ISO 3166-1 alpha-2 code in either case ("be" and "BE" alike, as stored on contacts
 * or typed in configuration); empty for any other region.
 */
export function holidaysOf(year: number, region: string): ReadonlySet<string> {
  const code = region.trim().toUpperCase();
  const id = `${year}:${code}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const [em, ed] = easter(year);
  const fromEaster = (n: number) => key(new Date(Date.UTC(year, em - 1, ed + n)));
  let set = new Set<string>();
  if (FRENCH_REGIONS.has(code)) {
    for (const d of ["01-01", "05-01", "05-08", "07-14", "08-15", "11-01", "11-11", "12-25"]) set.add(d);
    set.add(fromEaster(EASTER.easterMonday));
    set.add(fromEaster(EASTER.ascension));
    set.add(fromEaster(EASTER.whitMonday));
    for (const d of EXTRA[code] ?? []) set.add(d === "good-friday" ? fromEaster(EASTER.goodFriday) : d);
  } else {
    set = neighbourHolidays(year, code, fromEaster) ?? set;
  }
  cache.set(id, set);
  return set;
}

const ZONE_REGIONS: Readonly<Record<string, string>> = {
  "Europe/Paris": "FR",
  "America/Guadeloupe": "GP",
  "America/Marigot": "MF",
  "America/St_Barthelemy": "BL",
  "America/Martinique": "MQ",
  "America/Cayenne": "GF",
  "Indian/Reunion": "RE",
  "Indian/Mayotte": "YT",
  "America/Miquelon": "PM",
  "Pacific/Noumea": "NC",
  "Pacific/Tahiti": "PF",
  "Pacific/Marquesas": "PF",
  "Pacific/Gambier": "PF",
  "Pacific/Wallis": "WF",
  // Neighbours: a contact whose zone is overridden to one of these lives there, so that country's
  // holidays apply (Büsingen is a German enclave on Swiss time; Ceuta and the Canaries are Spain).
  "Europe/Brussels": "BE",
  "Europe/Luxembourg": "LU",
  "Europe/Monaco": "MC",
  "Europe/Zurich": "CH",
  "Europe/Madrid": "ES",
  "Africa/Ceuta": "ES",
  "Atlantic/Canary": "ES",
  "Europe/Berlin": "DE",
  "Europe/Busingen": "DE",
  "Europe/Rome": "IT",
  "Europe/Andorra": "AD",
};

/**
 * The territory or neighbouring country whose holidays apply in a zone; null elsewhere (no holiday
 * calendar). Europe/Vatican and Europe/San_Marino share Rome's clock but are other states: null.
 */
export function regionOfZone(zone: string): string | null {
  return ZONE_REGIONS[zone] ?? null;
}
