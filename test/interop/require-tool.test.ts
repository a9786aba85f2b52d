import { describe, expect, it } from "vitest";
import { INTEROP_PACKAGES, requireTool } from "./interop-helpers.js";

// The interop suite must fail, never skip, on a machine without the peer daemons.
describe("requireTool", () => {
  it("a missing peer binary fails with the apt-get install hint", () => {
    expect(() => requireTool("smsgw-no-such-peer-daemon", "smstools")).toThrow(
      `smsgw-no-such-peer-daemon is not installed: apt-get install -y smstools (interop suite needs: ${INTEROP_PACKAGES})`,
    );
  });

  it("finds smsd in /usr/sbin even when PATH leaves sbin out", () => {
    const saved = process.env["PATH"];
    process.env["PATH"] = "/usr/bin:/bin";
    try {
      expect(requireTool("smsd", "smstools")).toBe("/usr/sbin/smsd");
    } finally {
      process.env["PATH"] = saved;
    }
  });
});
