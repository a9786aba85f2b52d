/** Pre-send preview: alphabet, part count and room left, without building PDUs. */

import { planText, smartText } from "./segment.js";
import type { NationalLanguage, SegmentPreview } from "./types.js";

export interface PreviewOptions {
  readonly smart?: boolean;
  readonly coding?: "auto" | "gsm7" | "ucs2";
  readonly nationalLanguages?: { readonly single?: NationalLanguage; readonly locking?: NationalLanguage };
  readonly concatRef16?: boolean;
  /** Appended after a line feed before counting (e.g. an opt-out footer). */
  readonly footer?: string;
}

export function segmentPreview(text: string, opts: PreviewOptions = {}): SegmentPreview {
  const full = opts.footer ? `${text}\n${opts.footer}` : text;
  const plan = planText(full, { ...opts, forcers: true });
  const last = plan.parts[plan.parts.length - 1]!;
  const lastUnits = last.end - last.start + (last.extraCr ? 1 : 0);
  return {
    coding: plan.coding,
    parts: plan.parts.length,
    units: plan.units,
    remainingInLastPart: Math.max(0, plan.perPart - lastUnits),
    perPart: plan.perPart,
    ucs2Forcers: plan.ucs2Forcers,
    text: plan.text,
  };
}

/**
 * Replaces typographic look-alikes (curly quotes, dashes, special spaces, ellipsis, zero-width
 * characters…) only when the whole text then fits GSM 7-bit; otherwise returns it unchanged.
 */
export function smartReplace(
  text: string,
  nationalLanguages?: { readonly single?: NationalLanguage; readonly locking?: NationalLanguage },
): string {
  return smartText(text, nationalLanguages);
}
