/**
 * Every transcript in test/fixtures/at replayed through the real AtChannel: once as whole lines,
 * then with the modem's bytes cut at every single offset, every byte on its own, and at seeded random
 * offsets. Bytes may split anywhere (atat chunkwise_digest regression); the parsed result may not
 * change.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expected, loadFixture, modemByteCount, replay } from "./fixture.js";

const dir = join(import.meta.dirname, "../../fixtures/at");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".at"))
  .sort();

describe("AT transcript fixtures", () => {
  it("finds the fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    const fixture = loadFixture(join(dir, file));
    const want = expected(fixture);
    const total = modemByteCount(fixture);

    describe(file, () => {
      it("replays to the expected responses, URCs and writes", async () => {
        const got = await replay(fixture, new Set());
        expect(got).toEqual(want);
        fixture.commands.forEach((c, i) => {
          if (c.code === null) return;
          const final = got.responses[i]?.final;
          expect(final && "code" in final ? final.code : undefined).toBe(c.code);
        });
      });

      it("gives the same result with the modem's bytes split at every offset", async () => {
        for (let cut = 1; cut < total; cut++) {
          const got = await replay(fixture, new Set([cut]));
          expect(got, `split at byte ${cut}`).toEqual(want);
        }
      });

      it("gives the same result with every byte in its own chunk", async () => {
        const all = new Set(Array.from({ length: total }, (_, i) => i + 1));
        expect(await replay(fixture, all)).toEqual(want);
      });

      it("gives the same result with seeded random splits", async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, total - 1) }), { maxLength: 24 }),
            async (cuts) => {
              expect(await replay(fixture, new Set(cuts))).toEqual(want);
            },
          ),
          { seed: 20_260_611, numRuns: 60 },
        );
      });
    });
  }
});
