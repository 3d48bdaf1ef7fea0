import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Matrix, readCsv, writeCsv } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataPath, expectLrError, expectSameValues, hasData, lrErrorOf, utf8 } from './_helpers.js';

describe('CSV: reading', () => {
  it('reads a header and numbers, detecting the header automatically', () => {
    const d = readCsv('a,b,c\n1,2,3\n-4.5,.5,1e-3\n');
    expect(d.header).toEqual(['a', 'b', 'c']);
    expect([d.rows, d.cols]).toEqual([2, 3]);
    expect(d.matrix).toBeInstanceOf(Matrix);
    expect(d.matrix.toArray()).toEqual([
      [1, 2, 3],
      [-4.5, 0.5, 0.001],
    ]);
    const n = readCsv('1,2\n3,4');
    expect(n.header).toBeNull();
    expect(n.matrix.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('follows RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes; CRLF', () => {
    const d = readCsv('"x, y","say ""hi""","two\r\nlines"\r\n"1",2 , 3\r\n');
    expect(d.header).toEqual(['x, y', 'say "hi"', 'two\r\nlines']);
    expect(d.matrix.toArray()).toEqual([[1, 2, 3]]);
    expect(readCsv('"a"\n" 1 "\n').matrix.toArray()).toEqual([[1]]);
  });

  it('detects ; tab and whitespace delimiters, skips empty lines and a BOM', () => {
    expect(readCsv('1;2;3\n4;5;6\n').matrix.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(readCsv('\ufeffa\tb\n1\t2\n\n\n3\t4\n').matrix.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const w = readCsv('  1   2.5\t3\n\n4 5 6   \n');
    expect(w.matrix.toArray()).toEqual([
      [1, 2.5, 3],
      [4, 5, 6],
    ]);
    expect(readCsv('1.5\n2\n').matrix.toArray()).toEqual([[1.5], [2]]);
    expect(
      readCsv('x,y;3\nz;4\n', { delimiter: ';', columns: [1], header: false }).matrix.toArray(),
    ).toEqual([[3], [4]]);
  });

  it('honours header, skipRows, columns and missing options', () => {
    const text = 'junk line with "unbalanced quote\nname,x,label\nfoo,1,2\nbar,3,4\n';
    const d = readCsv(text, { skipRows: 1, columns: [2, 1] });
    expect(d.header).toEqual(['label', 'x']);
    expect(d.matrix.toArray()).toEqual([
      [2, 1],
      [4, 3],
    ]);
    expect(readCsv('1,2\n3,4\n', { header: true }).header).toEqual(['1', '2']);
    expect(readCsv('1,2\n3,4\n', { header: true }).rows).toBe(1);
    expectLrError(
      () => readCsv('a,b\n1,2\n', { header: false }),
      'FORMAT',
      /line 1, column 1: non-numeric value "a"/,
    );
    const m = readCsv('1,,NaN\nnan,inf,-Infinity\n', { missing: 'nan' });
    expectSameValues(m.matrix.toFloat64Array(), [
      1,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Infinity,
      -Infinity,
    ]);
    expect(readCsv('').matrix.shape).toEqual([0, 0]);
    expect(readCsv('a,b\n').matrix.shape).toEqual([0, 2]);
  });

  it('reads bytes as UTF-8', () => {
    const d = readCsv(utf8('température,δ\n1,2\n'));
    expect(d.header).toEqual(['température', 'δ']);
  });

  it('rejects bad options with InvalidArgumentError', () => {
    expectLrError(() => readCsv('1,2\n', { columns: [2] }), 'INVALID_ARGUMENT', /columns\[0\]/);
    expectLrError(() => readCsv('1,2\n', { columns: [-1] }), 'INVALID_ARGUMENT');
    expectLrError(() => readCsv('1,2\n', { delimiter: '"' }), 'INVALID_ARGUMENT');
    expectLrError(() => readCsv('1,2\n', { delimiter: ',,' }), 'INVALID_ARGUMENT');
    expectLrError(() => readCsv('1,2\n', { skipRows: -1 }), 'INVALID_ARGUMENT');
    expectLrError(() => readCsv('1,2\n', { header: 'yes' as never }), 'INVALID_ARGUMENT');
    expectLrError(() => readCsv('1,2\n', { missing: 'zero' as never }), 'INVALID_ARGUMENT');
    expectLrError(() => readCsv(42 as never), 'INVALID_ARGUMENT');
  });
});

describe('CSV: writing and round trips', () => {
  const value = fc.oneof(
    fc.double(),
    fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 5e-324, 1.7976931348623157e308),
  );

  it('matrices round-trip bit for bit, with headers and any delimiter (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(value, { minLength: 25, maxLength: 25 }),
        fc.constantFrom(',', ';', '\t', '|', ' '),
        fc.option(
          fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { minLength: 5, maxLength: 5 }),
          { nil: undefined },
        ),
        (m, n, vals, delimiter, names) => {
          const A = new Matrix(
            Float64Array.from({ length: m * n }, (_, i) => vals[i]!),
            m,
            n,
          );
          const header = names?.slice(0, n);
          const text = writeCsv(A, { delimiter, header });
          const back = readCsv(text, { delimiter, header: header !== undefined, missing: 'nan' });
          expect(back.header).toEqual(header ?? null);
          expect([back.rows, back.cols]).toEqual([m, m === 0 && !header ? 0 : n]);
          expectSameValues(back.matrix.toFloat64Array(), A.toFloat64Array());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips with the detected delimiter too (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.double({ noNaN: true }), { minLength: 25, maxLength: 25 }),
        fc.constantFrom(',', ';', '\t', ' '),
        (m, n, vals, delimiter) => {
          const A = new Matrix(
            Float64Array.from({ length: m * n }, (_, i) => vals[i]!),
            m,
            n,
          );
          expectSameValues(
            readCsv(writeCsv(A, { delimiter })).matrix.toFloat64Array(),
            A.toFloat64Array(),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rounds to the requested precision and writes views in row order', () => {
    const A = Matrix.from([
      [Math.PI, -1 / 3],
      [1e21, 12345.678],
    ]);
    expect(writeCsv(A, { precision: 3 })).toBe('3.14,-0.333\n1e+21,12300\n');
    expect(writeCsv(A.T, { header: ['p', 'q'] })).toBe(
      `p,q\n${Math.PI},1e+21\n${-1 / 3},12345.678\n`,
    );
    expect(writeCsv(Matrix.from([[1, 2]]), { header: ['a,b', ' c'] })).toBe('"a,b"," c"\n1,2\n');
    expect(writeCsv(new Matrix(new Float64Array(0), 0, 0))).toBe('');
  });

  it('rejects bad write arguments with InvalidArgumentError', () => {
    const A = Matrix.from([[1, 2]]);
    expectLrError(() => writeCsv(A, { header: ['a'] }), 'INVALID_ARGUMENT');
    expectLrError(() => writeCsv(A, { delimiter: '.' }), 'INVALID_ARGUMENT');
    expectLrError(() => writeCsv(A, { delimiter: '"' }), 'INVALID_ARGUMENT');
    expectLrError(() => writeCsv(A, { precision: 0 }), 'INVALID_ARGUMENT');
    expectLrError(() => writeCsv([[1]] as never), 'INVALID_ARGUMENT');
  });
});

const CORRUPT: [string, string, RegExp][] = [
  [
    'a ragged row',
    '1,2,3\n4,5\n',
    /line 2: expected 3 fields like the first row, got 2 \(ragged row\)/,
  ],
  ['a long row', 'a,b\n1,2\n3,4,5\n', /line 3: expected 2 fields/],
  ['a non-numeric cell', '1,2\n3,abc\n', /line 2, column 2: non-numeric value "abc"/],
  ['a hexadecimal cell', '1,2\n1,0x10\n', /line 2, column 2/],
  ['an empty cell', 'a,b\n1,\n', /line 2, column 2: empty cell/],
  ['a NaN cell by default', '1,NaN\n', /line 1, column 2: NaN \(pass missing/],
  ['a row of empty cells', '1,2\n,\n', /line 2, column 1: empty cell/],
  ['an unterminated quote', '1,2\n"3,4\n5,6\n', /line 2: unterminated quoted field/],
  ['text after a closing quote', '"1"x,2\n', /line 1: unexpected "x" after a closing quote/],
  ['a quote inside an unquoted field', '1,2"3\n', /line 1: a quote inside an unquoted field/],
  ['a ragged row after a multi-line header', '"a\nb",c\n1,2\n3\n', /line 4: expected 2 fields/],
  ['numbers with thousands separators', '1;2\n1,000;3\n', /line 2, column 1/],
];

describe('CSV: corrupt input', () => {
  for (const [what, text, pattern] of CORRUPT) {
    it(`rejects ${what} with FORMAT`, () => {
      expectLrError(() => readCsv(text), 'FORMAT', pattern);
    });
  }

  it('rejects invalid UTF-8 bytes', () => {
    expectLrError(() => readCsv(new Uint8Array([0x31, 0x2c, 0xff])), 'FORMAT', /UTF-8/);
  });

  it('random text either parses or throws an LrError (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789.,;\t "\r\naeE-+'), maxLength: 60 }),
        fc.constantFrom(undefined, ',', 'whitespace'),
        (text, delimiter) => {
          const err = lrErrorOf(() => readCsv(text, { delimiter, missing: 'nan' }));
          if (err) expect(err.code).toBe('FORMAT');
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe.skipIf(!hasData('tabular/iris.csv'))(
  'CSV: real data sets (skipped: ../shared/data absent)',
  () => {
    it('reads iris (first line is metadata: skipRows 1)', () => {
      const d = readCsv(readFileSync(dataPath('tabular/iris.csv'), 'utf8'), {
        skipRows: 1,
        header: false,
      });
      expect([d.rows, d.cols]).toEqual([150, 5]);
      expect(d.matrix.rowArray(0)).toEqual(Float64Array.from([5.1, 3.5, 1.4, 0.2, 0]));
      expect(new Set(d.matrix.colArray(4))).toEqual(new Set([0, 1, 2]));
    });

    it('reads breast_cancer (569 × 31) and the whitespace-separated diabetes set (442 × 10)', () => {
      const b = readCsv(readFileSync(dataPath('tabular/breast_cancer.csv')), { skipRows: 1 });
      expect([b.rows, b.cols]).toEqual([569, 31]);
      expect(b.matrix.get(0, 0)).toBe(17.99);
      const dia = readCsv(
        gunzipSync(readFileSync(dataPath('tabular/diabetes_data_raw.csv.gz'))).toString('utf8'),
      );
      expect([dia.rows, dia.cols]).toEqual([442, 10]);
      expect(dia.matrix.rowArray(0)).toEqual(
        Float64Array.from([59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87]),
      );
    });

    it('reads the quoted header of EuStockMarkets', () => {
      const d = readCsv(readFileSync(dataPath('timeseries/EuStockMarkets.csv'), 'utf8'));
      expect(d.header).toEqual(['DAX', 'SMI', 'CAC', 'FTSE']);
      expect([d.rows, d.cols]).toEqual([1860, 4]);
      expect(d.matrix.rowArray(0)).toEqual(Float64Array.from([1628.75, 1678.1, 1772.8, 2443.6]));
    });
  },
);
