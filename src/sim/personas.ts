/**
 * Simulated modem personas: data only, read by sim-modem.ts and its command handlers.
 *
 * Sources (public manuals and transcripts):
 * - SIMCom "SIM800 Series AT Command Manual" V1.09 (2015-08-03): §3.2.28 +CPIN, §4.2 SMS commands,
 *   +CNMI ranges, "RDY"/"+CFUN: 1"/"+CPIN: READY"/"Call Ready"/"SMS Ready" power-on URCs, AT+SPIC
 *   (PIN/PUK counters), AT+CCID (plain ICCID line). SIM storage "SM" 50 slots as shown by
 *   `+CPMS: "SM",1,50` in the electrodragon SIMCOM SMS AT notes (the real size is the SIM card's).
 * - SIMCom SIM7600 Series AT Command Manual: "SMS DONE"/"PB DONE" URCs, +CEREG, AT+CPSI?, AT+CICCID.
 * - Quectel "EC25&EC21 AT Commands Manual" V1.3 (2018-09-20): "RDY", "+QIND: SMS DONE",
 *   "+QIND: PB DONE", AT+QPINC?, AT+QCCID, AT+QCSQ; message indexes start at 0.
 * - Huawei "MU509 HSDPA LGA Module AT Command Interface Specification" issue 04 §7.4 (^CPIN? with
 *   <times>,<puk_times>,<pin_times>,<puk2_times>,<pin2_times>); MC509 spec §6.2 (^SYSINFO);
 *   ModemManager's huawei plugin (^RSSI/^MODE/^DSFLOWRPT/^BOOT noise silenced by AT^CURC=0).
 * - 3GPP TS 27.005 / 27.007 for everything not vendor specific (the "generic" persona).
 *
 * Modelled: identity strings, echo at power-up, boot URC sequence and timing, SMS-not-ready window
 * with its CMS code, storage names and sizes, index base, reply to reading an empty slot, CNMI ranges,
 * where stored status reports go, vendor noise URCs, vendor PIN-counter and ICCID commands, latencies.
 * Checked against an independent client: test/sim/sim-gammu.test.ts has python-gammu initialise,
 * read and send on every persona over a pseudo-terminal (that is how +CSCS=? and Huawei ^PORTSEL
 * were found missing).
 * Not modelled: voice calls, data/PPP, GNSS, phonebook, cell broadcast, USSD, baud-rate autodetection
 * (SIM800 prints nothing until it sees "AT"), SIM toolkit, multiplexing (27.010), the "MT" combined
 * storage, +CSDH=1 text-mode headers, text-mode +CDS (status reports are always PDUs), +CSCS
 * conversions (text typed at a text-mode prompt is read as UTF-8).
 */

export interface PersonaTimings {
  /** Delay from power-on to the first boot URC. */
  readonly bootMs: number;
  /** Delay from SIM ready to the SMS-ready URC (SIM800 "SMS Ready", Quectel "+QIND: SMS DONE"). */
  readonly smsReadyMs: number;
  /** Delay between receiving a command line and answering it. */
  readonly commandMs: number;
  /** Delay between Ctrl-Z and "+CMGS: <mr>" (radio round trip to the SMSC). */
  readonly submitMs: number;
  /** Delay from power-on to network registration. */
  readonly registerMs: number;
  /** How long +CFUN=1,1 keeps the modem silent before it boots again. */
  readonly rebootMs: number;
  /** Period of vendor noise URCs (0 = none). */
  readonly noiseMs: number;
}

