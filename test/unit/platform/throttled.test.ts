import { afterEach, describe, expect, it } from "vitest";
import {
  decodeThrottled,
  hexThrottled,
  parseThrottled,
  readThrottledSysfs,
} from "../../../src/platform/throttled.js";
import { fakeRoot } from "./power-fixture.js";

describe("get_throttled bits (Raspberry Pi documentation, vcgencmd get_throttled)", () => {
  it("decodes bits 0–3 as now and 16–19 as since boot", () => {
    // 0x50005: under-voltage now and since boot, throttled now and since boot.
    const d = decodeThrottled(0x50005);
    expect(d.now).toEqual({
      undervoltage: true,
      frequencyCapped: false,
      throttled: true,
      softTempLimit: false,
    });
    expect(d.sinceBoot).toEqual({
      undervoltage: true,
      frequencyCapped: false,
      throttled: true,
      softTempLimit: false,
    });
    const capped = decodeThrottled(0xa0000);
    expect(capped.now.frequencyCapped).toBe(false);
    expect(capped.sinceBoot).toMatchObject({
      frequencyCapped: true,
      softTempLimit: true,
      undervoltage: false,
    });
    expect(decodeThrottled(0x8).now.softTempLimit).toBe(true);
  });

  it("prints the bits the way vcgencmd does", () => {
    expect(hexThrottled(0x50005)).toBe("0x50005");
    expect(hexThrottled(0)).toBe("0x0");
    expect(parseThrottled("throttled=0x50005")).toBe(0x50005);
  });
});

describe("readThrottledSysfs", () => {
  const roots: { remove(): void }[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) r.remove();
  });

  it("reads the firmware file under an injected root, null when it is absent", () => {
    const pi = fakeRoot("50000");
    const other = fakeRoot(null);
    roots.push(pi, other);
    expect(readThrottledSysfs(pi.root)).toBe("50000");
    expect(readThrottledSysfs(other.root)).toBeNull();
  });
});
