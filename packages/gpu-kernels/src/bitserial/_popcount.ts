/**
 * Population count of a 32-bit word (SWAR: pairs, nibbles, then one multiply gathers the
 * byte counts into the top byte). Assumes `v` is an integer; uses its low 32 bits.
 */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}