export interface Persona {
  readonly id: "sim800" | "sim7600" | "quectel" | "huawei" | "generic";
  readonly manufacturer: string;
  readonly model: string;
  readonly revision: string;
  /** Lines printed by ATI (IMEI placeholder "{imei}"). */
  readonly ati: readonly string[];
  /** +CGMR prints "<prefix><revision>". */
  readonly cgmrPrefix: string;
  /** Boot URCs before the SIM state, and after it once SMS is usable. */
  readonly bootUrcs: readonly string[];
  readonly readyUrcs: readonly string[];
  /** "+CPIN: READY" is announced once the SIM is ready (SIMCom, Quectel; Huawei says ^SIMST instead). */
  readonly cpinUrc: boolean;
  readonly timings: PersonaTimings;
  readonly indexBase: 0 | 1;
  /** Storage names and sizes in +CPMS=? order; "MT" is the union of SM and ME where listed. */
  readonly storages: Readonly<Record<string, number>>;
  /** Where status reports are stored when <ds>=2 (27.005 §3.4.1); "SR" on modems that have it. */
  readonly srStorage: string;
  /**
   * The empty <alpha> field of PDU-mode +CMT/+CMGR/+CMGL: SIMCom prints `""` (`+CMT: "",24`, seen in
   * SIM800 transcripts), Quectel and Huawei print nothing (`+CMT: ,51`, pmoerenhout/atcommander notes).
   */
  readonly pduAlpha: '""' | "";
  /** AT+CMGR on an empty slot: SIM800 answers a bare OK, others +CMS ERROR: 321. */
  readonly emptyRead: "ok" | "cms321";
  /** CMS error code returned by SMS commands before the SMS-ready URC. */
  readonly notReadyCms: number;
  /**
   * SIM800 answers a bare ERROR to SMS commands (AT+CMGF=1 included) before "SMS Ready" while
   * +CMEE=0 (Seeed-Studio/GPRS_SIM900 issue #39, SIM800L); with +CMEE≥1 the CMS code is shown.
   */
  readonly notReadyPlainError: boolean;
  /** +CNMI=? answer (27.005 §3.4.1). */
  readonly cnmiRanges: string;
  /** +CNMI after power-up: SIM800 and EC25 announce new messages with +CMTI out of the box. */
  readonly cnmiDefault: readonly [number, number, number, number, number];
  readonly lte: boolean;
  /** Command (without "AT") printing the ICCID, and the prefix of its answer line ("" = bare). */
  readonly iccid: { readonly command: string; readonly prefix: string };
  /** Vendor PIN counter command (without "AT"). */
  readonly pinCounter: "+SPIC" | "+QPINC?" | "^CPIN?" | null;
  /** Periodic vendor URCs until AT^CURC=0 (Huawei stick mode). */
  readonly noise: readonly string[];
  /** Signal quality reported by +CSQ (rssi 0–31) and ber (99 = unknown). */
  readonly csq: readonly [number, number];
}

const fast = { bootMs: 1500, commandMs: 20, submitMs: 1800, registerMs: 3000, rebootMs: 4000 };

