import { beforeEach, describe, expect, it } from "vitest";
import { exportContact } from "../../../src/conversation/gdpr.js";
import { registerPepper } from "../../../src/conversation/pepper-hash.js";
import type { Setup } from "../../helpers/engine-setup.js";
import { A, B, hookedEngine, populate } from "./erase-fixture.js";

let s: Setup;
const exportOf = (who: string) => exportContact(s.engine.db, who, s.clock.now());

beforeEach(async () => {
  s = hookedEngine();
  registerPepper(s.engine.db, Buffer.alloc(32, 3));
  await populate(s);
});

describe("exportContact (GDPR art. 15/20)", () => {
  it("holds the profile, the ledger and consent in force, the opt-out and the flags", () => {
    const e = exportOf(A);
    expect(e.profile).toMatchObject({
      e164: A,
      timeZone: "Europe/Paris",
      createdAt: expect.stringMatching(/Z$/),
    });
    expect(e.consents.map((c) => c.status)).toEqual(["granted", "withdrawn"]);
    expect(e.currentConsents).toEqual([
      expect.objectContaining({ purpose: "marketing", status: "withdrawn" }),
    ]);
    expect(e.optOut).toMatchObject({
      keyword: "STOP",
      via: "sms-keyword",
      since: expect.stringMatching(/Z$/),
    });
    expect(e.agentFlags).toEqual([expect.objectContaining({ reason: "intent-optout" })]);
    expect(e.keywordReplies).toEqual([expect.objectContaining({ reason: "optout-confirmation" })]);
    expect(e.erasedObjections).toEqual([]);
  });

  it("holds both directions with parts, events, delivery reports, fragments and the thread", () => {
    const e = exportOf(A);
    const [order, confirmation] = e.outbound as {
      text: string;
      parts: { status: string; mr: number | null }[];
      deliveryReports: unknown[];
      events: { to: string }[];
    }[];
    expect(order?.text).toBe(`Commande prête ${A}`);
    expect(order?.parts).toEqual([
      expect.objectContaining({ seq: 1, status: "delivered", mr: expect.any(Number) }),
    ]);
    expect(order?.deliveryReports).toEqual([expect.objectContaining({ statusClass: "delivered" })]);
    expect(order?.events.map((x) => x.to)).toEqual(
      expect.arrayContaining(["queued", "sending", "sent", "delivered"]),
    );
    expect(confirmation?.text).toMatch(/vous ne recevrez plus de SMS/);
    expect((e.inbound as { text: string; events: unknown[] }[]).map((m) => m.text)).toEqual([
      expect.stringMatching(/^Merci /),
      "je ne veux plus recevoir de sms",
      "STOP",
    ]);
    expect((e.inbound[0] as { events: unknown[] }).events).toHaveLength(1);
    expect(e.pendingFragments).toEqual([
      {
        modem: expect.any(String),
        total: 2,
        firstAt: expect.any(String),
        parts: [expect.objectContaining({ seq: 1 })],
      },
    ]);
    expect(e.threads).toEqual([
      expect.objectContaining({
        contact: A,
        related: { conversation_events: expect.arrayContaining([expect.anything()]) },
      }),
    ]);
    expect(e.related).toHaveProperty("sticky_routes");
    expect((e.webhookEvents as { type: string }[]).map((w) => w.type)).toEqual(
      expect.arrayContaining(["message.received", "contact.opted_out", "contact.flagged"]),
    );
  });

  it("holds nothing of the other contact, and is plain JSON", () => {
    for (const [mine, other] of [
      [A, B],
      [B, A],
    ] as const) {
      const text = JSON.stringify(exportOf(mine));
      expect(text).toContain(mine);
      expect(text).not.toContain(other.slice(-9));
      expect(JSON.parse(text)).toEqual(exportOf(mine));
    }
  });
});
