// The private 2×2 kernels behind svd and eigh (dlasv2, dlas2 and dlaev2 analogues), checked against their defining identities on random and awkward input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _laev2, _las2, _lasv2 } from '../../src/spectral/_twoByTwo.js';

const eps = 2 ** -52;
const AWKWARD = [0, 1, -1, 1e-300, -1e-300, 1e300, -1e300, 3, -7, 1e-20, 1e20, 2 ** -1074];
const num = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(...AWKWARD));

describe('_lasv2: SVD of [f g; 0 h]', () => {
  it('[csl snl; −snl csl]·[f g; 0 h]·[csr −snr; snr csr] = diag(ssmax, ssmin)', () => {
    const out = new Float64Array(6);
    fc.assert(
      fc.property(num, num, num, (f, g, h) => {
        _lasv2(f, g, h, out);
        const [ssmin, ssmax, snr, csr, snl, csl] = out as unknown as number[];
        expect(Math.abs(csl! * csl! + snl! * snl! - 1)).toBeLessThan(8 * eps);
        expect(Math.abs(csr! * csr! + snr! * snr! - 1)).toBeLessThan(8 * eps);
        expect(Math.abs(ssmax!)).toBeGreaterThanOrEqual(Math.abs(ssmin!));
        // B = Lᵀ·diag(ssmax, ssmin)·Rᵀ, entrywise, relative to the largest entry
        const scale = Math.max(Math.abs(f), Math.abs(g), Math.abs(h));
        if (scale === 0) return;
        const b00 = csl! * ssmax! * csr! + snl! * ssmin! * snr!;
        const b01 = csl! * ssmax! * snr! - snl! * ssmin! * csr!;
        const b10 = snl! * ssmax! * csr! - csl! * ssmin! * snr!;
        const b11 = snl! * ssmax! * snr! + csl! * ssmin! * csr!;
        const tol = 16 * eps * scale + 1e-307;
        expect(Math.abs(b00 - f)).toBeLessThanOrEqual(tol);
        expect(Math.abs(b01 - g)).toBeLessThanOrEqual(tol);
        expect(Math.abs(b10)).toBeLessThanOrEqual(tol);
        expect(Math.abs(b11 - h)).toBeLessThanOrEqual(tol);
        // |ssmin·ssmax| = |f·h| to relative accuracy (the small value is accurate); only
        // where σ_min is a normal number, since subnormals carry few significant bits
        if (f !== 0 && h !== 0 && Math.abs(ssmin!) > 1e-290) {
          const q = (Math.abs(ssmin!) / Math.abs(f)) * (Math.abs(ssmax!) / Math.abs(h));
          if (Number.isFinite(q)) expect(Math.abs(q - 1)).toBeLessThan(8 * eps);
        }
      }),
      { numRuns: 3000, seed: 1 },
    );
  });

  it('_las2 agrees with the singular values of _lasv2', () => {
    const a = new Float64Array(6);
    const b = new Float64Array(2);
    fc.assert(
      fc.property(num, num, num, (f, g, h) => {
        _lasv2(f, g, h, a);
        _las2(f, g, h, b);
        const mx = Math.abs(a[1]!);
        expect(Math.abs(b[1]! - mx)).toBeLessThanOrEqual(8 * eps * mx);
        expect(Math.abs(b[0]! - Math.abs(a[0]!))).toBeLessThanOrEqual(
          8 * eps * Math.abs(a[0]!) + 1e-307,
        );
      }),
      { numRuns: 3000, seed: 2 },
    );
  });
});

describe('_laev2: eigen-decomposition of [a b; b c]', () => {
  it('rotation diagonalizes and rt2 keeps relative accuracy', () => {
    const out = new Float64Array(4);
    fc.assert(
      fc.property(num, num, num, (a, b, c) => {
        if (Math.max(Math.abs(a), Math.abs(b), Math.abs(c)) > 1e150) return; // squares overflow in the check
        _laev2(a, b, c, out);
        const [rt1, rt2, cs, sn] = out as unknown as number[];
        expect(Math.abs(rt1!)).toBeGreaterThanOrEqual(Math.abs(rt2!));
        expect(Math.abs(cs! * cs! + sn! * sn! - 1)).toBeLessThan(8 * eps);
        const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c));
        // A·x = rt1·x for x = (cs, sn)
        expect(Math.abs(a * cs! + b * sn! - rt1! * cs!)).toBeLessThanOrEqual(
          8 * eps * scale + 1e-307,
        );
        expect(Math.abs(b * cs! + c * sn! - rt1! * sn!)).toBeLessThanOrEqual(
          8 * eps * scale + 1e-307,
        );
        expect(Math.abs(rt1! + rt2! - (a + c))).toBeLessThanOrEqual(8 * eps * scale + 1e-307);
      }),
      { numRuns: 3000, seed: 3 },
    );
  });
});
