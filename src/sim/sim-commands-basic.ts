/**
 * V.250 basic commands and 27.007 general, SIM and network commands of the simulated modem, plus
 * the vendor commands of the personas (SIM800 AT+SPIC, EC25 AT+QPINC?/AT+QCSQ/AT+QCCID, SIM7600
 * AT+CPSI?/AT+CICCID, Huawei AT^CPIN?/AT^ICCID?/AT^SYSINFO/AT^CURC).
 */
import type { SimModem } from "./sim-modem.js";
import { cme, cms, ERROR, type Final, type Handler, type ParsedCommand } from "./sim-types.js";

/** The gate in front of SIM-dependent commands: SIM busy, PIN/PUK pending or SIM blocked. */
export function simGate(sim: SimModem, family: "cme" | "cms"): Final | null {
  // 27.007 §9.2.1 +CME 14/11/12/13; 27.005 §3.2.5 +CMS 314/311/316/313.
  if (sim.simBusy) return family === "cme" ? cme(14) : cms(314);
  const codes = { pin: [11, 311], puk: [12, 316], blocked: [13, 313] } as const;
  const c = sim.state.pin === "ready" ? undefined : codes[sim.state.pin];
  if (!c) return null;
  return family === "cme" ? cme(c[0]) : cms(c[1]);
}

const num = (s: string | undefined): number => (s !== undefined && /^\d+$/.test(s) ? Number(s) : Number.NaN);

function flag(
  get: () => number,
  set: (n: number) => void,
  allowed: readonly number[],
  label?: string,
): Handler {
  return (c: ParsedCommand) => {
    if (c.op === "read") return { lines: label ? [`${label}: ${get()}`] : [String(get()).padStart(3, "0")] };
    if (c.op === "test") return { lines: label ? [`${label}: (${allowed.join(",")})`] : [] };
    const v = c.op === "exec" ? 0 : num(c.args[0] === "" ? "0" : c.args[0]);
    if (!allowed.includes(v)) return { final: ERROR };
    set(v);
    return {};
  };
}

function info(lines: (sim: SimModem) => string[], needsSim = false): (sim: SimModem) => Handler {
  return (sim) => (c) => {
    if (c.op === "test") return {};
    if (c.op !== "exec") return { final: ERROR };
    const g = needsSim ? simGate(sim, "cme") : null;
    return g ? { final: g } : { lines: lines(sim) };
  };
}

function pinCommand(sim: SimModem): Handler {
  return (c) => {
    const st = sim.state;
    if (c.op === "test") return {};
    if (c.op === "read") {
      if (sim.simBusy) return { final: cme(14) };
      if (st.pin === "blocked") return { final: cme(13) };
      return { lines: [`+CPIN: ${{ ready: "READY", pin: "SIM PIN", puk: "SIM PUK" }[st.pin]}`] };
    }
    if (c.op !== "set") return { final: ERROR };
    const [code, newPin] = c.args;
    // 27.007 §8.3: with no password pending the command fails without touching the SIM.
    if (st.pin === "ready" || st.pin === "blocked") return { final: cme(st.pin === "ready" ? 3 : 13) };
    if (st.pin === "pin") {
      if (code === sim.pin) {
        st.pin = "ready";
        sim.pinTries = 3;
        return { after: () => sim.simUnlocked() };
      }
      sim.pinTries--;
      if (sim.pinTries <= 0) st.pin = "puk";
      return { final: cme(16) };
    }
    if (code === sim.puk && newPin && /^\d{4,8}$/.test(newPin)) {
      sim.pin = newPin;
      sim.pinTries = 3;
      sim.pukTries = 10;
      st.pin = "ready";
      return { after: () => sim.simUnlocked() };
    }
    sim.pukTries--;
    if (sim.pukTries <= 0) st.pin = "blocked";
    return { final: cme(16) };
  };
}

