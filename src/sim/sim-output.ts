/** Pure formatting of what the simulated modem writes: V.250 §5.7 information text and result codes. */
import { cmeText } from "./error-text.js";
import type { Persona } from "./personas.js";
import { type Rng, rngInt } from "./prng.js";
import type { Final, SimState } from "./sim-types.js";

/** Information text (V.250 §5.7.1): <CR><LF>text<CR><LF> with ATV1, text<CR><LF> with ATV0. */
export function formatInfo(lines: readonly string[], verbose: boolean): string {
  const body = lines.join("\r\n");
  return verbose ? `\r\n${body}\r\n` : `${body}\r\n`;
}

/**
 * Final result code (V.250 §5.7.2; 27.007 §9.1 +CMEE 0 → ERROR, 1 → number, 2 → text; 27.005 §3.2.5
 * +CMS ERROR is numeric whatever +CMEE says). Null when nothing is written (ATQ1, or "none").
 */
export function formatFinal(f: Final, st: Pick<SimState, "quiet" | "verbose" | "cmee">): string | null {
  if (f.kind === "none" || st.quiet) return null;
  const v = st.verbose;
  let text: string;
  if (f.kind === "ok") text = v ? "OK" : "0";
  else if (f.kind === "error" || (f.kind === "cme" && st.cmee === 0)) text = v ? "ERROR" : "4";
  else if (f.kind === "cme") text = `+CME ERROR: ${st.cmee === 2 ? cmeText(f.code) : f.code}`;
  else if (f.kind === "cms") text = `+CMS ERROR: ${f.code}`;
  else text = f.text;
  return v ? `\r\n${text}\r\n` : /^\d$/.test(text) ? `${text}\r` : `${text}\r\n`;
}

/** Line noise for the "garbage" fault: 1–8 random bytes, never CR, LF or '>' (that would fake a prompt). */
export function garbageBytes(rng: Rng): Uint8Array {
  const junk: number[] = [];
  for (let i = rngInt(rng, 1, 8); i > 0; i--) {
    const b = rngInt(rng, 0, 255);
    junk.push(b === 0x0d || b === 0x0a || b === 0x3e ? 0xff : b);
  }
  return Uint8Array.from(junk);
}

/** One vendor noise URC ("^RSSI:17" on Huawei); "+CIEV: 1,4" (27.007 §8.10 indicator) elsewhere. */
export function noiseUrc(p: Persona, pick = 0): string {
  return p.noise[pick]?.replace("{rssi}", String(p.csq[0])) ?? "+CIEV: 1,4";
}

/** 27.007 §7.2/§10.1.20: +CREG/+CGREG/+CEREG: <stat>[,<lac>,<ci>] for each one enabled with <n>=1 or 2. */
export function registrationUrcs(
  st: Pick<SimState, "creg" | "cgreg" | "cereg">,
  lte: boolean,
  stat: number,
): string[] {
  const ext = ',"1A2B","00C3D4E5"';
  const out: string[] = [];
  if (st.creg) out.push(`+CREG: ${stat}${st.creg === 2 ? ext : ""}`);
  if (st.cgreg) out.push(`+CGREG: ${stat}${st.cgreg === 2 ? ext : ""}`);
  if (st.cereg && lte) out.push(`+CEREG: ${stat}${st.cereg === 2 ? ext : ""}`);
  return out;
}
