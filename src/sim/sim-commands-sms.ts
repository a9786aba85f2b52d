/**
 * 27.005 SMS commands of the simulated modem: +CMGF, +CSMS, +CPMS, +CNMI, +CSCA, +CSMP, +CMGS,
 * +CMGW, +CMSS, +CMGR, +CMGL, +CMGD, +CNMA (+CSDH accepted). PDU mode is complete; text mode covers
 * sending and reading with +CSDH=0 output. Not answered (ERROR): +CSCB, +CSAS/+CRES, +CMGC.
 */

import { encodeAddress, type SubmitLite } from "./pdu-lite.js";
import { decodeSubmit, encodeSubmit, pickCoding } from "./pdu-submit.js";
import { simGate } from "./sim-commands-basic.js";
import { scts } from "./sim-inbound.js";
import type { SimModem } from "./sim-modem.js";
import { type CommandResult, cms, ERROR, type Final, type Handler } from "./sim-types.js";
import type { Stat, StoredMessage } from "./storage.js";

const STAT_TEXT = ["REC UNREAD", "REC READ", "STO UNSENT", "STO SENT", "ALL"] as const;
const int = (s: string | undefined): number =>
  s !== undefined && /^\d+$/.test(s.trim()) ? Number(s) : Number.NaN;

/** Gate for SMS commands: SIM state, then the persona's "SMS not ready yet" error. */
function smsGate(sim: SimModem): Final | null {
  const g = simGate(sim, "cms");
  if (g || sim.state.smsReady) return g;
  return sim.persona.notReadyPlainError && sim.state.cmee === 0 ? ERROR : cms(sim.persona.notReadyCms);
}

function cpms(sim: SimModem): Handler {
  return (c) => {
    const s = sim.storage;
    const names = s
      .names()
      .map((n) => `"${n}"`)
      .join(",");
    if (c.op === "test") return { lines: [`+CPMS: (${names}),(${names}),(${names})`] };
    const g = smsGate(sim);
    if (g) return { final: g };
    const cur = sim.state.cpms;
    if (c.op === "read")
      return { lines: [`+CPMS: ${cur.map((m) => `"${m}",${s.used(m)},${s.total(m)}`).join(",")}`] };
    if (c.op !== "set" || c.args.length > 3) return { final: ERROR };
    const next = [...cur] as [string, string, string];
    for (let i = 0; i < c.args.length; i++) {
      const m = c.args[i]?.toUpperCase() ?? "";
      if (m === "" && i > 0) continue;
      if (!s.has(m)) return { final: cms(302) };
      next[i] = m;
    }
    sim.state.cpms = next;
    return { lines: [`+CPMS: ${next.map((m) => `${s.used(m)},${s.total(m)}`).join(",")}`] };
  };
}

function cnmi(sim: SimModem): Handler {
  return (c) => {
    if (c.op === "test") return { lines: [`+CNMI: ${sim.persona.cnmiRanges}`] };
    if (c.op === "read") return { lines: [`+CNMI: ${sim.state.cnmi.join(",")}`] };
    if (c.op !== "set") return { final: ERROR };
    // Allowed values come from the persona's +CNMI=? ranges, e.g. "(0-3),(0-3),(0,2),(0-2),(0,1)".
    const ranges = [...sim.persona.cnmiRanges.matchAll(/\(([^)]*)\)/g)].map((m) =>
      (m[1] ?? "").split(",").flatMap((r) => {
        const [a, b] = r.split("-").map(Number);
        return b === undefined
          ? [a]
          : Array.from({ length: (b ?? 0) - (a ?? 0) + 1 }, (_, i) => (a ?? 0) + i);
      }),
    );
    const next = [...sim.state.cnmi] as typeof sim.state.cnmi;
    for (let i = 0; i < 5; i++) {
      const a = c.args[i];
      if (a === undefined || a === "") continue;
      const v = int(a);
      if (!ranges[i]?.includes(v)) return { final: cms(303) };
      next[i] = v;
    }
    sim.state.cnmi = next;
    return { after: () => sim.inbound.cnmiChanged() };
  };
}

