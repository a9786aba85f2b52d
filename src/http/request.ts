/** Body and query parsing that turns every kind of bad input into a 4xx problem, never a 5xx. */
import type { Context } from "hono";
import type { z } from "zod";
import { type FieldError, ProblemError, validationProblem } from "./problems.js";

export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ""): FieldError[] {
  return issues.map((i) => {
    const path = i.path.map(String).join(".");
    const field = prefix && path ? `${prefix}.${path}` : prefix || path;
    return { field, message: i.message };
  });
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/** Reads the body as JSON. 415 when it is declared as something else, 400 when it does not parse. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type");
  if (type !== undefined && type.trim() !== "" && !JSON_TYPE.test(type.trim())) {
    throw new ProblemError("unsupported-media-type", "Send the body as application/json");
  }
  const text = await c.req.text();
  if (text.trim() === "") throw new ProblemError("malformed-json", "The request body is empty");
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ProblemError("malformed-json", (e as Error).message);
  }
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationProblem(issuesToFieldErrors(r.error.issues));
  return r.data;
}

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  return validate(schema, await readJson(c));
}

/** Query parameters as a plain object; a repeated parameter is a validation error, not silently merged. */
export function queryObject(c: Context): Record<string, string> {
  const url = new URL(c.req.url);
  const out: Record<string, string> = {};
  const dup: FieldError[] = [];
  for (const [k, v] of url.searchParams) {
    if (Object.hasOwn(out, k)) dup.push({ field: k, message: "must not be repeated" });
    out[k] = v;
  }
  if (dup.length > 0) throw validationProblem(dup);
  return out;
}

export const toIso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined || !(Math.abs(ms) <= 8.64e15) ? null : new Date(ms).toISOString();
