/**
 * The send path the CPU benchmarks measure, built one way for all of them: the AT channel and Modem
 * driver on a transport, and an Engine on a SQLite file with no rate limit (the benches compare
 * sending machinery, not carrier pacing) and no caps.
 */
import { AtChannel } from "../../src/at/channel.js";
import { systemClock } from "../../src/clock.js";
import { Engine } from "../../src/engine/engine.js";
import { Modem } from "../../src/modem/modem.js";
import { mulberry32 } from "../../src/sim/prng.js";
import type { Transport } from "../../src/transport/types.js";

/** A started modem (throws unless ready) and an engine on `db`; the caller adds the modem when it is ready to. */
export async function benchSendStack(
  transport: Transport,
  db: string,
): Promise<{ modem: Modem; engine: Engine }> {
  const modem = new Modem({
    channel: new AtChannel(transport, { clock: systemClock }),
    clock: systemClock,
    configuredId: "bench",
  });
  if ((await modem.start()) !== "ready") throw new Error("modem not ready");
  const engine = new Engine({
    db,
    random: mulberry32(1),
    config: { ratePerMinute: 1_000_000, rateBurst: 1000, dailyCapPerModem: 0, distinctRecipientsCap: 0 },
  });
  return { modem, engine };
}