function pinCounter(sim: SimModem): Record<string, Handler> {
  const p = sim.persona.pinCounter;
  const pinLeft = () => (sim.state.pin === "pin" || sim.state.pin === "ready" ? sim.pinTries : 0);
  if (p === "+SPIC") return { "+SPIC": info((s) => [`+SPIC: ${pinLeft()},3,${s.pukTries},10`])(sim) };
  if (p === "+QPINC?")
    return {
      "+QPINC": (c) =>
        c.op === "read" || (c.op === "set" && c.args[0] === "SC")
          ? {
              lines: [
                `+QPINC: "SC",${pinLeft()},${sim.pukTries}`,
                ...(c.op === "read" ? ['+QPINC: "P2",3,10'] : []),
              ],
            }
          : c.op === "test"
            ? { lines: ['+QPINC: ("SC","P2")'] }
            : { final: ERROR },
    };
  if (p === "^CPIN?")
    return {
      "^CPIN": (c) => {
        if (c.op !== "read") return c.op === "test" ? {} : { final: ERROR };
        const st = sim.state.pin;
        const code = { ready: "READY", pin: "SIM PIN", puk: "SIM PUK", blocked: "SIM PUK" }[st];
        const times = st === "pin" ? sim.pinTries : st === "puk" ? sim.pukTries : "";
        return { lines: [`^CPIN: ${code},${times},${sim.pukTries},${pinLeft()},10,3`] };
      },
    };
  return {};
}

function regCommand(sim: SimModem, name: "creg" | "cgreg" | "cereg", label: string): Handler {
  return (c) => {
    if (c.op === "test") return { lines: [`${label}: (0-2)`] };
    if (c.op === "read") {
      const n = sim.state[name];
      return {
        lines: [
          `${label}: ${n},${sim.state.reg}${n === 2 && sim.state.reg === 1 ? ',"1A2B","00C3D4E5"' : ""}`,
        ],
      };
    }
    const v = num(c.args[0]);
    if (c.op !== "set" || !(v >= 0 && v <= 2)) return { final: ERROR };
    sim.state[name] = v;
    return {};
  };
}