/** Runs an accepted SMS-SUBMIT through faults, behaviours and the network; answers +CMGS or +CMSS. */
async function submit(
  sim: SimModem,
  s: SubmitLite,
  pdu: string,
  answer: "+CMGS" | "+CMSS" = "+CMGS",
): Promise<CommandResult> {
  if (!s.smsc && !sim.smsc) return { final: cms(330) };
  if (sim.state.reg !== 1 || sim.state.cfun !== 1) return { final: cms(331) };
  if (await sim.submitBehaviors(s, pdu)) return { final: { kind: "none" } };
  await sim.sleep(sim.timings.submitMs);
  const net = sim.options.network;
  const code = sim.faultState.submitError(s.to);
  if (code !== null) {
    net.refused(sim, s, pdu, code);
    return { final: cms(code) };
  }
  // The modem, not the TE, chooses TP-MR (23.040 §9.2.3.6): it overwrites the value in the PDU.
  const mr = sim.mr;
  sim.mr = (sim.mr + 1) % 256;
  net.submit(sim, { ...s, mr }, pdu, mr);
  const dropAfter = sim.fault("drop-after");
  if (dropAfter) {
    sim.removeFault(dropAfter);
    sim.dropLine();
    return { final: { kind: "none" } };
  }
  return { lines: [`${answer}: ${mr}`] };
}

/** 27.005 §3.5.1 (PDU mode): <length> is the TPDU length in octets, SMSC field excluded. */
function checkPdu(payload: string, length: number): SubmitLite | Final {
  if (!/^([0-9A-Fa-f]{2})+$/.test(payload)) return cms(304);
  const smscLen = Number.parseInt(payload.slice(0, 2), 16);
  if (payload.length / 2 - 1 - smscLen !== length) return cms(304);
  try {
    return decodeSubmit(payload);
  } catch {
    return cms(304);
  }
}

function cmgs(sim: SimModem, store: boolean): Handler {
  return (c) => {
    if (c.op === "test") return {};
    const g = smsGate(sim);
    if (g) return { final: g };
    if (c.op !== "set") return { final: ERROR };
    if (store && sim.fault("storage-full")) return { final: cms(322) };
    // +CMGW's <stat> (27.005 §3.5.3): PDU mode +CMGW=<length>[,<stat>], text mode
    // +CMGW=<da>[,<toda>[,<stat>]]; STO UNSENT when absent.
    const stat = store ? writeStat(sim.state.cmgf === 1, c.args[sim.state.cmgf === 1 ? 2 : 1]) : 2;
    if (stat === null) return { final: cms(sim.state.cmgf === 1 ? 305 : 304) };
    if (sim.state.cmgf === 1) {
      const to = c.args[0] ?? "";
      if (!/^\+?\d{1,20}$/.test(to)) return { final: ERROR };
      return {
        // Text typed at the prompt is taken as UTF-8 (a simplification of +CSCS); a CR is a line break.
        prompt: (typed) => {
          const text = Buffer.from(typed, "latin1").toString("utf8").replace(/\r\n?/g, "\n");
          const srr = (sim.state.csmp[0] & 0x20) !== 0;
          const { pdu, tpduLength } = encodeSubmit({ to, ud: { coding: pickCoding(text), text }, srr });
          const s = decodeSubmit(pdu);
          return store ? write(sim, pdu, tpduLength, to, text, stat) : submit(sim, s, pdu);
        },
      };
    }
    const length = int(c.args[0]);
    if (!(length >= 7 && length <= 164)) return { final: cms(304) };
    return {
      prompt: (typed) => {
        const payload = typed.replace(/\s+/g, "");
        const s = checkPdu(payload, length);
        if ("kind" in s) return { final: s };
        return store ? write(sim, payload, length, s.to, s.text, stat) : submit(sim, s, payload);
      },
    };
  };
}

function writeStat(text: boolean, arg: string | undefined): Stat | null {
  if (arg === undefined || arg === "") return 2;
  const v = text ? STAT_TEXT.indexOf(arg.toUpperCase() as (typeof STAT_TEXT)[number]) : int(arg);
  return v >= 0 && v <= 3 ? (v as Stat) : null;
}

function write(
  sim: SimModem,
  pdu: string,
  tpduLength: number,
  to: string,
  text: string,
  stat: Stat,
): CommandResult {
  const msg: StoredMessage = { stat, kind: "submit", pdu, tpduLength, meta: { address: to, text } };
  const index = sim.storage.store(sim.state.cpms[1], msg);
  return index === null ? { final: cms(322) } : { lines: [`+CMGW: ${index}`] };
}

function entry(sim: SimModem, index: number, m: StoredMessage, cmd: "+CMGR" | "+CMGL"): string[] {
  const idx = cmd === "+CMGL" ? `${index},` : "";
  if (sim.state.cmgf === 0) return [`${cmd}: ${idx}${m.stat},${sim.persona.pduAlpha},${m.tpduLength}`, m.pdu];
  // Text mode, +CSDH=0 (27.005 §3.4.2/§3.4.3): <stat>,<oa/da>,[<alpha>],[<scts>] then the text.
  const st = `"${STAT_TEXT[m.stat]}"`;
  const ts = m.meta.timestamp !== undefined ? `,,"${scts(m.meta.timestamp)}"` : "";
  return [`${cmd}: ${idx}${st},"${m.meta.address ?? ""}"${ts}`, m.meta.text ?? ""];
}

