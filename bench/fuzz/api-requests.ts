/**
 * Seeded HTTP requests for the API fuzz: the routes of the app's own OpenAPI document with mutated
 * path parameters, query strings and bodies (valid, near-valid with the real field names and wrong
 * types, random JSON, huge strings, deep nesting, invalid UTF-8, truncated JSON), random methods,
 * and missing, garbage or wrong-scheme credentials and idempotency keys.
 */
import { type Rng, rngInt } from "../../src/sim/prng.js";

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

export interface Route {
  readonly method: string;
  readonly template: string;
  readonly query: readonly string[];
}

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** What the generator meant: a valid send (its 202 must be in the store afterwards). */
  readonly validSend: boolean;
}

export type OpenApi = {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
};

export function routesOf(doc: OpenApi): Route[] {
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      template,
      query: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
    })),
  );
}

/** Every property name the document's schemas mention: the vocabulary of near-valid bodies. */
export function fieldNames(doc: unknown): string[] {
  const names = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "properties" && x && typeof x === "object") for (const n of Object.keys(x)) names.add(n);
        walk(x);
      }
    }
  };
  walk(doc);
  return [...names];
}

const ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/+%?#&=";
function str(rng: Rng, max = 40): string {
  const n = rngInt(rng, 0, max);
  let s = "";
  for (let i = 0; i < n; i++) {
    const r = rng();
    s +=
      r < 0.8
        ? ASCII[rngInt(rng, 0, ASCII.length - 1)]
        : String.fromCodePoint(pick(rng, [0, 0xe9, 0x20ac, 0x1f600, 0xfeff, 0x7f]));
  }
  return s;
}

function jsonValue(rng: Rng, depth: number): unknown {
  const r = rng();
  if (depth <= 0 || r < 0.5)
    return pick(rng, [
      null,
      true,
      false,
      0,
      -1,
      1e308,
      -0.5,
      2 ** 53 + 1,
      "",
      str(rng),
      "+33612345678",
      "2030-01-01T00:00:00Z",
    ]);
  if (r < 0.75) return Array.from({ length: rngInt(rng, 0, 4) }, () => jsonValue(rng, depth - 1));
  return Object.fromEntries(
    Array.from({ length: rngInt(rng, 0, 4) }, () => [str(rng, 8), jsonValue(rng, depth - 1)]),
  );
}

export class RequestGenerator {
  readonly #routes: Route[];
  readonly #fields: string[];
  readonly #keys: { valid: string; readOnly: string };
  /** Ids the API handed out, reused as path parameters so requests reach real rows. */
  readonly ids: string[] = [];
  readonly #idemKeys: string[] = [];
  #n = 0;

  constructor(
    readonly rng: Rng,
    doc: OpenApi,
    keys: { valid: string; readOnly: string },
  ) {
    this.#routes = routesOf(doc);
    this.#fields = fieldNames(doc);
    this.#keys = keys;
  }

