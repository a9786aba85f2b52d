import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SdNotify } from "../../../src/platform/sd-notify.js";

// The real systemd-notify against a datagram socket standing in for PID 1 (Node cannot bind AF_UNIX
// datagram sockets; /usr/bin/python3 can). Checks the wire format and that the barrier completes.
const LISTENER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
s.settimeout(10)
while True:
    data = s.recv(4096)
    print(data.decode().replace("\\n", "|"), flush=True)
`;

describe("SdNotify with the real systemd-notify", () => {
  it("delivers READY=1, STATUS= and WATCHDOG=1 datagrams to $NOTIFY_SOCKET", async () => {
    const found = spawnSync("sh", ["-c", "command -v systemd-notify"]).status === 0;
    expect(found, "systemd-notify missing: apt-get install systemd").toBe(true);
    const sock = join(mkdtempSync(join(tmpdir(), "smsgw-ns-")), "notify");
    const listener = spawn("/usr/bin/python3", ["-c", LISTENER, sock]);
    let out = "";
    listener.stdout.on("data", (b: Buffer) => (out += b.toString()));
    try {
      await until(() => out.includes("bound"));
      const n = new SdNotify({ env: { ...process.env, NOTIFY_SOCKET: sock } });
      expect(await n.ready("1 modem ready")).toBe(true);
      expect(await n.watchdog()).toBe(true);
      await until(() => out.includes("WATCHDOG=1"));
      const lines = out
        .trim()
        .split("\n")
        .filter((l) => l !== "bound" && l !== "BARRIER=1");
      expect(lines).toEqual(["READY=1|STATUS=1 modem ready", "WATCHDOG=1"]);
    } finally {
      listener.kill();
    }
  });
});

async function until(cond: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}
