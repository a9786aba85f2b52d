/**
 * Typed errors of the message engine. `code` is a stable string for the HTTP layer to map
 * (400 for invalid_*, 404 not_found, 409 for the conflicts).
 */
export type EngineErrorCode =
  | "invalid_number"
  | "invalid_request"
  | "idempotency_conflict"
  | "not_found"
  | "not_cancelable"
  | "not_resendable";

export class EngineError extends Error {
  override readonly name = "EngineError";
  constructor(
    message: string,
    readonly code: EngineErrorCode,
    readonly context?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isEngineError = (e: unknown): e is EngineError => e instanceof EngineError;