export const personas: Readonly<Record<Persona["id"], Persona>> = {
  sim800: {
    id: "sim800",
    manufacturer: "SIMCOM_Ltd",
    model: "SIMCOM_SIM800L",
    revision: "1418B04SIM800L24",
    ati: ["SIM800 R14.18"],
    cgmrPrefix: "Revision:",
    bootUrcs: ["RDY", "+CFUN: 1"],
    readyUrcs: ["Call Ready", "SMS Ready"],
    cpinUrc: true,
    // "+CMGS" comes noticeably later than on SIM900 (openhomesecurity.blogspot.com, "SIM800 vs. SIM900").
    timings: { ...fast, smsReadyMs: 6000, submitMs: 3000, noiseMs: 0 },
    indexBase: 1,
    storages: { SM: 50, ME: 50 },
    srStorage: "SM",
    pduAlpha: '""',
    emptyRead: "ok",
    notReadyCms: 302,
    cnmiDefault: [2, 1, 0, 0, 0],
    notReadyPlainError: true,
    cnmiRanges: "(0-3),(0-3),(0,2),(0-2),(0,1)",
    lte: false,
    iccid: { command: "+CCID", prefix: "" },
    pinCounter: "+SPIC",
    noise: [],
    csq: [18, 0],
  },
  sim7600: {
    id: "sim7600",
    manufacturer: "SIMCOM INCORPORATED",
    model: "SIMCOM_SIM7600E-H",
    revision: "LE20B04SIM7600M22",
    ati: [
      "Manufacturer: SIMCOM INCORPORATED",
      "Model: SIMCOM_SIM7600E-H",
      "Revision: SIM7600M22_V2.0",
      "IMEI: {imei}",
      "+GCAP: +CGSM",
    ],
    cgmrPrefix: "+CGMR: ",
    bootUrcs: ["RDY"],
    readyUrcs: ["SMS DONE", "PB DONE"],
    cpinUrc: true,
    timings: { ...fast, smsReadyMs: 8000, noiseMs: 0 },
    indexBase: 0,
    storages: { SM: 50, ME: 255, SR: 100 },
    srStorage: "SR",
    pduAlpha: '""',
    emptyRead: "cms321",
    notReadyCms: 500,
    cnmiDefault: [2, 1, 0, 0, 0],
    notReadyPlainError: false,
    cnmiRanges: "(0-2),(0-3),(0,2),(0-2),(0,1)",
    lte: true,
    iccid: { command: "+CICCID", prefix: "+ICCID: " },
    pinCounter: "+SPIC",
    noise: [],
    csq: [21, 99],
  },
  quectel: {
    id: "quectel",
    manufacturer: "Quectel",
    model: "EC25",
    revision: "EC25EFAR06A03M4G",
    ati: ["Quectel", "EC25", "Revision: EC25EFAR06A03M4G"],
    cgmrPrefix: "",
    bootUrcs: ["RDY", "+CFUN: 1"],
    readyUrcs: ["+QIND: SMS DONE", "+QIND: PB DONE"],
    cpinUrc: true,
    timings: { ...fast, smsReadyMs: 5000, submitMs: 1500, noiseMs: 0 },
    indexBase: 0,
    storages: { SM: 50, ME: 255, SR: 100 },
    srStorage: "SR",
    pduAlpha: "",
    emptyRead: "cms321",
    notReadyCms: 500,
    cnmiDefault: [2, 1, 0, 0, 0],
    notReadyPlainError: false,
    cnmiRanges: "(0-2),(0-3),(0,2),(0-2),(0,1)",
    lte: true,
    iccid: { command: "+QCCID", prefix: "+QCCID: " },
    pinCounter: "+QPINC?",
    noise: [],
    csq: [24, 99],
  },
  huawei: {
    id: "huawei",
    manufacturer: "huawei",
    model: "E3131",
    revision: "21.158.13.00.209",
    ati: [
      "Manufacturer: huawei",
      "Model: E3131",
      "Revision: 21.158.13.00.209",
      "IMEI: {imei}",
      "+GCAP: +CGSM,+DS,+ES",
    ],
    cgmrPrefix: "",
    bootUrcs: [],
    readyUrcs: ["^SRVST:2", "^SIMST:1"],
    cpinUrc: false,
    timings: { ...fast, bootMs: 800, smsReadyMs: 2500, noiseMs: 2000 },
    indexBase: 0,
    storages: { SM: 50, ME: 100 },
    srStorage: "ME",
    pduAlpha: "",
    emptyRead: "cms321",
    notReadyCms: 500,
    cnmiDefault: [0, 0, 0, 0, 0],
    notReadyPlainError: false,
    cnmiRanges: "(0-3),(0-3),(0,2,3),(0-2),(0,1)",
    lte: false,
    iccid: { command: "^ICCID?", prefix: "^ICCID: " },
    pinCounter: "^CPIN?",
    noise: [
      "^RSSI:{rssi}",
      "^MODE:5,4",
      "^DSFLOWRPT:0000000F,00000000,00000000,0000000000000000,0000000000000000,0003E800,0003E800",
      "^BOOT:20952997,0,0,0,72",
    ],
    csq: [17, 99],
  },
  generic: {
    id: "generic",
    manufacturer: "Generic",
    model: "GSM Modem",
    revision: "1.0",
    ati: ["Generic GSM Modem 1.0"],
    cgmrPrefix: "",
    bootUrcs: [],
    readyUrcs: [],
    cpinUrc: false,
    timings: { ...fast, bootMs: 200, smsReadyMs: 500, noiseMs: 0 },
    indexBase: 1,
    storages: { SM: 30, ME: 30 },
    srStorage: "SM",
    pduAlpha: "",
    emptyRead: "cms321",
    notReadyCms: 500,
    cnmiDefault: [0, 0, 0, 0, 0],
    notReadyPlainError: false,
    cnmiRanges: "(0-3),(0-3),(0-3),(0-2),(0,1)",
    lte: false,
    iccid: { command: "+CCID", prefix: "+CCID: " },
    pinCounter: null,
    noise: [],
    csq: [20, 99],
  },
};

export function isPersonaId(s: string): s is Persona["id"] {
  return Object.hasOwn(personas, s);
}
