/** Worker thread of bench/fuzz-pdu.ts: runs the chunks it is given and posts its statistics back. */
import { parentPort, workerData } from "node:worker_threads";
import { CHUNK, newStats, runChunk, warmUp } from "./pdu-run.js";

const { seed, chunks, total } = workerData as { seed: number; chunks: number[]; total: number };
const count = (c: number) => Math.min(CHUNK, total - c * CHUNK);
const stats = newStats(chunks.reduce((n, c) => n + count(c), 0));
warmUp(seed);
for (const c of chunks) runChunk(seed, c, count(c), stats);
parentPort?.postMessage(stats, [stats.times.buffer as ArrayBuffer]);
