/**
 * The marketing frequency cap at dispatch. It used to be checked only at enqueue, so an explicit
 * resend of a failed marketing message (which counts again once queued) went out over the cap.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { SenderConfig } from "../../../src/conversation/compliant-sender.js";
import { recordConsent } from "../../../src/conversation/consent.js";
import { checkDispatch, type PolicyConfig } from "../../../src/conversation/policy.js";
import { PROFILES } from "../../../src/conversation/windows.js";
import { Engine } from "../../../src/engine/engine.js";
import { A, type Setup, setupEngine } from "../../helpers/engine-setup.js";

const cap = { max: 2, perDays: 30 };
const cfg: PolicyConfig = { businessName: "Garage Dupont", window: PROFILES["af2m-2026"], marketingCap: cap };
let engine: Engine;
let at = Date.parse("2026-11-26T09:00:00Z"); // Thursday 10:00 Paris, inside the window
const ctx = () => ({ db: engine.db, at });

function failed(id: string): void {
  engine.db.prepare("UPDATE parts SET status = 'failed' WHERE message_id = ?").run(id);
  engine.db.prepare("UPDATE messages SET status = 'failed' WHERE id = ?").run(id);
}

beforeEach(() => {
  at = Date.parse("2026-11-26T09:00:00Z");
  engine = new Engine({ db: ":memory:", clock: { now: () => at, setTimeout: () => ({ clear() {} }) } });
  recordConsent(ctx(), {
    contact: A,
    purpose: "marketing",
    status: "granted",
    basis: "opt-in",
    source: "api",
  });
});

describe("frequency cap at dispatch", () => {
  it("a resent failed marketing message over the cap is canceled at dispatch (regression: resend skipped the cap)", () => {
    const first = engine.enqueue({ to: A, text: "Promo 1", category: "marketing" }).id;
    failed(first); // a failed message does not count: two more fit under the cap
    const second = engine.enqueue({ to: A, text: "Promo 2", category: "marketing" }).id;
    engine.enqueue({ to: A, text: "Promo 3", category: "marketing" });
    expect(checkDispatch(ctx(), { messageId: second, to: A }, cfg)).toEqual({ ok: true });
    engine.resend(first);
    expect(checkDispatch(ctx(), { messageId: first, to: A }, cfg)).toEqual({
      ok: false,
      action: "cancel",
      reason: "frequency-cap",
    });
  });

  it("counts only the other messages of the window, not failed, canceled or expired ones, nor other categories", () => {
    const one = engine.enqueue({ to: A, text: "Promo 1", category: "marketing" }).id;
    const two = engine.enqueue({ to: A, text: "Promo 2", category: "marketing" }).id;
    engine.enqueue({ to: A, text: "Votre commande", category: "transactional" });
    // Exactly at the cap: each sees one other.
    expect(checkDispatch(ctx(), { messageId: one, to: A }, cfg)).toEqual({ ok: true });
    expect(checkDispatch(ctx(), { messageId: two, to: A }, cfg)).toEqual({ ok: true });
    const extra = engine.enqueue({ to: A, text: "Promo 3", category: "marketing" }).id;
    expect(checkDispatch(ctx(), { messageId: extra, to: A }, cfg)).toMatchObject({ reason: "frequency-cap" });
    engine.cancel(one);
    expect(checkDispatch(ctx(), { messageId: extra, to: A }, cfg)).toEqual({ ok: true });
    expect(
      checkDispatch(ctx(), { messageId: extra, to: A }, { ...cfg, marketingCap: { max: 0, perDays: 30 } }),
    ).toEqual({ ok: true });
    // A month later the earlier ones have left the window.
    const later = engine.enqueue({ to: A, text: "Promo 4", category: "marketing" }).id;
    expect(checkDispatch(ctx(), { messageId: later, to: A }, cfg)).toMatchObject({ reason: "frequency-cap" });
    at += 32 * 86_400_000; // Monday 28 December, 10:00 Paris
    expect(checkDispatch(ctx(), { messageId: later, to: A }, cfg)).toMatchObject({ ok: true });
  });
});

describe("on the send loop", () => {
  let s: Setup;
  const compliance = (): SenderConfig => ({ ...cfg, now: () => s.clock.now() });

  it("the resent message never reaches the modem and ends canceled", async () => {
    s = setupEngine({ compliance: compliance() });
    recordConsent(
      { db: s.engine.db, at: s.clock.now() },
      {
        contact: A,
        purpose: "marketing",
        status: "granted",
        basis: "opt-in",
        source: "api",
      },
    );
    s.modems[0]!.script.push({
      kind: "rejected",
      code: 38,
      category: "permanent",
      text: "network out of order",
    });
    const first = s.engine.enqueue({ to: A, text: "Promo 1", category: "marketing" }).id;
    await s.clock.advance(2000);
    expect(s.engine.getMessage(first)?.status).toBe("failed");
    s.engine.enqueue({ to: A, text: "Promo 2", category: "marketing" });
    s.engine.enqueue({ to: A, text: "Promo 3", category: "marketing" });
    await s.clock.advance(2000);
    expect(s.modems[0]!.sent).toHaveLength(2);
    s.engine.resend(first);
    await s.clock.advance(2000);
    expect(s.modems[0]!.sent).toHaveLength(2);
    expect(s.engine.getMessage(first)?.status).toBe("canceled");
    await s.engine.stop();
  });
});
