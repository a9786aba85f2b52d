/**
 * Property test of inbound reassembly: concatenated messages from several senders (refs may collide
 * across senders, 8- or 16-bit), parts shuffled, some repeated (a PDU re-read after a crash), and the
 * engine restarted on the same DB file at random points. Every message is stored exactly once, whole.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deliverPdu, ManualClock } from "../../helpers/engine-fakes.js";
import { setupEngine } from "../../helpers/engine-setup.js";

const message = fc.record({
  sender: fc.integer({ min: 0, max: 2 }),
  ref: fc.integer({ min: 0, max: 3 }),
  refBits: fc.constantFrom(8 as const, 16 as const),
  texts: fc.array(fc.stringMatching(/^[a-z ]{1,12}$/), { minLength: 1, maxLength: 4 }),
});

describe("reassembly property", () => {
  it("stores every message once and whole, whatever the order, repeats and restarts", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(message, {
          selector: (m) => `${m.sender}/${m.ref}/${m.refBits}/${m.texts.length}`,
          maxLength: 5,
        }),
        fc.infiniteStream(fc.nat()),
        fc.array(fc.nat({ max: 30 }), { maxLength: 3 }),
        async (msgs, randoms, restartsAt) => {
          const dir = mkdtempSync(join(tmpdir(), "smsgw-reasm-"));
          try {
            const clock = new ManualClock();
            const pdus = msgs.flatMap((m, k) =>
              m.texts.map((text, i) =>
                deliverPdu({
                  from: `+3361111000${m.sender}`,
                  text,
                  at: clock.now() + k * 1000 + i,
                  ...(m.texts.length > 1
                    ? { concat: { ref: m.ref, total: m.texts.length, seq: i + 1, refBits: m.refBits } }
                    : {}),
                }),
              ),
            );
            // Shuffle, then repeat a few PDUs (re-reads).
            const it = randoms[Symbol.iterator]();
            const next = () => it.next().value as number;
            const order = [...pdus];
            for (let i = order.length - 1; i > 0; i--) {
              const j = next() % (i + 1);
              [order[i], order[j]] = [order[j]!, order[i]!];
            }
            for (let r = 0; r < Math.min(3, pdus.length); r++)
              order.splice(next() % (order.length + 1), 0, pdus[next() % pdus.length]!);
            const db = join(dir, "g.db");
            let s = setupEngine({ db, clock });
            for (const [i, pdu] of order.entries()) {
              if (restartsAt.includes(i)) {
                await s.engine.stop();
                s = setupEngine({ db, clock });
              }
              await s.modems[0]!.deliver(pdu);
            }
            const stored = s.engine
              .listMessages({ direction: "inbound", limit: 500 })
              .items.map((m) => `${m.contact}:${m.text}`)
              .sort();
            const expected = msgs.map((m) => `+3361111000${m.sender}:${m.texts.join("")}`).sort();
            expect(stored).toEqual(expected);
            await s.engine.stop();
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 20, seed: 7 },
    );
  }, 60_000);
});
