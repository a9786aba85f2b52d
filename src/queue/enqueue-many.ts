/**
 * Batch enqueue: every item in ONE transaction, so a batch costs one commit (one fsync with
 * synchronous=FULL) instead of one per message (bench/RESULTS.md, "HTTP API": the batch endpoint was
 * bound by one fsync per item). Each item runs in its own SAVEPOINT (the nested runTx of
 * enqueueMessage): an item refused by validation, the compliance hook or an idempotency conflict
 * leaves no row and is reported at its index, while the others commit. A SQLite failure (disk full,
 * I/O error) is not an item's fault: it aborts the whole batch, nothing is committed.
 */
import Database from "better-sqlite3";
import type { EncodedSubmit, SubmitOptions } from "../pdu/types.js";
import { deferTo, runTx, type StoreDeps } from "../store/tx.js";
import { type EnqueueOptions, type EnqueueRequest, type EnqueueResult, enqueueMessage } from "./enqueue.js";

export type EnqueueManyItem =
  | { readonly ok: true; readonly result: EnqueueResult }
  | { readonly ok: false; readonly error: unknown };

/**
 * Turns an item into the request to enqueue, inside the batch's transaction (so that it sees the
 * rows of the items before it: a marketing cap counts them); throws to refuse the item.
 */
export type PrepareItem = (req: EnqueueRequest, index: number) => EnqueueRequest;

export function enqueueMany(
  store: StoreDeps,
  codec: { encodeSubmit(opts: SubmitOptions): EncodedSubmit },
  requests: readonly EnqueueRequest[],
  o: EnqueueOptions & { readonly prepare?: PrepareItem },
): EnqueueManyItem[] {
  return runTx(store, (tx) => {
    const inner = deferTo(tx);
    return requests.map((req, i): EnqueueManyItem => {
      try {
        const final = o.prepare ? o.prepare(req, i) : req;
        return { ok: true, result: enqueueMessage(inner, codec, final, o) };
      } catch (error) {
        if (error instanceof Database.SqliteError) throw error;
        return { ok: false, error };
      }
    });
  });
}
