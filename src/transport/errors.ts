/** Typed failures of opening or resolving a transport; `target` names the path or URL at fault. */
export type TransportErrorCode =
  | "not-found"
  | "permission"
  | "open-failed"
  | "invalid-url"
  | "connect-failed";

export class TransportError extends Error {
  override readonly name = "TransportError";
  constructor(
    message: string,
    readonly code: TransportErrorCode,
    readonly target: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** errno codes that mean the device or peer went away rather than a local fault. */
const GONE = new Set(["EIO", "ENXIO", "ENODEV", "EBADF", "ECONNRESET", "EPIPE", "ECONNABORTED"]);

export function isGoneError(error: unknown): boolean {
  const e = error as { code?: unknown; disconnected?: unknown; disconnect?: unknown } | null;
  if (!e) return false;
  return e.disconnected === true || e.disconnect === true || (typeof e.code === "string" && GONE.has(e.code));
}
