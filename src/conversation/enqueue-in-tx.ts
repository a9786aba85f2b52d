/**
 * Enqueue from inside another store transaction (the inbound ingest), for the keyword replies.
 *
 * The engine's enqueue opens its own transaction; called inside the ingest transaction,
 * better-sqlite3 turns it into a SAVEPOINT, so the reply row commits or rolls back together with the
 * opt-out that caused it. Its bus events are routed through the outer `tx.emit`, so they are emitted
 * only after the outer commit (src/store/tx.ts: a listener never sees a state a crash could undo).
 * The category of these replies is set by the keyword rule, so it is recorded as `keyword-reply`
 * unless the caller names another source (issue #7).
 */
import { encodeSubmit } from "../pdu/index.js";
import type { EncodedSubmit, SubmitOptions } from "../pdu/types.js";
import { type EnqueueRequest, type EnqueueResult, enqueueMessage } from "../queue/enqueue.js";
import { deferTo, type Tx } from "../store/tx.js";

export type EnqueueInTx = (tx: Tx, req: EnqueueRequest) => EnqueueResult;

export function inTxEnqueuer(o: {
  readonly defaultCountry: string;
  /** Simulated SIMs' numbers ([sim.numbers]): a STOP from one still gets its confirmation. */
  readonly virtualNumbers?: readonly string[];
  readonly codec?: { encodeSubmit(opts: SubmitOptions): EncodedSubmit };
}): EnqueueInTx {
  const codec = o.codec ?? { encodeSubmit };
  const virtualNumbers = new Set(o.virtualNumbers ?? []);
  return (tx, req) =>
    enqueueMessage(
      deferTo(tx),
      codec,
      { categorySource: "keyword-reply", ...req },
      {
        defaultCountry: o.defaultCountry,
        virtualNumbers,
        knownModem: () => false,
      },
    );
}
