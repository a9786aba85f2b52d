/**
 * Command-line syntax of ITU-T V.250 §5.2 as the simulator reads it: "AT" prefix (any case), basic
 * commands (E0, V1, Z, I, &F, S0=0) and extended commands (+X, ^X, $X) separated by ';'.
 */
import type { ParsedCommand } from "./sim-types.js";

/** Splits "a,\"b,c\", d" on commas outside quotes and removes the quotes. */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  let inQuotes = false;
  for (const ch of s) {
    if (ch === '"') {
      inQuotes = !inQuotes;
      quoted = true;
    } else if (ch === "," && !inQuotes) {
      out.push(quoted ? cur : cur.trim());
      cur = "";
      quoted = false;
    } else cur += ch;
  }
  out.push(quoted ? cur : cur.trim());
  return out;
}

function extended(text: string): ParsedCommand | null {
  const m = /^([+^$%*#][A-Za-z0-9_]+)(=\?|\?|=)?(.*)$/s.exec(text);
  if (!m) return null;
  const name = (m[1] ?? "").toUpperCase();
  const sep = m[2];
  const rest = m[3] ?? "";
  if (sep === "=?") return rest.trim() ? null : { name, op: "test", args: [], raw: text };
  if (sep === "?") return rest.trim() ? null : { name, op: "read", args: [], raw: text };
  if (sep === "=") return { name, op: "set", args: splitArgs(rest), raw: text };
  // Commands such as "+CMGL" with no '=' and trailing text are malformed.
  return rest.trim() ? null : { name, op: "exec", args: [], raw: text };
}

/**
 * Parses the text after "AT". Returns null on a syntax error (the whole line then answers ERROR,
 * V.250 §5.2.1). An empty body is valid ("AT" alone answers OK).
 */
export function parseCommandBody(body: string): ParsedCommand[] | null {
  const out: ParsedCommand[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i] ?? "";
    if (c === " " || c === ";") {
      i++;
      continue;
    }
    if ("+^$%*#".includes(c)) {
      // An extended command runs to the next ';' outside quotes.
      let j = i;
      let q = false;
      while (j < body.length && (q || body[j] !== ";")) {
        if (body[j] === '"') q = !q;
        j++;
      }
      const cmd = extended(body.slice(i, j));
      if (!cmd) return null;
      out.push(cmd);
      i = j + 1;
      continue;
    }
    const m = /^(&[A-Za-z]|[Ss]\d+|[A-Za-z])(\?|=\d*|\d*)/.exec(body.slice(i));
    if (!m) return null;
    const name = (m[1] ?? "").toUpperCase();
    const tail = m[2] ?? "";
    if (name === "D") {
      // Dial consumes the rest of the line (V.250 §6.3.1).
      out.push({ name, op: "set", args: [body.slice(i + 1)], raw: body.slice(i) });
      break;
    }
    if (tail === "?") out.push({ name, op: "read", args: [], raw: m[0] });
    else if (tail.startsWith("=")) out.push({ name, op: "set", args: [tail.slice(1)], raw: m[0] });
    else out.push({ name, op: tail ? "set" : "exec", args: tail ? [tail] : [], raw: m[0] });
    i += m[0].length;
  }
  return out;
}
