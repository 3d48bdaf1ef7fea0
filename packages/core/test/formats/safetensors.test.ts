import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import {
  bf16ToF32,
  decodeSafetensor,
  f16ToF32,
  f32ToBf16,
  f32ToF16,
  Matrix,
  parseSafetensorsHeader,
  readSafetensors,
  SAFETENSORS_ITEMSIZE,
  type SafetensorsDType,
  type SafetensorsRawTensor,
  safetensorsHeaderLength,
  Tensor,
  writeSafetensors,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concat,
  dataPath,
  expectLrError,
  expectSameValues,
  hasData,
  lrErrorOf,
  utf8,
} from './_helpers.js';

const DTYPES = Object.keys(SAFETENSORS_ITEMSIZE) as SafetensorsDType[];

/** A file from a header text and data bytes; `n` overrides the declared header length. */
function file(header: string, data: Uint8Array = new Uint8Array(0), n?: bigint): Uint8Array {
  const h = utf8(header);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, n ?? BigInt(h.length), true);
  return concat(prefix, h, data);
}

/** A small valid file: a 2×2 F32 "w", a 3-element I16 "b", a scalar BF16 "s". */
function smallFile(): Uint8Array {
  return writeSafetensors(
    {
      w: new Matrix(new Float32Array([1, -2, 3.5, Number.NaN]), 2, 2),
      b: { dtype: 'I16', shape: [3], data: new Uint8Array([1, 0, 0xff, 0xff, 0, 0x80]) },
      s: new Tensor(new Float64Array([0.15625]), []),
    },
    { metadata: { format: 'pt' }, dtype: { s: 'BF16' } },
  );
}

function decodeAll(bytes: Uint8Array): void {
  const f = readSafetensors(bytes);
  for (const t of f.tensors) decodeSafetensor(t);
}

