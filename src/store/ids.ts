/**
 * Sortable ids (ULID layout: 10 Crockford base-32 characters of milliseconds, then 16 of entropy).
 * Within one millisecond the entropy is incremented, so ids sort in creation order, which the
 * cursor pagination relies on.
 */
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export type IdFactory = (now: number) => string;

export function createIdFactory(random: (n: number) => Uint8Array = randomBytes): IdFactory {
  let lastTime = -1;
  let last: number[] = [];
  return (now) => {
    if (now <= lastTime) {
      // Same (or earlier: clock stepped back) millisecond: increment the entropy, keep monotonic.
      for (let i = last.length - 1; i >= 0; i--) {
        const v = (last[i] ?? 0) + 1;
        if (v < 32) {
          last[i] = v;
          break;
        }
        last[i] = 0;
      }
    } else {
      lastTime = now;
      last = Array.from(random(16), (b) => b & 31);
    }
    let t = "";
    let n = Math.max(0, lastTime);
    for (let i = 0; i < 10; i++) {
      t = ALPHABET[n % 32] + t;
      n = Math.floor(n / 32);
    }
    return t + last.map((d) => ALPHABET[d]).join("");
  };
}
