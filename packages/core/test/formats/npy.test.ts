import { readFileSync } from 'node:fs';
import { f16ToF32, f32ToF16, Matrix, type NpyDType, readNpy, Tensor, writeNpy } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concat,
  dataPath,
  expectLrError,
  expectSameValues,
  fixture,
  hasData,
  lrErrorOf,
  utf8,
} from './_helpers.js';

interface Case {
  file: string;
  descr: string;
  shape: number[];
  fortran_order: boolean;
  version: number;
  np_save: boolean;
  values: string[];
}

const CASES = JSON.parse(new TextDecoder().decode(fixture('npy/expected.json'))) as Case[];

const DESCR_TO_DTYPE: Record<string, NpyDType> = {
  f8: 'float64',
  f4: 'float32',
  f2: 'float16',
  i1: 'int8',
  u1: 'uint8',
  i2: 'int16',
  u2: 'uint16',
  i4: 'int32',
  u4: 'uint32',
  i8: 'int64',
  u8: 'uint64',
  b1: 'bool',
};

function pyFloat(s: string): number {
  if (s === 'nan') return Number.NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return Number(s);
}

/** A .npy file from a header text (padded as given) and data bytes. */
function npy(header: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const h = utf8(header);
  const lenBytes = version === 1 ? 2 : 4;
  const prefix = new Uint8Array(8 + lenBytes);
  prefix.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const dv = new DataView(prefix.buffer);
  if (version === 1) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  return concat(prefix, h, data);
}

