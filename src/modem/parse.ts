/**
 * Pure parsers for generic 27.007 / 27.005 information lines. No I/O, no clock, no logger: each
 * function takes one line (or the lines of one response) and returns a typed value, or null when
 * the line is not what it claims to be. Vendor-specific parsers live with their profile in drivers/.
 */

/** Text after `prefix` (e.g. "+CSQ:"), trimmed; null when the line does not start with it. */
export function afterPrefix(line: string, prefix: string): string | null {
  const l = line.trimStart();
  if (!l.toUpperCase().startsWith(prefix.toUpperCase())) return null;
  return l.slice(prefix.length).trim();
}

/** First line of `lines` that starts with `prefix`, with the prefix removed. */
export function findAfter(lines: readonly string[], prefix: string): string | null {
  for (const line of lines) {
    const rest = afterPrefix(line, prefix);
    if (rest !== null) return rest;
  }
  return null;
}

/** The first line that `parse` accepts, parsed; null when none does (e.g. only OK came back). */
export function firstParsed<T>(lines: readonly string[], parse: (line: string) => T | null): T | null {
  for (const line of lines) {
    const v = parse(line);
    if (v !== null) return v;
  }
  return null;
}

export interface Param {
  readonly value: string;
  readonly quoted: boolean;
}

/** Splits a parameter list on commas outside double quotes (V.250 §5.7 string constants). */
export function splitParams(s: string): Param[] {
  const out: Param[] = [];
  let cur = "";
  let inQuote = false;
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') {
      inQuote = !inQuote;
      quoted = true;
    } else if (ch === "," && !inQuote) {
      out.push({ value: quoted ? cur : cur.trim(), quoted });
      cur = "";
      quoted = false;
    } else cur += ch;
  }
  out.push({ value: quoted ? cur : cur.trim(), quoted });
  return out;
}

/** A decimal integer parameter, or null (empty, quoted text, or garbage). */
export function intParam(p: Param | undefined): number | null {
  if (!p || !/^-?\d+$/.test(p.value)) return null;
  return Number.parseInt(p.value, 10);
}

/** 27.007 §8.5 +CSQ <rssi>: 0 → −113 dBm, 1 → −111, 2..30 → −109..−53 (2 dB steps), 31 → −51 or
 * better, 99 → not known. Returns null for 99 and for out-of-range values. */
export function csqToDbm(rssi: number): number | null {
  if (rssi === 0) return -113;
  if (rssi === 1) return -111;
  if (rssi >= 2 && rssi <= 30) return -109 + (rssi - 2) * 2;
  if (rssi === 31) return -51;
  return null;
}

export function parseCsq(line: string): { dbm: number | null; ber: number | null } | null {
  const rest = afterPrefix(line, "+CSQ:");
  if (rest === null) return null;
  const [a, b] = splitParams(rest);
  const rssi = intParam(a);
  if (rssi === null) return null;
  const ber = intParam(b);
  // 27.007 §8.5: <ber> 0..7 RXQUAL, 99 not known.
  return { dbm: csqToDbm(rssi), ber: ber !== null && ber <= 7 ? ber : null };
}

export type Registration = "home" | "roaming" | "searching" | "denied" | "not-registered" | "unknown";

/** 27.007 §7.2 <stat> (+CREG; the same values for +CGREG §10.1.20 and +CEREG §10.1.22). */
export function statToRegistration(stat: number): Registration {
  switch (stat) {
    case 0:
      return "not-registered";
    case 1: // registered, home network
    case 6: // home, SMS only (E-UTRAN)
    case 9: // home, CSFB not preferred
      return "home";
    case 5: // registered, roaming
    case 7: // roaming, SMS only
    case 10: // roaming, CSFB not preferred
      return "roaming";
    case 2:
      return "searching";
    case 3:
      return "denied";
    default: // 4 unknown, 8 emergency only, anything newer
      return "unknown";
  }
}

export interface RegistrationInfo {
  readonly kind: "CREG" | "CGREG" | "CEREG";
  /** <n> (URC mode), only in the solicited (read command) form. */
  readonly n: number | null;
  readonly stat: number;
  readonly registration: Registration;
  readonly lac: string | null;
  readonly ci: string | null;
  readonly act: number | null;
}

