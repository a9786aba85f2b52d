/**
 * Final result codes (V.250 §5.7.2, 27.007 annex B, 27.005 §3.2.5): the line that ends a command.
 * Only verbose (ATV1) forms are recognized; the modem layer never switches to ATV0.
 */
import { cmeCodeFromText, cmsCodeFromText } from "./error-codes.js";
import type { FinalResult } from "./types.js";

/** V.250 §5.7.2 and 27.007 annex B final codes other than OK/ERROR; CONNECT may carry a rate text. */
const OTHER_FINALS = ["NO CARRIER", "NO DIALTONE", "NO DIAL TONE", "BUSY", "NO ANSWER"] as const;

/** Classifies `line` as a final result code, or returns null for any other line. */
export function classifyFinal(line: string): FinalResult | null {
  if (line === "OK") return { kind: "ok" };
  if (line === "ERROR") return { kind: "error" };
  const cme = errorDetail(line, "+CME ERROR:");
  if (cme !== null) return { kind: "cme", ...codeAndText(cme, cmeCodeFromText) };
  const cms = errorDetail(line, "+CMS ERROR:");
  if (cms !== null) return { kind: "cms", ...codeAndText(cms, cmsCodeFromText) };
  for (const other of OTHER_FINALS) if (line === other) return { kind: "other", text: line };
  // "CONNECT", "CONNECT 115200", "CONNECT: 57600" (warthog618/modem at_test "dial ok").
  if (/^CONNECT(?:\b|$)/.test(line)) return { kind: "other", text: line };
  return null;
}

/** Text after "+CME ERROR:" (tolerating a missing space), or null when `line` has another prefix. */
function errorDetail(line: string, prefix: string): string | null {
  if (!line.toUpperCase().startsWith(prefix)) return null;
  return line.slice(prefix.length).trim();
}

/**
 * `code` is the numeric value; a verbose text maps back through the 27.007/27.005 tables; a text
 * outside the tables gets code -1 and keeps its text, so nothing the modem said is lost.
 */
function codeAndText(
  detail: string,
  fromText: (t: string) => number | undefined,
): { code: number; text: string } {
  if (/^\d+$/.test(detail)) return { code: Number.parseInt(detail, 10), text: detail };
  return { code: fromText(detail) ?? -1, text: detail };
}

/** Short human form for logs and error messages ("+CMS ERROR: 500", "OK"). */
export function describeFinal(final: FinalResult): string {
  switch (final.kind) {
    case "ok":
      return "OK";
    case "error":
      return "ERROR";
    case "cme":
      return `+CME ERROR: ${final.text}`;
    case "cms":
      return `+CMS ERROR: ${final.text}`;
    case "other":
      return final.text;
  }
}
