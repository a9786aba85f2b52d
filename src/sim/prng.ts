/** mulberry32: a tiny seeded PRNG so that a simulator run is reproducible from its seed. */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [min, max]. */
export function rngInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** A digit string of `n` digits (IMEI/IMSI/ICCID bodies). */
export function rngDigits(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String(rngInt(rng, 0, 9));
  return s;
}

/** Luhn check digit (IMEI 3GPP TS 23.003 §6.2.1, ICCID ITU-T E.118). */
export function luhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
