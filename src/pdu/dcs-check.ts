import type { DcsInfo } from "./dcs.js";
import type { Reader } from "./reader.js";

/** Compressed user data (23.042) cannot be shown as text: refuse it rather than print garbage. */
export function checkDcs(r: Reader, info: DcsInfo, offset: number): DcsInfo {
  if (info.compressed) r.fail("tpdu.dcs", "compressed user data is not supported", offset);
  return info;
}
