/** Worker thread of bench/fault-matrix.ts: runs the cells it is given, one after the other. */
import { parentPort, workerData } from "node:worker_threads";
import type { Persona } from "../../src/sim/personas.js";
import { MATRIX_FAULTS } from "./faults.js";
import { runCell } from "./scenario.js";

const { cells, seed, log } = workerData as {
  cells: { persona: Persona["id"]; fault: string }[];
  seed: number;
  log: boolean;
};
for (const c of cells) {
  const fault = MATRIX_FAULTS.find((f) => f.spec === c.fault);
  if (!fault) throw new Error(`unknown fault ${c.fault}`);
  parentPort?.postMessage(await runCell(c.persona, fault, seed, { log }));
}
