/**
 * Recipient validation to E.164. The "max" metadata of libphonenumber-js checks number patterns per
 * type; the default "min" metadata only checks lengths and accepts numbers that cannot exist.
 */
import { type CountryCode, parsePhoneNumberWithError } from "libphonenumber-js/max";
import { EngineError } from "./errors.js";

/**
 * `virtualNumbers`: E.164 numbers that exist on a network the gateway itself simulates ([sim.numbers]).
 * They are accepted as written even when the numbering plan has no such range: the default
 * configuration uses ARCEP's range for fiction (06 39 98), which reaches no real subscriber and which
 * libphonenumber therefore (rightly) calls invalid.
 */
export function toE164(input: string, defaultCountry: string, virtualNumbers?: ReadonlySet<string>): string {
  if (virtualNumbers?.size) {
    const bare = input.replace(/[\s.()/-]/g, "");
    if (virtualNumbers.has(bare)) return bare;
  }
  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(input, defaultCountry as CountryCode);
  } catch (e) {
    throw new EngineError(`'${input}' is not a phone number`, "invalid_number", { input }, { cause: e });
  }
  if (!parsed.isValid())
    throw new EngineError(
      `'${input}' is not a valid number for ${parsed.country ?? defaultCountry}`,
      "invalid_number",
      {
        input,
      },
    );
  return parsed.number;
}

/** Best-effort E.164 for addresses read from the network (originators, status-report recipients). */
export function normaliseAddress(number: string, defaultCountry: string): string {
  if (!/^\+?\d{3,}$/.test(number)) return number; // alphanumeric sender, short code: keep as is
  try {
    const p = parsePhoneNumberWithError(number, defaultCountry as CountryCode);
    return p.isValid() ? p.number : number;
  } catch {
    return number;
  }
}

/** Two addresses denote the same subscriber when their last 8 digits agree (national vs E.164). */
export function sameSubscriber(a: string, b: string): boolean {
  const da = a.replace(/\D/g, "");
  const db = b.replace(/\D/g, "");
  if (da.length < 8 || db.length < 8) return da === db && da.length > 0;
  return da.slice(-8) === db.slice(-8);
}
