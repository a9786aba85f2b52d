/**
 * The campaign's checker must be able to fail: each rule is shown catching a forged violation,
 * and letting the lawful neighbour of that violation through (the same send one tick earlier, one
 * minute before closing, on a day that is a holiday elsewhere only…). Then a small real campaign
 * is run and tampered with, so the accounting is shown refusing a loss or a wrong reason.
 */
import { afterAll, describe, expect, it } from "vitest";
import { account } from "../support/campaign-accounting.js";
import {
  checkConfirmations,
  checkMarketing,
  type Outcome,
  type Sent,
  sentMessages,
  type Transmission,
  Violations,
} from "../support/campaign-checker.js";
import { generateWorld, type Person, type World, type WorldEvent } from "../support/campaign-population.js";
import { type CampaignRun, runCampaign } from "../support/campaign-run.js";
import { Timelines } from "../support/campaign-world.js";

const BUSINESS = "Boulangerie Martin";
const GOOD = `Offre : -20% ce samedi\n${BUSINESS} : répondez STOP pour ne plus recevoir de SMS.`;
const t = (iso: string) => Date.parse(iso);
const person = (e164: string, region: Person["region"], consent: Person["consent"]): Person => ({
  e164,
  region,
  consent,
  grantedAt: t("2025-06-01T10:00:00Z"),
  withdrawnAt: t("2025-07-01T10:00:00Z"),
});
const A = person("+33612345678", "FR", "opt-in");
const B = person("+590690123456", "GP", "soft-opt-in");
const C = person("+33698765432", "FR", "none");
const STOP_AT = t("2026-03-31T12:00:00Z");
const stopA: WorldEvent = { at: STOP_AT, kind: "stop", to: A.e164, text: "STOP" };
const world: World = {
  businessName: BUSINESS,
  origin: t("2026-03-09T07:00:00Z"),
  people: [A, B, C],
  byNumber: new Map([A, B, C].map((p) => [p.e164, p])),
  events: [stopA],
  attempts: [],
};
const lines = new Timelines(world, new Map([[stopA, 100]]));

/** One marketing message to `to`, enqueued at `asked`, handed to a modem at `at` (tick `tick`). */
function forge(to: string, at: number, o: { tick?: number; body?: string; asked?: number; n?: number } = {}) {
  const id = `m${o.n ?? 1}`;
  const body = o.body ?? GOOD;
  const tx: Transmission = { pdu: id, at, tick: o.tick ?? 50, recipient: to, text: body };
  const sent: Sent = {
    message: { id, to_number: to, category: "marketing", body, status: "sent" },
    parts: new Map([[1, tx]]),
    total: 1,
  };
  const outcome: Outcome = { attempt: { n: o.n ?? 1, wave: 1, to, text: body }, at: o.asked ?? at, id };
  return { sent, outcome };
}

function judge(...msgs: ReturnType<typeof forge>[]): string[] {
  const v = new Violations();
  checkMarketing(
    world,
    lines,
    msgs.map((m) => m.outcome),
    new Map(msgs.map((m) => [m.sent.message.id, m.sent])),
    v,
  );
  return v.list.map((x) => x.slice(0, x.indexOf(": ")));
}

describe("campaign checker, marketing rules", () => {
  it("catches a send after the STOP, even in the STOP's own millisecond, but not one handed over before it", () => {
    expect(judge(forge(A.e164, STOP_AT, { tick: 99 }))).toEqual([]);
    expect(judge(forge(A.e164, STOP_AT, { tick: 101 }))).toEqual([
      "no consent at send time",
      "sent after opt-out",
    ]);
  });

  it("catches marketing to a contact who never consented", () => {
    expect(judge(forge(C.e164, t("2026-03-31T09:00:00Z")))).toEqual(["no consent at send time"]);
  });

  it("knows Good Friday is a holiday in Guadeloupe and not in metropolitan France", () => {
    const noonInBoth = t("2026-04-03T16:00:00Z"); // 18:00 Paris, 12:00 Guadeloupe
    expect(judge(forge(A.e164, noonInBoth, { tick: 1 }))).toEqual([]);
    expect(judge(forge(B.e164, noonInBoth))).toEqual(["outside the window (holiday)"]);
  });

  it("closes at 21:30 recipient-local and opens at 08:00 local across the DST change", () => {
    expect(judge(forge(B.e164, t("2026-03-31T01:29:00Z")))).toEqual([]); // 21:29 in Guadeloupe
    expect(judge(forge(B.e164, t("2026-03-31T01:30:00Z")))).toEqual(["outside the window (after-21:30)"]);
    expect(judge(forge(A.e164, t("2026-03-30T06:00:00Z"), { tick: 1 }))).toEqual([]); // 08:00 CEST
    expect(judge(forge(A.e164, t("2026-03-30T05:30:00Z"), { tick: 1 }))).toEqual([
      "outside the window (before-08:00)", // 07:30 CEST, though 06:30 in winter time
    ]);
    expect(judge(forge(B.e164, t("2026-03-29T16:00:00Z")))).toEqual(["outside the window (sunday)"]);
  });

  it("wants the advertiser's name and a STOP word, not a word that merely contains it", () => {
    expect(judge(forge(B.e164, t("2026-03-31T14:00:00Z"), { body: "Promo -20% STOPPER les prix" }))).toEqual([
      "advertiser not named",
      "no STOP instruction",
    ]);
  });

  it("counts a fifth marketing message within 30 days, not one after them", () => {
    const day = (d: number) => t(`2026-03-${String(10 + d).padStart(2, "0")}T14:00:00Z`);
    const four = [1, 2, 3, 4].map((d) => forge(B.e164, day(d), { n: d }));
    expect(judge(...four)).toEqual([]);
    expect(judge(...four, forge(B.e164, day(6), { n: 6 }))).toEqual(["above the cap"]);
  });

  it("catches a message asked for a closed time that did not leave at the next open slot", () => {
    const saturdayNight = t("2026-03-28T21:00:00Z"); // 22:00 Paris; next slot Monday 08:00 CEST
    expect(judge(forge(A.e164, t("2026-03-30T06:00:00Z"), { asked: saturdayNight, tick: 1 }))).toEqual([]);
    expect(judge(forge(A.e164, t("2026-03-30T07:00:00Z"), { asked: saturdayNight, tick: 1 }))).toEqual([
      "held past the next open slot",
    ]);
  });
});

