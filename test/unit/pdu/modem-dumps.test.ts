import { describe, expect, it } from "vitest";
import { decodePdu, encodeSubmit, PduDecodeError } from "../../../src/pdu/index.js";

// Captured PDUs with their expected decoding, from ModemManager's test suite
// (gitlab.freedesktop.org/mobile-broadband/ModemManager, src/tests/test-sms-part-3gpp.c).
const hex = (bytes: number[]) => Buffer.from(bytes).toString("hex");

describe("ModemManager test-sms-part-3gpp.c vectors", () => {
  it("pdu1: GSM-7 with extension characters, £ Ω Π Ψ § ¿, zone -05:00", () => {
    const pdu = hex([
      0x07, 0x91, 0x21, 0x04, 0x44, 0x29, 0x61, 0xf4, 0x04, 0x0b, 0x91, 0x61, 0x71, 0x95, 0x72, 0x91, 0xf8,
      0x00, 0x00, 0x11, 0x20, 0x82, 0x11, 0x05, 0x05, 0x0a, 0x6a, 0xc8, 0xb2, 0xbc, 0x7c, 0x9a, 0x83, 0xc2,
      0x20, 0xf6, 0xdb, 0x7d, 0x2e, 0xcb, 0x41, 0xed, 0xf2, 0x7c, 0x1e, 0x3e, 0x97, 0x41, 0x1b, 0xde, 0x06,
      0x75, 0x4f, 0xd3, 0xd1, 0xa0, 0xf9, 0xbb, 0x5d, 0x06, 0x95, 0xf1, 0xf4, 0xb2, 0x9b, 0x5c, 0x26, 0x83,
      0xc6, 0xe8, 0xb0, 0x3c, 0x3c, 0xa6, 0x97, 0xe5, 0xf3, 0x4d, 0x6a, 0xe3, 0x03, 0xd1, 0xd1, 0xf2, 0xf7,
      0xdd, 0x0d, 0x4a, 0xbb, 0x59, 0xa0, 0x79, 0x7d, 0x8c, 0x06, 0x85, 0xe7, 0xa0, 0x00, 0x28, 0xec, 0x26,
      0x83, 0x2a, 0x96, 0x0b, 0x28, 0xec, 0x26, 0x83, 0xbe, 0x60, 0x50, 0x78, 0x0e, 0xba, 0x97, 0xd9, 0x6c,
      0x17,
    ]);
    const d = decodePdu(pdu);
    if (d.type !== "deliver") throw new Error("not a deliver");
    expect(d.smsc?.number).toBe("+12404492164");
    expect(d.originator.number).toBe("+16175927198");
    expect(d.scts.iso).toBe("2011-02-28T11:50:50-05:00");
    expect(d.text).toBe(
      "Here's a longer message [{with some extended characters}] thrown in, such as £ and ΩΠΨ and §¿ as well.",
    );
  });

  it("pdu2: alphanumeric originator and UCS-2 text", () => {
    const pdu = hex([
      0x07, 0x91, 0x97, 0x30, 0x07, 0x11, 0x11, 0xf1, 0x04, 0x14, 0xd0, 0x49, 0x37, 0xbd, 0x2c, 0x77, 0x97,
      0xe9, 0xd3, 0xe6, 0x14, 0x00, 0x08, 0x11, 0x30, 0x92, 0x91, 0x02, 0x40, 0x61, 0x08, 0x04, 0x42, 0x04,
      0x35, 0x04, 0x41, 0x04, 0x42,
    ]);
    const d = decodePdu(pdu);
    if (d.type !== "deliver") throw new Error("not a deliver");
    expect(d.smsc?.number).toBe("+79037011111");
    expect(d.originator).toEqual({ number: "InternetSMS", type: "alphanumeric", toa: 0xd0 });
    expect(d.scts.iso).toBe("2011-03-29T19:20:04+04:00");
    expect(d.text).toBe("тест");
  });

  it("pdu3 and variants: zone +00:00, non-zero PID, TP-MMS clear, TOA 0x81, 8-bit data", () => {
    const base = "07912143658709f1040b918100551512f2000011101021436500" + "0ae8329bfd4697d9ec37";
    const d = decodePdu(base);
    if (d.type !== "deliver") throw new Error("not a deliver");
    expect([d.smsc?.number, d.originator.number, d.scts.iso, d.text]).toEqual([
      "+12345678901",
      "+18005551212",
      "2011-01-01T12:34:56+00:00",
      "hellohello",
    ]);
    expect(decodePdu(base.replace("f2000011", "f2ff0011")).pid).toBe(0xff);
    const mms = decodePdu(`07912143658709f100${base.slice(18)}`);
    expect(mms.type === "deliver" && mms.moreMessages).toBe(true);
    const natl = decodePdu(base.replace("040b9181", "040b8181"));
    expect(natl.type === "deliver" && natl.originator).toEqual({
      number: "18005551212",
      type: "unknown",
      toa: 0x81,
    });
    const bin = decodePdu(`${base.replace("f2000011", "f2000411")}de`);
    expect(bin.coding).toBe("8bit");
    expect(bin.dataHex).toBe("E8329BFD4697D9EC37DE");
    const dcsF = decodePdu(`${base.replace("f2000011", "f200f411")}de`);
    expect([dcsF.coding, dcsF.messageClass, dcsF.dataHex]).toEqual(["8bit", 0, "E8329BFD4697D9EC37DE"]);
  });

  it("pdu_dcsf1: 160 septets, DCS F1 (class 1), French accents and CR LF", () => {
    const pdu = hex([
      0x07, 0x91, 0x33, 0x06, 0x09, 0x10, 0x93, 0xf0, 0x04, 0x04, 0x85, 0x81, 0x00, 0x00, 0xf1, 0x11, 0x60,
      0x42, 0x31, 0x80, 0x51, 0x80, 0xa0, 0x49, 0xb7, 0xf9, 0x0d, 0x9a, 0x1a, 0xa5, 0xa0, 0x16, 0x68, 0xf8,
      0x76, 0x9b, 0xd3, 0xe4, 0xb2, 0x9b, 0x9e, 0x2e, 0xb3, 0x59, 0xa0, 0x3f, 0xc8, 0x5d, 0x06, 0xa9, 0xc3,
      0xed, 0x70, 0x7a, 0x0e, 0xa2, 0xcb, 0xc3, 0xee, 0x79, 0xbb, 0x4c, 0xa7, 0xcb, 0xcb, 0xa0, 0x56, 0x43,
      0x61, 0x7d, 0xa7, 0xc7, 0x69, 0x90, 0xfd, 0x4d, 0x97, 0x97, 0x41, 0xee, 0x77, 0xdd, 0x5e, 0x0e, 0xd7,
      0x41, 0xed, 0x37, 0x1d, 0x44, 0x2e, 0x83, 0xe0, 0xe1, 0xf9, 0xbc, 0x0c, 0xd2, 0x81, 0xe6, 0x77, 0xd9,
      0xb8, 0x4c, 0x06, 0xc1, 0xdf, 0x75, 0x39, 0xe8, 0x5c, 0x90, 0x97, 0xe5, 0x20, 0xfb, 0x9b, 0x2e, 0x2f,
      0x83, 0xc6, 0xef, 0x36, 0x9c, 0x5e, 0x06, 0x4d, 0x8d, 0x52, 0xd0, 0xbc, 0x2e, 0x07, 0xdd, 0xef, 0x77,
      0xd7, 0xdc, 0x2c, 0x77, 0x99, 0xe5, 0xa0, 0x77, 0x1d, 0x04, 0x0f, 0xcb, 0x41, 0xf4, 0x02, 0xbb, 0x00,
      0x47, 0xbf, 0xdd, 0x65, 0x50, 0xb8, 0x0e, 0xca, 0xd9, 0x66,
    ]);
    const d = decodePdu(pdu);
    if (d.type !== "deliver") throw new Error("not a deliver");
    expect(d.smsc?.number).toBe("+33609001390");
    expect(d.originator.number).toBe("1800");
    expect(d.scts.iso).toBe("2011-06-24T13:08:15+02:00");
    expect(d.messageClass).toBe(1);
    expect(d.text).toBe(
      "Info SFR - Confidentiel, à ne jamais transmettre -\r\n" +
        "Voici votre nouveau mot de passe : sw2ced pour gérer " +
        "votre compte SFR sur www.sfr.fr ou par téléphone au 963",
    );
  });

  it("pdu_udhi: KPN welcome message with a 16-bit reference concatenation IE", () => {
    const d = decodePdu(
      "07911356131313F64004850120390011609232239180A006080400100201D7327BFD6EB340E232" +
        "1BF46E83EA7790F59D1E97DBE1341B442F83C465763D3DA797E56537C81D0ECB41AB59CC1693C1" +
        "6031D96C064241E5656838AF03A96230982A269BCD462917C8FA4E8FCBED709A0D7ABBE9F6B0FB" +
        "5C7683D27350984D4FABC9A0B33C4C4FCF5D20EBFB2D079DCB62793DBD06D9C36E50FB2D4E97D9" +
        "A0B49B5E96BBCB",
    );
    if (d.type !== "deliver") throw new Error("not a deliver");
    expect(d.smsc?.number).toBe("+31653131316");
    expect(d.originator.number).toBe("1002");
    expect(d.scts.iso).toBe("2011-06-29T23:32:19+02:00");
    expect(d.concat).toEqual({ ref: 0x0010, total: 2, seq: 1, refBits: 16 });
    expect(d.text).toBe(
      "Welkom, bel om uw Voicemail te beluisteren naar +31612001233" +
        " (PrePay: *100*1233#). Voicemail ontvangen is altijd gratis." +
        " Voor gebruik van mobiel interne",
    );
  });

  it("pdu_multipart: two GSM-7 parts with an 8-bit reference reassemble", () => {
    const p1 = decodePdu(
      "07912160130320F5440B916171056429F5000021405291650569A00500034C0201A9E8F41C949E" +
        "83C2207B599E07B1DFEE33885E9ED341E4F23C7D7697C920FA1B54C697E5E3F4BC0C6AD7D9F434" +
        "081E96D341E3303C2C4EB3D3F4BC0B94A483E6E8779D4D06CDD1EF3BA80E0785E7A0B7BB0C6A97" +
        "E7F3F0B9CC02B9DF7450780EA2DFDF2C50780EA2A3CBA0BA9B5C96B3F369F71954768FDFE4B4FB" +
        "0C9297E1F2F2BCECA6CF41",
    );
    const p2 = decodePdu(
      "07912160130320F6440B916171056429F5000021405291651569320500034C0202E9E8301D4447" +
        "9741F0B09C3E0785E56590BCCC0ED3CB6410FD0D7ABBCBA0B0FB4D4797E52E10",
    );
    expect(p1.concat).toEqual({ ref: 0x4c, total: 2, seq: 1, refBits: 8 });
    expect(p2.concat).toEqual({ ref: 0x4c, total: 2, seq: 2, refBits: 8 });
    if (p1.type !== "deliver" || p2.type !== "deliver") throw new Error("not delivers");
    expect([p1.smsc?.number, p2.smsc?.number]).toEqual(["+12063130025", "+12063130026"]);
    expect([p1.scts.iso, p2.scts.iso]).toEqual(["2012-04-25T19:56:50-04:00", "2012-04-25T19:56:51-04:00"]);
    expect(p1.text! + p2.text!).toBe(
      "This is a very long test designed to exercise multi part capability. It should " +
        "show up as one message, not as two, as the underlying encoding represents " +
        "that the parts are related to one another. ",
    );
  });

  it("pdu_stored_by_us: a UCS-2 SMS-SUBMIT read back from storage", () => {
    const d = decodePdu(
      "002100098136397339F70008224F60597D4F60597D4F60597D4F60597D4F60597D4F60597D4F60597D4F60597D4F60",
    );
    if (d.type !== "submit") throw new Error("not a submit");
    expect(d.smsc).toBeNull();
    expect(d.statusReportRequest).toBe(true);
    expect(d.recipient.number).toBe("639337937");
    expect(d.validity).toBeNull();
    expect(d.text).toBe("你好你好你好你好你好你好你好你好你");
  });

  it("pdu_not_stored: a status report, SC-specific status 0x30 (still trying)", () => {
    const d = decodePdu("07914356060013F1065A098136397339F7219011700463802190117004638030");
    if (d.type !== "status-report") throw new Error("not a status report");
    expect(d.smsc?.number).toBe("+34656000311");
    expect(d.mr).toBe(0x5a);
    expect(d.recipient.number).toBe("639337937");
    expect(d.scts.iso).toBe("2012-09-11T07:40:36+02:00");
    expect(d.status).toBe(0x30);
    expect(d.statusClass).toBe("pending");
  });

  it("pdu_insufficient_data: UDL 11 with 9 octets of data is refused", () => {
    const pdu = "07912143658709f1040b918100551512f20000111010214365000be8329bfd4697d9ec37";
    expect(() => decodePdu(pdu)).toThrow(PduDecodeError);
  });
});

