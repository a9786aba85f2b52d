import { afterEach, describe, expect, it } from "vitest";
import { hasConsent, recordConsent, suppressionOf } from "../../src/conversation/consent.js";
import { getContact } from "../../src/conversation/contacts.js";
import { inTxEnqueuer } from "../../src/conversation/enqueue-in-tx.js";
import { exportContact } from "../../src/conversation/gdpr.js";
import { createKeywordHook, openAgentFlags } from "../../src/conversation/hook.js";
import { ensureConversationSchema } from "../../src/conversation/schema.js";
import type { Engine } from "../../src/engine/engine.js";
import { deliverPdu } from "../helpers/engine-fakes.js";
import { A, type Setup, setupEngine } from "../helpers/engine-setup.js";

let s: Setup | null = null;
afterEach(async () => {
  await s?.engine.stop();
  s = null;
});

function setup(): Setup {
  let engine: Engine | undefined;
  const hook = createKeywordHook(
    { businessName: "Boulangerie Martin", businessContact: "05 90 12 34 56" },
    { enqueueInTx: inTxEnqueuer({ defaultCountry: "FR" }), wake: () => engine?.wake() },
  );
  s = setupEngine({ keywordHook: hook });
  engine = s.engine;
  ensureConversationSchema(s.engine.db);
  return s;
}

async function inbound(st: Setup, text: string, from = A): Promise<void> {
  const coding = /^[\x20-\x7e]*$/.test(text) ? "gsm7" : "ucs2";
  await st.modems[0]!.deliver(deliverPdu({ from, text, at: st.clock.now(), coding }));
  await st.clock.advance(1000);
}

const sentTexts = (st: Setup) => st.modems[0]!.sent.map((t) => t.decoded.text);
const outbox = (st: Setup, type: string) =>
  (
    st.engine.db.prepare("SELECT payload FROM webhook_outbox WHERE event_type = ? ORDER BY id").all(type) as {
      payload: string;
    }[]
  ).map((r) => JSON.parse(r.payload) as Record<string, unknown>);
const ctx = (st: Setup) => ({ db: st.engine.db, at: st.clock.now() });

