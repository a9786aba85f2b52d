/**
 * Ordered profile list and resolution. USB identity wins (herdsman USB_FINGERPRINTS), then the
 * +CGMI/+CGMM strings (ModemManager plugin matching); the generic profile is last and always matches.
 */
import { generic } from "./generic.js";
import { huaweiE3131 } from "./huawei-e3131.js";
import { quectelEc25 } from "./quectel-ec25.js";
import { simcomSim800 } from "./simcom-sim800.js";
import { simcomSim7600 } from "./simcom-sim7600.js";
import type { ModemProfile } from "./types.js";

export { isHiLink } from "./huawei-e3131.js";
export type { ModemProfile } from "./types.js";

export const profiles: readonly ModemProfile[] = [
  simcomSim7600,
  simcomSim800,
  quectelEc25,
  huaweiE3131,
  generic,
];

export interface ProfileHints {
  readonly usb?: { readonly vendorId?: string; readonly productId?: string };
  readonly manufacturer?: string;
  readonly model?: string;
}

function usbMatch(p: ModemProfile, usb: ProfileHints["usb"]): boolean {
  const vid = usb?.vendorId?.toLowerCase();
  if (!vid) return false;
  const pid = usb?.productId?.toLowerCase();
  return p.usb.some((f) => f.vendorId === vid && (f.productId === undefined || f.productId === pid));
}

function textMatch(p: ModemProfile, h: ProfileHints): boolean {
  const { manufacturer, model } = p.match;
  if (!manufacturer && !model) return false;
  if (manufacturer && !(h.manufacturer && manufacturer.test(h.manufacturer.trim()))) return false;
  if (model && !(h.model && model.test(h.model.trim()))) return false;
  return true;
}

export function resolveProfile(hints: ProfileHints): ModemProfile {
  // When the modem has answered +CGMI/+CGMM, the strings are the more specific evidence (one USB id
  // can front several models); USB alone decides while the modem has not said anything yet.
  if (hints.manufacturer || hints.model) {
    const byText = profiles.find((p) => textMatch(p, hints));
    if (byText) return byText;
  }
  return profiles.find((p) => usbMatch(p, hints.usb)) ?? generic;
}

export function profileById(id: string): ModemProfile | undefined {
  return profiles.find((p) => p.id === id);
}
