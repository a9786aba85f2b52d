/** The last `max` characters a child process wrote (stdout and stderr), for the error of a failed run. */
import type { ChildProcess } from "node:child_process";

export function outputTail(c: ChildProcess, max = 4000): () => string {
  let tail = "";
  const keep = (d: Buffer) => {
    tail = (tail + d.toString()).slice(-max);
  };
  c.stdout?.on("data", keep);
  c.stderr?.on("data", keep);
  return () => tail;
}