describe("campaign checker, opt-out confirmations", () => {
  const confirmation = (at: number, n: number): [string, Sent] => {
    const body = `${BUSINESS} : vous ne recevrez plus de SMS de notre part. Répondez START pour vous réabonner.`;
    const tx: Transmission = { pdu: `c${n}`, at, tick: 200 + n, recipient: A.e164, text: body };
    const message = { id: `c${n}`, to_number: A.e164, category: "transactional", body, status: "sent" };
    return [message.id, { message, parts: new Map([[1, tx]]), total: 1 }];
  };
  const check = (...sent: [string, Sent][]) => {
    const v = new Violations();
    checkConfirmations(world, lines, new Map(sent), v);
    return v.list.map((x) => x.slice(0, x.indexOf(": ")));
  };

  it("wants exactly one, right after the STOP", () => {
    expect(check(confirmation(STOP_AT + 1000, 1))).toEqual([]);
    expect(check()).toEqual(["opt-out confirmations"]);
    expect(check(confirmation(STOP_AT + 1000, 1), confirmation(STOP_AT + 2000, 2))).toEqual([
      "opt-out confirmations",
    ]);
    expect(check(confirmation(STOP_AT + 3_600_000, 1))).toEqual(["opt-out confirmation late"]);
  });
});

describe("campaign accounting on a small real run", () => {
  let run: CampaignRun | undefined;
  afterAll(async () => {
    await run?.engine.stop();
  });
  const small = generateWorld({ seed: 7, contacts: 80, perWave: 40 });

  it("passes the untouched run, then refuses a lost message and a wrong refusal reason", async () => {
    run = await runCampaign(small);
    const audit = (outcomes: readonly Outcome[], tx: readonly Transmission[]) => {
      const lines = new Timelines(small, run!.ticks);
      const v = new Violations();
      const sent = sentMessages(run!.engine.db, tx, v);
      checkMarketing(small, lines, outcomes, sent, v);
      checkConfirmations(small, lines, sent, v);
      account(run!.engine.db, small, lines, outcomes, sent, v);
      return v.list.map((x) => x.slice(0, x.indexOf(": ")));
    };
    expect(audit(run.outcomes, run.transmissions)).toEqual([]);

    // A marketing PDU the modems never got: the store says sent, nothing left.
    const ids = new Set(run.outcomes.flatMap((o) => (o.id ? [o.id] : [])));
    const pdus = new Map(
      (
        run.engine.db.prepare("SELECT message_id AS id, pdu FROM parts").all() as {
          id: string;
          pdu: string;
        }[]
      ).map((p) => [p.pdu, p.id]),
    );
    const lost = run.transmissions.findIndex((x) => ids.has(pdus.get(x.pdu) ?? ""));
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(audit(run.outcomes, run.transmissions.toSpliced(lost, 1))).toContain(
      "sent without its PDUs on the modem",
    );

    // A refusal blamed on the cap for a contact who had consent and room.
    const i = run.outcomes.findIndex((o) => o.id !== undefined);
    const wrong = run.outcomes.map((o, k) =>
      k === i ? { attempt: o.attempt, at: o.at, refused: "frequency-cap" } : o,
    );
    expect(audit(wrong, run.transmissions)).toContain("refused without cause (frequency-cap)");
  });
});