describe("inbound keyword hook on the real engine", () => {
  it("STOP opts out business-wide, withdraws consent and sends exactly one confirmation", async () => {
    const st = setup();
    recordConsent(ctx(st), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "in-store",
    });
    await inbound(st, "Stop merci !");
    expect(suppressionOf(ctx(st), A)).toMatchObject({ keyword: "STOP", via: "sms-keyword" });
    expect(hasConsent(ctx(st), A, "marketing")).toBe(false);
    expect(sentTexts(st)).toEqual([
      "Boulangerie Martin : vous ne recevrez plus de SMS de notre part. Répondez START pour vous réabonner.",
    ]);
    expect(outbox(st, "contact.opted_out")).toEqual([
      expect.objectContaining({ contact: A, keyword: "STOP", purposes: ["marketing"] }),
    ]);
    // A repeated STOP while already opted out: no second confirmation, no second event.
    await inbound(st, "STOP");
    await inbound(st, "ARRÊT");
    expect(sentTexts(st)).toHaveLength(1);
    expect(outbox(st, "contact.opted_out")).toHaveLength(1);
  });

  it("START lifts the opt-out, restores the withdrawn consent and confirms; START alone does nothing", async () => {
    const st = setup();
    await inbound(st, "START");
    expect(sentTexts(st)).toEqual([]);
    recordConsent(ctx(st), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "web-form",
    });
    await inbound(st, "STOP");
    await inbound(st, "start");
    expect(suppressionOf(ctx(st), A)).toBeUndefined();
    expect(hasConsent(ctx(st), A, "marketing")).toBe(true);
    expect(sentTexts(st)[1]).toBe(
      "Boulangerie Martin : votre abonnement aux SMS est rétabli. Répondez STOP pour ne plus en recevoir.",
    );
    expect(outbox(st, "contact.opted_in")).toEqual([
      expect.objectContaining({ contact: A, purposes: ["marketing"] }),
    ]);
    // A second opt-out after the opt-in is confirmed again: once per opt-out, not once ever.
    await inbound(st, "STOP");
    expect(sentTexts(st)).toHaveLength(3);
  });

  it("HELP gets the business name, contact and how to stop, not twice within the interval", async () => {
    const st = setup();
    await inbound(st, "AIDE ?");
    await inbound(st, "help");
    expect(sentTexts(st)).toEqual([
      "Boulangerie Martin : 05 90 12 34 56. Répondez STOP pour ne plus recevoir de SMS.",
    ]);
    await st.clock.advance(11 * 60_000);
    await inbound(st, "INFO");
    expect(sentTexts(st)).toHaveLength(2);
  });

  it("a free-text wish flags the contact for an agent with a deadline and an event, without opting out", async () => {
    const st = setup();
    await inbound(st, "Bonjour, je ne veux plus recevoir vos SMS");
    expect(suppressionOf(ctx(st), A)).toBeUndefined();
    expect(sentTexts(st)).toEqual([]);
    const flags = openAgentFlags(st.engine.db);
    expect(flags).toEqual([expect.objectContaining({ contact: A, reason: "intent-optout" })]);
    expect(flags[0]!.dueAt - flags[0]!.createdAt).toBe(24 * 3_600_000);
    expect(outbox(st, "contact.flagged")).toEqual([
      expect.objectContaining({ contact: A, reason: "intent-optout" }),
    ]);
  });

  it("events of the confirmation reach listeners only after the opt-out committed", async () => {
    const st = setup();
    const seen: { to: string; inTx: boolean }[] = [];
    st.engine.bus.on("message.status", (e) => {
      if (e.direction === "outbound") seen.push({ to: e.to, inTx: st.engine.db.inTransaction });
    });
    await inbound(st, "STOP");
    expect(seen[0]).toEqual({ to: "queued", inTx: false });
    expect(seen.every((x) => !x.inTx)).toBe(true);
  });

  it("ordinary answers only update the contact", async () => {
    const st = setup();
    await inbound(st, "STOP à 18h ?");
    await inbound(st, "oui");
    expect(suppressionOf(ctx(st), A)).toBeUndefined();
    expect(sentTexts(st)).toEqual([]);
    expect(getContact(ctx(st), A)).toMatchObject({
      timeZone: "Europe/Paris",
      lastInboundAt: expect.any(Number),
    });
  });
});

describe("access request (GDPR art. 15)", () => {
  it("exports the contact, its consent history, opt-out, flags and both directions of messages", async () => {
    const st = setup();
    recordConsent(ctx(st), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "web-form",
    });
    st.engine.enqueue({ to: A, text: "Votre commande est prête", category: "transactional" });
    await inbound(st, "je ne veux plus recevoir de sms");
    await inbound(st, "STOP");
    const e = exportContact(st.engine.db, A, st.clock.now());
    expect(e.profile).toMatchObject({ e164: A, timeZone: "Europe/Paris" });
    expect(e.consents.map((c) => c.status)).toEqual(["granted", "withdrawn"]);
    expect(e.optOut).toMatchObject({ keyword: "STOP" });
    expect(e.agentFlags).toHaveLength(1);
    expect(e.inbound.map((m) => (m as { text: string }).text)).toEqual([
      "je ne veux plus recevoir de sms",
      "STOP",
    ]);
    expect(e.outbound.map((m) => (m as { text: string }).text)).toEqual([
      "Votre commande est prête",
      expect.stringMatching(/vous ne recevrez plus de SMS/),
    ]);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});

describe("keyword replies that cannot be sent", () => {
  it("a STOP from a number the engine cannot send to still opts out and is stored (regression: ingest rolled back)", async () => {
    const st = setup();
    const odd = "+999123456789"; // no such country code: stored as received, not sendable
    await inbound(st, "STOP", odd);
    expect(st.engine.listMessages({ direction: "inbound" }).items.map((m) => m.text)).toEqual(["STOP"]);
    expect(suppressionOf(ctx(st), odd)).toMatchObject({ keyword: "STOP" });
    expect(outbox(st, "contact.opted_out")).toEqual([
      expect.objectContaining({ contact: odd, confirmationId: null, confirmationError: expect.any(String) }),
    ]);
    expect(st.modems[0]!.acked).toHaveLength(1);
  });
});