function cmgr(sim: SimModem): Handler {
  return (c) => {
    if (c.op === "test") return {};
    const g = smsGate(sim);
    if (g) return { final: g };
    const index = int(c.args[0]);
    const mem = sim.state.cpms[0];
    if (c.op !== "set" || !sim.storage.validIndex(mem, index)) return { final: cms(321) };
    const m = sim.storage.get(mem, index);
    if (!m) return sim.persona.emptyRead === "ok" ? {} : { final: cms(321) };
    const lines = entry(sim, index, m, "+CMGR");
    // 27.005 §3.4.3: reading a received unread message marks it read.
    if (m.stat === 0) m.stat = 1;
    return { lines };
  };
}

function cmgl(sim: SimModem): Handler {
  return (c) => {
    const text = sim.state.cmgf === 1;
    if (c.op === "test")
      return { lines: [text ? `+CMGL: (${STAT_TEXT.map((s) => `"${s}"`).join(",")})` : "+CMGL: (0-4)"] };
    const g = smsGate(sim);
    if (g) return { final: g };
    const arg = c.args[0] ?? (text ? "REC UNREAD" : "0");
    const stat = text ? STAT_TEXT.indexOf(arg.toUpperCase() as (typeof STAT_TEXT)[number]) : int(arg);
    if (!(stat >= 0 && stat <= 4)) return { final: cms(302) };
    const keep = int(c.args[1]) === 1; // SIM800/EC25 <mode>=1: do not change the status.
    const lines: string[] = [];
    for (const [i, m] of sim.storage.list(sim.state.cpms[0], stat as Stat | 4)) {
      lines.push(...entry(sim, i, m, "+CMGL"));
      if (m.stat === 0 && !keep) m.stat = 1;
    }
    return { lines };
  };
}

function cmgd(sim: SimModem): Handler {
  return (c) => {
    if (c.op === "test")
      return {
        lines: [
          `+CMGD: (${sim.storage.base}-${sim.storage.base + sim.storage.total(sim.state.cpms[0]) - 1}),(0-4)`,
        ],
      };
    const g = smsGate(sim);
    if (g) return { final: g };
    const mem = sim.state.cpms[0];
    const index = int(c.args[0]);
    const flag = c.args[1] === undefined ? 0 : int(c.args[1]);
    if (c.op !== "set" || !(flag >= 0 && flag <= 4)) return { final: ERROR };
    if (flag === 0) {
      if (!sim.storage.validIndex(mem, index)) return { final: cms(321) };
      sim.storage.delete(mem, index);
      return {};
    }
    // <delflag> 1: read, 2: read+sent, 3: read+sent+unsent, 4: all (27.005 §3.5.4).
    const doomed: Stat[] = [[1], [1, 3], [1, 3, 2], [0, 1, 2, 3]][flag - 1] as Stat[];
    for (const [i, m] of sim.storage.list(mem, 4)) if (doomed.includes(m.stat)) sim.storage.delete(mem, i);
    return {};
  };
}

/**
 * +CSMP=[<fo>[,<vp>[,<pid>[,<dcs>]]]] (27.005 §3.3.2): kept and read back. Of them, text-mode
 * sending applies TP-SRR (bit 5 of <fo>, 23.040 §9.2.3.5), which decides whether a status report
 * comes back; validity, PID and DCS are not applied (the simulated network never expires a message).
 */
function csmp(sim: SimModem): Handler {
  return (c) => {
    const cur = sim.state.csmp;
    if (c.op === "test") return {};
    if (c.op === "read") {
      const vp = /^\d+$/.test(cur[1]) ? cur[1] : `"${cur[1]}"`;
      return { lines: [`+CSMP: ${cur[0]},${vp},${cur[2]},${cur[3]}`] };
    }
    if (c.op !== "set" || c.args.length > 4) return { final: ERROR };
    const next: typeof cur = [...cur];
    const octet = (a: string | undefined, i: 0 | 2 | 3): boolean => {
      if (a === undefined || a === "") return true;
      const v = int(a);
      if (!(v >= 0 && v <= 255)) return false;
      next[i] = v;
      return true;
    };
    if (!octet(c.args[0], 0) || !octet(c.args[2], 2) || !octet(c.args[3], 3)) return { final: cms(305) };
    const vp = c.args[1];
    if (vp !== undefined && vp !== "") {
      // Relative format is an integer 0-255; enhanced and absolute formats are quoted strings.
      if (/^\d+$/.test(vp) && Number(vp) > 255) return { final: cms(305) };
      next[1] = vp;
    }
    sim.state.csmp = next;
    return {};
  };
}

