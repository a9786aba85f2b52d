/**
 * Opaque pagination cursors. The engine's own position token is wrapped together with a digest
 * of the filter it was issued for, so a cursor reused with different filters is a 400 rather than
 * a silently wrong page.
 */
import { createHash } from "node:crypto";
import { ProblemError } from "./problems.js";

const digest = (filter: unknown): string =>
  createHash("sha256").update(JSON.stringify(filter)).digest("base64url").slice(0, 12);

export function encodeCursor(position: string, filter: unknown): string {
  return Buffer.from(JSON.stringify({ p: position, f: digest(filter) }), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, filter: unknown): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new ProblemError("invalid-cursor", "The cursor is not one this server issued");
  }
  const o = parsed as { p?: unknown; f?: unknown } | null;
  if (typeof o !== "object" || o === null || typeof o.p !== "string" || typeof o.f !== "string") {
    throw new ProblemError("invalid-cursor", "The cursor is not one this server issued");
  }
  if (o.f !== digest(filter)) {
    throw new ProblemError(
      "invalid-cursor",
      "The cursor was issued for different filters; repeat them unchanged",
    );
  }
  return o.p;
}
