// The private rotation kernels behind svd and eigh: dlartg's analogue against its defining
// identity, and the fused, chunked rotation-sequence kernel against a plain loop.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _lartg, _rotateRows } from '../../src/spectral/_rotations.js';

const eps = 2 ** -52;
const AWKWARD = [0, 1, -1, 1e-300, -1e-300, 1e300, -1e300, 3, -7, 1e-20, 1e20, 2 ** -1074];
const num = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(...AWKWARD));

describe('_lartg: plane rotation', () => {
  it('[c s; −s c]·[f; g] = [r; 0] with c ≥ 0, no overflow or underflow', () => {
    const out = new Float64Array(3);
    const big = fc.oneof(num, fc.constantFrom(1e308, -1e308, 1e-310, 2 ** -1060));
    fc.assert(
      fc.property(big, big, (f, g) => {
        _lartg(f, g, out);
        const [c, s, r] = out as unknown as number[];
        expect(c!).toBeGreaterThanOrEqual(0);
        expect(Math.abs(c! * c! + s! * s! - 1)).toBeLessThan(8 * eps);
        expect(Number.isFinite(r!)).toBe(true);
        const scale = Math.max(Math.abs(f), Math.abs(g));
        expect(Math.abs(r!)).toBeGreaterThanOrEqual(scale * (1 - 4 * eps));
        // −s·f + c·g = 0, computed in scaled form to avoid overflow in the check
        if (scale > 0) expect(Math.abs(-s! * (f / scale) + c! * (g / scale))).toBeLessThan(4 * eps);
        if (f !== 0) expect(Math.sign(r!)).toBe(Math.sign(f));
      }),
      { numRuns: 3000, seed: 4 },
    );
  });
});

describe('_rotateRows: rotation sequences', () => {
  /** One rotation at a time over whole rows: the definition. */
  function reference(
    x: Float64Array,
    ld: number,
    r0: number,
    count: number,
    c0: number,
    len: number,
    cs: Float64Array,
    sn: Float64Array,
    off: number,
    forward: boolean,
  ): void {
    const order = Array.from({ length: Math.max(count - 1, 0) }, (_, j) => j);
    if (!forward) order.reverse();
    for (const j of order) {
      const c = cs[off + j]!;
      const s = sn[off + j]!;
      const p = (r0 + j) * ld + c0;
      const q = p + ld;
      for (let t = 0; t < len; t++) {
        const a = x[p + t]!;
        const b = x[q + t]!;
        x[p + t] = c * a + s * b;
        x[q + t] = c * b - s * a;
      }
    }
  }

  it('matches the one-at-a-time definition bit for bit (odd/even counts, chunk edges)', () => {
    const cs = new Float64Array(20);
    const sn = new Float64Array(20);
    for (let i = 0; i < 20; i++) {
      cs[i] = Math.cos(i * 0.7 + 0.1);
      sn[i] = Math.sin(i * 0.7 + 0.1);
    }
    for (const count of [0, 1, 2, 3, 4, 5, 8, 9]) {
      for (const forward of [true, false]) {
        for (const len of [1, 7, 256, 300, 513]) {
          const ld = len + 5;
          const x = new Float64Array(12 * ld).map((_, i) => Math.sin(i * 1.3));
          const y = x.slice();
          _rotateRows(x, ld, 1, count, 2, len, cs, sn, 3, forward);
          reference(y, ld, 1, count, 2, len, cs, sn, 3, forward);
          expect(Array.from(x)).toEqual(Array.from(y));
        }
      }
    }
  });
});