/**
 * +CMSS=<index>[,<da>[,<toda>]] (27.005 §3.5.2): sends the stored SMS-SUBMIT at <index> of <mem2>,
 * to <da> instead of its stored destination when given. Gammu sends a message this way after
 * writing it with +CMGW (`gammu sendsms … -save`). The stored <stat> is left as it was: §3.5.2
 * does not change it.
 */
function cmss(sim: SimModem): Handler {
  return (c) => {
    if (c.op === "test") return {};
    const g = smsGate(sim);
    if (g) return { final: g };
    if (c.op !== "set" || c.args.length > 3) return { final: ERROR };
    const da = c.args[1];
    const toda = c.args[2] === undefined ? undefined : int(c.args[2]);
    if (da !== undefined && !/^\+?\d{1,20}$/.test(da)) return { final: ERROR };
    if (toda !== undefined && !(toda >= 128 && toda <= 255)) return { final: ERROR };
    const mem = sim.state.cpms[1];
    const index = int(c.args[0]);
    const m = sim.storage.validIndex(mem, index) ? sim.storage.get(mem, index) : undefined;
    if (!m) return { final: cms(321) };
    // A received message (SMS-DELIVER, status report) cannot be submitted again.
    if (m.kind !== "submit") return { final: cms(302) };
    // <toda> 145 (27.005 §3.1, 24.008 §10.5.4.7): international, whether or not <da> has its "+".
    const to = da !== undefined && toda === 145 && !da.startsWith("+") ? `+${da}` : da;
    const pdu = to === undefined ? m.pdu : withDestination(m.pdu, to);
    return submit(sim, decodeSubmit(pdu), pdu, "+CMSS");
  };
}

/** The PDU with TP-DA replaced; it follows the SMSC field, the first octet and TP-MR (23.040 §9.2.2.2). */
function withDestination(pdu: string, to: string): string {
  const daAt = 2 + Number.parseInt(pdu.slice(0, 2), 16) * 2 + 4;
  // TP-DA length counts semi-octets (digits), 23.040 §9.1.2.5; then the type octet.
  const daEnd = daAt + 4 + Math.ceil(Number.parseInt(pdu.slice(daAt, daAt + 2), 16) / 2) * 2;
  return pdu.slice(0, daAt) + Buffer.from(encodeAddress(to)).toString("hex").toUpperCase() + pdu.slice(daEnd);
}

export function smsCommands(sim: SimModem): Record<string, Handler> {
  return {
    "+CMGF": (c) => {
      if (c.op === "read") return { lines: [`+CMGF: ${sim.state.cmgf}`] };
      if (c.op === "test") return { lines: ["+CMGF: (0,1)"] };
      const g = smsGate(sim);
      if (g) return { final: g };
      const v = c.op === "exec" ? 0 : int(c.args[0]);
      if (v !== 0 && v !== 1) return { final: ERROR };
      sim.state.cmgf = v;
      return {};
    },
    "+CSMS": (c) => {
      if (c.op === "test") return { lines: ["+CSMS: (0,1)"] };
      if (c.op === "read") return { lines: [`+CSMS: ${sim.state.csms},1,1,1`] };
      const v = int(c.args[0]);
      if (c.op !== "set" || (v !== 0 && v !== 1)) return { final: ERROR };
      sim.state.csms = v;
      return { lines: ["+CSMS: 1,1,1"] };
    },
    "+CSCA": (c) => {
      if (c.op === "read") return { lines: [`+CSCA: "${sim.smsc}",${sim.smsc.startsWith("+") ? 145 : 129}`] };
      if (c.op === "set" && c.args[0] !== undefined) sim.smsc = c.args[0];
      return {};
    },
    "+CSMP": csmp(sim),
    "+CSDH": (c) => (c.op === "read" ? { lines: ["+CSDH: 0"] } : {}),
    "+CPMS": cpms(sim),
    "+CNMI": cnmi(sim),
    "+CMGS": cmgs(sim, false),
    "+CMGW": cmgs(sim, true),
    "+CMSS": cmss(sim),
    "+CMGR": cmgr(sim),
    "+CMGL": cmgl(sim),
    "+CMGD": cmgd(sim),
    "+CNMA": (c) => {
      if (c.op === "test") return { lines: ["+CNMA: (0-2)"] };
      const n = c.op === "set" ? int(c.args[0]) : 0;
      if (!(n >= 0 && n <= 2) || c.args[1] !== undefined) return { final: ERROR };
      // 27.005 §3.4.4: only valid while a +CMT/+CDS awaits acknowledgement (+CSMS=1).
      if (sim.state.csms !== 1 || !sim.inbound.ack(n !== 2)) return { final: cms(340) };
      return {};
    },
  };
}
