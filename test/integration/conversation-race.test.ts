/**
 * The send path with the compliance layer on the real Engine (temporary SQLite file, fake modem):
 * a STOP arriving while a marketing message waits must win, and later sends are refused.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CompliantSender } from "../../src/conversation/compliant-sender.js";
import { recordConsent } from "../../src/conversation/consent.js";
import { inTxEnqueuer } from "../../src/conversation/enqueue-in-tx.js";
import { createKeywordHook } from "../../src/conversation/hook.js";
import { ComplianceError } from "../../src/conversation/policy.js";
import { ensureConversationSchema } from "../../src/conversation/schema.js";
import { PROFILES } from "../../src/conversation/windows.js";
import type { Engine } from "../../src/engine/engine.js";
import { deliverPdu, ManualClock } from "../helpers/engine-fakes.js";
import { A, B, type Setup, setupEngine } from "../helpers/engine-setup.js";

const dirs: string[] = [];
let s: Setup | null = null;
afterEach(async () => {
  await s?.engine.stop();
  s = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const BUSINESS = "Boulangerie Martin";

function setup(clock = new ManualClock()): { st: Setup; sender: CompliantSender } {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-conv-"));
  dirs.push(dir);
  let engine: Engine | undefined;
  const hook = createKeywordHook(
    { businessName: BUSINESS, businessContact: "05 90 12 34 56" },
    { enqueueInTx: inTxEnqueuer({ defaultCountry: "FR" }), wake: () => engine?.wake() },
  );
  s = setupEngine({ keywordHook: hook, db: join(dir, "gw.db"), clock, start: false });
  engine = s.engine;
  ensureConversationSchema(s.engine.db);
  const sender = new CompliantSender(s.engine, {
    businessName: BUSINESS,
    window: PROFILES["af2m-2026"],
    now: () => clock.now(),
  });
  for (const to of [A, B])
    recordConsent(
      { db: s.engine.db, at: clock.now() },
      { contact: to, purpose: "marketing", status: "granted", basis: "opt-in", source: "in-store" },
    );
  return { st: s, sender };
}

const stop = (st: Setup, from = A) =>
  st.modems[0]!.deliver(deliverPdu({ from, text: "STOP", at: st.clock.now() }));
const sentTo = (st: Setup, to: string) => st.modems[0]!.sent.filter((t) => t.decoded.recipient.number === to);

describe("STOP against the queue", () => {
  it("a STOP arriving while a marketing message is queued wins: it never goes out, the confirmation does", async () => {
    const { st, sender } = setup();
    const promo = sender.enqueue({
      to: A,
      text: "Promo : -20% sur les croissants ce week-end",
      category: "marketing",
    });
    const other = sender.enqueue({
      to: B,
      text: "Promo : -20% sur les croissants ce week-end",
      category: "marketing",
    });
    expect(promo.status).toBe("queued");
    await stop(st);
    st.engine.start();
    await st.clock.advance(5000);
    const texts = sentTo(st, A).map((t) => t.decoded.text);
    expect(texts).toEqual([
      `${BUSINESS} : vous ne recevrez plus de SMS de notre part. Répondez START pour vous réabonner.`,
    ]);
    expect(st.engine.getMessage(promo.id)).toMatchObject({ status: "canceled" });
    expect(st.engine.getMessage(promo.id)?.events.at(-1)).toMatchObject({
      to: "canceled",
      detail: "recipient opted out",
    });
    // The other contact is not affected.
    expect(st.engine.getMessage(other.id)?.status).toBe("sent");
  });

  it("a STOP cancels a marketing message scheduled for the next window (Saturday night → Monday)", async () => {
    const clock = new ManualClock(Date.parse("2026-11-28T21:00:00Z")); // Saturday 22:00 Paris
    const { st, sender } = setup(clock);
    st.engine.start();
    const promo = sender.enqueue({ to: A, text: "Offre de la semaine", category: "marketing" });
    expect(promo).toMatchObject({ status: "scheduled", sendAt: Date.parse("2026-11-30T07:00:00Z") });
    await st.clock.advance(12 * 3_600_000); // Sunday morning
    await stop(st);
    await st.clock.advance(30 * 3_600_000); // past Monday 08:00
    expect(st.modems[0]!.sent.map((t) => t.decoded.text)).toEqual([
      `${BUSINESS} : vous ne recevrez plus de SMS de notre part. Répondez START pour vous réabonner.`,
    ]);
    expect(st.engine.getMessage(promo.id)?.status).toBe("canceled");
  });

  it("after a STOP every category is refused with opted-out; START lifts it", async () => {
    const { st, sender } = setup();
    st.engine.start();
    await stop(st);
    for (const category of ["transactional", "conversational", "marketing"] as const) {
      const e = (() => {
        try {
          sender.enqueue({ to: "06 12 34 56 78", text: "Votre commande est prête", category });
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(ComplianceError);
      expect(e).toMatchObject({ problem: "opted-out", contact: A });
    }
    await st.modems[0]!.deliver(deliverPdu({ from: A, text: "START", at: st.clock.now() }));
    expect(
      sender.enqueue({ to: A, text: "Votre commande est prête", category: "transactional" }).status,
    ).toBe("queued");
  });
});

describe("marketing rules at enqueue", () => {
  it("refuses marketing without a consent in force, but not transactional", () => {
    const { sender } = setup();
    const C = "+33611223344";
    expect(() => sender.enqueue({ to: C, text: "Promo", category: "marketing" })).toThrow(
      expect.objectContaining({ problem: "consent-missing" }),
    );
    expect(
      sender.enqueue({ to: C, text: "Votre commande est prête", category: "transactional" }).status,
    ).toBe("queued");
  });

  it("appends the business name and STOP footer, counted in the preview, and sends it as previewed", async () => {
    const { st, sender } = setup();
    const text = "x".repeat(120);
    const p = sender.preview({ to: A, text, category: "marketing" });
    expect(p.text).toBe(`${text}\n${BUSINESS} : répondez STOP pour ne plus recevoir de SMS.`);
    expect(p.segments).toMatchObject({ coding: "gsm7", parts: 2 });
    const r = sender.enqueue({ to: A, text, category: "marketing" });
    expect(r.parts).toBe(2);
    st.engine.start();
    await st.clock.advance(5000);
    expect(st.engine.getMessage(r.id)?.status).toBe("sent");
    // A body that already names the business and says STOP is left as written.
    expect(
      sender.preview({ to: A, text: `${BUSINESS} : -10% ! STOP au 06`, category: "marketing" }).text,
    ).toBe(`${BUSINESS} : -10% ! STOP au 06`);
  });

  it("a retry with the same idempotency key after the window moved returns the original message", () => {
    const clock = new ManualClock(Date.parse("2026-11-28T20:29:00Z")); // Saturday 21:29 Paris: open
    const { sender } = setup(clock);
    const first = sender.enqueue({ to: A, text: "Promo", category: "marketing", idempotencyKey: "k1" });
    clock.t += 5 * 60_000; // 21:34: closed
    const again = sender.enqueue({ to: A, text: "Promo", category: "marketing", idempotencyKey: "k1" });
    expect(again).toMatchObject({ id: first.id, duplicate: true });
  });
});
