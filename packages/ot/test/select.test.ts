import fc from 'fast-check';
import { expect, it } from 'vitest';
import { kthLargest } from '../src/_select.js';

it('kthLargest equals the k-th entry of the descending sort, with many ties', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 200 }),
      fc.nat(),
      (xs, kk) => {
        const k = 1 + (kk % xs.length);
        const v = Float64Array.from(xs, (x) => x / 7);
        const sorted = Array.from(v).sort((p, q) => q - p);
        expect(kthLargest(v, k)).toBe(sorted[k - 1]);
      },
    ),
    { numRuns: 300, seed: 1 },
  );
});
