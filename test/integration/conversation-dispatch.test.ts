/**
 * The dispatch-time re-check in the lease transaction (src/store/lease.ts), on the real Engine with a
 * fake modem: whatever changed since a message was queued — consent withdrawn in the ledger, an
 * opt-out recorded without the keyword path's cancel — is honoured before the PDU reaches the modem.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CompliantSender, type SenderConfig } from "../../src/conversation/compliant-sender.js";
import { optOut, recordConsent } from "../../src/conversation/consent.js";
import { PROFILES } from "../../src/conversation/windows.js";
import { ManualClock } from "../helpers/engine-fakes.js";
import { A, B, type Setup, setupEngine } from "../helpers/engine-setup.js";

let s: Setup | null = null;
afterEach(async () => {
  await s?.engine.stop();
  s = null;
});

const PROMO = "Promo : -20% sur les croissants ce week-end";

function setup(o: { registered: boolean; clock?: ManualClock }): Setup & { cfg: SenderConfig } {
  const clock = o.clock ?? new ManualClock();
  const cfg: SenderConfig = {
    businessName: "Boulangerie Martin",
    window: PROFILES["af2m-2026"],
    now: () => clock.now(),
  };
  s = setupEngine({ clock, start: false, ...(o.registered && { compliance: cfg }) });
  for (const to of [A, B])
    recordConsent(
      { db: s.engine.db, at: clock.now() },
      { contact: to, purpose: "marketing", status: "granted", basis: "opt-in", source: "in-store" },
    );
  return { ...s, cfg };
}

const sentTo = (st: Setup, to: string) => st.modems[0]!.sent.filter((t) => t.decoded.recipient.number === to);

describe("dispatch-time compliance re-check", () => {
  it("a queued marketing message whose consent was withdrawn in the ledger (no cancel) is not sent", async () => {
    const st = setup({ registered: true });
    const sender = new CompliantSender(st.engine, st.cfg);
    const promoA = sender.enqueue({ to: A, text: PROMO, category: "marketing" });
    const promoB = sender.enqueue({ to: B, text: PROMO, category: "marketing" });
    expect(promoA.status).toBe("queued");
    // Straight into the ledger: nothing cancels the queued message, only the lease re-check can.
    recordConsent(
      { db: st.engine.db, at: st.clock.now() },
      { contact: A, purpose: "marketing", status: "withdrawn", source: "web-form" },
    );
    st.engine.start();
    await st.clock.advance(5000);
    expect(sentTo(st, A)).toHaveLength(0);
    expect(st.engine.getMessage(promoA.id)).toMatchObject({ status: "canceled" });
    expect(st.engine.getMessage(promoA.id)?.events.at(-1)).toMatchObject({
      to: "canceled",
      detail: "blocked at dispatch: consent-missing",
    });
    // The refused part is skipped within the same lease, the next one goes out.
    expect(sentTo(st, B)).toHaveLength(1);
    expect(st.engine.getMessage(promoB.id)?.status).not.toBe("canceled");
  });

  it("an opt-out recorded while a message waits stops it even without a registered configuration", async () => {
    const st = setup({ registered: false });
    const notice = st.engine.enqueue({ to: A, text: "Votre commande est prête", category: "transactional" });
    // No compliance configuration: consent and windows are not enforced, marketing still leaves.
    const promoB = st.engine.enqueue({ to: B, text: PROMO, category: "marketing" });
    optOut({ db: st.engine.db, at: st.clock.now() }, A, { source: "api" });
    st.engine.start();
    await st.clock.advance(5000);
    expect(sentTo(st, A)).toHaveLength(0);
    expect(st.engine.getMessage(notice.id)?.events.at(-1)).toMatchObject({
      to: "canceled",
      detail: "recipient opted out",
    });
    expect(sentTo(st, B)).toHaveLength(1);
    expect(st.engine.getMessage(promoB.id)?.status).not.toBe("canceled");
  });

  it("marketing leased outside the sending window waits for the window instead of leaving (deferred, not canceled)", async () => {
    // Thursday 23:00 in Paris: af2m-2026 closes at 21:30, reopens Friday 08:00 (07:00 UTC).
    const st = setup({ registered: true, clock: new ManualClock(Date.UTC(2026, 10, 26, 22, 0, 0)) });
    const promo = st.engine.enqueue({ to: A, text: PROMO, category: "marketing" });
    st.engine.start();
    await st.clock.advance(5000);
    expect(sentTo(st, A)).toHaveLength(0);
    expect(st.engine.getMessage(promo.id)?.status).toBe("queued");
    const part = st.engine.db
      .prepare("SELECT next_attempt_at AS t FROM parts WHERE message_id = ?")
      .get(promo.id);
    expect(part).toEqual({ t: Date.UTC(2026, 10, 27, 7, 0, 0) });
  });
});
