/**
 * Property test of the send loop: whatever the modems answer (accepted, retry later, permanent
 * rejection, modem fault, no prompt, or no answer after the PDU left), and whichever modems flap,
 * every message ends in a final state equal to the aggregate of its parts, no part reaches the
 * network twice, and the parts of one message leave from one modem.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SendOutcome } from "../../../src/modem/types.js";
import { aggregate, type PartStatus } from "../../../src/store/status.js";
import { deliverPdu } from "../../helpers/engine-fakes.js";
import { setupEngine } from "../../helpers/engine-setup.js";

type Answer = "sent" | "retry" | "permanent" | "fault" | "no-prompt" | "lost-answer" | "lost-before";
const answers: Answer[] = [
  "sent",
  "sent",
  "sent",
  "retry",
  "permanent",
  "fault",
  "no-prompt",
  "lost-answer",
  "lost-before",
];

function outcome(a: Answer): SendOutcome | "transmit" | "transmit-unknown" {
  switch (a) {
    case "sent":
      return "transmit";
    case "retry":
      return { kind: "rejected", code: 42, category: "retry-later", text: "congestion" };
    case "permanent":
      return { kind: "rejected", code: 21, category: "permanent", text: "rejected" };
    case "fault":
      return { kind: "rejected", code: 300, category: "modem-fault", text: "ME failure" };
    case "no-prompt":
      return { kind: "not-sent", reason: "no-prompt", text: "no prompt" };
    case "lost-answer":
      return "transmit-unknown"; // the SMSC took it, the +CMGS answer never came
    case "lost-before":
      return { kind: "unknown", reason: "timeout", text: "no answer" };
  }
}

describe("send loop invariants", () => {
  it("holds for random modem answers and flapping modems", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...answers), { minLength: 5, maxLength: 60 }),
        fc.array(
          fc.record({
            long: fc.boolean(),
            to: fc.integer({ min: 0, max: 4 }),
            pin: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 4 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        // Contacts that wrote to a modem first (sticky routes).
        fc.array(fc.record({ to: fc.integer({ min: 0, max: 4 }), modem: fc.integer({ min: 0, max: 2 }) }), {
          maxLength: 3,
        }),
        fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 6 }),
        async (script, msgs, sticky, flaps) => {
          const { engine, clock, modems } = setupEngine({
            modems: 3,
            config: {
              backoffBaseMs: 500,
              backoffMaxMs: 2000,
              retryBudgetMs: 30_000,
              maxAttempts: 4,
              failureMinSamples: 1000,
            },
          });
          let n = 0;
          const log: { pdu: string; modem: string }[] = [];
          for (const m of modems) {
            m.respond = () => {
              const o = outcome(script[n++ % script.length]!);
              const pdu = m.lastPdu!;
              if (o === "transmit" || o === "transmit-unknown") log.push({ pdu, modem: m.id });
              if (o === "transmit-unknown")
                return { kind: "unknown", reason: "closed-after-pdu", text: "line dropped" };
              return o === "transmit" ? { kind: "sent", mr: log.length & 0xff } : o;
            };
          }
          for (const [i, st] of sticky.entries())
            await modems[st.modem]!.deliver(
              deliverPdu({ from: `+3361234000${st.to}`, text: `hi ${i}`, at: clock.now() + i }),
            );
          const ids = msgs.map(
            (m, i) =>
              engine.enqueue({
                to: `+3361234000${m.to}`,
                text: m.long ? `message ${i} ${"lorem ipsum ".repeat(20)}` : `message ${i}`,
                category: i % 2 ? "marketing" : "transactional",
                ...(m.pin !== null ? { modem: modems[m.pin]!.id } : {}),
              }).id,
          );
          for (const f of flaps) {
            await clock.advance(700);
            const m = modems[f]!;
            m.state = m.state === "ready" ? "recovering" : "ready";
          }
          for (const m of modems) m.state = "ready";
          await clock.advance(120_000);
          const final = new Set<PartStatus>(["sent", "delivered", "failed", "unknown"]);
          for (const id of ids) {
            const v = engine.getMessage(id)!;
            const parts = v.parts.map((p) => p.status as PartStatus);
            expect(
              parts.every((p) => final.has(p)),
              JSON.stringify(parts),
            ).toBe(true);
            expect(v.status).toBe(aggregate(parts));
            const used = new Set(
              v.parts.filter((p) => p.attempts > 0 && p.status !== "failed").map((p) => p.modemId),
            );
            expect(used.size).toBeLessThanOrEqual(1);
          }
          const seen = new Map<string, number>();
          for (const t of log) seen.set(t.pdu, (seen.get(t.pdu) ?? 0) + 1);
          expect([...seen.values()].every((c) => c === 1)).toBe(true);
          const transmittedBy = new Map<string, Set<string>>();
          for (const t of log) {
            const row = engine.db.prepare("SELECT message_id FROM parts WHERE pdu = ?").get(t.pdu) as {
              message_id: string;
            };
            const s = transmittedBy.get(row.message_id) ?? new Set();
            s.add(t.modem);
            transmittedBy.set(row.message_id, s);
          }
          expect([...transmittedBy.values()].every((s) => s.size === 1)).toBe(true);
          await engine.stop();
        },
      ),
      { numRuns: 40, seed: 20261126 },
    );
  }, 60_000);
});
