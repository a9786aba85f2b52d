/**
 * Typed codec errors. A decode error names the field path (composed from the outside in, e.g.
 * "tpdu.ud.udh") and the absolute octet offset from the start of the input, SMSC field included,
 * in the style of warthog618/sms `DecodeError{Field, Offset}`.
 */

export class PduDecodeError extends Error {
  override readonly name = "PduDecodeError";
  readonly field: string;
  readonly offset: number;
  readonly reason: string;

  constructor(field: string, offset: number, reason: string) {
    super(`${field} at octet ${offset}: ${reason}`);
    this.field = field;
    this.offset = offset;
    this.reason = reason;
  }
}

/** Invalid options given to an encoder: a bad number, text not encodable in a forced alphabet, … */
export class PduEncodeError extends Error {
  override readonly name = "PduEncodeError";
  readonly field: string;
  readonly reason: string;

  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.field = field;
    this.reason = reason;
  }
}