/**
 * +CREG/+CGREG/+CEREG. The read command answers `<n>,<stat>[,<lac>,<ci>[,<AcT>]]`; the unsolicited
 * form is `<stat>[,<lac>,<ci>[,<AcT>]]` (27.007 §7.2). Both start with a number, so the caller says
 * which one it holds; <lac>/<ci> are quoted hex strings in both.
 */
export function parseRegistration(line: string, form: "solicited" | "unsolicited"): RegistrationInfo | null {
  for (const kind of ["CREG", "CGREG", "CEREG"] as const) {
    const rest = afterPrefix(line, `+${kind}:`);
    if (rest === null) continue;
    const p = splitParams(rest);
    // Some firmware answers the read command with the stat only; a lone number is the stat.
    const solicited = form === "solicited" && p.length >= 2 && !p[1]?.quoted && intParam(p[1]) !== null;
    const n = solicited ? intParam(p[0]) : null;
    const at = solicited ? 1 : 0;
    const stat = intParam(p[at]);
    if (stat === null) return null;
    const lac = p[at + 1];
    const ci = p[at + 2];
    // +CEREG/+CGREG may put <rac>/<tac> fields in other positions; <AcT> follows <ci> in all three.
    return {
      kind,
      n,
      stat,
      registration: statToRegistration(stat),
      lac: lac && lac.value !== "" ? lac.value : null,
      ci: ci && ci.value !== "" ? ci.value : null,
      act: intParam(p[at + 3]),
    };
  }
  return null;
}

const REG_RANK: Record<Registration, number> = {
  home: 5,
  roaming: 4,
  searching: 3,
  denied: 2,
  "not-registered": 1,
  unknown: 0,
};

/** SMS can go over CS (+CREG), GPRS (+CGREG) or LTE/SGs (+CEREG): the best of the three counts. */
export function bestRegistration(list: readonly Registration[]): Registration {
  let best: Registration = "unknown";
  for (const r of list) if (REG_RANK[r] > REG_RANK[best]) best = r;
  return best;
}

/** 27.007 §7.3 +COPS: <mode>[,<format>,<oper>[,<AcT>]]. */
export function parseCops(
  line: string,
): { mode: number; format: number | null; operator: string | null; act: number | null } | null {
  const rest = afterPrefix(line, "+COPS:");
  if (rest === null) return null;
  const p = splitParams(rest);
  const mode = intParam(p[0]);
  if (mode === null) return null;
  const op = p[2];
  return {
    mode,
    format: intParam(p[1]),
    operator: op && op.value !== "" ? op.value : null,
    act: intParam(p[3]),
  };
}

export interface StorageFill {
  readonly mem: string | null;
  readonly used: number;
  readonly total: number;
}

/**
 * 27.005 §3.2.2 +CPMS. Read form: `"SM",3,30,"SM",3,30,"SM",3,30` (mem names included); set form:
 * `3,30,3,30,3,30` (numbers only). Returns one entry per memory (mem1 read/delete, mem2 write, mem3
 * receive).
 */
export function parseCpms(line: string): StorageFill[] | null {
  const rest = afterPrefix(line, "+CPMS:");
  if (rest === null) return null;
  const p = splitParams(rest);
  const withNames = p[0]?.quoted === true || (p[0] !== undefined && intParam(p[0]) === null);
  const step = withNames ? 3 : 2;
  const out: StorageFill[] = [];
  for (let i = 0; i + step - 1 < p.length; i += step) {
    const mem = withNames ? (p[i]?.value ?? null) : null;
    const used = intParam(p[i + (withNames ? 1 : 0)]);
    const total = intParam(p[i + (withNames ? 2 : 1)]);
    if (used === null || total === null) return null;
    out.push({ mem, used, total });
  }
  return out.length > 0 ? out : null;
}

/** 27.005 §3.4.2 +CMGL (PDU mode): `<index>,<stat>,[<alpha>],<length>`. */
export function parseCmglHeader(line: string): { index: number; stat: number; length: number } | null {
  const rest = afterPrefix(line, "+CMGL:");
  if (rest === null) return null;
  const p = splitParams(rest);
  const index = intParam(p[0]);
  const stat = intParam(p[1]);
  const length = intParam(p[p.length - 1]);
  if (index === null || stat === null || length === null || p.length < 3) return null;
  return { index, stat, length };
}

