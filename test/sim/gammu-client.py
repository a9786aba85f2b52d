# Drives a simulated modem with Gammu (Debian python3-gammu) as an independent AT client:
# init, identity, read the SMS inbox, send one SMS. Prints one JSON object.
import json
import sys

import gammu

device, log = sys.argv[1], sys.argv[2]
sm = gammu.StateMachine()
sm.SetConfig(0, {"Device": device, "Connection": "at115200", "DebugLevel": "textall", "DebugFile": log})
sm.Init()
out = {"manufacturer": sm.GetManufacturer(), "model": sm.GetModel()[1], "imei": sm.GetIMEI()}
status = sm.GetSMSStatus()
out["used"] = status["SIMUsed"] + status["PhoneUsed"]
inbox = []
if out["used"]:
    for m in sm.GetNextSMS(Start=True, Folder=0):
        inbox.append({"number": m["Number"], "text": m["Text"]})
out["inbox"] = inbox
out["mr"] = sm.SendSMS({"Text": "from gammu", "SMSC": {"Location": 1}, "Number": "+33622222222"})
sm.Terminate()
print(json.dumps(out))
