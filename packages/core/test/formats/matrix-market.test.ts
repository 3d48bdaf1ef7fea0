import { CooMatrix, Matrix, readMatrixMarket, writeMatrixMarket } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectLrError, expectSameValues, lrErrorOf, utf8 } from './_helpers.js';

const MM = '%%MatrixMarket matrix';

describe('MatrixMarket: reading', () => {
  it('reads a coordinate real general matrix (comments, blank lines, CRLF, Fortran exponents)', () => {
    const text = `${MM} coordinate real general\r\n% a comment\r\n%\r\n\r\n3 4 4\r\n1 1 1.5\r\n3 4 -2e3\r\n\r\n2 2 .25D1\r\n1 1 1\r\n`;
    const d = readMatrixMarket(text);
    expect([d.format, d.field, d.symmetry, d.rows, d.cols, d.nnz]).toEqual([
      'coordinate',
      'real',
      'general',
      3,
      4,
      4,
    ]);
    expect(d.dense).toBeUndefined();
    const coo = d.coo!;
    expect(coo).toBeInstanceOf(CooMatrix);
    expectSameValues(coo.row, [0, 2, 1, 0]);
    expectSameValues(coo.col, [0, 3, 1, 0]);
    expectSameValues(coo.values, [1.5, -2000, 2.5, 1]);
    expect(coo.toDense().toArray()).toEqual([
      [2.5, 0, 0, 0],
      [0, 2.5, 0, 0],
      [0, 0, 0, -2000],
    ]);
  });

  it('reads bytes, a case-insensitive banner, integer and pattern fields, and "double" as real', () => {
    expectSameValues(
      readMatrixMarket(utf8('%%matrixmarket MATRIX Coordinate Integer General\n2 2 1\n2 1 -7\n'))
        .coo!.values,
      [-7],
    );
    const p = readMatrixMarket(`${MM} coordinate pattern general\n2 3 2\n1 3\n2 1\n`);
    expect(p.field).toBe('pattern');
    expect(p.coo!.toDense().toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const d = readMatrixMarket(`${MM} coordinate double general\n1 1 1\n1 1 nan\n`);
    expect(d.field).toBe('double');
    expect(Number.isNaN(d.coo!.values[0])).toBe(true);
    expectSameValues(
      readMatrixMarket(
        `${MM} array real general\n3 1\ninf\n-Infinity\n-0\n`,
      ).dense!.toFloat64Array(),
      [Infinity, -Infinity, -0],
    );
  });

  it('expands symmetric and skew-symmetric coordinate storage to both triangles', () => {
    const s = readMatrixMarket(`${MM} coordinate real symmetric\n3 3 3\n1 1 4\n3 1 2\n3 2 -1\n`);
    expect(s.nnz).toBe(3);
    expect(s.coo!.nnz).toBe(5);
    expect(s.coo!.toDense().toArray()).toEqual([
      [4, 0, 2],
      [0, 0, -1],
      [2, -1, 0],
    ]);
    const k = readMatrixMarket(`${MM} coordinate integer skew-symmetric\n3 3 2\n2 1 5\n3 2 -1\n`);
    expect(k.coo!.toDense().toArray()).toEqual([
      [0, -5, 0],
      [5, 0, 1],
      [0, -1, 0],
    ]);
    const p = readMatrixMarket(`${MM} coordinate pattern symmetric\n2 2 1\n2 1\n`);
    expect(p.coo!.toDense().toArray()).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('reads array format in column-major order, general, symmetric and skew-symmetric', () => {
    const g = readMatrixMarket(`${MM} array real general\n% c\n2 3\n1\n2\n3\n4\n5\n6\n`);
    expect(g.nnz).toBe(6);
    expect(g.dense).toBeInstanceOf(Matrix);
    expect(g.dense!.toArray()).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    const s = readMatrixMarket(`${MM} array real symmetric\n3 3\n1\n2\n3\n4\n5\n6\n`);
    expect(s.nnz).toBe(6);
    expect(s.dense!.toArray()).toEqual([
      [1, 2, 3],
      [2, 4, 5],
      [3, 5, 6],
    ]);
    const k = readMatrixMarket(`${MM} array real skew-symmetric\n3 3\n1\n2\n3\n`);
    expect(k.dense!.toArray()).toEqual([
      [0, -1, -2],
      [1, 0, -3],
      [2, 3, 0],
    ]);
    expect(readMatrixMarket(`${MM} array real general\n0 0\n`).dense!.shape).toEqual([0, 0]);
  });
});

describe('MatrixMarket: writing and round trips', () => {
  const value = fc.oneof(
    fc.double(),
    fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 1e-310, 1e300),
  );

  it('dense matrices round-trip bit for bit through array format (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(value, { minLength: 25, maxLength: 25 }),
        fc.boolean(),
        (m, n, vals, transposed) => {
          let A = new Matrix(
            Float64Array.from({ length: m * n }, (_, i) => vals[i]!),
            m,
            n,
          );
          if (transposed) A = A.T;
          const back = readMatrixMarket(writeMatrixMarket(A, { comment: 'made by\nthe test' }));
          expect([back.format, back.rows, back.cols]).toEqual(['array', A.rows, A.cols]);
          expectSameValues(back.dense!.toFloat64Array(), A.toFloat64Array());
        },
      ),
    );
  });

  it('sparse matrices round-trip entry for entry through coordinate format (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), value), { maxLength: 12 }),
        (m, n, entries) => {
          const A = new CooMatrix(
            m,
            n,
            entries.map((e) => e[0] % m),
            entries.map((e) => e[1] % n),
            entries.map((e) => e[2]),
          );
          const back = readMatrixMarket(writeMatrixMarket(A)).coo!;
          expect([back.rows, back.cols]).toEqual([m, n]);
          expectSameValues(back.row, A.row);
          expectSameValues(back.col, A.col);
          expectSameValues(back.values, A.values);
        },
      ),
    );
  });

  it('symmetric matrices are written as one triangle and read back whole (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 25, maxLength: 25 }),
        (n, vals) => {
          const A = new Matrix(new Float64Array(n * n), n, n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j <= i; j++) {
              A.set(i, j, vals[i * 5 + j]!);
              A.set(j, i, vals[i * 5 + j]!);
            }
          const text = writeMatrixMarket(A, { symmetry: 'symmetric', field: 'integer' });
          expect(text.trimEnd().split('\n').length).toBe(2 + (n * (n + 1)) / 2);
          const back = readMatrixMarket(text);
          expect([back.field, back.symmetry]).toEqual(['integer', 'symmetric']);
          expectSameValues(back.dense!.toFloat64Array(), A.toFloat64Array());
          const coo = CooMatrix.fromDense(A);
          const fromCoo = readMatrixMarket(writeMatrixMarket(coo, { symmetry: 'symmetric' }));
          expectSameValues(fromCoo.coo!.toDense().toFloat64Array(), A.toFloat64Array());
        },
      ),
    );
  });

  it('writes the documented text', () => {
    expect(
      writeMatrixMarket(
        Matrix.from([
          [1, 2],
          [2, 3],
        ]),
        { symmetry: 'symmetric' },
      ),
    ).toBe('%%MatrixMarket matrix array real symmetric\n2 2\n1\n2\n3\n');
    const A = new CooMatrix(2, 3, [1, 0], [2, 0], [0.1, -0]);
    expect(writeMatrixMarket(A, { comment: 'hi' })).toBe(
      '%%MatrixMarket matrix coordinate real general\n%hi\n2 3 2\n2 3 0.1\n1 1 -0\n',
    );
    expect(writeMatrixMarket(new CooMatrix(2, 2, [0], [0], [2 ** 60]), { field: 'integer' })).toBe(
      '%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1152921504606846976\n',
    );
  });

  it('rejects bad write arguments with InvalidArgumentError', () => {
    expectLrError(
      () =>
        writeMatrixMarket(
          Matrix.from([
            [1, 2],
            [3, 4],
          ]),
          { symmetry: 'symmetric' },
        ),
      'INVALID_ARGUMENT',
      /not symmetric/,
    );
    expectLrError(
      () => writeMatrixMarket(Matrix.from([[1, 2]]), { symmetry: 'symmetric' }),
      'INVALID_ARGUMENT',
      /square/,
    );
    expectLrError(
      () => writeMatrixMarket(new CooMatrix(2, 2, [1], [0], [1]), { symmetry: 'symmetric' }),
      'INVALID_ARGUMENT',
      /not symmetric/,
    );
    expectLrError(
      () => writeMatrixMarket(Matrix.from([[1.5]]), { field: 'integer' }),
      'INVALID_ARGUMENT',
      /not an integer/,
    );
    expectLrError(
      () => writeMatrixMarket(Matrix.from([[1]]), { field: 'complex' as 'real' }),
      'INVALID_ARGUMENT',
    );
    expectLrError(() => writeMatrixMarket([[1]] as unknown as Matrix), 'INVALID_ARGUMENT');
  });
});