/** 27.005 §3.4.3 +CMGR (PDU mode): `<stat>,[<alpha>],<length>`. */
export function parseCmgrHeader(line: string): { stat: number; length: number } | null {
  const rest = afterPrefix(line, "+CMGR:");
  if (rest === null) return null;
  const p = splitParams(rest);
  const stat = intParam(p[0]);
  const length = intParam(p[p.length - 1]);
  if (stat === null || length === null || p.length < 2) return null;
  return { stat, length };
}

export type PinState =
  | "READY"
  | "SIM PIN"
  | "SIM PUK"
  | "SIM PIN2"
  | "SIM PUK2"
  | "PH-SIM PIN"
  | "PH-NET PIN"
  | (string & {});

/** 27.007 §8.3 +CPIN: <code>. */
export function parseCpin(line: string): PinState | null {
  const rest = afterPrefix(line, "+CPIN:");
  if (rest === null || rest === "") return null;
  return rest.replace(/^"|"$/g, "").trim().toUpperCase();
}

/** 27.005 §3.3.1 +CSCA: <sca>[,<tosca>]. */
export function parseCsca(line: string): { address: string; type: number | null } | null {
  const rest = afterPrefix(line, "+CSCA:");
  if (rest === null) return null;
  const p = splitParams(rest);
  const a = p[0];
  if (!a || a.value === "") return null;
  return { address: a.value, type: intParam(p[1]) };
}

/** 27.005 §3.4.1 +CMTI: <mem>,<index> and +CDSI: <mem>,<index>. */
export function parseStoredIndication(
  line: string,
): { kind: "CMTI" | "CDSI"; storage: string; index: number } | null {
  for (const kind of ["CMTI", "CDSI"] as const) {
    const rest = afterPrefix(line, `+${kind}:`);
    if (rest === null) continue;
    const p = splitParams(rest);
    const index = intParam(p[1]);
    const storage = p[0]?.value;
    if (index === null || !storage) return null;
    return { kind, storage, index };
  }
  return null;
}

/** 27.005 §3.5.1 +CMGS: <mr>[,<scts>|<ackpdu>]. <mr> is TP-MR, 0..255. */
export function parseCmgs(line: string): number | null {
  const rest = afterPrefix(line, "+CMGS:");
  if (rest === null) return null;
  const mr = intParam(splitParams(rest)[0]);
  return mr !== null && mr >= 0 && mr <= 255 ? mr : null;
}

/** 27.005 §3.2.1 +CSMS: <mt>,<mo>,<bm>[,...]: which services the ME supports in this mode. */
export function parseCsms(line: string): { mt: boolean; mo: boolean; bm: boolean } | null {
  const rest = afterPrefix(line, "+CSMS:");
  if (rest === null) return null;
  const p = splitParams(rest);
  // The read form starts with <service>; the set form does not. Take the last three numbers.
  const nums = p.map(intParam);
  if (nums.length < 3 || nums.some((n) => n === null)) return null;
  const [mt, mo, bm] = nums.slice(-3) as [number, number, number];
  return { mt: mt === 1, mo: mo === 1, bm: bm === 1 };
}

/** A line that carries a PDU in hex (what follows +CMT/+CDS/+CMGR/+CMGL headers). */
export function isHexPdu(line: string): boolean {
  const l = line.trim();
  return l.length >= 2 && l.length % 2 === 0 && /^[0-9A-Fa-f]+$/.test(l);
}

/**
 * TP-MTI of a PDU printed with its SMSC field first (27.005 §3.1 <pdu>): the first octet is the
 * SMSC length, then the TPDU's first octet holds TP-MTI in bits 0–1 (23.040 §9.2.3.1): 0 DELIVER,
 * 2 STATUS-REPORT, 1 SUBMIT (a stored outgoing message). Null when the hex is too short.
 */
export function pduMessageType(hex: string): "deliver" | "status-report" | "submit" | null {
  if (!isHexPdu(hex)) return null;
  const smscLen = Number.parseInt(hex.slice(0, 2), 16);
  const at = 2 + smscLen * 2;
  if (hex.length < at + 2) return null;
  const mti = Number.parseInt(hex.slice(at, at + 2), 16) & 0x03;
  return mti === 0 ? "deliver" : mti === 2 ? "status-report" : mti === 1 ? "submit" : null;
}
