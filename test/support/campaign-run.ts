/**
 * Runs a generated campaign world on the real gateway send path:
 * - the Engine with the compliance configuration the composition root builds (af2m-2026 profile,
 *   cap 4 per 30 days) and the keyword hook, on an in-memory SQLite database;
 * - marketing enqueued through `defaultSend(engine)`, the CompliantSender the HTTP API uses;
 * - STOP/START as SMS-DELIVER PDUs handed to the engine by the modem, the real ingest path;
 * - consent given or withdrawn through the ledger (src/conversation/consent.ts), as an operator would;
 * - two instant modems that log every PDU they are handed (campaign-modem.ts).
 */
import { recordConsent } from "../../src/conversation/consent.js";
import { inTxEnqueuer } from "../../src/conversation/enqueue-in-tx.js";
import { createKeywordHook } from "../../src/conversation/hook.js";
import { isComplianceError } from "../../src/conversation/policy.js";
import { profileFromConfig } from "../../src/conversation/windows.js";
import { Engine } from "../../src/engine/engine.js";
import { isEngineError } from "../../src/engine/index.js";
import { defaultSend } from "../../src/http/adapters.js";
import { mulberry32 } from "../../src/sim/prng.js";
import { deliverPdu } from "../helpers/engine-fakes.js";
import type { Outcome, Transmission } from "./campaign-checker.js";
import { CampaignClock, type DriveStats, drive } from "./campaign-driver.js";
import { CampaignModem, Ticks } from "./campaign-modem.js";
import type { Attempt, World, WorldEvent } from "./campaign-population.js";

export interface CampaignRun {
  readonly engine: Engine;
  readonly outcomes: Outcome[];
  readonly transmissions: Transmission[];
  /** When each world event took effect, in the order shared with the modems' log. */
  readonly ticks: ReadonlyMap<WorldEvent, number>;
  readonly stats: DriveStats;
  /** STOPs injected while the contact had marketing waiting (queued or scheduled). */
  readonly stopsWhileQueued: number;
}

/** Needs no GSM-7 escape: é is in the default alphabet, Ê is not (23.038), so ARRÊT goes as UCS-2. */
const gsm7 = (s: string) => /^[\x20-\x7Eé\n]*$/.test(s);

export async function runCampaign(world: World): Promise<CampaignRun> {
  const clock = new CampaignClock(world.origin);
  let engine: Engine | undefined;
  const keywordHook = createKeywordHook(
    { businessName: world.businessName, businessContact: "05 90 12 34 56" },
    { enqueueInTx: inTxEnqueuer({ defaultCountry: "FR" }), wake: () => engine?.wake() },
  );
  engine = new Engine({
    db: ":memory:",
    clock,
    random: mulberry32(7),
    keywordHook,
    // The modems' own limits are not under test: no daily or distinct-recipient cap, 10 parts/s each.
    config: {
      ratePerMinute: 600,
      rateBurst: 10,
      dailyCapPerModem: 0,
      distinctRecipientsCap: 0,
      sweepIntervalMs: 3_600_000,
    },
    compliance: {
      businessName: world.businessName,
      window: profileFromConfig({
        profile: "af2m-2026",
        marketingWindow: { start: "08:00", end: "21:30" },
        allowSundaysAndHolidays: false,
      }),
      marketingCap: { max: 4, perDays: 30 },
      now: () => clock.now(),
    },
  });
  const ticks = new Ticks();
  const transmissions: Transmission[] = [];
  const modems = [0, 1].map((i) => new CampaignModem(`imei:86000000000000${i}`, clock, ticks, transmissions));
  for (const m of modems) engine.addModem(m);
  const db = engine.db;
  db.transaction(() => {
    for (const p of world.people) {
      if (p.consent === "none") continue;
      const c = { db, at: clock.now() };
      const basis = p.consent === "soft-opt-in" ? "soft-opt-in" : "opt-in";
      recordConsent(c, {
        contact: p.e164,
        purpose: "marketing",
        status: "granted",
        basis,
        source: "import",
        at: p.grantedAt,
      });
      if (p.consent === "withdrawn")
        recordConsent(c, {
          contact: p.e164,
          purpose: "marketing",
          status: "withdrawn",
          source: "web-form",
          at: p.withdrawnAt,
        });
    }
  })();
  engine.start();

  const send = defaultSend(engine);
  const outcomes: Outcome[] = [];
  const tryEnqueue = (a: Attempt) => {
    const at = clock.now();
    try {
      const r = send({
        to: a.to,
        text: a.text,
        category: "marketing",
        ...(a.sendAt !== undefined ? { sendAt: a.sendAt } : {}),
        ...(a.validUntil !== undefined ? { validUntil: a.validUntil } : {}),
      });
      outcomes.push({ attempt: a, at, id: r.id });
    } catch (e) {
      if (isComplianceError(e)) outcomes.push({ attempt: a, at, refused: e.problem });
      else if (isEngineError(e)) outcomes.push({ attempt: a, at, refused: e.code });
      else throw e;
    }
  };
  const waiting = db.prepare(
    "SELECT COUNT(*) AS n FROM messages WHERE to_number = ? AND category = 'marketing' AND status IN ('queued','scheduled')",
  );
  let stopsWhileQueued = 0;
  let turn = 0;
  const applied = new Map<WorldEvent, number>();
  const apply = async (e: WorldEvent) => {
    const ctx = { db, at: clock.now() };
    applied.set(e, ticks.next());
    switch (e.kind) {
      case "wave":
        // One transaction per wave (each enqueue is a savepoint in it): the checks and inserts are
        // the same, the commit is paid once.
        db.transaction(() => e.attempts.forEach(tryEnqueue))();
        return;
      case "stop":
      case "start": {
        const text = e.kind === "stop" ? e.text : "START";
        if (e.kind === "stop" && (waiting.get(e.to) as { n: number }).n > 0) stopsWhileQueued++;
        const modem = modems[turn++ % modems.length]!;
        await modem.deliver(
          deliverPdu({ from: e.to, text, at: ctx.at, coding: gsm7(text) ? "gsm7" : "ucs2" }),
        );
        return;
      }
      case "withdraw":
        recordConsent(ctx, { contact: e.to, purpose: "marketing", status: "withdrawn", source: "api" });
        return;
      case "grant":
        recordConsent(ctx, {
          contact: e.to,
          purpose: "marketing",
          status: "granted",
          basis: "opt-in",
          source: "in-store",
        });
        return;
    }
  };
  const stats = await drive({
    clock,
    db,
    events: world.events,
    apply,
    limit: Date.parse("2026-05-01T00:00:00Z"),
  });
  return { engine, outcomes, transmissions, ticks: applied, stats, stopsWhileQueued };
}
