/**
 * A seeded campaign world: contacts across metropolitan France, every overseas territory and four
 * neighbours, their consent as it stands before the campaign, and the timeline of what happens —
 * earlier marketing that partly uses the cap (ecosystem §4.7: 4 per 30 days), STOPs before and
 * during the campaign, API consent changes, and the ten enqueue waves of the campaign itself.
 *
 * The weeks are placed around the last Sunday of March 2026 (DST, 29 March in Europe), Good Friday
 * 3 April (a holiday in Guadeloupe, Martinique and French Polynesia only) and Easter Monday 6 April
 * (a national holiday), with the Sundays 29 March and 5 April.
 */
import { isValidPhoneNumber } from "libphonenumber-js/max";
import { mulberry32, type Rng } from "../../src/sim/prng.js";
import type { Region } from "./campaign-calendar.js";

export type ConsentState = "opt-in" | "soft-opt-in" | "withdrawn" | "none";

export interface Person {
  readonly e164: string;
  readonly region: Region;
  readonly consent: ConsentState;
  /** When the consent was given (opt-in, soft-opt-in, withdrawn) — always before the campaign. */
  readonly grantedAt: number;
  /** For "withdrawn": when it was withdrawn. */
  readonly withdrawnAt: number;
}

export interface Attempt {
  readonly n: number;
  /** 0: earlier marketing sent before the campaign; 1–10: the campaign's waves. */
  readonly wave: number;
  readonly to: string;
  readonly text: string;
  readonly sendAt?: number;
  readonly validUntil?: number;
}

export type WorldEvent =
  | { readonly at: number; readonly kind: "wave"; readonly wave: number; readonly attempts: Attempt[] }
  | { readonly at: number; readonly kind: "stop"; readonly to: string; readonly text: string }
  | { readonly at: number; readonly kind: "start"; readonly to: string }
  | { readonly at: number; readonly kind: "withdraw" | "grant"; readonly to: string };

export interface World {
  readonly businessName: string;
  /** Clock at setup: the ledger is loaded then. */
  readonly origin: number;
  readonly people: readonly Person[];
  readonly byNumber: ReadonlyMap<string, Person>;
  /** Sorted by time (stable). */
  readonly events: readonly WorldEvent[];
  readonly attempts: readonly Attempt[];
}

const H = 3_600_000;
const D = 24 * H;
const utc = (iso: string) => Date.parse(iso);

export const ORIGIN = utc("2026-03-09T07:00:00Z");
/**
 * Ten waves, each sent within two days: the whole campaign spreads over the fortnight while the
 * queue holds one or two waves at a time, as a shop's weekly offers would.
 */
export const WAVES: readonly number[] = [
  utc("2026-03-27T10:00:00Z"), // Friday 11:00 Paris
  utc("2026-03-27T20:15:00Z"), // Friday 21:15 Paris: a quarter of an hour before the window closes
  utc("2026-03-28T21:45:00Z"), // Saturday 22:45 Paris: closed, then Sunday, then the DST night
  utc("2026-03-29T09:00:00Z"), // Sunday, the day of the DST change
  utc("2026-03-30T05:30:00Z"), // Monday 07:30 CEST: before the window opens in Europe
  utc("2026-03-31T14:00:00Z"), // Tuesday afternoon: open in Europe, night in the Pacific
  utc("2026-04-02T19:00:00Z"), // Thursday, on the eve of Good Friday
  utc("2026-04-03T11:00:00Z"), // Good Friday: off in Guadeloupe, Martinique, French Polynesia
  utc("2026-04-04T12:00:00Z"), // Saturday before Easter Sunday and Monday
  utc("2026-04-06T07:00:00Z"), // Easter Monday: off in every French territory, not abroad
];
const CAMPAIGN_END = utc("2026-04-08T12:00:00Z");

