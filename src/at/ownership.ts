/**
 * Which lines belong to the command in flight (reference-ril atchannel.c command types, made
 * automatic): lines with the command's own prefix, bare text for identity commands, and the PDU line
 * after a +CMGR:/+CMGL: header. Pure functions; the channel keeps the state.
 */

/** Two-line SMS URCs: header + one PDU line (reference-ril isSMSUnsolicited; 27.005 §3.4.1). */
export const SMS_PAIR_PREFIXES: readonly string[] = ["+CMT:", "+CDS:", "+CBM:"];

/**
 * Lines that are unsolicited whatever the command in flight, unless it owns them by prefix:
 * 27.007/27.005 URCs and the boot and vendor noise seen on SIMCom ("RDY", "Call Ready",
 * "SMS Ready" — SIM800 Series AT Command Manual §1.4), Huawei ("^RSSI:", "^BOOT:" — ModemManager
 * huawei plugin) and Quectel ("+QIND:").
 */
const KNOWN_UNSOLICITED =
  /^(?:RING\b|\+CRING:|\+CLIP:|\+CMTI:|\+CMT:|\+CDS:|\+CDSI:|\+CBM:|\+CREG:|\+CGREG:|\+CEREG:|\+CPIN:|\+CUSD:|\+CIEV:|\+CTZV:|\+CTZE:|\+QIND:|\+CFUN:|\^|RDY$|Call Ready$|SMS Ready$|\*PSUTTZ|DST:|UNDER-VOLTAGE|OVER-VOLTAGE|NORMAL POWER DOWN)/i;

export function isKnownUnsolicited(line: string): boolean {
  return KNOWN_UNSOLICITED.test(line);
}

/** "AT+CSQ" → "+CSQ:", "AT^SYSINFO" → "^SYSINFO:", "AT+CMGS=23" → "+CMGS:"; null for basic commands. */
export function responsePrefix(command: string): string | null {
  const m = /^AT([+^$%#*!][A-Z0-9_]+)/i.exec(command.trim());
  return m?.[1] ? `${m[1].toUpperCase()}:` : null;
}

/** Identity commands that answer with unprefixed text (27.007 §5.1–§5.5, V.250 §6.1.3 "ATI"). */
const BARE_TEXT = /^AT(?:\+(?:CGSN|CIMI|CGMI|CGMM|CGMR|GSN|GMI|GMM|GMR|CCID)|I\d*)$/i;

export function answersWithBareText(command: string): boolean {
  return BARE_TEXT.test(command.trim());
}

/** "AT+CPIN=\"1234\"" → "AT+CPIN=<redacted>"; a command without "=" is fully redacted after "AT". */
export function redactCommand(command: string): string {
  const eq = command.indexOf("=");
  return eq >= 0 ? `${command.slice(0, eq + 1)}<redacted>` : `${command.slice(0, 2)}<redacted>`;
}

/** Longest registered prefix that starts `line` (prefixes are compared case-sensitively). */
export function longestPrefix(line: string, prefixes: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const p of prefixes)
    if (line.startsWith(p) && (best === undefined || p.length > best.length)) best = p;
  return best;
}
