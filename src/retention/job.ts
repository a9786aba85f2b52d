/** The shape of one retention job: a batch step the runner repeats, each in its own transaction. */
import type { GatewayEvents } from "../events.js";
import type { Db } from "../store/db.js";
import type { IdFactory } from "../store/ids.js";
import type { CountName, RetentionPolicy } from "./policy.js";

export interface JobContext {
  readonly db: Db;
  /** The run's clock reading; every cutoff is computed from it. */
  readonly now: number;
  readonly policy: RetentionPolicy;
  /** Ids of the rows a job writes (the `erasures` log of a contact erasure). */
  readonly ids: IdFactory;
  /** Queues a bus event; the runner emits it only after the batch's commit. */
  emit<K extends keyof GatewayEvents>(name: K, ...args: GatewayEvents[K]): void;
}

export interface StepResult {
  /** Rows the step selected; fewer than the batch size means the job is done for this run. */
  readonly handled: number;
  /** Overrides the batch-size rule, for a job whose batches are smaller than `policy.batchSize`. */
  readonly more?: boolean;
  readonly counts: Partial<Record<CountName, number>>;
}

export interface Job {
  readonly name: string;
  /** Tables created outside the migrations (by the HTTP and webhook modules); skipped when absent. */
  readonly needs?: readonly string[];
  /** Runs inside the transaction the runner opened. */
  step(c: JobContext): StepResult;
}