/** How each region's numbers are made: prefix, random digits, weight in the population. */
const NUMBERING: readonly (readonly [Region, string, number, number])[] = [
  ["FR", "+336", 8, 56],
  ["GP", "+590690", 6, 5],
  ["MQ", "+596696", 6, 5],
  ["GF", "+594694", 6, 4],
  ["RE", "+262692", 6, 5],
  ["YT", "+26263940", 4, 3],
  ["PM", "+50855", 4, 2],
  ["NC", "+68775", 4, 3],
  ["PF", "+68987", 6, 3],
  ["WF", "+68182", 4, 2],
  ["BE", "+3247", 7, 3],
  ["CH", "+4178", 7, 3],
  ["ES", "+346", 8, 3],
  ["DE", "+49151", 8, 3],
];

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const between = (rng: Rng, from: number, to: number) =>
  from + Math.floor((rng() * (to - from)) / 60_000) * 60_000;
const quarter = (t: number) => Math.ceil(t / (15 * 60_000)) * 15 * 60_000;
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => Math.floor(rng() * 10)).join("");

function weighted<T>(rng: Rng, xs: readonly (readonly [T, number])[]): T {
  let r = rng() * xs.reduce((s, x) => s + x[1], 0);
  for (const [v, w] of xs) {
    r -= w;
    if (r < 0) return v;
  }
  return xs[xs.length - 1]![0];
}

function bodyFor(rng: Rng, n: number, business: string): string {
  return weighted<() => string>(rng, [
    [() => `Offre #${n} : -20% sur les croissants ce week-end`, 40],
    [() => `${business} : -10% sur les tartes #${n} ! STOP au 36111`, 20],
    [() => `${business} vous offre un café avec la viennoiserie #${n}`, 15],
    [() => `Nouveau #${n} : pain au levain, répondez stop si vous ne voulez plus de nos offres`, 10],
    [() => `Crème brûlée maison #${n}, à goûter cette semaine`, 8],
    [() => `Offre #${n} : ${"les galettes, les brioches et les pains spéciaux ".repeat(3)}à -15%`, 7],
  ])();
}