  #param(): string {
    const { rng } = this;
    const r = rng();
    if (r < 0.35 && this.ids.length) return pick(rng, this.ids);
    if (r < 0.5) return pick(rng, ["gsm0", "crm", "imei:356059926749447", "1", "0", "-1", "null"]);
    if (r < 0.6)
      return pick(rng, ["..", "%2e%2e", "%", "%00", "%E0%A4%A", "a%2Fb", "%F0%9F%98%80", "x".repeat(10_000)]);
    return encodeURIComponent(str(rng));
  }

  #near(): Record<string, unknown> {
    const { rng } = this;
    const o: Record<string, unknown> = rng() < 0.6 ? { to: "+33612345678", text: "hello" } : {};
    for (let n = rngInt(rng, 0, 4); n > 0; n--) o[pick(rng, this.#fields)] = jsonValue(rng, 2);
    return o;
  }

  #body(): { body?: string | Uint8Array; validSend: boolean } {
    const { rng } = this;
    const r = rng();
    const to = `+3361234${String(rngInt(rng, 0, 9999)).padStart(4, "0")}`;
    if (r < 0.25)
      return {
        body: JSON.stringify({ to, text: `fuzz ${this.#n}`, category: "transactional" }),
        validSend: true,
      };
    if (r < 0.5) return { body: JSON.stringify(this.#near()), validSend: false };
    if (r < 0.58)
      return {
        body: JSON.stringify({ messages: Array.from({ length: rngInt(rng, 0, 30) }, () => this.#near()) }),
        validSend: false,
      };
    if (r < 0.66) return { body: JSON.stringify(jsonValue(rng, 4)), validSend: false };
    if (r < 0.7)
      return {
        body: JSON.stringify({ to, text: "x".repeat(pick(rng, [1600, 40_000, 2_000_000])) }),
        validSend: false,
      };
    if (r < 0.74) {
      const d = rngInt(rng, 100, 20_000);
      return { body: `${'{"a":'.repeat(d)}1${"}".repeat(d)}`, validSend: false };
    }
    if (r < 0.78) return { body: "[".repeat(rngInt(rng, 1, 50_000)), validSend: false };
    if (r < 0.84) {
      // Invalid UTF-8: a lone continuation byte, an overlong "/", a truncated 4-byte sequence.
      const bad = pick(rng, [[0x80], [0xc0, 0xaf], [0xf0, 0x9f, 0x98], [0xff, 0xfe], [0xed, 0xa0, 0x80]]);
      const head = Buffer.from(`{"to":"${to}","text":"`);
      return { body: Uint8Array.from([...head, ...bad, ...Buffer.from('"}')]), validSend: false };
    }
    if (r < 0.9) return { body: JSON.stringify(this.#near()).slice(0, rngInt(rng, 0, 20)), validSend: false };
    if (r < 0.95) return { validSend: false };
    return { body: str(rng, 200), validSend: false };
  }

  #headers(validSend: boolean): { headers: Record<string, string>; authorized: boolean } {
    const { rng } = this;
    const h: Record<string, string> = {};
    const a = rng();
    const authorized = a < 0.8;
    if (authorized) h.authorization = `Bearer ${this.#keys.valid}`;
    else if (a < 0.84) h.authorization = `Bearer ${this.#keys.readOnly}`;
    else if (a < 0.88) h.authorization = `Basic ${Buffer.from("a:b").toString("base64")}`;
    else if (a < 0.92) h.authorization = `Bearer ${str(rng).replace(/[^\x20-\x7e]/g, "")}`;
    else if (a < 0.94) h.authorization = "Bearer";
    const c = rng();
    h["content-type"] =
      c < 0.8
        ? "application/json"
        : pick(rng, [
            "text/plain",
            "application/json; charset=latin1",
            "",
            "multipart/form-data; boundary=x",
          ]);
    const k = rng();
    if (k < 0.15) {
      const key = `k-${rngInt(rng, 0, 50)}`; // few values: replays and conflicts happen
      h["idempotency-key"] = key;
      this.#idemKeys.push(key);
    } else if (k < 0.2)
      h["idempotency-key"] = pick(rng, ["", " ", "x".repeat(300), '"quoted"', "\u00e9t\u00e9"]);
    if (rng() < 0.03) h["content-length"] = String(pick(rng, [0, 1, 10_000_000, 2 ** 40]));
    void validSend;
    return { headers: h, authorized };
  }

  next(): FuzzRequest {
    const { rng } = this;
    this.#n++;
    // The send route gets a fifth of the requests: it is the one that writes messages.
    const r = rng();
    const send = this.#routes.find((x) => x.method === "POST" && x.template === "/v1/messages");
    const route =
      r < 0.2 && send
        ? send
        : r < 0.93
          ? pick(rng, this.#routes)
          : { method: "GET", template: `/${str(rng, 20)}`, query: [] };
    const method =
      rng() < 0.85 ? route.method : pick(rng, ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);
    let path = route.template.replace(/\{[^}]+\}/g, () => this.#param());
    if (route.query.length && rng() < 0.6) {
      const q = new URLSearchParams();
      for (let n = rngInt(rng, 1, 4); n > 0; n--)
        q.append(
          rng() < 0.8 ? pick(rng, route.query) : str(rng, 6),
          rng() < 0.5 ? str(rng, 12) : String(rngInt(rng, -5, 2 ** 31)),
        );
      path += `?${q}`;
    }
    const hasBody = method !== "GET" && method !== "HEAD";
    const { body, validSend } = hasBody ? this.#body() : { validSend: false };
    const { headers, authorized } = this.#headers(validSend);
    const isSend = method === "POST" && route.template === "/v1/messages";
    return {
      method,
      path,
      headers,
      ...(body !== undefined && { body }),
      validSend: validSend && isSend && authorized && headers["content-type"] === "application/json",
    };
  }
}
