import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjustedRandIndex,
  contingencyMatrix,
  misclusteringRate,
  normalizedMutualInfo,
} from '../src/index.js';
import { fx } from './_fixtures.js';

/** Mis-clustering by brute force over all injective maps (small k only). */
function bruteMisclustering(a: number[], b: number[]): number {
  const ca = [...new Set(a)];
  const cb = [...new Set(b)];
  let best = 0;
  const rec = (i: number, used: Set<number>, acc: number) => {
    if (i === cb.length) {
      best = Math.max(best, acc);
      return;
    }
    rec(i + 1, used, acc); // cluster i unmatched
    for (const c of ca) {
      if (used.has(c)) continue;
      let m = 0;
      for (let t = 0; t < a.length; t++) if (b[t] === cb[i] && a[t] === c) m++;
      used.add(c);
      rec(i + 1, used, acc + m);
      used.delete(c);
    }
  };
  rec(0, new Set(), 0);
  return 1 - best / a.length;
}

describe('metrics vs scikit-learn', () => {
  it('ARI, NMI and the contingency table match sklearn on random labelings', () => {
    for (const m of fx.metrics) {
      expect(adjustedRandIndex(m.a, m.b)).toBeCloseTo(m.ari, 12);
      expect(normalizedMutualInfo(m.a, m.b)).toBeCloseTo(m.nmi, 12);
      const c = contingencyMatrix(m.a, m.b);
      expect(c.matrix.rows).toBe(m.contingency.length);
      m.contingency.forEach((row: number[], i: number) => {
        row.forEach((v, j) => {
          expect(c.matrix.get(i, j)).toBe(v);
        });
      });
    }
  });

  it('documented examples', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 14);
    expect(normalizedMutualInfo([0, 0, 1, 1], [5, 5, 3, 3])).toBeCloseTo(1, 14);
    expect(misclusteringRate([0, 0, 1, 1, 2], [2, 2, 0, 0, 0])).toBeCloseTo(0.2, 14);
    expect(misclusteringRate([0, 0, 0], [7, 7, 7])).toBe(0);
  });
});

describe('misclusteringRate (Hungarian matching)', () => {
  it('equals the brute-force optimum over all matchings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 30 }),
        (ka, kb, pairs) => {
          const a = pairs.map(([x]) => x % ka);
          const b = pairs.map(([, y]) => (y % kb) * 10);
          expect(misclusteringRate(a, b)).toBeCloseTo(bruteMisclustering(a, b), 12);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('is invariant to relabeling and symmetric', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { minLength: 2, maxLength: 40 }),
        (pairs) => {
          const a = pairs.map(([x]) => x);
          const b = pairs.map(([, y]) => y);
          const perm = [2, 0, 3, 1];
          const bp = b.map((v) => perm[v]!);
          expect(misclusteringRate(a, bp)).toBeCloseTo(misclusteringRate(a, b), 12);
          expect(misclusteringRate(b, a)).toBeCloseTo(misclusteringRate(a, b), 12);
          expect(adjustedRandIndex(a, bp)).toBeCloseTo(adjustedRandIndex(a, b), 12);
          expect(normalizedMutualInfo(b, a)).toBeCloseTo(normalizedMutualInfo(a, b), 12);
        },
      ),
      { seed: 3, numRuns: 100 },
    );
  });
});

describe('metrics: hostile input', () => {
  const bad: [string, unknown, unknown, string][] = [
    ['length mismatch', [0, 1], [0], 'SHAPE_MISMATCH'],
    ['empty', [], [], 'SHAPE_MISMATCH'],
    ['non-integer', [0, 1.5], [0, 1], 'INVALID_ARGUMENT'],
    ['NaN', [0, Number.NaN], [0, 1], 'INVALID_ARGUMENT'],
    ['not an array', 5, [0], 'INVALID_ARGUMENT'],
  ];
  for (const fn of [
    adjustedRandIndex,
    normalizedMutualInfo,
    misclusteringRate,
    contingencyMatrix,
  ]) {
    for (const [what, a, b, code] of bad) {
      it(`${fn.name} rejects ${what}`, () => {
        expect(() => fn(a as number[], b as number[])).toThrow(expect.objectContaining({ code }));
      });
    }
  }
});