export function basicCommands(sim: SimModem): Record<string, Handler> {
  const p = sim.persona;
  const st = () => sim.state;
  const ident = (l: () => string) => info(() => [l()])(sim);
  const reset = () => {
    st().echo = true;
    st().verbose = true;
    st().quiet = false;
    st().cmee = 0;
    return {};
  };
  const ok: Handler = () => ({});
  let cmms = 0;
  let ussd = 0;
  const cusd = flag(
    () => ussd,
    (v) => (ussd = v),
    [0, 1, 2],
    "+CUSD",
  );
  const handlers: Record<string, Handler> = {
    E: flag(
      () => (st().echo ? 1 : 0),
      (v) => (st().echo = v === 1),
      [0, 1],
    ),
    V: flag(
      () => (st().verbose ? 1 : 0),
      (v) => (st().verbose = v === 1),
      [0, 1],
    ),
    Q: flag(
      () => (st().quiet ? 1 : 0),
      (v) => (st().quiet = v === 1),
      [0, 1],
    ),
    Z: reset,
    "&F": reset,
    "&W": ok,
    "&C": ok,
    "&D": ok,
    "&K": ok,
    S0: ok,
    S3: (c) => (c.op === "read" ? { lines: ["013"] } : {}),
    S4: (c) => (c.op === "read" ? { lines: ["010"] } : {}),
    S7: ok,
    D: () => ({ final: { kind: "text", text: "NO CARRIER" } }),
    I: info((s) => s.persona.ati.map((l) => l.replace("{imei}", s.identity.imei)))(sim),
    "+GCAP": info(() => ["+GCAP: +CGSM"])(sim),
    "+CGMI": ident(() => p.manufacturer),
    "+GMI": ident(() => p.manufacturer),
    "+CGMM": ident(() => p.model),
    "+GMM": ident(() => p.model),
    "+CGMR": ident(() => `${p.cgmrPrefix}${p.revision}`),
    "+GMR": ident(() => `${p.cgmrPrefix}${p.revision}`),
    "+CGSN": ident(() => sim.identity.imei),
    "+GSN": ident(() => sim.identity.imei),
    "+CIMI": info((s) => [s.identity.imsi], true)(sim),
    "+IPR": ok,
    "+IFC": ok,
    // 27.007 §5.5: Gammu asks +CSCS=? and refuses a phone that lists no character set.
    "+CSCS": (c) => {
      const sets = ["IRA", "GSM", "UCS2"];
      if (c.op === "test") return { lines: [`+CSCS: (${sets.map((x) => `"${x}"`).join(",")})`] };
      if (c.op === "read") return { lines: [`+CSCS: "${sim.cscs}"`] };
      const v = c.args[0]?.toUpperCase() ?? "";
      if (c.op !== "set" || !sets.includes(v)) return { final: ERROR };
      sim.cscs = v;
      return {};
    },
    "+CMEE": flag(
      () => st().cmee,
      (v) => (st().cmee = v as 0 | 1 | 2),
      [0, 1, 2],
      "+CMEE",
    ),
    "+CPIN": pinCommand(sim),
    "+CSQ": info((s) => [`+CSQ: ${s.state.cfun === 1 ? s.persona.csq[0] : 99},${s.persona.csq[1]}`])(sim),
    "+CREG": regCommand(sim, "creg", "+CREG"),
    "+CGREG": regCommand(sim, "cgreg", "+CGREG"),
    // 27.007 §10.1.9: Gammu asks +CGATT? on every network check; attached while registered.
    "+CGATT": (c) => {
      if (c.op === "read") return { lines: [`+CGATT: ${sim.state.reg === 1 ? 1 : 0}`] };
      if (c.op === "test") return { lines: ["+CGATT: (0,1)"] };
      return c.op === "set" && ["0", "1"].includes(c.args[0] ?? "") ? {} : { final: ERROR };
    },
    // 27.005 §3.5.6: Gammu keeps the SMS link open (AT+CMMS=2) around the parts of a long message.
    "+CMMS": flag(
      () => cmms,
      (v) => (cmms = v),
      [0, 1, 2],
      "+CMMS",
    ),
    // 27.007 §7.15: Gammu turns USSD result codes on or off while it sets up; no USSD is modelled.
    "+CUSD": (c) => (c.op === "set" && c.args.length > 1 ? { final: ERROR } : cusd(c)),
    "+COPS": (c) => {
      if (c.op === "test") return { lines: ['+COPS: (2,"SIMNET","SIMNET","00101"),,(0-4),(0-2)'] };
      if (c.op !== "read") return {};
      const act = p.lte ? ",7" : p.id === "huawei" ? ",2" : "";
      return { lines: [sim.state.reg === 1 ? `+COPS: 0,0,"SIMNET"${act}` : "+COPS: 0"] };
    },
    "+CFUN": (c) => {
      if (c.op === "read") return { lines: [`+CFUN: ${st().cfun}`] };
      if (c.op === "test") return { lines: ["+CFUN: (0,1,4),(0,1)"] };
      const fun = num(c.args[0]);
      const rst = c.args[1] === undefined ? 0 : num(c.args[1]);
      if (![0, 1, 4].includes(fun) || ![0, 1].includes(rst)) return { final: ERROR };
      // 27.007 §8.2: <rst>=1 resets the MT before setting <fun>; the reset drops volatile state.
      if (rst === 1) return { after: () => sim.powerOn(sim.timings.rebootMs) };
      st().cfun = fun as 0 | 1 | 4;
      return {
        after: () =>
          fun === 1
            ? sim.later(sim.timings.registerMs, () => sim.setRegistration(1))
            : sim.setRegistration(0),
      };
    },
    "+CLAC": (c) =>
      c.op === "exec" ? { lines: sim.commandNames.filter((n) => /^[+^]/.test(n)).map((n) => `AT${n}`) } : {},
    [p.iccid.command.replace("?", "")]: (c) => {
      const g = simGate(sim, "cme");
      if (g) return { final: g };
      return c.op === "test" ? {} : { lines: [`${p.iccid.prefix}${sim.identity.iccid}`] };
    },
    ...pinCounter(sim),
  };
  if (p.lte) handlers["+CEREG"] = regCommand(sim, "cereg", "+CEREG");
  if (p.id === "huawei") {
    handlers["^CURC"] = flag(
      () => (st().curc ? 1 : 0),
      (v) => (st().curc = v === 1),
      [0, 1],
      "^CURC",
    );
    // ^PORTSEL picks the port that carries URCs; Gammu's Huawei post-connect sends ^PORTSEL=1 and
    // gives up on ERROR (found by driving the simulator with python-gammu).
    let portsel = 0;
    handlers["^PORTSEL"] = flag(
      () => portsel,
      (v) => (portsel = v),
      [0, 1],
      "^PORTSEL",
    );
    handlers["^SYSINFO"] = info((s) => [`^SYSINFO:${s.state.reg === 1 ? 2 : 0},3,0,5,1,,4`])(sim);
  }
  if (p.id === "quectel")
    handlers["+QCSQ"] = info((s) => [`+QCSQ: "LTE",${-113 + 2 * s.persona.csq[0]},-94,180,-10`])(sim);
  if (p.id === "sim7600")
    handlers["+CPSI"] = (c) =>
      c.op === "read"
        ? { lines: ["+CPSI: LTE,Online,001-01,0x1A2B,13155393,256,EUTRAN-BAND3,1300,5,5,-94,-850,-542,15"] }
        : {};
  return handlers;
}
