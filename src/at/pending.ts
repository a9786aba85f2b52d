/** State of one queued or in-flight command; owned and mutated only by AtChannel (channel.ts). */
import type { AtError } from "./errors.js";
import type { AtResponse, PromptCommandOptions } from "./types.js";

export type Stage = "queued" | "command" | "prompt" | "payload" | "done";

export interface Pending {
  readonly command: string;
  /** What logs and errors show: the command, or its redacted form when sensitive. */
  readonly shown: string;
  readonly payload: string | null;
  readonly options: PromptCommandOptions;
  readonly prefixes: readonly string[];
  readonly bareText: boolean;
  readonly lines: string[];
  stage: Stage;
  echoPending: boolean;
  payloadEchoPending: boolean;
  pduLineNext: boolean;
  payloadWritten: boolean;
  timer: { clear(): void } | null;
  readonly resolve: (r: AtResponse) => void;
  readonly reject: (e: AtError) => void;
  detachAbort: () => void;
}