const CORRUPT: [string, string | Uint8Array, RegExp?, ('FORMAT' | 'UNSUPPORTED')?][] = [
  ['an empty input', '', /line 1: expected the banner/],
  ['a missing banner', '2 2 1\n1 1 1\n', /line 1: expected the banner/],
  ['a misspelt banner', '%%MatrixMarkt matrix coordinate real general\n1 1 0\n', /line 1/],
  [
    'a banner with too few qualifiers',
    `${MM} coordinate real\n1 1 0\n`,
    /line 1: the banner needs 4 qualifiers/,
  ],
  ['an unknown object', '%%MatrixMarket tensor coordinate real general\n1 1 0\n', /unknown object/],
  ['an unknown format', `${MM} sparse real general\n1 1 0\n`, /unknown format/],
  ['an unknown field', `${MM} coordinate quaternion general\n1 1 0\n`, /unknown field/],
  ['an unknown symmetry', `${MM} coordinate real diagonal\n1 1 0\n`, /unknown symmetry/],
  [
    'a complex matrix',
    `${MM} coordinate complex general\n1 1 1\n1 1 1 2\n`,
    /complex/,
    'UNSUPPORTED',
  ],
  ['a hermitian matrix', `${MM} coordinate real hermitian\n1 1 0\n`, /hermitian/, 'UNSUPPORTED'],
  ['a pattern array', `${MM} array pattern general\n1 1\n`, /pattern/],
  [
    'a missing size line',
    `${MM} coordinate real general\n% only comments\n`,
    /line 3: the file ends before the size line/,
  ],
  [
    'a size line with two numbers for coordinate',
    `${MM} coordinate real general\n2 2\n`,
    /line 2: expected the size line/,
  ],
  ['a non-numeric size line', `${MM} coordinate real general\n2 x 1\n1 1 1\n`, /line 2/],
  ['a negative size', `${MM} array real general\n-2 2\n`, /line 2/],
  ['a fractional size', `${MM} array real general\n2.5 2\n`, /line 2/],
  [
    'a non-square symmetric matrix',
    `${MM} coordinate real symmetric\n2 3 0\n`,
    /line 2: a symmetric matrix must be square/,
  ],
  [
    'too few entries',
    `${MM} coordinate real general\n% c\n2 2 3\n1 1 1.000000\n2 2 2.000000\n`,
    /line 5: the file ends after 2 of the 3 entries declared on line 3/,
  ],
  [
    'too many entries',
    `${MM} coordinate real general\n2 2 1\n1 1 1\n2 2 2\n`,
    /line 4: more entries than the 1 declared on line 2/,
  ],
  [
    'too few array values',
    `${MM} array real general\n2 2\n1.0000\n2.0000\n3.0000\n`,
    /the file ends after 3 of the 4 values/,
  ],
  ['too many array values', `${MM} array real general\n1 2\n1\n2\n3\n`, /line 5: more entries/],
  [
    'two values on an array line',
    `${MM} array real general\n1 2\n1 2\n`,
    /line 3: expected one value per line/,
  ],
  [
    'a zero row index',
    `${MM} coordinate real general\n2 2 1\n0 1 1\n`,
    /line 3: row index 0 is out of range 1…2/,
  ],
  [
    'a row index past the end',
    `${MM} coordinate real general\n2 2 1\n3 1 1\n`,
    /line 3: row index 3 is out of range/,
  ],
  [
    'a column index past the end',
    `${MM} coordinate real general\n2 2 1\n1 9 1\n`,
    /line 3: column index 9/,
  ],
  [
    'a negative index',
    `${MM} coordinate real general\n2 2 1\n-1 1 1\n`,
    /line 3: expected a row index/,
  ],
  ['a fractional index', `${MM} coordinate real general\n2 2 1\n1.0 1 1\n`, /line 3/],
  [
    'a non-numeric value',
    `${MM} coordinate real general\n2 2 1\n1 1 abc\n`,
    /line 3: expected a real value, got "abc"/,
  ],
  ['a hexadecimal value', `${MM} coordinate real general\n2 2 1\n1 1 0x10\n`, /line 3/],
  [
    'a real in an integer file',
    `${MM} coordinate integer general\n2 2 1\n1 1 1.5\n`,
    /line 3: expected an integer value/,
  ],
  [
    'a missing value',
    `${MM} coordinate real general\n2 2 1\n1     1\n`,
    /line 3: expected 3 fields/,
  ],
  [
    'an extra field',
    `${MM} coordinate real general\n2 2 1\n1 1 1 1\n`,
    /line 3: expected 3 fields/,
  ],
  [
    'a value in a pattern file',
    `${MM} coordinate pattern general\n2 2 1\n1 1 1\n`,
    /line 3: expected 2 fields/,
  ],
  [
    'a nonzero skew-symmetric diagonal',
    `${MM} coordinate real skew-symmetric\n2 2 1\n1 1 3\n`,
    /line 3: a skew-symmetric matrix has a zero diagonal/,
  ],
  [
    'a huge declared entry count',
    `${MM} coordinate real general\n10 10 1000000000000000\n1 1 1\n`,
    /declares 1000000000000000 entries, more than/,
  ],
  [
    'a huge array',
    `${MM} array real general\n10000000 10000000\n1\n`,
    /declares 100000000000000 values, more than the remaining 2 characters/,
  ],
  [
    'an array whose size overflows',
    `${MM} array real general\n${2 ** 40} ${2 ** 40}\n1\n`,
    /too many/,
  ],
  [
    'dimensions beyond the sparse index range',
    `${MM} coordinate real general\n${2 ** 40} 2 0\n`,
    /2\^31/,
    'UNSUPPORTED',
  ],
  ['invalid UTF-8', new Uint8Array([0x25, 0x25, 0xff]), /UTF-8/],
];