const hdr = (descr: string, shape: string, fortran = 'False') =>
  `{'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;

describe('npy: numpy-written fixtures', () => {
  for (const c of CASES) {
    it(`reads ${c.file} (${c.descr}, shape (${c.shape.join(', ')}), ${c.fortran_order ? 'Fortran' : 'C'} order, v${c.version})`, () => {
      const bytes = fixture(`npy/${c.file}`);
      const a = readNpy(bytes);
      const dtype = DESCR_TO_DTYPE[c.descr.slice(1)]!;
      expect(a.dtype).toBe(dtype);
      expect(a.shape).toEqual(c.shape);
      expect(a.fortranOrder).toBe(c.fortran_order);
      expect(a.tensor.shape).toEqual(c.shape);
      expect(a.tensor.dtype).toBe(
        dtype === 'float32' || dtype === 'float16' ? 'float32' : 'float64',
      );
      expect(a.tensor.isContiguous()).toBe(true);
      if (c.shape.length === 2) expect(a.tensor).toBeInstanceOf(Matrix);
      expectSameValues(a.tensor.toFloat64Array(), c.values.map(pyFloat), c.file);
    });
  }

  it('writes byte-for-byte what numpy writes (every little-endian fixture without 64-bit integers)', () => {
    let compared = 0;
    for (const c of CASES) {
      if (c.descr.startsWith('>') || (c.descr.endsWith('8') && c.descr[1] !== 'f')) continue;
      const bytes = fixture(`npy/${c.file}`);
      const a = readNpy(bytes);
      const out = writeNpy(a.tensor, {
        dtype: a.dtype,
        fortranOrder: a.fortranOrder,
        version: c.version as 1 | 2 | 3,
      });
      expectSameValues(out, bytes, c.file);
      compared++;
    }
    expect(compared).toBeGreaterThan(15);
  });
});

describe('npy: round trips', () => {
  const ranges: Record<NpyDType, [number, number] | null> = {
    float64: null,
    float32: null,
    float16: null,
    int8: [-128, 127],
    uint8: [0, 255],
    int16: [-32768, 32767],
    uint16: [0, 65535],
    int32: [-(2 ** 31), 2 ** 31 - 1],
    uint32: [0, 2 ** 32 - 1],
    int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    uint64: [0, Number.MAX_SAFE_INTEGER],
    bool: [0, 1],
  };
  const dtypes = Object.keys(ranges) as NpyDType[];

  it('writeNpy → readNpy restores dtype, shape, order and values (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...dtypes),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
        fc.boolean(),
        fc.constantFrom<1 | 2 | 3 | undefined>(undefined, 1, 2, 3),
        fc.boolean(),
        fc.array(fc.double(), { minLength: 32, maxLength: 32 }),
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), { minLength: 32, maxLength: 32 }),
        (dtype, shape, fortranOrder, version, transposed, doubles, ints) => {
          const size = shape.reduce((a, b) => a * b, 1);
          const range = ranges[dtype];
          const data = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
          for (let i = 0; i < size; i++) {
            if (range === null) data[i] = doubles[i % 32]!;
            else {
              const [lo, hi] = range;
              const x = ints[i % 32]! * (hi > 2 ** 40 ? 2 ** 21 + 1 : 1);
              data[i] = Math.min(hi, Math.max(lo, lo === 0 ? Math.abs(x) : x));
              if (dtype === 'bool') data[i] = Math.abs(ints[i % 32]!) % 2;
            }
          }
          let t = new Tensor(data, shape);
          if (transposed) t = t.permute(); // a non-contiguous view
          const bytes = writeNpy(t, { dtype, fortranOrder, version });
          const headerEnd = bytes.indexOf(0x0a) + 1;
          expect(headerEnd % 64).toBe(0);
          const back = readNpy(bytes);
          expect(back.dtype).toBe(dtype);
          expect(back.shape).toEqual([...t.shape]);
          expect(back.fortranOrder).toBe(fortranOrder);
          expect(bytes[6]).toBe(version ?? 1);
          const src = t.toFloat64Array();
          const want =
            dtype === 'float32'
              ? src.map(Math.fround)
              : dtype === 'float16'
                ? src.map((x) => f16ToF32(f32ToF16(x)))
                : src;
          expectSameValues(back.tensor.toFloat64Array(), want, dtype);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('switches to version 2 when the header does not fit version 1, as numpy does', () => {
    const t = new Tensor(
      new Float64Array(0),
      Array.from({ length: 25000 }, (_, i) => (i === 0 ? 0 : 1)),
    );
    const bytes = writeNpy(t);
    expect(bytes[6]).toBe(2);
    expect(readNpy(bytes).shape.length).toBe(25000);
    expectLrError(() => writeNpy(t, { version: 1 }), 'INVALID_ARGUMENT', /does not fit version 1/);
  });

  it('rejects values that do not fit the requested dtype', () => {
    const t = (xs: number[]) => new Tensor(Float64Array.from(xs), [xs.length]);
    expectLrError(() => writeNpy(t([1.5]), { dtype: 'int32' }), 'INVALID_ARGUMENT', /element 0/);
    expectLrError(() => writeNpy(t([256]), { dtype: 'uint8' }), 'INVALID_ARGUMENT');
    expectLrError(() => writeNpy(t([-1]), { dtype: 'uint64' }), 'INVALID_ARGUMENT');
    expectLrError(() => writeNpy(t([2 ** 63]), { dtype: 'int64' }), 'INVALID_ARGUMENT');
    expectLrError(() => writeNpy(t([2 ** 64]), { dtype: 'uint64' }), 'INVALID_ARGUMENT');
    expectLrError(() => writeNpy(t([Number.NaN]), { dtype: 'int8' }), 'INVALID_ARGUMENT');
    expectLrError(() => writeNpy(t([2]), { dtype: 'bool' }), 'INVALID_ARGUMENT');
    expectLrError(() => writeNpy(t([1]), { dtype: 'complex128' as NpyDType }), 'INVALID_ARGUMENT');
    expectLrError(() => writeNpy(t([1]), { version: 4 as 1 }), 'INVALID_ARGUMENT');
    expectLrError(
      () => writeNpy(t([1]), { fortranOrder: 'yes' as unknown as boolean }),
      'INVALID_ARGUMENT',
    );
    expectLrError(() => writeNpy([1] as unknown as Tensor), 'INVALID_ARGUMENT');
    const big = writeNpy(t([-(2 ** 63), 2 ** 63 - 2048]), { dtype: 'int64' });
    expectSameValues(readNpy(big).tensor.toFloat64Array(), [-(2 ** 63), 2 ** 63 - 2048]);
  });

  it('accepts hand-written headers numpy also reads: "=" and no byte order, double quotes, L suffixes, no padding', () => {
    const data = new Uint8Array(new Float64Array([1, 2]).buffer);
    expectSameValues(readNpy(npy(hdr("'=f8'", '(2,)'), data)).tensor.toFloat64Array(), [1, 2]);
    expectSameValues(readNpy(npy(hdr("'f8'", '(2,)'), data)).tensor.toFloat64Array(), [1, 2]);
    expectSameValues(
      readNpy(
        npy(`{"descr":"<f8","shape":(2L,),"fortran_order":False}`, data),
      ).tensor.toFloat64Array(),
      [1, 2],
    );
    expectSameValues(
      readNpy(
        npy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,)}", new Uint8Array([0, 1, 5])),
      ).tensor.toFloat64Array(),
      [0, 1, 1],
    );
    expectSameValues(
      readNpy(npy(hdr("'?'", '(1,)'), new Uint8Array([1]))).tensor.toFloat64Array(),
      [1],
    );
    expect(readNpy(npy(hdr("'<f4'", '()'), new Uint8Array(4))).tensor.shape).toEqual([]);
    // A version 3 header may hold UTF-8 (here in a harmless string escape position).
    expect(readNpy(npy(hdr("'<u2'", '(1,)'), new Uint8Array(2), 3)).dtype).toBe('uint16');
  });
});

const F8 = new Uint8Array(new Float64Array([1, 2, 3, 4, 5, 6]).buffer);
const CORRUPT: [string, () => Uint8Array, RegExp?, ('FORMAT' | 'UNSUPPORTED')?][] = [
  ['an empty file', () => new Uint8Array(0), /too short/],
  [
    'a bad magic string',
    () => new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x58, 1, 0]),
    /bad magic string at byte 5/,
  ],
  ['a text file', () => utf8('hello, world'), /bad magic/],
  [
    'version 0.0',
    () => npy(hdr("'<f8'", '(6,)'), F8).map((b, i) => (i === 6 ? 0 : b)),
    /version 0\.0/,
  ],
  [
    'version 4.0',
    () => npy(hdr("'<f8'", '(6,)'), F8).map((b, i) => (i === 6 ? 4 : b)),
    /version 4\.0/,
  ],
  [
    'version 1.1',
    () => npy(hdr("'<f8'", '(6,)'), F8).map((b, i) => (i === 7 ? 1 : b)),
    /version 1\.1/,
  ],
  [
    'a header length beyond the file',
    () => npy(hdr("'<f8'", '(6,)')).map((b, i) => (i === 8 ? 0xff : i === 9 ? 0xff : b)),
    /runs past the end/,
  ],
  [
    'a version-2 header length of 2^32 − 1',
    () => {
      const b = npy(hdr("'<f8'", '(0,)'), undefined, 2);
      b.set([0xff, 0xff, 0xff, 0xff], 8);
      return b;
    },
    /runs past the end/,
  ],
  ['a header that is not a dict', () => npy("['descr', 'shape']\n"), /must be a Python dict/],
  ['a missing key', () => npy("{'descr': '<f8', 'shape': (6,)}\n", F8), /keys must be exactly/],
  [
    'an extra key',
    () => npy("{'descr': '<f8', 'fortran_order': False, 'shape': (6,), 'x': 1}\n", F8),
    /keys must be exactly/,
  ],
  [
    'a duplicate key',
    () => npy("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (6,)}\n", F8),
    /duplicate key 'descr'/,
  ],
  [
    'a misspelt key',
    () => npy("{'desc': '<f8', 'fortran_order': False, 'shape': (6,)}\n", F8),
    /keys must be exactly/,
  ],
  ['an unknown descr', () => npy(hdr("'<f3'", '(6,)'), F8), /unknown dtype/],
  ['a garbage descr', () => npy(hdr("'hello world'", '(6,)'), F8), /malformed 'descr'/],
  ['a numeric descr', () => npy(hdr('8', '(6,)'), F8), /'descr' must be a dtype string/],
  ['a complex descr', () => npy(hdr("'<c16'", '(3,)'), F8), /complex/, 'UNSUPPORTED'],
  ['an object descr', () => npy(hdr("'|O'", '(6,)'), F8), /Python object/, 'UNSUPPORTED'],
  [
    'a unicode descr',
    () => npy(hdr("'<U3'", '(2,)'), new Uint8Array(24)),
    /unicode/,
    'UNSUPPORTED',
  ],
  ['a datetime descr', () => npy(hdr("'<M8[ns]'", '(6,)'), F8), /datetime/, 'UNSUPPORTED'],
  ['a structured descr', () => npy(hdr("[('a', '<f8')]", '(6,)'), F8), /structured/, 'UNSUPPORTED'],
  ['a long double descr', () => npy(hdr("'<f16'", '(3,)'), F8), /long double/, 'UNSUPPORTED'],
  ['fortran_order not a bool', () => npy(hdr("'<f8'", '(6,)', '1'), F8), /fortran_order/],
  ['fortran_order as a string', () => npy(hdr("'<f8'", '(6,)', "'True'"), F8), /fortran_order/],
  ['a list shape', () => npy(hdr("'<f8'", '[6]'), F8), /'shape' must be a tuple/],
  ['a negative dimension', () => npy(hdr("'<f8'", '(2, -3)'), F8), /'shape' must be a tuple/],
  ['a parenthesised, not tuple, shape', () => npy(hdr("'<f8'", '(6)'), F8), /not a tuple/],
  ['a float dimension', () => npy(hdr("'<f8'", '(6.0,)'), F8), /malformed number/],
  ['a string dimension', () => npy(hdr("'<f8'", "('6',)"), F8), /'shape' must be a tuple/],
  [
    'a huge shape (2^40, 2^40)',
    () => npy(hdr("'<f8'", `(${2 ** 40}, ${2 ** 40})`), F8),
    /more elements than/,
  ],
  [
    'a shape of 2^50 bytes',
    () => npy(hdr("'|u1'", `(${2 ** 50},)`), F8),
    /truncated: uint8 \(1125899906842624\) needs 1125899906842624 bytes from byte 83, the file has 48/,
  ],
  ['an enormous integer literal', () => npy(hdr("'<f8'", `(${'9'.repeat(400)},)`), F8), /too long/],
  ['a leading-zero integer', () => npy(hdr("'<f8'", '(06,)'), F8), /leading zero/],
  [
    'an expression instead of a literal',
    () =>
      npy("{'descr': __import__('os').system('x'), 'fortran_order': False, 'shape': (6,)}\n", F8),
    /unexpected character/,
  ],
  ['an arithmetic shape', () => npy(hdr("'<f8'", '(2*3,)'), F8), /malformed number|expected ','/],
  ['deep nesting', () => npy(`{'descr': ${'('.repeat(5000)}`, F8), /nested deeper/],
  [
    'an unterminated string',
    () => npy("{'descr': '<f8, 'fortran_order': False, 'shape': (6,)}\n", F8),
  ],
  [
    'an unterminated dict',
    () => npy("{'descr': '<f8', 'fortran_order': False, 'shape': (6,)", F8),
    /expected ','|end of the literal/,
  ],
  ['text after the dict', () => npy(`${hdr("'<f8'", '(6,)')} x`, F8), /unexpected text after/],
  ['an unsupported escape', () => npy(hdr("'<f\\q8'", '(6,)'), F8), /unsupported escape/],
  [
    'truncated data',
    () => npy(hdr("'<f8'", '(7,)'), F8),
    /truncated: float64 \(7\) needs 56 bytes/,
  ],
  ['trailing data', () => npy(hdr("'<f8'", '(5,)'), F8), /8 unexpected bytes after the data/],
  [
    'invalid UTF-8 in a version 3 header',
    () => npy(hdr("'<f8'", '(6,)'), F8, 3).map((b, i) => (i === 14 ? 0xff : b)),
    /invalid UTF-8/,
  ],
];

describe('npy: corrupt and hostile files', () => {
  for (const [what, make, pattern, code] of CORRUPT) {
    it(`rejects ${what} with ${code ?? 'FORMAT'}`, () => {
      expectLrError(() => readNpy(make()), code ?? 'FORMAT', pattern);
    });
  }

  it('rejects a non-Uint8Array argument', () => {
    expectLrError(() => readNpy('x' as never), 'INVALID_ARGUMENT');
  });

  it('rejects every truncation of a valid file', () => {
    const bytes = writeNpy(new Matrix(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3), {
      dtype: 'float16',
    });
    expect(readNpy(bytes).shape).toEqual([2, 3]);
    for (let k = 0; k < bytes.length; k++)
      expectLrError(() => readNpy(bytes.slice(0, k)), 'FORMAT');
  });

  it('random byte mutations either parse or throw an LrError (fuzz)', () => {
    const bases = [
      fixture('npy/fortran_3d.npy'),
      fixture('npy/f2_be.npy'),
      fixture('npy/v3.npy'),
      npy("{'descr':'<i8','fortran_order':True,'shape':(1,1),}", new Uint8Array(8)),
    ];
    const chars = utf8('{}()[]\',: 0123456789-<>|=fiub?TrueFalsNn\\"\n');
    fc.assert(
      fc.property(
        fc.constantFrom(...bases),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: -9, max: 9 }),
        (base, mutations, resize) => {
          let bytes: Uint8Array = base.slice();
          for (const [i, v, text] of mutations)
            bytes[i % bytes.length] = text ? chars[v % chars.length]! : v;
          if (resize < 0) bytes = bytes.slice(0, bytes.length + resize);
          else if (resize > 0) bytes = concat(bytes, new Uint8Array(resize));
          lrErrorOf(() => readNpy(bytes));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe.skipIf(!hasData('images/ascent.npy'))(
  'npy: real files (skipped: ../shared/data absent)',
  () => {
    it('reads ascent.npy: uint8 512×512, values from numpy', () => {
      const a = readNpy(new Uint8Array(readFileSync(dataPath('images/ascent.npy'))));
      expect(a.dtype).toBe('uint8');
      expect(a.shape).toEqual([512, 512]);
      expect(a.fortranOrder).toBe(false);
      const M = a.tensor as Matrix;
      expect(M).toBeInstanceOf(Matrix);
      // Reference values from numpy: a.sum() = 22932324, a[0, :5] = 83, a[511, -3:] = [57, 57, 58].
      let sum = 0;
      let min = 255;
      let max = 0;
      for (const v of M.data) {
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      expect(sum).toBe(22932324);
      expect([min, max]).toEqual([0, 255]);
      expect([M.get(0, 0), M.get(0, 4), M.get(511, 509), M.get(511, 510), M.get(511, 511)]).toEqual(
        [83, 83, 57, 57, 58],
      );
    });

    it.skipIf(!hasData('timeseries/ecg-mitbih-208.npy'))(
      'reads the ECG series: float32, 108000 samples, values from numpy',
      () => {
        const a = readNpy(new Uint8Array(readFileSync(dataPath('timeseries/ecg-mitbih-208.npy'))));
        expect(a.dtype).toBe('float32');
        expect(a.shape).toEqual([108000]);
        const x = a.tensor.toFloat64Array();
        expect(x[0]).toBe(-0.24500000476837158);
        expect(x[107999]).toBe(-0.38499999046325684);
        let s = 0;
        for (const v of x) s += v;
        expect(s).toBeCloseTo(-17831.744978905655, 6);
      },
    );
  },
);
