import { readFileSync } from 'node:fs';
import { Matrix, normFro } from '@lr/core';
import { describe, expect, test } from 'vitest';
import { olora, pissa } from '../../src/methods/index.js';
import { weight } from './helpers.js';

interface Case {
  method: 'pissa' | 'olora';
  name: string;
  rank: number;
  alpha: number;
  A: number[][];
  B: number[][];
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/pissa_olora.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

/** Max over components of the error of (A row, B column) after aligning signs, relative to ‖A‖, ‖B‖. */
function signAlignedError(A: Matrix, B: Matrix, refA: Matrix, refB: Matrix): number {
  let worst = 0;
  for (let i = 0; i < A.rows; i++) {
    let dot = 0;
    for (let j = 0; j < A.cols; j++) dot += A.get(i, j) * refA.get(i, j);
    const sg = dot < 0 ? -1 : 1;
    let ea = 0;
    for (let j = 0; j < A.cols; j++) ea = Math.max(ea, Math.abs(A.get(i, j) - sg * refA.get(i, j)));
    let eb = 0;
    for (let j = 0; j < B.rows; j++) eb = Math.max(eb, Math.abs(B.get(j, i) - sg * refB.get(j, i)));
    worst = Math.max(worst, ea / normFro(refA), eb / normFro(refB));
  }
  return worst;
}

describe('numpy fixtures (fixtures/make_fixtures.py): PEFT formulas in numpy/LAPACK', () => {
  for (const c of fixture.cases) {
    test(`${c.method} ${c.name}: factors equal numpy's up to the sign of each component`, () => {
      const W = weight(c.name);
      const init =
        c.method === 'pissa'
          ? pissa(W, { rank: c.rank, alpha: c.alpha })
          : olora(W, { rank: c.rank, alpha: c.alpha });
      const refA = Matrix.from(c.A);
      const refB = Matrix.from(c.B);
      expect(init.A.shape).toEqual(refA.shape);
      expect(init.B.shape).toEqual(refB.shape);
      expect(signAlignedError(init.A, init.B, refA, refB)).toBeLessThan(1e-10);
    });
  }
});