describe('safetensors: writing and reading back', () => {
  it('round-trips a small file and lays it out as the reference writer does', () => {
    const bytes = smallFile();
    const n = safetensorsHeaderLength(bytes);
    expect(n % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(header.trimEnd()).toBe(
      '{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},' +
        '"b":{"dtype":"I16","shape":[3],"data_offsets":[16,22]},"s":{"dtype":"BF16","shape":[],"data_offsets":[22,24]}}',
    );
    expect(/^ *$/.test(header.slice(header.trimEnd().length))).toBe(true);
    const f = readSafetensors(bytes);
    expect(f.metadata).toEqual({ format: 'pt' });
    expect(f.tensors.map((t) => t.name)).toEqual(['w', 'b', 's']);
    const w = decodeSafetensor(f.get('w')!);
    expect(w).toBeInstanceOf(Matrix);
    expect(w.dtype).toBe('float32');
    expectSameValues(w.toFloat64Array(), [1, -2, 3.5, Number.NaN]);
    const b = decodeSafetensor(f.get('b')!);
    expect(b.dtype).toBe('float64');
    expectSameValues(b.toFloat64Array(), [1, -1, -32768]);
    const s = decodeSafetensor(f.get('s')!);
    expect(s.shape).toEqual([]);
    expect(s.at()).toBe(0.15625);
    expect(f.get('nope')).toBeUndefined();
  });

  it('sorts by descending alignment then by UTF-8 name, and accepts [name, tensor] pairs', () => {
    const bytes = writeSafetensors([
      ['z8', { dtype: 'U8', shape: [1], data: new Uint8Array([7]) }],
      ['b64', new Tensor(new Float64Array([1]), [1])],
      ['\u{10000}', new Tensor(new Float32Array([2]), [1])],
      ['\uffff', new Tensor(new Float32Array([3]), [1])],
      ['a64', new Tensor(new Float64Array([4]), [1])],
    ]);
    const f = readSafetensors(bytes);
    const byOffset = [...f.tensors]
      .sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0])
      .map((t) => t.name);
    // U+FFFF is EF BF BF in UTF-8, U+10000 is F0 90 80 80: byte order puts U+FFFF first
    // although its UTF-16 code unit is larger than the surrogate's.
    expect(byOffset).toEqual(['a64', 'b64', '\uffff', '\u{10000}', 'z8']);
    for (const t of f.tensors) expect(t.dataOffsets[0] % SAFETENSORS_ITEMSIZE[t.dtype]).toBe(0);
  });

  it('round-trips random tensors in F32/F64/F16/BF16 (property: names, shapes, values incl. NaN, ±inf, -0)', () => {
    const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 });
    const tensorArb = fc.record({
      shape: shapeArb,
      f32: fc.boolean(),
      store: fc.constantFrom<SafetensorsDType | undefined>(undefined, 'F32', 'F64', 'F16', 'BF16'),
      seed: fc.array(fc.double(), { minLength: 64, maxLength: 64 }),
    });
    const nameArb = fc
      .string({ unit: 'grapheme', maxLength: 8 })
      .filter((s) => s !== '__metadata__');
    fc.assert(
      fc.property(
        fc.dictionary(nameArb, tensorArb, { maxKeys: 5 }),
        fc.option(fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), { nil: undefined }),
        (spec, metadata) => {
          const tensors: Record<string, Tensor> = {};
          const dtypes: Record<string, SafetensorsDType> = {};
          for (const [name, s] of Object.entries(spec)) {
            const size = s.shape.reduce((a, b) => a * b, 1);
            const data = s.f32 ? new Float32Array(size) : new Float64Array(size);
            for (let i = 0; i < size; i++) data[i] = s.seed[i % 64]!;
            tensors[name] =
              s.shape.length === 2
                ? new Matrix(data, s.shape[0]!, s.shape[1]!)
                : new Tensor(data, s.shape);
            if (s.store) dtypes[name] = s.store;
          }
          const bytes = writeSafetensors(tensors, { dtype: dtypes, metadata });
          const f = readSafetensors(bytes);
          expect(f.metadata).toEqual(metadata ?? {});
          expect(new Set(f.tensors.map((t) => t.name))).toEqual(new Set(Object.keys(tensors)));
          for (const [name, t] of Object.entries(tensors)) {
            const e = f.get(name)!;
            const store = dtypes[name] ?? (t.dtype === 'float32' ? 'F32' : 'F64');
            expect(e.dtype).toBe(store);
            expect(e.shape).toEqual([...t.shape]);
            const got = decodeSafetensor(e, { dtype: 'float64' }).toFloat64Array();
            const src = t.toFloat64Array();
            const want = src.map((x) =>
              store === 'F64'
                ? x
                : store === 'F32'
                  ? Math.fround(x)
                  : store === 'F16'
                    ? f16ToF32(f32ToF16(x))
                    : bf16ToF32(f32ToBf16(x)),
            );
            expectSameValues(
              got.map((x) => (Number.isNaN(x) ? Number.NaN : x)),
              want,
              name,
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('writes raw tensors of every dtype byte for byte', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DTYPES),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
        fc.uint8Array({ minLength: 512, maxLength: 512 }),
        (dtype, shape, pool) => {
          const n = shape.reduce((a, b) => a * b, 1) * SAFETENSORS_ITEMSIZE[dtype];
          const raw: SafetensorsRawTensor = { dtype, shape, data: pool.slice(0, n) };
          const f = readSafetensors(writeSafetensors({ t: raw }));
          expect(f.tensors[0]!.dtype).toBe(dtype);
          expect(f.tensors[0]!.shape).toEqual(shape);
          expectSameValues(f.tensors[0]!.bytes, raw.data);
          decodeSafetensor(f.tensors[0]!);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps metadata keys such as __proto__ as plain data', () => {
    const bytes = file('{"__metadata__":{"__proto__":"x","constructor":"y"}}');
    const f = readSafetensors(bytes);
    expect(Object.keys(f.metadata)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(f.metadata)).toBe(Object.prototype);
    expect(f.metadata.constructor).toBe('y');
  });

  it('rejects bad write arguments with InvalidArgumentError', () => {
    const t = new Tensor(new Float32Array(2), [2]);
    expectLrError(() => writeSafetensors({ __metadata__: t }), 'INVALID_ARGUMENT');
    expectLrError(
      () =>
        writeSafetensors([
          ['a', t],
          ['a', t],
        ]),
      'INVALID_ARGUMENT',
      /duplicate/,
    );
    expectLrError(() => writeSafetensors({ a: t }, { dtype: 'I32' }), 'INVALID_ARGUMENT');
    expectLrError(
      () => writeSafetensors({ a: t }, { dtype: { b: 'F16' } }),
      'INVALID_ARGUMENT',
      /no tensor/,
    );
    expectLrError(
      () => writeSafetensors({ a: t }, { metadata: { k: 1 as unknown as string } }),
      'INVALID_ARGUMENT',
    );
    expectLrError(
      () => writeSafetensors({ a: { dtype: 'F32', shape: [3], data: new Uint8Array(8) } }),
      'INVALID_ARGUMENT',
    );
    expectLrError(
      () =>
        writeSafetensors({
          a: { dtype: 'X' as SafetensorsDType, shape: [], data: new Uint8Array(1) },
        }),
      'INVALID_ARGUMENT',
    );
    expectLrError(() => writeSafetensors(null as never), 'INVALID_ARGUMENT');
    expectLrError(() => writeSafetensors({ a: [1, 2] as never }), 'INVALID_ARGUMENT');
  });
});

describe('safetensors: decoding every dtype', () => {
  /** Little-endian bytes of `values` stored as `dtype` (F16/BF16/F8 given as bit patterns). */
  const le = (dtype: SafetensorsDType, values: (number | bigint)[]) => {
    const size = SAFETENSORS_ITEMSIZE[dtype];
    const data = new Uint8Array(values.length * size);
    const d = new DataView(data.buffer);
    values.forEach((v, i) => {
      const o = i * size;
      if (typeof v === 'bigint') {
        if (dtype === 'U64') d.setBigUint64(o, v, true);
        else d.setBigInt64(o, v, true);
      } else if (dtype === 'F32') d.setFloat32(o, v, true);
      else if (dtype === 'F64') d.setFloat64(o, v, true);
      else if (dtype === 'I8') d.setInt8(o, v);
      else if (size === 1) d.setUint8(o, v);
      else if (dtype === 'I16') d.setInt16(o, v, true);
      else if (size === 2) d.setUint16(o, v, true);
      else if (dtype === 'I32') d.setInt32(o, v, true);
      else d.setUint32(o, v, true);
    });
    return readSafetensors(writeSafetensors({ t: { dtype, shape: [values.length], data } })).get(
      't',
    )!;
  };
  const cases: [SafetensorsDType, (number | bigint)[], number[], 'float32' | 'float64'][] = [
    ['BOOL', [0, 1, 2], [0, 1, 1], 'float64'],
    ['U8', [0, 255, 7], [0, 255, 7], 'float64'],
    ['I8', [-128, 127, -1], [-128, 127, -1], 'float64'],
    ['U16', [0, 65535, 258], [0, 65535, 258], 'float64'],
    ['I16', [-32768, 32767, -2], [-32768, 32767, -2], 'float64'],
    ['U32', [0, 2 ** 32 - 1, 65536], [0, 2 ** 32 - 1, 65536], 'float64'],
    ['I32', [-(2 ** 31), 2 ** 31 - 1, -5], [-(2 ** 31), 2 ** 31 - 1, -5], 'float64'],
    ['U64', [2n ** 64n - 1n, 2n ** 53n + 1n, 3n], [2 ** 64, 2 ** 53, 3], 'float64'],
    ['I64', [-(2n ** 63n), 2n ** 53n + 3n, -7n], [-(2 ** 63), 2 ** 53 + 4, -7], 'float64'],
    ['F16', [0x3c00, 0xfc00, 0x0001], [1, -Infinity, 2 ** -24], 'float32'],
    ['BF16', [0x3f80, 0x8000, 0x7f80], [1, -0, Infinity], 'float32'],
    ['F32', [1.5, -0, Number.NaN], [1.5, -0, Number.NaN], 'float32'],
    ['F64', [0.1, -1e300, Infinity], [0.1, -1e300, Infinity], 'float64'],
    ['F8_E4M3', [0x38, 0xfe, 0x7f], [1, -448, Number.NaN], 'float32'],
    ['F8_E5M2', [0x3c, 0xfc, 0x7d], [1, -Infinity, Number.NaN], 'float32'],
  ];
  for (const [dtype, stored, want, defaultDtype] of cases) {
    it(`${dtype} → ${defaultDtype} by default, either float dtype on request`, () => {
      const e = le(dtype, stored);
      const t = decodeSafetensor(e);
      expect(t.dtype).toBe(defaultDtype);
      expectSameValues(t.toFloat64Array(), want);
      const other = defaultDtype === 'float32' ? 'float64' : 'float32';
      const u = decodeSafetensor(e, { dtype: other });
      expect(u.dtype).toBe(other);
      expectSameValues(u.toFloat64Array(), want.map(Math.fround));
    });
  }

  it('decodes unaligned data by copying, and never shares storage with the file', () => {
    const inner = writeSafetensors(
      {
        w: new Matrix(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3),
        h: new Tensor(new Float32Array([0.5, -0.25]), [2]),
      },
      { dtype: { h: 'F16' } },
    );
    const big = new Uint8Array(inner.length + 3);
    big.set(inner, 3);
    const bytes = big.subarray(3);
    const f = readSafetensors(bytes);
    expect(f.get('w')!.bytes.byteOffset % 4).not.toBe(0);
    const w = decodeSafetensor(f.get('w')!) as Matrix;
    expect(w.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expectSameValues(decodeSafetensor(f.get('h')!).toFloat64Array(), [0.5, -0.25]);
    w.set(0, 0, 99);
    expect(decodeSafetensor(f.get('w')!).at(0, 0)).toBe(1);
    expect(f.get('w')!.bytes.buffer).toBe(big.buffer); // the entry itself is zero-copy
  });

  it('writes strided views in C order', () => {
    const A = new Matrix(new Float64Array([1, 2, 3, 4, 5, 6]), 2, 3).T;
    const back = decodeSafetensor(readSafetensors(writeSafetensors({ a: A })).get('a')!) as Matrix;
    expect(back.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  it('rejects malformed entries with InvalidArgumentError', () => {
    expectLrError(
      () => decodeSafetensor({ dtype: 'F32', shape: [2], bytes: new Uint8Array(7) }),
      'INVALID_ARGUMENT',
    );
    expectLrError(
      () =>
        decodeSafetensor({ dtype: 'F99' as SafetensorsDType, shape: [], bytes: new Uint8Array(4) }),
      'INVALID_ARGUMENT',
    );
    expectLrError(
      () => decodeSafetensor({ dtype: 'F32', shape: [2 ** 40, 2 ** 40], bytes: new Uint8Array(4) }),
      'INVALID_ARGUMENT',
    );
    expectLrError(
      () =>
        decodeSafetensor(
          { dtype: 'F32', shape: [1], bytes: new Uint8Array(4) },
          { dtype: 'int8' as never },
        ),
      'INVALID_ARGUMENT',
    );
    expectLrError(() => decodeSafetensor(null as never), 'INVALID_ARGUMENT');
  });
});

describe('safetensors: header-only parsing', () => {
  it('parses from the first 8 + N bytes and the total length', () => {
    const bytes = smallFile();
    const n = safetensorsHeaderLength(bytes.subarray(0, 8), bytes.length);
    const h = parseSafetensorsHeader(bytes.subarray(0, 8 + n), bytes.length);
    expect(h.headerLength).toBe(n);
    expect(h.tensors.map((t) => [t.name, t.dtype, t.shape, t.dataOffsets])).toEqual([
      ['w', 'F32', [2, 2], [0, 16]],
      ['b', 'I16', [3], [16, 22]],
      ['s', 'BF16', [], [22, 24]],
    ]);
    expectLrError(
      () => parseSafetensorsHeader(bytes.subarray(0, 8 + n - 1), bytes.length),
      'INVALID_ARGUMENT',
    );
    expectLrError(() => parseSafetensorsHeader(bytes, bytes.length - 1), 'INVALID_ARGUMENT');
    expectLrError(
      () => parseSafetensorsHeader(bytes.subarray(0, 8 + n), bytes.length + 1),
      'FORMAT',
      /1 unexpected bytes/,
    );
    expectLrError(
      () => parseSafetensorsHeader(bytes.subarray(0, 8 + n), 8 + n + 23),
      'FORMAT',
      /truncated/,
    );
    expectLrError(() => safetensorsHeaderLength(bytes.subarray(0, 4), 100), 'INVALID_ARGUMENT');
    expectLrError(() => parseSafetensorsHeader('x' as never), 'INVALID_ARGUMENT');
  });

  it('keeps tensor order of the header text, numeric-looking names included', () => {
    const data = new Uint8Array(3);
    const bytes = file(
      '{"b":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"1":{"dtype":"U8","shape":[1],"data_offsets":[1,2]},"0":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}}',
      data,
    );
    expect(readSafetensors(bytes).tensors.map((t) => t.name)).toEqual(['b', '1', '0']);
  });

  it('accepts zero-size tensors anywhere in the tiling and an empty header', () => {
    const bytes = file(
      '{"e":{"dtype":"F32","shape":[0,5],"data_offsets":[4,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"z":{"dtype":"F64","shape":[0],"data_offsets":[0,0]}}',
      new Uint8Array(4),
    );
    const f = readSafetensors(bytes);
    expect(decodeSafetensor(f.get('e')!).shape).toEqual([0, 5]);
    expect(readSafetensors(file('{}')).tensors).toEqual([]);
    expect(readSafetensors(file('{}      ')).tensors).toEqual([]);
  });
});

// Every one of these is a corrupt or hostile file: it must give FormatError, nothing else.
const T = (dtype: string, shape: unknown, offsets: unknown) =>
  `{"dtype":${JSON.stringify(dtype)},"shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(offsets)}}`;
const CORRUPT: [string, () => Uint8Array, RegExp?][] = [
  ['an empty file', () => new Uint8Array(0), /shorter than the 8-byte/],
  ['7 bytes', () => new Uint8Array(7)],
  ['header length 2^53', () => file('{}', undefined, 2n ** 53n), /exceeds/],
  ['header length 2^64 − 1', () => file('{}', undefined, 2n ** 64n - 1n), /18446744073709551615/],
  ['header length 100 MB + 1', () => file('{}', undefined, 100_000_001n), /exceeds/],
  ['header length beyond the file', () => file('{}', undefined, 3n), /past the end/],
  ['header length 0', () => file('', undefined, 0n), /must start with/],
  ['a header not starting with {', () => file(' {}'), /must start with/],
  ['an array header', () => file('[]'), /must start with/],
  [
    'invalid UTF-8 in the header',
    () => file('{"a":1}').map((b, i) => (i === 10 ? 0xff : b)),
    /invalid UTF-8/,
  ],
  ['non-JSON', () => file('{"a":'), /not valid JSON/],
  ['JSON with trailing garbage', () => file('{} x'), /not valid JSON/],
  [
    'duplicate tensor keys',
    () => file(`{"a":${T('U8', [1], [0, 1])},"a":${T('U8', [1], [0, 1])}}`, new Uint8Array(1)),
    /duplicate key "a" in the header at byte 61/,
  ],
  [
    'duplicate keys spelled with escapes',
    () =>
      file(`{"a":${T('U8', [1], [0, 1])},"\\u0061":${T('U8', [1], [0, 1])}}`, new Uint8Array(1)),
    /duplicate key "a"/,
  ],
  [
    'a duplicate field in a tensor',
    () =>
      file('{"a":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}}', new Uint8Array(1)),
    /duplicate key "dtype"/,
  ],
  ['a duplicate metadata key', () => file('{"__metadata__":{"k":"1","k":"2"}}'), /duplicate/],
  ['non-string metadata', () => file('{"__metadata__":{"k":1}}'), /must be a string/],
  ['nested metadata', () => file('{"__metadata__":{"k":{"x":"y"}}}'), /must be a string/],
  ['null metadata', () => file('{"__metadata__":null}'), /__metadata__/],
  ['array metadata', () => file('{"__metadata__":["a"]}'), /__metadata__/],
  ['a tensor that is not an object', () => file('{"a":5}'), /tensor "a"/],
  ['a missing dtype', () => file('{"a":{"shape":[0],"data_offsets":[0,0]}}'), /dtype/],
  [
    'an unknown dtype',
    () => file(`{"a":${T('F128', [1], [0, 16])}}`, new Uint8Array(16)),
    /unknown or unsupported dtype "F128"/,
  ],
  ['a lowercase dtype', () => file(`{"a":${T('f32', [1], [0, 4])}}`, new Uint8Array(4)), /dtype/],
  [
    'a numeric dtype',
    () => file('{"a":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4)),
    /dtype/,
  ],
  ['a negative dimension', () => file(`{"a":${T('U8', [-1], [0, 0])}}`), /shape/],
  [
    'a fractional dimension',
    () => file(`{"a":${T('U8', [1.5], [0, 1])}}`, new Uint8Array(1)),
    /shape/,
  ],
  ['a string dimension', () => file(`{"a":${T('U8', ['2'], [0, 2])}}`, new Uint8Array(2)), /shape/],
  [
    'a shape that is not an array',
    () => file(`{"a":${T('U8', 2, [0, 2])}}`, new Uint8Array(2)),
    /shape/,
  ],
  [
    'a huge shape [2^40, 2^40]',
    () => file(`{"a":${T('F32', [2 ** 40, 2 ** 40], [0, 4])}}`, new Uint8Array(4)),
    /more elements than/,
  ],
  [
    'a shape whose byte size overflows',
    () => file(`{"a":${T('F64', [2 ** 26, 2 ** 26], [0, 8])}}`, new Uint8Array(8)),
    /more elements than/,
  ],
  [
    'overflow before a zero dimension',
    () => file(`{"a":${T('U8', [2 ** 40, 2 ** 40, 0], [0, 0])}}`),
    /more elements than/,
  ],
  [
    'a 2^50-byte tensor in a small file',
    () => file(`{"a":${T('U8', [2 ** 50], [0, 2 ** 50])}}`, new Uint8Array(8)),
    /truncated/,
  ],
  [
    'a dimension of 1e400',
    () => file('{"a":{"dtype":"U8","shape":[1e400],"data_offsets":[0,1]}}', new Uint8Array(1)),
    /shape/,
  ],
  [
    'offsets of length 1',
    () => file(`{"a":${T('U8', [1], [1])}}`, new Uint8Array(1)),
    /data_offsets/,
  ],
  ['negative offsets', () => file(`{"a":${T('U8', [0], [-1, -1])}}`), /data_offsets/],
  [
    'offsets that end before they begin',
    () => file(`{"a":${T('U8', [0], [2, 1])}}`, new Uint8Array(2)),
    /end before/,
  ],
  [
    'offsets beyond the buffer',
    () => file(`{"a":${T('U8', [4], [4, 8])}}`, new Uint8Array(4)),
    /hole/,
  ],
  [
    'offsets not starting at 0',
    () => file(`{"a":${T('U8', [2], [2, 4])}}`, new Uint8Array(4)),
    /hole in the data buffer: bytes \[0, 2\)/,
  ],
  [
    'a wrong byte count',
    () => file(`{"a":${T('F32', [2], [0, 4])}}`, new Uint8Array(4)),
    /span 4 bytes, but F32 \[2\] needs 8/,
  ],
  [
    'overlapping tensors',
    () => file(`{"a":${T('U8', [4], [0, 4])},"b":${T('U8', [4], [2, 6])}}`, new Uint8Array(6)),
    /overlaps tensor "a"/,
  ],
  [
    'identical offsets',
    () => file(`{"a":${T('U8', [4], [0, 4])},"b":${T('U8', [4], [0, 4])}}`, new Uint8Array(4)),
    /overlaps/,
  ],
  [
    'a hole between tensors',
    () => file(`{"a":${T('U8', [2], [0, 2])},"b":${T('U8', [2], [3, 5])}}`, new Uint8Array(5)),
    /hole in the data buffer: bytes \[2, 3\)/,
  ],
  [
    'trailing bytes',
    () => file(`{"a":${T('U8', [2], [0, 2])}}`, new Uint8Array(3)),
    /1 unexpected bytes after the data buffer/,
  ],
  [
    'a truncated buffer',
    () => file(`{"a":${T('U8', [2], [0, 2])}}`, new Uint8Array(1)),
    /truncated/,
  ],
  [
    'deeply nested JSON',
    () => file(`{"a":${'['.repeat(50000)}${']'.repeat(50000)}}`),
    /tensor "a"/,
  ],
];

describe('safetensors: corrupt and hostile files', () => {
  for (const [what, make, pattern] of CORRUPT) {
    it(`rejects ${what} with FORMAT`, () => {
      const bytes = make();
      expectLrError(() => readSafetensors(bytes), 'FORMAT', pattern);
      expectLrError(() => parseSafetensorsHeader(bytes), 'FORMAT', pattern);
    });
  }

  it('rejects the valid file truncated at every byte position', () => {
    const bytes = smallFile();
    decodeAll(bytes);
    for (let k = 0; k < bytes.length; k++) {
      expectLrError(() => readSafetensors(bytes.slice(0, k)), 'FORMAT');
    }
  });

  it('random byte mutations either parse and decode or throw an LrError (fuzz)', () => {
    const base = smallFile();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: -3, max: 3 }),
        (mutations, resize) => {
          let bytes: Uint8Array = base.slice();
          for (const [i, v] of mutations) bytes[i] = v;
          if (resize < 0) bytes = bytes.slice(0, bytes.length + resize);
          else if (resize > 0) bytes = concat(bytes, new Uint8Array(resize));
          lrErrorOf(() => decodeAll(bytes));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('random mutations of the header text either parse or throw an LrError (fuzz)', () => {
    const header =
      '{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}';
    const chars = '{}[]",:0123456789-e. adtypeshF32_U8';
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(header.length - 1), fc.constantFrom(...chars)), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const h = [...header];
          for (const [i, c] of edits) h[i] = c;
          lrErrorOf(() => decodeAll(file(h.join(''), new Uint8Array(16))));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

const STORIES = 'weights/stories260K/model.safetensors';
describe.skipIf(!hasData(STORIES))(
  'safetensors: the real stories260K checkpoint (skipped: ../shared/data absent)',
  () => {
    it('reads 47 F32 tensors with the documented names and shapes', () => {
      const bytes = new Uint8Array(readFileSync(dataPath(STORIES)));
      const f = readSafetensors(bytes);
      expect(f.tensors.length).toBe(47);
      expect(f.metadata.format).toBe('pt');
      expect(new Set(f.tensors.map((t) => t.dtype))).toEqual(new Set(['F32']));
      expect(f.get('model.layers.0.self_attn.q_proj.weight')!.shape).toEqual([64, 64]);
      expect(f.get('model.layers.0.self_attn.k_proj.weight')!.shape).toEqual([32, 64]);
      expect(f.get('model.layers.4.mlp.gate_proj.weight')!.shape).toEqual([172, 64]);
      expect(f.get('model.layers.4.mlp.down_proj.weight')!.shape).toEqual([64, 172]);
      expect(f.get('model.embed_tokens.weight')!.shape).toEqual([512, 64]);
      const E = decodeSafetensor(f.get('model.embed_tokens.weight')!) as Matrix;
      expect(E).toBeInstanceOf(Matrix);
      expect(E.dtype).toBe('float32');
      // Compare with the raw little-endian floats read independently through a DataView.
      const e = f.get('model.embed_tokens.weight')!;
      const dv = new DataView(e.bytes.buffer, e.bytes.byteOffset, e.bytes.length);
      for (const [i, j] of [
        [0, 0],
        [1, 5],
        [511, 63],
        [300, 17],
      ] as const) {
        expect(E.get(i, j)).toBe(dv.getFloat32((i * 64 + j) * 4, true));
      }
      let finite = true;
      for (const t of f.tensors)
        for (const v of decodeSafetensor(t).data) finite &&= Number.isFinite(v);
      expect(finite).toBe(true);
    });

    it('parses the header from the head bytes alone', () => {
      const path = dataPath(STORIES);
      const size = statSync(path).size;
      const fd = openSync(path, 'r');
      try {
        const prefix = new Uint8Array(8);
        readSync(fd, prefix, 0, 8, 0);
        const n = safetensorsHeaderLength(prefix, size);
        const head = new Uint8Array(8 + n);
        readSync(fd, head, 0, 8 + n, 0);
        const h = parseSafetensorsHeader(head, size);
        expect(h.tensors.length).toBe(47);
        expect(h.metadata.format).toBe('pt');
      } finally {
        closeSync(fd);
      }
    });

    it('rewrites to the same tensors (and the same bytes as the reference writer)', () => {
      const bytes = new Uint8Array(readFileSync(dataPath(STORIES)));
      const f = readSafetensors(bytes);
      const out = writeSafetensors(
        f.tensors.map((t) => [t.name, decodeSafetensor(t)] as const),
        { metadata: f.metadata },
      );
      const g = readSafetensors(out);
      for (const t of f.tensors) expectSameValues(g.get(t.name)!.bytes, t.bytes, t.name);
      expect(out.length).toBe(bytes.length);
      expectSameValues(out, bytes, 'file bytes');
    });
  },
);