/** Fisher–Yates: a sort with a random comparator is neither uniform nor stable across engines. */
function shuffled<T>(rng: Rng, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const STOP_WORDS = ["STOP", "Stop merci", "stop", "ARRÊT", "STOP.", "Bonjour, STOP svp"];

/** Everything derives from `seed`: the same seed is the same campaign. */
export function generateWorld(o: { seed: number; contacts: number; perWave: number }): World {
  const rng = mulberry32(o.seed);
  const businessName = "Boulangerie Martin";
  const seen = new Set<string>();
  const people: Person[] = [];
  const events: WorldEvent[] = [];
  while (people.length < o.contacts) {
    const [region, prefix, n] = weighted(
      rng,
      NUMBERING.map(([r, p, d, w]) => [[r, p, d] as const, w] as const),
    );
    const e164 = prefix + digits(rng, n);
    // A random digit string can fall in an unassigned range; the campaign is about real numbers.
    if (seen.has(e164) || !isValidPhoneNumber(e164)) continue;
    seen.add(e164);
    const consent = weighted<ConsentState>(rng, [
      ["opt-in", 45],
      ["soft-opt-in", 13],
      ["withdrawn", 17],
      ["none", 25],
    ]);
    const grantedAt = ORIGIN - between(rng, 40 * D, 400 * D);
    people.push({ e164, region, consent, grantedAt, withdrawnAt: grantedAt + between(rng, D, 30 * D) });
  }
  const granted = people.filter((p) => p.consent === "opt-in" || p.consent === "soft-opt-in");
  const attempts: Attempt[] = [];
  const attempt = (a: Omit<Attempt, "n">) => {
    const x = { ...a, n: attempts.length + 1 };
    attempts.push(x);
    return x;
  };
  // Earlier campaigns: one contact in four already has 1–3 marketing messages in the 30-day window.
  const priorEnd = utc("2026-03-20T18:00:00Z");
  for (const p of granted)
    if (rng() < 0.25)
      for (let k = 1 + Math.floor(rng() * 3); k > 0; k--) {
        const a = attempt({ wave: 0, to: p.e164, text: bodyFor(rng, attempts.length + 1, businessName) });
        events.push({ at: between(rng, ORIGIN + H, priorEnd), kind: "wave", wave: 0, attempts: [a] });
      }
  // Opted out before the campaign, by SMS (some of them STOP twice: one confirmation only).
  const preStopped = new Set<string>();
  for (const p of granted)
    if (rng() < 0.09) {
      preStopped.add(p.e164);
      const at = between(rng, ORIGIN + D, WAVES[0]! - H);
      events.push({ at, kind: "stop", to: p.e164, text: pick(rng, STOP_WORDS) });
      if (rng() < 0.2)
        events.push({ at: at + between(rng, H, 3 * D), kind: "stop", to: p.e164, text: "STOP" });
    }
  // The campaign: each wave targets a random share of the list (0–10 attempts per contact).
  WAVES.forEach((waveAt, i) => {
    const list: Attempt[] = [];
    const targets = shuffled(rng, people).slice(0, o.perWave);
    for (const p of targets) {
      // On the quarter hour, as scheduling screens offer: every window edge (08:00, 21:30 in zones
      // with whole-hour offsets) is still hit on both sides.
      const earliest = rng() < 0.35 ? undefined : quarter(between(rng, waveAt, waveAt + 2 * D));
      const from = earliest ?? waveAt;
      const validUntil = rng() < 0.12 ? from + between(rng, 2 * H, 36 * H) : undefined;
      list.push(
        attempt({
          wave: i + 1,
          to: p.e164,
          text: bodyFor(rng, attempts.length + 1, businessName),
          ...(earliest !== undefined ? { sendAt: earliest } : {}),
          ...(validUntil !== undefined ? { validUntil } : {}),
        }),
      );
    }
    events.push({ at: waveAt, kind: "wave", wave: i + 1, attempts: list });
  });
  // During the campaign: STOPs by SMS while marketing waits (some at the very minute a message
  // falls due, some twice, some followed by START), consent withdrawn or given through the API.
  const eligible = people.filter((p) => !preStopped.has(p.e164));
  const byContact = new Map<string, Attempt[]>();
  for (const x of attempts) if (x.wave > 0) byContact.set(x.to, [...(byContact.get(x.to) ?? []), x]);
  // Mostly while one of the contact's messages waits (between its wave and its send time), a third
  // of those at the very minute it falls due; otherwise anywhere in the campaign.
  const whileWaiting = (to: string): number => {
    const mine = byContact.get(to) ?? [];
    const a = mine.length > 0 && rng() < 0.8 ? pick(rng, mine) : undefined;
    if (!a) return between(rng, WAVES[0]! + 60_000, CAMPAIGN_END);
    const waveAt = WAVES[a.wave - 1]!;
    const due = a.sendAt ?? waveAt + 12 * H;
    return a.sendAt !== undefined && rng() < 0.35
      ? a.sendAt
      : between(rng, waveAt + 60_000, Math.max(due, waveAt + 2 * 60_000));
  };
  for (const p of eligible) {
    const r = rng();
    const consented = p.consent === "opt-in" || p.consent === "soft-opt-in";
    if (r < (consented ? 0.15 : 0.03)) {
      const at = whileWaiting(p.e164);
      events.push({ at, kind: "stop", to: p.e164, text: pick(rng, STOP_WORDS) });
      const more = rng();
      if (more < 0.2)
        events.push({ at: at + between(rng, H, 3 * D), kind: "stop", to: p.e164, text: "Stop" });
      else if (more < 0.4 && at < WAVES[6]!)
        events.push({ at: at + between(rng, H, WAVES[6]! - at), kind: "start", to: p.e164 });
    } else if (consented && r < 0.23) {
      events.push({ at: whileWaiting(p.e164), kind: "withdraw", to: p.e164 });
    } else if (r < 0.22 && p.consent === "none") {
      events.push({ at: between(rng, ORIGIN + H, WAVES[6]!), kind: "grant", to: p.e164 });
    }
  }
  const order = { grant: 0, withdraw: 1, start: 2, stop: 3, wave: 4 } as const;
  events.sort((a, b) => a.at - b.at || order[a.kind] - order[b.kind]);
  return {
    businessName,
    origin: ORIGIN,
    people,
    byNumber: new Map(people.map((p) => [p.e164, p])),
    events,
    attempts,
  };
}
