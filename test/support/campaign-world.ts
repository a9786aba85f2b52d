/**
 * The checker's model of each contact over time, built from the generated world alone (what the
 * people did), never from the gateway's tables: when marketing consent was in force (CPCE L34-5)
 * and when the contact was opted out. A STOP that finds the contact already opted out changes
 * nothing (docs/compliance.md: no second confirmation); START lifts the opt-out and gives back the
 * consent that STOP withdrew, no more.
 *
 * Each bound carries its time and its tick (the order in which the run applied the event, shared
 * with the modems' log): a send is judged by tick, so that one handed to a modem in the same
 * millisecond as a STOP but before it is told from one after it. Refusals and cancellations are
 * judged by time: they are effects of the event, never earlier than it.
 */
import type { World, WorldEvent } from "./campaign-population.js";

/** [from, to) in time and in ticks; `to` is Infinity while still open. */
interface Interval {
  readonly from: number;
  readonly fromTick: number;
  to: number;
  toTick: number;
}

export interface Timeline {
  readonly consent: Interval[];
  readonly optedOut: Interval[];
  /** Instants of the STOPs that opted the contact out (each owes one confirmation). */
  readonly optOuts: number[];
  /** Instants of the STARTs that lifted an opt-out (each owes one confirmation). */
  readonly optIns: number[];
}

const INF = Number.POSITIVE_INFINITY;
const interval = (from: number, fromTick: number, to = INF, toTick = INF): Interval => ({
  from,
  fromTick,
  to,
  toTick,
});
const open = (xs: Interval[]) => xs.length > 0 && xs[xs.length - 1]!.to === INF;
const close = (xs: Interval[], at: number, tick: number) => {
  const last = xs[xs.length - 1];
  if (last && last.to === INF) Object.assign(last, { to: at, toTick: tick });
};
const within = (xs: readonly Interval[], t: number) => xs.some((x) => x.from <= t && t < x.to);
const withinTick = (xs: readonly Interval[], t: number) => xs.some((x) => x.fromTick <= t && t < x.toTick);

export class Timelines {
  readonly #byContact = new Map<string, Timeline & { stopTookConsent: boolean }>();

  /** `ticks`: when the run applied each event (every event must have been applied). */
  constructor(world: World, ticks: ReadonlyMap<WorldEvent, number>) {
    for (const p of world.people) {
      const consent: Interval[] = [];
      if (p.consent === "opt-in" || p.consent === "soft-opt-in") consent.push(interval(p.grantedAt, -INF));
      else if (p.consent === "withdrawn") consent.push(interval(p.grantedAt, -INF, p.withdrawnAt, -INF));
      this.#byContact.set(p.e164, { consent, optedOut: [], optOuts: [], optIns: [], stopTookConsent: false });
    }
    for (const e of world.events) {
      if (e.kind === "wave") continue;
      const t = this.#byContact.get(e.to);
      const tick = ticks.get(e);
      if (!t || tick === undefined) throw new Error(`event for ${e.to} unknown or never applied`);
      switch (e.kind) {
        case "stop":
          if (open(t.optedOut)) break;
          t.optedOut.push(interval(e.at, tick));
          t.optOuts.push(e.at);
          t.stopTookConsent = open(t.consent);
          close(t.consent, e.at, tick);
          break;
        case "start":
          if (!open(t.optedOut)) break;
          close(t.optedOut, e.at, tick);
          t.optIns.push(e.at);
          if (t.stopTookConsent) t.consent.push(interval(e.at, tick));
          break;
        case "withdraw":
          close(t.consent, e.at, tick);
          break;
        case "grant":
          if (!open(t.consent)) t.consent.push(interval(e.at, tick));
          break;
      }
    }
  }

  of(contact: string): Timeline {
    const t = this.#byContact.get(contact);
    if (!t) throw new Error(`unknown contact ${contact}`);
    return t;
  }

  consentAt(contact: string, at: number): boolean {
    return within(this.of(contact).consent, at);
  }

  optedOutAt(contact: string, at: number): boolean {
    return within(this.of(contact).optedOut, at);
  }

  consentAtTick(contact: string, tick: number): boolean {
    return withinTick(this.of(contact).consent, tick);
  }

  optedOutAtTick(contact: string, tick: number): boolean {
    return withinTick(this.of(contact).optedOut, tick);
  }
}
