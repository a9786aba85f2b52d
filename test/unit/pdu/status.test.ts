import { describe, expect, it } from "vitest";
import { statusClass } from "../../../src/pdu/index.js";

// 23.040 §9.2.3.15 TP-Status.
describe("TP-Status classes", () => {
  it("0x00–0x02 and SC-specific 0x10–0x1F: delivered (transaction completed)", () => {
    for (const st of [0x00, 0x01, 0x02, 0x10, 0x1f]) expect(statusClass(st)).toBe("delivered");
  });

  it("0x20–0x25 and 0x30–0x3F: temporary error, SC still trying → pending", () => {
    for (const st of [0x20, 0x21, 0x25, 0x30, 0x3f]) expect(statusClass(st)).toBe("pending");
  });

  it("0x40–0x49 and 0x50–0x5F: permanent error", () => {
    for (const st of [0x40, 0x41, 0x46, 0x49, 0x50, 0x5f]) expect(statusClass(st)).toBe("failed-permanent");
  });

  it("0x60–0x65 and 0x70–0x7F: temporary error, SC stopped trying", () => {
    for (const st of [0x60, 0x63, 0x65, 0x70, 0x7f]) expect(statusClass(st)).toBe("failed-temporary");
  });

  it("reserved values are taken as 'Service Rejected' (0x63): failed-temporary", () => {
    for (const st of [0x03, 0x0f, 0x26, 0x2f, 0x4a, 0x4f, 0x66, 0x6f, 0x80, 0xff]) {
      expect(statusClass(st)).toBe("failed-temporary");
    }
  });
});
