/**
 * A message held by a SIM's cap says so (engine.getMessage().waiting), and each SIM's caps are
 * readable (engine.capStatus()) for /health and /metrics. Fake modems, manual clock.
 */
import { describe, expect, it } from "vitest";
import { nextUtcMidnight } from "../../src/queue/policy.js";
import { A, B, C, setupEngine } from "../helpers/engine-setup.js";

const DAY = 86_400_000;
const number = (i: number) => `+3361234${String(i).padStart(4, "0")}`;

describe("a message held by a SIM's cap says why", () => {
  it("300 messages to new recipients stop at 150 with no reason given", async () => {
    // The found symptom: 150 sent, 150 `queued` with nothing anywhere saying why. The default
    // distinct-recipient cap (150 per 30 days) is right to stop the SIM; now the messages say so.
    const { engine, clock, modems } = setupEngine();
    const start = clock.now();
    const ids = Array.from(
      { length: 300 },
      (_, i) => engine.enqueue({ to: number(i), text: `n${i}`, category: "marketing" }).id,
    );
    await clock.advance(120_000);
    expect(modems[0]?.sent).toHaveLength(150);
    const firstSentAt = modems[0]?.sent[0]?.at as number;
    expect(firstSentAt).toBeGreaterThanOrEqual(start);
    const held = ids.map((id) => engine.getMessage(id)).filter((m) => m?.status === "queued");
    expect(held).toHaveLength(150);
    for (const m of held)
      expect(m?.waiting).toEqual({
        reason: "distinct-recipients-cap",
        modems: [
          {
            modemId: modems[0]?.id,
            cap: "distinct-recipients-cap",
            limit: 150,
            until: firstSentAt + 30 * DAY + 1,
          },
        ],
        until: firstSentAt + 30 * DAY + 1,
      });
    const sent = ids.map((id) => engine.getMessage(id)).filter((m) => m?.status === "sent");
    expect(sent).toHaveLength(150);
    for (const m of sent) expect(m).not.toHaveProperty("waiting");
    const [status] = engine.capStatus();
    expect(status?.caps.find((c) => c.cap === "distinct-recipients-cap")).toMatchObject({
      limit: 150,
      used: 150,
      reached: true,
      holding: true,
    });
    expect(status?.caps.find((c) => c.cap === "daily-cap")).toMatchObject({ reached: false, holding: false });
    // A contact the SIM already serves is not held: it goes out at once.
    const again = engine.enqueue({ to: number(0), text: "again", category: "marketing" });
    await clock.advance(2000);
    expect(engine.getMessage(again.id)?.status).toBe("sent");
  });

  it("a SIM with no distinct-recipient cap sends past 150 while one with the default stops and says why", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2 });
    const open = modems[0]?.id as string;
    const capped = modems[1]?.id as string;
    engine.setModemLimits(open, { distinctRecipientsCap: 0 });
    for (let i = 0; i < 200; i++)
      engine.enqueue({ to: number(i), text: `o${i}`, category: "marketing", modem: open });
    const pinned = Array.from(
      { length: 200 },
      (_, i) =>
        engine.enqueue({ to: number(1000 + i), text: `c${i}`, category: "marketing", modem: capped }).id,
    );
    await clock.advance(120_000);
    expect(modems[0]?.sent).toHaveLength(200);
    expect(modems[1]?.sent).toHaveLength(150);
    const held = pinned.map((id) => engine.getMessage(id)).filter((m) => m?.status === "queued");
    expect(held).toHaveLength(50);
    for (const m of held) {
      expect(m?.waiting?.reason).toBe("distinct-recipients-cap");
      expect(m?.waiting?.modems.map((h) => h.modemId)).toEqual([capped]);
    }
    const caps = new Map(engine.capStatus().map((s) => [s.modemId, s.caps]));
    expect(caps.get(open)?.map((c) => c.cap)).toEqual(["daily-cap"]);
    expect(caps.get(capped)?.find((c) => c.cap === "distinct-recipients-cap")?.holding).toBe(true);
  });

  it("a daily cap holds until the next UTC midnight, then the message goes and the reason is gone", async () => {
    const { engine, clock, modems } = setupEngine({ config: { dailyCapPerModem: 2 } });
    const ids = [A, A, A].map((to, i) => engine.enqueue({ to, text: `d${i}`, category: "marketing" }).id);
    await clock.advance(10_000);
    expect(modems[0]?.sent).toHaveLength(2);
    const midnight = nextUtcMidnight(clock.now());
    expect(engine.getMessage(ids[2] as string)?.waiting).toEqual({
      reason: "daily-cap",
      modems: [{ modemId: modems[0]?.id, cap: "daily-cap", limit: 2, until: midnight }],
      until: midnight,
    });
    expect(engine.capStatus()[0]?.caps[0]).toMatchObject({ cap: "daily-cap", reached: true, holding: true });
    await clock.advance(midnight - clock.now() + 70_000);
    expect(modems[0]?.sent).toHaveLength(3);
    expect(engine.getMessage(ids[2] as string)).not.toHaveProperty("waiting");
    expect(engine.capStatus()[0]?.caps[0]).toMatchObject({ used: 1, reached: false, holding: false });
  });

  it("lists every SIM that could send it, the one that frees first giving the reason", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2 });
    const [a, b] = [modems[0]?.id as string, modems[1]?.id as string];
    engine.setModemLimits(a, { dailyCap: 1 });
    engine.setModemLimits(b, { distinctRecipientsCap: 1 });
    engine.enqueue({ to: A, text: "a", category: "marketing", modem: a });
    engine.enqueue({ to: B, text: "b", category: "marketing", modem: b });
    await clock.advance(5000);
    const z = engine.enqueue({ to: C, text: "z", category: "marketing" });
    await clock.advance(5000);
    const w = engine.getMessage(z.id)?.waiting;
    expect(w?.reason).toBe("daily-cap");
    expect(w?.modems.map((h) => [h.modemId, h.cap])).toEqual([
      [a, "daily-cap"],
      [b, "distinct-recipients-cap"],
    ]);
    expect(w?.until).toBe(nextUtcMidnight(clock.now()));
    // B serves B's number already: a message to it is not held, whatever A's cap.
    const toB = engine.enqueue({ to: B, text: "b2", category: "marketing" });
    await clock.advance(5000);
    expect(engine.getMessage(toB.id)?.status).toBe("sent");
  });

  it("a wait for the per-minute rate is not reported as a cap", async () => {
    const { engine, clock, modems } = setupEngine({ config: { ratePerMinute: 1, rateBurst: 1 } });
    const ids = [A, B, C].map((to, i) => engine.enqueue({ to, text: `r${i}`, category: "marketing" }).id);
    await clock.advance(1000);
    expect(modems[0]?.sent).toHaveLength(1);
    for (const id of ids.slice(1)) expect(engine.getMessage(id)).not.toHaveProperty("waiting");
    expect(engine.capStatus()[0]?.caps.every((c) => !c.reached && !c.holding)).toBe(true);
  });

  it("a message that waits for a SIM that is down does not blame a cap", async () => {
    const { engine, clock, modems } = setupEngine({ config: { dailyCapPerModem: 1 } });
    const m = modems[0];
    engine.enqueue({ to: A, text: "1", category: "marketing" });
    await clock.advance(2000);
    if (m) m.state = "recovering";
    const next = engine.enqueue({ to: A, text: "2", category: "marketing" });
    await clock.advance(2000);
    expect(engine.getMessage(next.id)?.status).toBe("queued");
    expect(engine.getMessage(next.id)).not.toHaveProperty("waiting");
  });
});
