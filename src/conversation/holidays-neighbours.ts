/**
 * Nationwide public holidays of the neighbours a French business texts, keyed by the ISO 3166-1 code
 * that libphonenumber gives their numbers (+32 → BE …). Only days that hold for the whole country
 * are listed: a regional, cantonal, state or parish day cannot be told from a phone number, and
 * marketing held back on a day that is not off for this recipient costs one day, whereas marketing
 * on their holiday is what the "recipient's public holidays off" rule forbids.
 *
 * A rule is a fixed "MM-DD" or a number of days from Easter Sunday (see EASTER below).
 */

/** Offsets from Easter Sunday. */
export const EASTER = {
  carnivalMonday: -48,
  goodFriday: -2,
  easterMonday: 1,
  ascension: 39,
  whitMonday: 50,
  corpusChristi: 60,
} as const;

const E = EASTER;

export interface NeighbourCalendar {
  readonly days: readonly (string | number)[];
  /** Fixed days whose Monday after becomes a public holiday when they fall on a Sunday. */
  readonly mondayIfSunday?: readonly string[];
  /** Fixed days that only exist from a given year on. */
  readonly since?: Readonly<Record<string, number>>;
}

export const NEIGHBOUR_CALENDARS: Readonly<Record<string, NeighbourCalendar>> = {
  // Belgium: loi du 4 janvier 1974 relative aux jours fériés, arrêté royal du 18 avril 1974 art. 1
  // (10 days). The communities' days (11 Jul, 27 Sep, 15 Nov) are not days off nationwide, and the
  // replacement of a holiday falling on a Sunday is chosen per company: neither is applied.
  BE: {
    days: [
      "01-01",
      E.easterMonday,
      "05-01",
      E.ascension,
      E.whitMonday,
      "07-21",
      "08-15",
      "11-01",
      "11-11",
      "12-25",
    ],
  },
  // Luxembourg: Code du travail art. L.232-2 (11 days); Europe Day (9 May) added by the loi du
  // 25 avril 2019, first observed in 2019. A holiday falling on a Sunday gives a compensatory day
  // off, not a fixed public holiday: not applied.
  LU: {
    days: [
      "01-01",
      E.easterMonday,
      "05-01",
      "05-09",
      E.ascension,
      E.whitMonday,
      "06-23",
      "08-15",
      "11-01",
      "12-25",
      "12-26",
    ],
    since: { "05-09": 2019 },
  },
  // Monaco: loi n° 798 du 18 février 1966 relative aux jours fériés légaux, modifiée (12 days, with
  // Sainte Dévote 27 Jan, Fête-Dieu, Fête du Prince 19 Nov, Immaculate Conception 8 Dec). When
  // 1 Jan, 1 May, 15 Aug, 1 Nov, 19 Nov or 25 Dec falls on a Sunday, the Monday after is a legal
  // holiday (as in the yearly circulars of the Direction du Travail: Monday 2 Nov 2026).
  MC: {
    days: [
      "01-01",
      "01-27",
      E.easterMonday,
      "05-01",
      E.ascension,
      E.whitMonday,
      E.corpusChristi,
      "08-15",
      "11-01",
      "11-19",
      "12-08",
      "12-25",
    ],
    mondayIfSunday: ["01-01", "05-01", "08-15", "11-01", "11-19", "12-25"],
  },
  // Switzerland: only 1 August is federal (Constitution fédérale art. 110 al. 3); the others are set
  // by each canton (loi sur le travail art. 20a). Kept, per the Office fédéral de la justice's table
  // of cantonal holidays: the days off in all 26 cantons (1 Jan, Ascension, 25 Dec) and those off
  // by law or custom in all but two or three (Good Friday: not Ticino, Valais; Easter and Whit
  // Monday: not Neuchâtel, Solothurn, customary only in Valais). Left out: 2 Jan, 1 May, 26 Dec,
  // Corpus Christi and the Catholic days, which many cantons (Geneva and Vaud among them for
  // 26 Dec) do not observe.
  CH: {
    days: ["01-01", E.goodFriday, E.easterMonday, E.ascension, E.whitMonday, "08-01", "12-25"],
  },
  // Spain: the national days of the state calendar (Real Decreto 2001/1983 art. 45, Estatuto de los
  // Trabajadores art. 37.2, confirmed each year by a resolution of the Dirección General de Trabajo
  // in the BOE). Holy Thursday, 19 Mar, 25 Jul, the Monday after a holiday falling on a Sunday and
  // each community's own days are chosen by the autonomous communities: not applied.
  ES: {
    days: ["01-01", "01-06", E.goodFriday, "05-01", "08-15", "10-12", "11-01", "12-06", "12-08", "12-25"],
  },
  // Germany: the nine days every Land's Feiertagsgesetz has, 3 Oct being federal (Einigungsvertrag
  // art. 2 al. 2). Epiphany, Corpus Christi, Reformation Day, All Saints, Buß- und Bettag etc. are
  // only in some Länder: not applied.
  DE: {
    days: [
      "01-01",
      E.goodFriday,
      E.easterMonday,
      "05-01",
      E.ascension,
      E.whitMonday,
      "10-03",
      "12-25",
      "12-26",
    ],
  },
  // Italy: legge 27 maggio 1949 n. 260 art. 2 as amended by legge 5 marzo 1977 n. 54, DPR 28 dicembre
  // 1985 n. 792 (Epiphany back), legge 20 novembre 2000 n. 336 (2 June back) and legge 8 ottobre
  // 2025 n. 151 (4 Oct, San Francesco, from 2026). Each town's patron saint day is local.
  IT: {
    days: [
      "01-01",
      "01-06",
      E.easterMonday,
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
    since: { "10-04": 2026 },
  },
  // Andorra: the 14 days of the Govern's yearly Decret del calendari laboral (Llei 31/2018 de
  // relacions laborals), Carnival Monday included. Each parish's festa major is local.
  AD: {
    days: [
      "01-01",
      "01-06",
      E.carnivalMonday,
      "03-14",
      E.goodFriday,
      E.easterMonday,
      "05-01",
      E.whitMonday,
      "08-15",
      "09-08",
      "11-01",
      "12-08",
      "12-25",
      "12-26",
    ],
  },
};

/**
 * "MM-DD" keys of a neighbour's nationwide holidays in `year`; null when `region` has no table.
 * `fromEaster(n)` is the key of Easter Sunday + n days in `year`.
 */
export function neighbourHolidays(
  year: number,
  region: string,
  fromEaster: (n: number) => string,
): Set<string> | null {
  const cal = NEIGHBOUR_CALENDARS[region];
  if (!cal) return null;
  const set = new Set<string>();
  for (const d of cal.days) {
    if (typeof d === "number") set.add(fromEaster(d));
    else if (year >= (cal.since?.[d] ?? Number.NEGATIVE_INFINITY)) set.add(d);
  }
  for (const d of cal.mondayIfSunday ?? []) {
    const date = new Date(Date.UTC(year, Number(d.slice(0, 2)) - 1, Number(d.slice(3))));
    if (date.getUTCDay() === 0) {
      date.setUTCDate(date.getUTCDate() + 1);
      set.add(
        `${String(date.getUTCMonth() + 1).padStart(2, "0")}-${String(date.getUTCDate()).padStart(2, "0")}`,
      );
    }
  }
  return set;
}
