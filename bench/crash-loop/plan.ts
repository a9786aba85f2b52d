/**
 * The traffic of the crash loop. Outbound: one distinct recipient per message (so sticky routing
 * and per-recipient caps do not shape the run), 80 % short GSM-7, 10 % UCS-2, 10 % two-part GSM-7,
 * a delivery report asked for one message in three; each body starts with its token "#000123".
 * Inbound: one message per sender, one in four concatenated (two or three parts), each with a
 * token "in#0042", alternating between the two modems.
 */
import type { OutboundMessage } from "./client.js";

export const token = (i: number) => String(i).padStart(6, "0");

export function outboundPlan(n: number): OutboundMessage[] {
  return Array.from({ length: n }, (_, i) => {
    const t = token(i);
    const to = `+3361${String(2_000_000 + i).padStart(7, "0")}`;
    const text =
      i % 10 === 9
        ? `#${t} ${"your parcel is waiting at the shop counter, open 9-19 ".repeat(4)}`.trim()
        : i % 10 === 8
          ? `#${t} Ωλ 中文 reçu ✓`
          : `#${t} order ready for pickup`;
    return { token: t, to, text, statusReport: i % 3 === 0 };
  });
}

export interface InboundPlanned {
  readonly token: string;
  readonly modem: number;
  readonly from: string;
  readonly text: string;
  readonly parts: number;
}

export const INBOUND_TOKEN = /in#(\d{4})/;

export function inboundPlan(m: number): InboundPlanned[] {
  return Array.from({ length: m }, (_, k) => {
    const t = String(k).padStart(4, "0");
    const parts = k % 4 === 0 ? 2 + (k % 8 === 0 ? 1 : 0) : 1;
    const text =
      parts === 1
        ? `in#${t} what time do you close today?`
        : `in#${t} ${"I would like to change the delivery address of my order please ".repeat(parts * 2)}`.trim();
    return { token: t, modem: k % 2, from: `+3365${String(1_000_000 + k).padStart(7, "0")}`, text, parts };
  });
}
