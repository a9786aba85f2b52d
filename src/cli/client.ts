/**
 * Small client of the running daemon's HTTP API for the CLI commands. Where to connect, first match:
 *   URL: --url, $SMSGW_URL, else http.listen of the configuration (0.0.0.0/:: → loopback)
 *   key: --key, $SMSGW_API_KEY, else the key the daemon generated in <data_dir>/api-key
 * The configuration is read only when a flag or variable leaves something open, so a client on
 * another machine needs nothing but the two variables.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GENERATED_KEY_FILE } from "../config/api-key.js";
import { ConfigError, loadConfig, resolveConfigPath } from "../config/index.js";
import { parseListen } from "../config/schema.js";
import { type CliIo, type OptionSpec, type ParsedArgs, UsageError } from "./args.js";

/** CliIo plus what an API command may have injected (tests run commands in-process). */
export interface ApiCliIo extends CliIo {
  readonly env?: NodeJS.ProcessEnv;
  readonly fetch?: typeof fetch;
}

/** Options every API command accepts. */
export const clientOptions: Readonly<Record<string, OptionSpec>> = {
  url: { type: "string", value: "URL", description: "daemon URL (default $SMSGW_URL, else from the config)" },
  key: {
    type: "string",
    value: "KEY",
    description: "API key (default $SMSGW_API_KEY, else data_dir/api-key)",
  },
  config: { type: "string", short: "c", value: "FILE", description: "configuration to find the daemon" },
};

/** The daemon answered with an RFC 9457 problem. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
    readonly problem: Record<string, unknown> | undefined,
  ) {
    super(message);
  }
}

export interface ApiClient {
  readonly baseUrl: string;
  request<T>(
    method: string,
    path: string,
    o?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<T>;
}

export interface ClientEnv {
  readonly env: NodeJS.ProcessEnv;
  /** Injected in tests; default global fetch. */
  readonly fetch?: typeof fetch;
  /** Per request, default 15 000 ms. */
  readonly timeoutMs?: number;
}

function fromConfig(p: ParsedArgs, env: NodeJS.ProcessEnv): { url: string; keyFile: string } {
  const path = resolveConfigPath(p.string("config"), env);
  try {
    const config = loadConfig(path, { env });
    const { host, port } = parseListen(config.http.listen);
    const h = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
    return {
      url: `http://${h.includes(":") ? `[${h}]` : h}:${port}`,
      keyFile: join(config.data_dir, GENERATED_KEY_FILE),
    };
  } catch (e) {
    if (e instanceof ConfigError)
      throw new UsageError(
        `cannot find the daemon from ${path} (${e.problems[0]?.message ?? "invalid"}); use --url or $SMSGW_URL`,
      );
    throw e;
  }
}

export function clientFrom(p: ParsedArgs, ce: ClientEnv): ApiClient {
  const env = ce.env;
  let url = p.string("url") ?? env.SMSGW_URL;
  let key = p.string("key") ?? env.SMSGW_API_KEY;
  if (url === undefined || key === undefined) {
    const c = fromConfig(p, env);
    url ??= c.url;
    if (key === undefined) {
      try {
        key = readFileSync(c.keyFile, "utf8").trim();
      } catch {
        throw new UsageError(
          `no API key: pass --key or set $SMSGW_API_KEY (no generated key in ${c.keyFile})`,
        );
      }
    }
  }
  if (!/^https?:\/\//.test(url))
    throw new UsageError(`expected an http:// or https:// URL, got '${url}'`, "url");
  return createClient(url.replace(/\/+$/, ""), key, ce);
}

export function createClient(
  baseUrl: string,
  key: string,
  ce: Pick<ClientEnv, "fetch" | "timeoutMs"> = {},
): ApiClient {
  const f = ce.fetch ?? fetch;
  return {
    baseUrl,
    async request<T>(
      method: string,
      path: string,
      o: { body?: unknown; headers?: Record<string, string> } = {},
    ) {
      let res: Response;
      try {
        res = await f(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            accept: "application/json",
            ...(o.body !== undefined && { "content-type": "application/json" }),
            ...o.headers,
          },
          ...(o.body !== undefined && { body: JSON.stringify(o.body) }),
          signal: AbortSignal.timeout(ce.timeoutMs ?? 15_000),
        });
      } catch (e) {
        throw new Error(
          `cannot reach the smsgw daemon at ${baseUrl} (${reason(e)}); is it running? (smsgw start)`,
        );
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = text === "" ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (!res.ok) throw problemError(res.status, json);
      return json as T;
    },
  };
}

function reason(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError") return "no answer in time";
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

function problemError(status: number, json: unknown): ApiError {
  const p = json !== null && typeof json === "object" ? (json as Record<string, unknown>) : undefined;
  const title = typeof p?.title === "string" ? p.title : `HTTP ${status}`;
  const detail = typeof p?.detail === "string" && p.detail !== title ? `: ${p.detail}` : "";
  const errors = Array.isArray(p?.errors)
    ? (p.errors as { field?: string; message?: string }[])
        .map((e) => `${e.field ?? "?"}: ${e.message ?? "invalid"}`)
        .filter((s) => !detail.includes(s.slice(s.indexOf(": ") + 2)))
    : [];
  const more = errors.length > 0 ? ` (${errors.join("; ")})` : "";
  const hint = status === 401 ? " — check --key / $SMSGW_API_KEY" : "";
  return new ApiError(status, `${status} ${title}${detail}${more}${hint}`, p);
}
