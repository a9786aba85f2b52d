/**
 * Thin helpers over AtChannelLike used by init, sms, health and recovery. A final error result is
 * data (AtResponse), a missing one is an AtError thrown by the channel; CommandFailed turns an
 * unexpected final result into an exception where the caller wants one.
 */
import type { AtChannelLike, AtResponse, CommandOptions, FinalResult } from "../at/types.js";
import { redactAt } from "./log.js";

export class CommandFailed extends Error {
  override readonly name = "CommandFailed";
  constructor(
    readonly command: string,
    readonly final: FinalResult,
  ) {
    super(`${redactAt(command)}: ${describeFinal(final)}`);
  }
}

export function describeFinal(f: FinalResult): string {
  switch (f.kind) {
    case "ok":
      return "OK";
    case "error":
      return "ERROR";
    case "cme":
      return `+CME ERROR: ${f.code}${f.text && f.text !== String(f.code) ? ` (${f.text})` : ""}`;
    case "cms":
      return `+CMS ERROR: ${f.code}${f.text && f.text !== String(f.code) ? ` (${f.text})` : ""}`;
    case "other":
      return f.text;
  }
}

/** Failure of the channel itself (duck-typed on src/at/errors.ts AtError so tests can fake it). */
export interface ChannelFailure {
  readonly kind: "timeout" | "no-prompt" | "closed" | "aborted";
  readonly payloadWritten: boolean;
  readonly message: string;
}

export function asChannelFailure(e: unknown): ChannelFailure | null {
  if (typeof e !== "object" || e === null) return null;
  const k = (e as { kind?: unknown }).kind;
  if (k !== "timeout" && k !== "no-prompt" && k !== "closed" && k !== "aborted") return null;
  return {
    kind: k,
    payloadWritten: (e as { payloadWritten?: unknown }).payloadWritten === true,
    message: e instanceof Error ? e.message : String(k),
  };
}

/** Runs a command; resolves with its response whatever the final result. */
export type Exec = (line: string, options?: CommandOptions) => Promise<AtResponse>;

/** Runs a command and throws CommandFailed unless the final result is OK. */
export async function expectOk(exec: Exec, line: string, options?: CommandOptions): Promise<AtResponse> {
  const r = await exec(line, options);
  if (r.final.kind !== "ok") throw new CommandFailed(line, r.final);
  return r;
}

export function isOk(r: AtResponse): boolean {
  return r.final.kind === "ok";
}

/** Wraps a channel so every command gets a default timeout and successes are timestamped. */
export function makeExec(
  channel: AtChannelLike,
  defaults: () => { timeoutMs: number },
  onSuccess: () => void,
): Exec {
  return async (line, options) => {
    const r = await channel.command(line, { timeoutMs: defaults().timeoutMs, ...options });
    if (r.final.kind === "ok") onSuccess();
    return r;
  };
}
