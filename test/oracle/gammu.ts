/**
 * TypeScript side of the Gammu oracle: one long-lived `/usr/bin/python3 gammu_oracle.py` per test
 * file, fed JSON lines in batches. Gammu (Debian python3-gammu) is an independent implementation
 * of 23.040/23.038, which is what makes it useful as a differential reference.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The Debian interpreter: the one that has the `gammu` module (a pyenv python3 on PATH does not). */
export const GAMMU_PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./gammu_oracle.py", import.meta.url));
export const INSTALL_HINT =
  "the Gammu oracle needs Debian's python3-gammu for /usr/bin/python3: " +
  "run `apt-get install python3-gammu` (scripts/test.sh installs it in CI)";

export interface GammuConcat {
  ref: number;
  total: number;
  seq: number;
  refBits: 8 | 16;
}

export interface GammuDecoded {
  ok: true;
  type: "deliver" | "submit" | "status-report";
  number: string;
  text: string | null;
  dataHex: string | null;
  coding: string;
  class: number | null;
  concat: GammuConcat | null;
  udhHex: string;
  length: number;
  mr: number;
  smsc: string;
  validity: string;
  scts: string | null;
  dischargeTime: string | null;
  status: number | null;
}

export interface GammuEncodeRequest {
  number: string;
  text: string;
  unicode?: boolean;
  class?: number | null;
  statusReport?: boolean;
  /** Relative TP-VP octet (0..196 or 255), "max", or null for Gammu's default (255). */
  validity?: number | "max" | null;
  concat16?: boolean;
  ref?: number;
  layout?: "submit" | "deliver";
  /** Naive local time "YYYY-MM-DDTHH:MM:SS" for a DELIVER's SCTS (Gammu writes zone 0). */
  scts?: string;
  smsc?: string;
}

export interface GammuEncoded {
  ok: true;
  coding: "gsm7" | "ucs2";
  parts: { pdu: string; text: string; concat: GammuConcat | null }[];
}

export interface GammuError {
  ok: false;
  error: string;
  text?: string;
  where?: string;
  code?: number;
}

type Answer = { id: number } & Record<string, unknown>;

export interface GammuOracle {
  readonly version: string;
  decode(items: readonly { pdu: string; smsc?: boolean }[]): Promise<(GammuDecoded | GammuError)[]>;
  encode(items: readonly GammuEncodeRequest[]): Promise<(GammuEncoded | GammuError)[]>;
  close(): Promise<void>;
}

/** Starts the helper; rejects with {@link INSTALL_HINT} when Gammu is not there. Never skips. */
export async function startGammu(opts: { python?: string } = {}): Promise<GammuOracle> {
  const python = opts.python ?? GAMMU_PYTHON;
  if (!existsSync(python)) throw new Error(`${python} not found; ${INSTALL_HINT}`);
  const child: ChildProcessWithoutNullStreams = spawn(python, [SCRIPT], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, PYTHONIOENCODING: "utf-8", PYTHONDONTWRITEBYTECODE: "1" },
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const pending = new Map<number, (a: Answer) => void>();
  let dead: Error | undefined;
  const fail = (why: string) => {
    const missing = /No module named '?gammu|ENOENT/.test(`${why} ${stderr}`);
    dead = new Error(
      `Gammu oracle stopped (${why}): ${stderr.trim() || "no stderr"}${missing ? `; ${INSTALL_HINT}` : ""}`,
    );
    for (const resolve of pending.values()) resolve({ id: -1, ok: false, error: dead.message });
    pending.clear();
  };
  child.on("error", (e) => fail(e.message));
  // A helper that dies at start (no gammu module) closes its stdin: a write then fails with EPIPE.
  // That is the same failure "close" reports below, with the helper's stderr read to the end (which
  // carries the install hint), so the stream error itself is only swallowed.
  child.stdin.on("error", () => {});
  child.on("close", (code, signal) => fail(`exit ${code ?? signal}`));
  createInterface({ input: child.stdout }).on("line", (line) => {
    const a = JSON.parse(line) as Answer;
    const resolve = pending.get(a.id);
    pending.delete(a.id);
    resolve?.(a);
  });

  let nextId = 1;
  const call = (reqs: readonly Record<string, unknown>[]): Promise<Answer[]> => {
    if (dead) return Promise.reject(dead);
    const answers = reqs.map((r) => {
      const id = nextId++;
      const p = new Promise<Answer>((resolve) => pending.set(id, resolve));
      return { line: `${JSON.stringify({ ...r, id })}\n`, p };
    });
    child.stdin.write(answers.map((a) => a.line).join(""));
    return Promise.all(answers.map((a) => a.p)).then((all) => {
      if (dead) throw dead;
      return all;
    });
  };

  const [hello] = await call([{ op: "version" }]);
  if (hello?.["ok"] !== true) {
    child.kill();
    throw new Error(
      `Gammu oracle did not start: ${String(hello?.["error"] ?? "")} ${stderr}; ${INSTALL_HINT}`,
    );
  }
  const version = (hello["version"] as string[])[0] ?? "?";

  return {
    version,
    decode: async (items) =>
      (await call(items.map((i) => ({ op: "decode", pdu: i.pdu, smsc: i.smsc ?? true })))) as unknown as (
        | GammuDecoded
        | GammuError
      )[],
    encode: async (items) =>
      (await call(items.map((i) => ({ op: "encode", ...i })))) as unknown as (GammuEncoded | GammuError)[],
    close: async () => {
      child.removeAllListeners("exit");
      child.stdin.end();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once("exit", () => resolve());
      });
    },
  };
}

// ---- Normalisations for Gammu's departures from the spec (shared by tests and bench) ----

/**
 * Gammu sets the text length of a GSM-7 part from TP-UDL, which counts septets (23.040 §9.2.3.16),
 * so for every escape pair (23.038 §6.2.1.1: one character, two septets) python-gammu hands back
 * one character too many: a NUL terminator and whatever follows it in Gammu's buffer. That tail is
 * not part of the message (a real '@' decodes as '@', and no generated text holds U+0000), so the
 * text is cut at the first NUL.
 */
export function gammuText(g: GammuDecoded): string {
  const t = g.text ?? "";
  const nul = t.indexOf("\u0000");
  return nul < 0 ? t : t.slice(0, nul);
}

/**
 * Gammu treats '~' in UCS-2 as a Nokia control: its encoder writes a single '~' as U+0001 and its
 * decoder turns U+007E into "~~" (and then drops the last character to keep its length), see
 * EncodeUnicodeSpecialNOKIAChars/DecodeUnicodeSpecialNOKIAChars in Gammu's coding.c. 23.038 §6.2.3
 * says UCS2 user data is ISO/IEC 10646 code units, so '~' is U+007E and nothing else: Gammu is
 * wrong here, and messages that go out as UCS-2 leave '~' out of the comparison. In GSM-7 '~' is
 * the extension-table escape pair (23.038 §6.2.1.1), which Gammu handles, so it stays there.
 */
export function gammuSafe(text: string, ucs2: boolean): string {
  return ucs2 ? text.replace(/~/g, "-") : text;
}
export const gammuSafeUnit = (u: number): number => (u === 0x7e || u === 0x01 ? 0x2d : u);
