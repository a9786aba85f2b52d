/**
 * A worker thread that runs a TypeScript module under tsx. tsx registers its loader in the thread
 * that started it only, and Node 20 does not honour `--import tsx` in a worker's execArgv, so the
 * worker registers the loader itself before importing the module.
 */
import { Worker } from "node:worker_threads";

export function tsWorker(module: URL, workerData: unknown): Worker {
  const api = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  const file = JSON.stringify(module.href);
  return new Worker(`import(${api}).then((m) => { m.register(); return import(${file}); })`, {
    eval: true,
    workerData,
  });
}
