/**
 * Why an AT command produced no final result. The caller of a prompt command (AT+CMGS) reads
 * `payloadWritten`: false → the message certainly did not go out; true → its fate is unknown and it
 * must never be resent automatically (zwave-js Driver.ts mayRetrySerialAPICommand).
 */
import type { AtFailureKind } from "./types.js";

export class AtError extends Error {
  override readonly name = "AtError";
  readonly kind: AtFailureKind;
  /** The command as logged (sensitive arguments redacted). */
  readonly command: string;
  /** The timeout that expired, for kind "timeout" and "no-prompt". */
  readonly timeoutMs: number | undefined;
  /** Whether the payload of a prompt command was (possibly) written to the modem. */
  readonly payloadWritten: boolean;

  constructor(
    kind: AtFailureKind,
    command: string,
    detail: { timeoutMs?: number; payloadWritten?: boolean; reason?: string; cause?: unknown } = {},
  ) {
    super(`${command}: ${describe(kind, detail.timeoutMs, detail.reason)}`, { cause: detail.cause });
    this.kind = kind;
    this.command = command;
    this.timeoutMs = detail.timeoutMs;
    this.payloadWritten = detail.payloadWritten ?? false;
  }
}

function describe(kind: AtFailureKind, timeoutMs: number | undefined, reason: string | undefined): string {
  switch (kind) {
    case "timeout":
      return `no final result within ${timeoutMs} ms`;
    case "no-prompt":
      return `no "> " prompt within ${timeoutMs} ms`;
    case "closed":
      return `channel closed${reason ? ` (${reason})` : ""}`;
    case "aborted":
      return `aborted${reason ? ` (${reason})` : ""}`;
  }
}

export const isAtError = (e: unknown): e is AtError => e instanceof AtError;
