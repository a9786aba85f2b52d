/**
 * Two contacts with history in every table the gateway writes about a number: consents, a sent
 * message with its delivery report, inbound messages (one still a fragment), an agent flag, an
 * opt-out with its confirmation, a conversation thread with its timeline (opened by the inbound
 * ingest). Built through the real engine and keyword hook, so the rows are the ones production writes.
 */
import { recordConsent } from "../../../src/conversation/consent.js";
import { inTxEnqueuer } from "../../../src/conversation/enqueue-in-tx.js";
import { createKeywordHook } from "../../../src/conversation/hook.js";
import type { Engine } from "../../../src/engine/engine.js";
import { deliverPdu, reportPdu } from "../../helpers/engine-fakes.js";
import { A, B, type Setup, setupEngine } from "../../helpers/engine-setup.js";

export { A, B };

export function hookedEngine(o: Parameters<typeof setupEngine>[0] = {}): Setup {
  let engine: Engine | undefined;
  const hook = createKeywordHook(
    { businessName: "Boulangerie Martin", businessContact: "05 90 12 34 56" },
    { enqueueInTx: inTxEnqueuer({ defaultCountry: "FR" }), wake: () => engine?.wake() },
  );
  const s = setupEngine({ ...o, keywordHook: hook });
  engine = s.engine;
  return s;
}

export async function inbound(
  s: Setup,
  from: string,
  text: string,
  concat?: { ref: number; total: number; seq: number },
) {
  await s.modems[0]!.deliver(
    deliverPdu({
      from,
      text,
      at: s.clock.now(),
      ...(concat && { concat: { ...concat, refBits: 8 as const } }),
    }),
  );
  await s.clock.advance(1000);
}

/** Semi-octet (BCD, nibble-swapped) form of a number's digits, as it appears inside a PDU. */
export function semiOctets(e164: string): string {
  const d = e164.replace(/\D/g, "");
  const padded = d.length % 2 ? `${d}F` : d;
  let out = "";
  for (let i = 0; i < padded.length; i += 2) out += `${padded[i + 1]}${padded[i]}`;
  return out;
}

/** Every row of every table, as JSON text per table. */
export function dump(s: Setup): Record<string, string> {
  const db = s.engine.db;
  const out: Record<string, string> = {};
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as {
    name: string;
  }[];
  for (const { name } of tables) out[name] = JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
  return out;
}

/** Tables whose rows mention the number, in E.164, national digits or PDU form. */
export function tablesMentioning(s: Setup, e164: string): string[] {
  const national = e164.slice(-9);
  const bcd = semiOctets(e164);
  return Object.entries(dump(s))
    .filter(([, rows]) => rows.includes(national) || rows.toUpperCase().includes(bcd))
    .map(([t]) => t);
}

export async function populate(s: Setup): Promise<void> {
  const ctx = () => ({ db: s.engine.db, at: s.clock.now() });
  for (const who of [A, B]) {
    recordConsent(ctx(), {
      contact: who,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "web-form",
    });
    const { id } = s.engine.enqueue({
      to: who,
      text: `Commande prête ${who}`,
      category: "transactional",
      statusReport: true,
    });
    await s.clock.advance(2000);
    const sent = s.modems[0]!.sent.at(-1)!;
    await s.modems[0]!.deliver(
      reportPdu({ mr: sent.mr, recipient: who, at: s.clock.now(), status: 0 }),
      "status-report",
    );
    await s.clock.advance(1000);
    await inbound(s, who, `Merci ${id}`);
    await inbound(s, who, "je ne veux plus recevoir de sms");
    await inbound(s, who, "Première partie d'un long message", { ref: 7, total: 2, seq: 1 });
  }
  await inbound(s, A, "STOP");
}
