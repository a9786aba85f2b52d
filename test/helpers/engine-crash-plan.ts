/** The fixed traffic plan shared by the crash test and its child process. */
import { deliverPdu } from "./engine-fakes.js";

export const OUTBOUND = 40;
export const INBOUND = 12;
export const outboundText = (i: number) =>
  i % 5 === 0
    ? `crash-out-${i} ${"long message body that needs several parts ".repeat(5)}`
    : `crash-out-${i}`;
export const outboundTo = (i: number) => `+3361200${String(i % 7).padStart(4, "0")}`;
export const inboundFrom = (k: number) => `+3361299${String(k).padStart(4, "0")}`;
/** Each planned inbound message as the PDUs its sender's network would deliver. */
export function inboundPlan(): { k: number; text: string; pdus: string[] }[] {
  const at = Date.UTC(2026, 10, 26, 8, 0, 0);
  return Array.from({ length: INBOUND }, (_, k) => {
    if (k % 3 === 0) {
      const halves = [`crash-in-${k} first half, `, `second half of ${k}`];
      return {
        k,
        text: halves.join(""),
        pdus: halves.map((text, i) =>
          deliverPdu({
            from: inboundFrom(k),
            text,
            at: at + k * 1000,
            concat: { ref: k, total: 2, seq: i + 1, refBits: 8 },
          }),
        ),
      };
    }
    return {
      k,
      text: `crash-in-${k}`,
      pdus: [deliverPdu({ from: inboundFrom(k), text: `crash-in-${k}`, at: at + k * 1000 })],
    };
  });
}
