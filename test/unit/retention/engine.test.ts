/**
 * Retention on rows the engine itself wrote (not hand-made ones): a message sent through a modem, a
 * two-part inbound message reassembled from the SIM; the API views show the blanked bodies, and the
 * rows are gone after the metadata period.
 */
import { describe, expect, it } from "vitest";
import { RetentionRunner } from "../../../src/retention/runner.js";
import { deliverPdu, settle } from "../../helpers/engine-fakes.js";
import { A, setupEngine } from "../../helpers/engine-setup.js";
import { DEFAULT_POLICY } from "./helpers.js";
import { count, DAY, HOUR } from "./seed.js";

describe("retention on the engine's own rows", () => {
  it("blanks then deletes a sent message and a reassembled inbound one; the queued one stays", async () => {
    const { engine, clock, modems } = setupEngine();
    const modem = modems[0];
    if (!modem) throw new Error("no modem");
    const sent = engine.enqueue({ to: A, text: "Votre commande est prête", category: "transactional" });
    await clock.advance(5_000);
    expect(engine.getMessage(sent.id)?.status).toBe("sent");
    for (const seq of [1, 2])
      await modem.deliver(
        deliverPdu({
          from: A,
          text: seq === 1 ? "Bonjour, je passe " : "demain matin",
          at: clock.now(),
          concat: { ref: 7, total: 2, seq, refBits: 8 },
        }),
      );
    await settle();
    const inbound = engine.listMessages({ direction: "inbound" }).items[0];
    expect(inbound?.text).toBe("Bonjour, je passe demain matin");
    // Scheduled far ahead: still waiting when everything else is old.
    const later = engine.enqueue({
      to: A,
      text: "Rappel",
      category: "transactional",
      sendAt: clock.now() + 4 * 365 * DAY,
    });
    // The engine stays up (its timers only move with the manual clock): stop() would close the database.
    const runAt = (t: number) =>
      new RetentionRunner({
        db: engine.db,
        clock: { now: () => t, setTimeout: () => ({ clear: () => undefined }) },
        policy: DEFAULT_POLICY,
        intervalMs: HOUR,
      }).runOnce();

    const year = await runAt(clock.now() + 366 * DAY);
    expect(year.counts).toMatchObject({ message_bodies_blanked: 1, inbound_bodies_blanked: 1 });
    expect(engine.getMessage(sent.id)?.text).toBe("");
    expect(engine.listMessages({ direction: "inbound" }).items[0]?.text).toBe("");
    expect(count(engine.db, "inbound_parts WHERE pdu <> '' OR text IS NOT NULL")).toBe(0);
    expect(count(engine.db, "parts WHERE message_id = ? AND pdu <> ''", sent.id)).toBe(0);
    expect(engine.getMessage(later.id)?.text).toBe("Rappel");

    const threeYears = await runAt(clock.now() + 1096 * DAY);
    expect(threeYears.counts).toMatchObject({ messages_deleted: 1, inbound_deleted: 1 });
    expect(engine.getMessage(sent.id)).toBeUndefined();
    expect(engine.listMessages({ direction: "inbound" }).items).toEqual([]);
    expect(count(engine.db, "reassembly")).toBe(0);
    expect(engine.getMessage(later.id)?.status).toBe("scheduled");
    await engine.stop();
  });
});
