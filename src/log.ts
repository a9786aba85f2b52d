/**
 * Logging: one pino root logger per process, created by createLogger() in the composition root and
 * passed down (no module singleton); components take `log.child({ mod: "at", modem: "gsm0" })`.
 *
 * Output is one JSON object per line on stdout, for journald. When stdout is the journal, each line
 * starts with the syslog priority "<N>" (sd-daemon(3) SD_ERR-style prefixes): journald strips it and
 * stores the line at that priority, so `journalctl -u smsgw -p warning` works (SyslogLevelPrefix=,
 * on by default in systemd.exec(5)). On a terminal or a pipe the lines are plain JSON.
 *
 * Personal data: phone numbers and message bodies are redacted unless logging.include_content is
 * true; PINs, API keys, secrets and Authorization headers are redacted always.
 */
import { fstatSync } from "node:fs";
import pino, { type DestinationStream, type LevelWithSilent, type Logger } from "pino";

export type { Logger } from "pino";

/** Keys that hold phone numbers or message content (GDPR data minimisation in long-lived journals). */
export const CONTENT_KEYS = [
  "to",
  "from",
  "number",
  "msisdn",
  "recipient",
  "recipients",
  "originator",
  "text",
  "body",
  "pdu",
] as const;
/** Keys that hold credentials: redacted whatever include_content says. */
export const SECRET_KEYS = [
  "pin",
  "puk",
  "sim_pin",
  "key",
  "api_key",
  "apiKey",
  "secret",
  "password",
  "token",
  "authorization",
] as const;

export const REDACTED = "[redacted]";

/** `to`, `*.to`, `*.*.to` (pino redact wildcards match one level each). */
function pathsFor(keys: readonly string[]): string[] {
  return keys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);
}

export function redactPaths(includeContent: boolean): string[] {
  const paths = pathsFor(SECRET_KEYS);
  return includeContent ? paths : [...pathsFor(CONTENT_KEYS), ...paths];
}

/** pino numeric level → syslog priority (RFC 5424 §6.2.1). */
export function syslogPriority(level: number): number {
  if (level >= 60) return 2; // fatal → crit
  if (level >= 50) return 3; // error → err
  if (level >= 40) return 4; // warn → warning
  if (level >= 30) return 6; // info → info
  return 7; // debug, trace → debug
}

/**
 * True when fd 1 is the journal stream systemd connected: $JOURNAL_STREAM is "<dev>:<inode>" of that
 * stream (systemd.exec(5) "Environment variables in spawned processes").
 */
export function stdoutIsJournal(env: NodeJS.ProcessEnv = process.env, fd = 1): boolean {
  const js = env.JOURNAL_STREAM;
  if (!js) return false;
  try {
    const st = fstatSync(fd);
    return js === `${st.dev}:${st.ino}`;
  } catch {
    return false;
  }
}

const LEVEL_AT_START = /^\{"level":(\d+)/;

/** Prefixes each JSON line with "<N>". pino writes one whole line per write() call. */
export function syslogPrefixStream(inner: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      const m = LEVEL_AT_START.exec(line);
      inner.write(m ? `<${syslogPriority(Number(m[1]))}>${line}` : line);
    },
  };
}

export interface LoggerOptions {
  /** Default "info". */
  readonly level?: LevelWithSilent;
  /** logging.include_content: log phone numbers and bodies. Default false. */
  readonly includeContent?: boolean;
  /** Where lines go; default stdout, written synchronously so that nothing is lost at exit. */
  readonly destination?: DestinationStream;
  /** "<N>" priority prefix: true, false, or "auto" (only when stdout is the journal). Default "auto". */
  readonly syslogPrefix?: boolean | "auto";
  readonly env?: NodeJS.ProcessEnv;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = options.destination ?? pino.destination({ dest: 1, sync: true });
  const prefix = options.syslogPrefix ?? "auto";
  const withPrefix =
    prefix === "auto" ? options.destination === undefined && stdoutIsJournal(options.env) : prefix;
  return pino(
    {
      level: options.level ?? "info",
      // journald records the host; the pid stays for `kill` and for correlating restarts.
      base: { pid: process.pid },
      redact: { paths: redactPaths(options.includeContent ?? false), censor: REDACTED },
      // Level first in the line, as a number: syslogPrefixStream reads it there.
      formatters: { level: (_label, number) => ({ level: number }) },
    },
    withPrefix ? syslogPrefixStream(base) : base,
  );
}

/** Masks a phone number for log messages when content is off: "+33612345678" → "+33•••••••78". */
export function maskNumber(number: string, includeContent: boolean): string {
  if (includeContent || number.length <= 5) return includeContent ? number : "•••";
  return `${number.slice(0, 3)}${"•".repeat(number.length - 5)}${number.slice(-2)}`;
}

export type AtDirection = "»" | "«";

// 27.007 §8.3 +CPIN, §7.5 +CPWD, §7.4 +CLCK carry PIN/PUK/passwords after "="; "=?" is a test command.
const PIN_COMMAND = /(\+CPIN|\+CPWD|\+CLCK)=(?!\?)[^\r\n]*/gi;
const QUOTED_NUMBER = /"\+?\d{6,15}"/g;
// 27.005 §3.5.1: the PDU written after the "> " prompt ends with Ctrl-Z, not CR.
const PDU_LINE = /^([0-9A-Fa-f]{20,})(\x1a?)$/;

/**
 * One AT trace line (zwave-js SerialLogger.data: direction + printable bytes). PIN commands are always
 * masked; quoted numbers and PDU lines are masked unless includeContent.
 */
export function formatAtTrace(
  direction: AtDirection,
  data: string | Uint8Array,
  includeContent: boolean,
): string {
  let text = typeof data === "string" ? data : Buffer.from(data).toString("latin1");
  text = text.replace(PIN_COMMAND, (_m, cmd: string) => `${cmd}=${REDACTED}`);
  if (!includeContent) {
    text = text.replace(QUOTED_NUMBER, `"${REDACTED}"`);
    text = text
      .split(/(\r\n|\r|\n)/)
      .map((part) =>
        part.replace(PDU_LINE, (_m, hex: string, z: string) => `<pdu ${hex.length / 2} octets>${z}`),
      )
      .join("");
  }
  const printable = text.replace(/[\x00-\x1f\x7f]/g, (c) => {
    if (c === "\r") return "\\r";
    if (c === "\n") return "\\n";
    if (c === "\x1a") return "<ctrl-z>";
    if (c === "\x1b") return "<esc>";
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
  return `${direction} ${printable}`;
}
