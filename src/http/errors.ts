/**
 * The only place that turns errors into HTTP statuses. Engine refusals (ServiceError) map to
 * problem types; anything unexpected is a 500 whose detail does not leak internals.
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ServiceError } from "./deps.js";
import { PROBLEM_TYPES, ProblemError, problemResponse } from "./problems.js";

export function fromServiceError(e: ServiceError): ProblemError {
  switch (e.code) {
    case "not_found":
      return new ProblemError("not-found", e.message);
    case "conflict":
      return new ProblemError("conflict", e.message);
    case "opted_out":
      return new ProblemError("recipient-opted-out", e.message);
    case "unavailable":
      return new ProblemError("unavailable", e.message, { headers: { "Retry-After": "30" } });
    case "invalid":
      return new ProblemError("validation", e.message, {
        extensions: { errors: [{ field: e.field ?? "", message: e.message }] },
      });
  }
}

/** Statuses these types share (403, 429) say something about the recipient, never about hono's own errors. */
const RECIPIENT_TYPES: ReadonlySet<string> = new Set([
  "recipient-opted-out",
  "consent-missing",
  "frequency-cap",
  "outside-window",
]);

export function toProblem(err: unknown): ProblemError | undefined {
  if (err instanceof ProblemError) return err;
  if (err instanceof ServiceError) return fromServiceError(err);
  if (err instanceof HTTPException) {
    // hono's own exceptions (e.g. from a built-in middleware): keep the status, use the matching type.
    const match = Object.entries(PROBLEM_TYPES).find(
      ([type, t]) => t.status === err.status && !RECIPIENT_TYPES.has(type),
    );
    if (match) return new ProblemError(match[0] as keyof typeof PROBLEM_TYPES, err.message || undefined);
  }
  return undefined;
}

export type ErrorReporter = (err: unknown, c: Context) => void;

export function onError(report: ErrorReporter): ErrorHandler {
  return (err, c) => {
    const p = toProblem(err);
    if (p) {
      return problemResponse(p.problemType, p.message, { ...p.extensions, instance: c.req.path }, p.headers);
    }
    report(err, c);
    return problemResponse("internal", "An unexpected error occurred; it has been logged", {
      instance: c.req.path,
    });
  };
}

export const notFound: NotFoundHandler = (c) =>
  problemResponse("not-found", `No route for ${c.req.method} ${c.req.path}`, { instance: c.req.path });