describe("ModemManager PDU-creator vectors (SMS-SUBMIT encoding)", () => {
  const FIVE_MINUTES = { format: "relative", seconds: 300 } as const;
  const RUSSIAN = "Да здравствует король, детка!";
  const UCS2_TPDU =
    "1100 0B915155551532F4 00 08 00 3A" +
    "0414043000200437043404400430043204410442043204430435044200200" +
    "43A043E0440043E043B044C002C00200434043504420" +
    "43A04300021";
  const GSM_TPDU =
    "1100 0B915155551532F4 00 00 00 36 C834888E2ECBCB2E978B5A2F8362373A1AA40CBB4132584C0682D57433982B8603C1DB" +
    "20D4B1495DC552200804028100";
  const clean = (h: string) => h.replace(/\s/g, "").toUpperCase();

  it("UCS-2 with and without an SMSC", () => {
    const withSmsc = encodeSubmit({
      smsc: "+19037029920",
      to: "+15555551234",
      text: RUSSIAN,
      validity: FIVE_MINUTES,
    });
    expect(withSmsc.coding).toBe("ucs2");
    expect(withSmsc.parts[0]!.pdu).toBe(clean(`07919130079229F0 ${UCS2_TPDU}`));
    const noSmsc = encodeSubmit({ to: "+15555551234", text: RUSSIAN, validity: FIVE_MINUTES });
    expect(noSmsc.parts[0]!.pdu).toBe(clean(`00 ${UCS2_TPDU}`));
    expect(noSmsc.parts[0]!.tpduLength).toBe(clean(UCS2_TPDU).length / 2);
  });

  it("GSM-7 with Greek capitals, with and without an SMSC", () => {
    const text = "Hi there...Tue 17th Jan 2012 05:30.18 pm (GMT+1) ΔΔΔΔΔ";
    const withSmsc = encodeSubmit({ smsc: "+19037029920", to: "+15555551234", text, validity: FIVE_MINUTES });
    expect(withSmsc.parts[0]!.pdu).toBe(clean(`07919130079229F0 ${GSM_TPDU}`));
    expect(encodeSubmit({ to: "+15555551234", text, validity: FIVE_MINUTES }).parts[0]!.pdu).toBe(
      clean(`00 ${GSM_TPDU}`),
    );
  });

  it("a 25-septet message keeps its last octet, with and without validity", () => {
    const text = "This is really cool ΔΔΔΔΔ";
    expect(encodeSubmit({ to: "+15556661234", text, validity: FIVE_MINUTES }).parts[0]!.pdu).toBe(
      clean("00 1100 0B915155661632F4 00 00 00 19 54747A0E4ACF41F27298CDCE83C6EF371B0481402010"),
    );
    expect(encodeSubmit({ to: "+15556661234", text }).parts[0]!.pdu).toBe(
      clean("00 0100 0B915155661632F4 00 00 19 54747A0E4ACF41F27298CDCE83C6EF371B0481402010"),
    );
  });

  it("an SMSC without + is written with TOA 0x81", () => {
    const pdu = encodeSubmit({ smsc: "9037029920", to: "+1", text: "" }).parts[0]!.pdu;
    expect(pdu.startsWith("06810973209902")).toBe(true);
  });
});

describe("ModemManager text-split vectors", () => {
  const BHAIKSUKI = "𑰀𑰁𑰂𑰃𑰄𑰅𑰆𑰇𑰈𑰊𑰋𑰌𑰍𑰎𑰏𑰐𑰑𑰒𑰓𑰔𑰕𑰖𑰗𑰘𑰙𑰚𑰛𑰜𑰝𑰞𑰟𑰠𑰡𑰢𑰣";
  const split = (text: string) => encodeSubmit({ to: "+1", text, concatRef: 1 }).parts.map((p) => p.text);

  it("35 astral characters (140 octets) fit one part; one more character splits 33 + 3", () => {
    expect(split(BHAIKSUKI)).toEqual([BHAIKSUKI]);
    expect(split(`${BHAIKSUKI}a`)).toEqual([[...BHAIKSUKI].slice(0, 33).join(""), "𑰢𑰣a"]);
  });

  it("161 digits split 153 + 8", () => {
    const text = "0123456789".repeat(16).concat("0");
    expect(split(text)).toEqual([text.slice(0, 153), text.slice(153)]);
  });
});
