#!/usr/bin/python3
"""Independent PDU oracle for the differential tests: Gammu's codec (Debian python3-gammu).

Protocol: one JSON request per line on stdin, one JSON answer per line on stdout, in order.
Every answer carries the request's "id". A Gammu exception becomes {"ok": false, "error": ...};
the helper never dies on bad input, so one bad case cannot hide the others.

  {"id": 1, "op": "decode", "pdu": "<hex>", "smsc": true}
  {"id": 2, "op": "encode", "number": "+336…", "text": "…", "unicode": false, "class": null,
   "statusReport": false, "validity": 167 | "max" | null, "concat16": false, "ref": 42,
   "layout": "submit" | "deliver", "scts": "2026-11-26T10:21:00", "smsc": "+336…"}
  {"id": 3, "op": "version"}

Must run under /usr/bin/python3: the Debian interpreter is the one that has the gammu module.
"""
import binascii
import datetime
import json
import sys

import gammu

CODINGS = {
    "Default_No_Compression": "gsm7",
    "Default_Compression": "gsm7-compressed",
    "Unicode_No_Compression": "ucs2",
    "Unicode_Compression": "ucs2-compressed",
    "8bit": "8bit",
}
TYPES = {"Deliver": "deliver", "Submit": "submit", "Status_Report": "status-report"}


def iso(value):
    # python-gammu hands out naive datetimes: the zone of the time stamp is dropped on its side.
    return value.isoformat() if isinstance(value, datetime.datetime) else None


def concat_of(udh):
    kind = udh.get("Type")
    if kind == "ConcatenatedMessages":
        return {"ref": udh["ID8bit"], "total": udh["AllParts"], "seq": udh["PartNumber"], "refBits": 8}
    if kind == "ConcatenatedMessages16bit":
        return {"ref": udh["ID16bit"], "total": udh["AllParts"], "seq": udh["PartNumber"], "refBits": 16}
    return None


def decode(req):
    sms = gammu.DecodePDU(binascii.unhexlify(req["pdu"]), bool(req.get("smsc", True)))
    raw = sms["Text"]
    coding = CODINGS.get(sms["Coding"], sms["Coding"])
    is_binary = isinstance(raw, (bytes, bytearray))
    kind = TYPES.get(sms["Type"], sms["Type"])
    udh = sms.get("UDH") or {}
    return {
        "type": kind,
        "number": sms["Number"],
        "text": None if is_binary else raw,
        "dataHex": binascii.hexlify(raw).decode().upper() if is_binary else None,
        "coding": coding,
        "class": None if sms["Class"] < 0 else sms["Class"],
        "concat": concat_of(udh),
        "udhHex": binascii.hexlify(udh.get("Text") or b"").decode().upper(),
        "length": sms["Length"],
        "mr": sms["MessageReference"],
        "smsc": sms["SMSC"]["Number"],
        "validity": sms["SMSC"]["Validity"],
        # DateTime is the SCTS for SMS-DELIVER and SMS-STATUS-REPORT; the SMSCDateTime of a status
        # report is its TP-DT (for other types Gammu fills it with the current time: ignore it).
        "scts": iso(sms["DateTime"]),
        "dischargeTime": iso(sms["SMSCDateTime"]) if kind == "status-report" else None,
        "status": sms["DeliveryStatus"] if kind == "status-report" else None,
    }


def validity_string(vp):
    """Turns a TP-VP relative octet (23.040 §9.2.3.12.1) into the string python-gammu maps back to
    exactly that octet. python-gammu cannot express 197..254 (its week branch adds 166 instead of
    192), so those are refused here rather than silently encoded as something else."""
    if vp is None or vp == "max" or vp == 255:
        return "Max"
    vp = int(vp)
    if 0 <= vp <= 143:
        return "%dM" % (5 * (vp + 1))
    if vp <= 167:
        return "%dM" % (720 + 30 * (vp - 143))
    if vp <= 196:
        return "%dD" % (vp - 166)
    raise ValueError("python-gammu cannot encode relative validity %d (197..254)" % vp)


def patch_ref(udh, ref):
    # EncodePDU copies UDH.Text as is; the random reference EncodeSMS chose is replaced so that
    # the test inputs are reproducible (23.040 §9.2.3.24.1 / §9.2.3.24.8).
    text = bytearray(udh["Text"])
    if udh["Type"] == "ConcatenatedMessages":
        text[3] = ref & 0xFF
        udh["ID8bit"] = ref & 0xFF
    elif udh["Type"] == "ConcatenatedMessages16bit":
        text[3] = (ref >> 8) & 0xFF
        text[4] = ref & 0xFF
        udh["ID16bit"] = ref & 0xFFFF
    udh["Text"] = bytes(text)


def encode(req):
    entry = "ConcatenatedTextLong16bit" if req.get("concat16") else "ConcatenatedTextLong"
    cls = req.get("class")
    info = {
        "Class": -1 if cls is None else int(cls),
        "Unicode": bool(req.get("unicode")),
        "Entries": [{"ID": entry, "Buffer": req["text"]}],
    }
    layout = "Deliver" if req.get("layout") == "deliver" else "Submit"
    validity = validity_string(req.get("validity"))
    scts = req.get("scts")
    parts = []
    for sms in gammu.EncodeSMS(info):
        sms["Number"] = req["number"]
        sms["SMSC"] = {"Location": 0, "Number": req.get("smsc") or "", "Validity": validity}
        if layout == "Deliver":
            sms["Type"] = "Deliver"
            if scts:
                sms["DateTime"] = datetime.datetime.fromisoformat(scts)
        elif req.get("statusReport"):
            # Gammu's way of asking for TP-SRR (23.040 §9.2.3.5) on a SUBMIT.
            sms["Type"] = "Status_Report"
        if "ref" in req and sms["UDH"]["Type"] != "NoUDH":
            patch_ref(sms["UDH"], int(req["ref"]))
        pdu = gammu.EncodePDU(sms, layout)
        parts.append({
            "pdu": binascii.hexlify(pdu).decode().upper(),
            "text": sms["Text"],
            "concat": concat_of(sms["UDH"]),
        })
    return {"coding": "ucs2" if info["Unicode"] else "gsm7", "parts": parts}


def answer(line):
    req = {}
    try:
        req = json.loads(line)
        op = req.get("op")
        if op == "decode":
            body = decode(req)
        elif op == "encode":
            body = encode(req)
        elif op == "version":
            body = {"version": list(gammu.Version())}
        else:
            raise ValueError("unknown op %r" % op)
        body["ok"] = True
    except gammu.GSMError as err:
        info = err.args[0] if err.args and isinstance(err.args[0], dict) else {}
        body = {"ok": False, "error": type(err).__name__, "text": info.get("Text"),
                "where": info.get("Where"), "code": info.get("Code")}
    except Exception as err:  # noqa: BLE001 - any failure is an answer, never a dead oracle
        body = {"ok": False, "error": type(err).__name__, "text": str(err)}
    body["id"] = req.get("id") if isinstance(req, dict) else None
    return body


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        # ASCII JSON: a lone surrogate (Gammu can hand one back) is escaped instead of killing the pipe.
        sys.stdout.write(json.dumps(answer(line)) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