describe('MatrixMarket: corrupt and hostile files', () => {
  for (const [what, input, pattern, code] of CORRUPT) {
    it(`rejects ${what} with ${code ?? 'FORMAT'}`, () => {
      expectLrError(() => readMatrixMarket(input), code ?? 'FORMAT', pattern);
    });
  }

  it('rejects a non-text argument', () => {
    expectLrError(() => readMatrixMarket(5 as never), 'INVALID_ARGUMENT');
  });

  it('every truncation of a valid file parses or throws FORMAT, never anything else', () => {
    const text = `${MM} coordinate real symmetric\n% c\n4 4 3\n1 1 1.5\n3 1 -2\n4 4 1e-3\n`;
    const full = readMatrixMarket(text);
    expect(full.coo!.nnz).toBe(4);
    for (let k = 0; k < text.length; k++) {
      const err = lrErrorOf(() => readMatrixMarket(text.slice(0, k)));
      if (err) expect(err.code).toBe('FORMAT');
    }
  });

  it('random edits either parse or throw an LrError (fuzz)', () => {
    const base = `${MM} coordinate real general\n% c\n3 3 3\n1 1 1.5\n3 2 -2e-3\n2 3 7\n`;
    const chars = '0123456789 .-+eE%\n\rx';
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.constantFrom(...chars), fc.boolean()), {
          minLength: 1,
          maxLength: 5,
        }),
        (edits) => {
          const t = [...base];
          for (const [i, c, insert] of edits) {
            if (insert) t.splice(i, 0, c);
            else t[i] = c;
          }
          lrErrorOf(() => readMatrixMarket(t.join('')));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
