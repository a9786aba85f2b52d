/**
 * The right to erasure end to end on the real engine, keyword hook and HTTP routes: a contact opts
 * out by SMS, is erased through the API, and the opt-out still holds — a send to the number is
 * refused as opted out, and an inbound from it brings the suppression back. The export of the
 * other contact holds its own data and nothing of the erased one.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { SenderConfig } from "../../src/conversation/compliant-sender.js";
import { inTxEnqueuer } from "../../src/conversation/enqueue-in-tx.js";
import { createKeywordHook } from "../../src/conversation/hook.js";
import { PROFILES } from "../../src/conversation/windows.js";
import type { Engine } from "../../src/engine/engine.js";
import { PROBLEM_BASE } from "../../src/http/problems.js";
import { deliverPdu } from "../helpers/engine-fakes.js";
import { A, B, type Setup, setupEngine } from "../helpers/engine-setup.js";
import { tablesMentioning } from "../unit/conversation/erase-fixture.js";
import { contactPath, contactsHarness } from "../unit/http/contacts-harness.js";

let s: Setup | null = null;
afterEach(async () => {
  await s?.engine.stop();
  s = null;
});

function setup() {
  let engine: Engine | undefined;
  const hook = createKeywordHook(
    { businessName: "Boulangerie Martin", businessContact: "05 90 12 34 56" },
    { enqueueInTx: inTxEnqueuer({ defaultCountry: "FR" }), wake: () => engine?.wake() },
  );
  const st = setupEngine({
    keywordHook: hook,
    compliance: {
      businessName: "Boulangerie Martin",
      window: PROFILES["af2m-2026"],
      marketingCap: { max: 4, perDays: 30 },
      now: () => st.clock.now(),
    } satisfies SenderConfig,
  });
  engine = st.engine;
  s = st;
  return { st, h: contactsHarness(st.engine, () => st.clock.now()) };
}

async function inbound(st: Setup, from: string, text: string) {
  await st.modems[0]!.deliver(deliverPdu({ from, text, at: st.clock.now() }));
  await st.clock.advance(1000);
}

const sent = (st: Setup) => st.modems[0]!.sent.map((t) => t.decoded.text);

describe("GDPR erasure of an opted-out contact", () => {
  it("survives as a suppression: sends refused as opted out, an inbound restores the row; exports stay separate", async () => {
    const { st, h } = setup();
    const grant = { purpose: "marketing", status: "granted", basis: "opt-in", source: "web-form" };
    for (const who of [A, B]) {
      expect(
        (await h.call("PATCH", contactPath(who), { body: { name: `Client ${who}`, tags: ["vip"] } })).status,
      ).toBe(201);
      expect((await h.call("POST", contactPath(who, "/consents"), { body: grant })).status).toBe(201);
      const r = await h.call("POST", "/v1/messages", {
        key: "send",
        body: { to: who, text: `Commande prête ${who}` },
      });
      expect(r.status).toBe(202);
      await st.clock.advance(2000);
      await inbound(st, who, `Merci, à demain ${who}`);
    }
    await inbound(st, A, "STOP merci");
    expect(sent(st).at(-1)).toMatch(/vous ne recevrez plus de SMS/);
    const sentBefore = sent(st).length;

    const erased = await h.call("DELETE", contactPath(A));
    expect(erased).toMatchObject({ status: 200, body: { kept: ["all", "marketing"] } });
    expect(tablesMentioning(st, A)).toEqual([]);

    for (const category of ["transactional", "conversational", "marketing"]) {
      const r = await h.call("POST", "/v1/messages", {
        key: "send",
        body: { to: "06 12 34 56 78", text: "Bonjour", category },
      });
      expect(r).toMatchObject({ status: 403, body: { type: `${PROBLEM_BASE}recipient-opted-out` } });
    }
    expect(tablesMentioning(st, A)).toEqual([]);

    await inbound(st, A, "Bonjour, vous avez encore mon numéro ?");
    const back = await h.call("GET", contactPath(A));
    expect(back.body).toMatchObject({ e164: A, name: null, tags: [], optedOut: { via: "erasure" } });
    expect(st.engine.db.prepare("SELECT contact, via FROM suppressions WHERE contact = ?").all(A)).toEqual([
      { contact: A, via: "erasure" },
    ]);
    expect(st.engine.db.prepare("SELECT scope FROM suppression_hashes").all()).toEqual([
      { scope: "marketing" },
    ]);
    expect(sent(st)).toHaveLength(sentBefore); // no confirmation, no reply: still opted out
    await inbound(st, A, "STOP");
    expect(sent(st)).toHaveLength(sentBefore); // already opted out: not a second confirmation

    const other = await h.call("GET", contactPath(B, "/export"));
    expect(other.body).toMatchObject({ contact: B, profile: { name: `Client ${B}` }, optOut: null });
    expect(other.body.outbound.map((m: { text: string }) => m.text)).toEqual([`Commande prête ${B}`]);
    expect(other.body.inbound.map((m: { text: string }) => m.text)).toEqual([`Merci, à demain ${B}`]);
    expect(other.body.outbound[0].parts).toEqual([expect.objectContaining({ seq: 1, status: "sent" })]);
    expect(other.body.threads).toEqual([expect.objectContaining({ contact: B })]);
    expect(JSON.stringify(other.body)).not.toContain(A.slice(-9));

    const mine = await h.call("GET", contactPath(A, "/export"));
    expect(mine.body.inbound.map((m: { text: string }) => m.text)).toEqual([
      "Bonjour, vous avez encore mon numéro ?",
      "STOP",
    ]);
    expect(mine.body.outbound).toEqual([]);
    expect(mine.body.consents).toEqual([]);

    const events = st.engine.db
      .prepare("SELECT payload FROM webhook_outbox WHERE event_type = 'contact.erased'")
      .all() as {
      payload: string;
    }[];
    expect(events.map((e) => JSON.parse(e.payload))).toEqual([
      {
        erasureId: erased.body.id,
        at: expect.any(Number),
        reason: "request",
        hashPrefix: erased.body.hashPrefix,
        kept: ["all", "marketing"],
      },
    ]);
    expect(h.unexpected).toEqual([]);
  });
});
