import { PduDecodeError } from "./errors.js";

/**
 * Cursor over the input octets. Every read is bounds-checked and reports the field being read
 * with its absolute offset, so that a truncated or inconsistent PDU becomes a PduDecodeError and
 * never a RangeError or a silently wrong value.
 */
export class Reader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    readonly end = buf.length,
  ) {
    this.pos = pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(field: string): number {
    if (this.pos >= this.end) throw new PduDecodeError(field, this.pos, "truncated: octet missing");
    return this.buf[this.pos++]!;
  }

  /** Claims `n` octets and returns their absolute offset (no view is allocated). */
  take(n: number, field: string): number {
    if (n > this.end - this.pos) {
      throw new PduDecodeError(field, this.pos, `truncated: ${n} octets needed, ${this.end - this.pos} left`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  fail(field: string, reason: string, offset = this.pos): never {
    throw new PduDecodeError(field, offset, reason);
  }
}
