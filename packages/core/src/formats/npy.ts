import type { FloatArray } from '../dtype.js';
import { FormatError, InvalidArgumentError, UnsupportedError } from '../errors.js';
import { Matrix } from '../matrix.js';
import { contiguousStrides, Tensor } from '../tensor.js';
import { assertOneOf, describe, optionsObject } from '../validate.js';
import {
  bytesOf,
  checkedProduct,
  decodeLatin1,
  decodeUtf8,
  dimsText,
  elementView,
} from './_bytes.js';
import { type PyValue, parsePythonLiteral } from './_python-literal.js';
import { decodeF16, encodeF16 } from './half.js';

// numpy's .npy format (NEP 1, "A Simple File Format for NumPy Arrays", and
// numpy/lib/format.py): magic "\x93NUMPY", major and minor version bytes, the header
// length (u16 LE in 1.0, u32 LE in 2.0 and 3.0), a Python dict literal
// {'descr': ..., 'fortran_order': ..., 'shape': ...} (Latin-1 in 1.0/2.0, UTF-8 in 3.0)
// padded with spaces and ended by '\n', then the raw array data.

/** Element types lr reads from and writes to .npy files. */
export type NpyDType =
  | 'float64'
  | 'float32'
  | 'float16'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool';

const NPY_DTYPES: readonly NpyDType[] = [
  'float64',
  'float32',
  'float16',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
];

/** numpy type string (without byte order) and item size of each dtype. */
const CODES: Readonly<Record<NpyDType, readonly [string, number]>> = {
  float64: ['f8', 8],
  float32: ['f4', 4],
  float16: ['f2', 2],
  int8: ['i1', 1],
  uint8: ['u1', 1],
  int16: ['i2', 2],
  uint16: ['u2', 2],
  int32: ['i4', 4],
  uint32: ['u4', 4],
  int64: ['i8', 8],
  uint64: ['u8', 8],
  bool: ['b1', 1],
};

/** A parsed .npy file. */
export interface NpyArray {
  /** The element type stored in the file. */
  dtype: NpyDType;
  /** The array's shape (`[]` for a 0-d array). */
  shape: number[];
  /** Whether the file stored the data in Fortran (column-major) order. */
  fortranOrder: boolean;
  /**
   * The values in C order, whatever the file's order: float32 for float32 and float16
   * files, float64 for everything else (integers above 2^53 round to nearest; bool → 0/1).
   * A {@link Matrix} when 2-d.
   */
  tensor: Tensor;
}

/** Options of {@link writeNpy}. */
export interface WriteNpyOptions {
  /**
   * Stored element type; default the tensor's dtype (`'float64'` or `'float32'`). Integer
   * and bool dtypes require integer values in range (bool: 0 or 1).
   */
  dtype?: NpyDType;
  /** Store the data in Fortran (column-major) order; default false. */
  fortranOrder?: boolean;
  /**
   * Format version; default 1, or 2 when the header does not fit 1.0's 16-bit length (what
   * numpy does). Version 3 only changes the header encoding to UTF-8.
   */
  version?: 1 | 2 | 3;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** numpy's `GROWTH_AXIS_MAX_DIGITS`: spare header room so the growth axis can be rewritten. */
const GROWTH_AXIS_MAX_DIGITS = 21;

/** numpy's `ARRAY_ALIGN`: the data starts at a multiple of 64 bytes. */
const ARRAY_ALIGN = 64;

/**
 * Parses a .npy file (versions 1.0, 2.0 and 3.0; either byte order; C or Fortran order)
 * into a tensor. The header dict is read by a strict Python-literal parser (nothing is
 * evaluated) and must have exactly the keys `descr`, `fortran_order` and `shape`. The
 * byte count implied by dtype and shape is checked against the file length before
 * anything is allocated, and must match exactly (no trailing bytes). Byte order `=` or
 * none is taken as little-endian (numpy itself always writes `<` or `>`).
 *
 * @param bytes the complete file (not modified)
 * @returns dtype, shape, order and the values as a tensor in C order
 * @throws {FormatError} for a bad magic string, version, header, descr, shape or data length
 * @throws {UnsupportedError} for valid numpy dtypes lr does not read (complex, strings,
 *   objects, datetimes, structured or long double)
 * @throws {InvalidArgumentError} if `bytes` is not a Uint8Array
 * @example
 * const { dtype, shape, tensor } = readNpy(bytes); // 'uint8', [512, 512], Matrix
 * @see https://numpy.org/neps/nep-0001-npy-format.html
 */
export function readNpy(bytes: Uint8Array): NpyArray {
  if (!(bytes instanceof Uint8Array))
    throw new InvalidArgumentError(`bytes: expected a Uint8Array, got ${describe(bytes)}`);
  for (let k = 0; k < MAGIC.length; k++) {
    if (bytes[k] !== MAGIC[k]) {
      throw new FormatError(
        k >= bytes.length
          ? `npy: the file is ${bytes.length} bytes, too short for the magic string "\\x93NUMPY"`
          : `npy: bad magic string at byte ${k} (expected "\\x93NUMPY")`,
      );
    }
  }
  if (bytes.length < 8)
    throw new FormatError(
      `npy: the file ends at byte ${bytes.length}, inside the version bytes 6–7`,
    );
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if ((major !== 1 && major !== 2 && major !== 3) || minor !== 0) {
    throw new FormatError(
      `npy: unsupported format version ${major}.${minor} at bytes 6–7 (expected 1.0, 2.0 or 3.0)`,
    );
  }
  const lenBytes = major === 1 ? 2 : 4;
  const prefix = 8 + lenBytes;
  if (bytes.length < prefix) {
    throw new FormatError(
      `npy: the file ends at byte ${bytes.length}, inside the header length (bytes 8–${prefix - 1})`,
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, prefix);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  if (prefix + hlen > bytes.length) {
    throw new FormatError(
      `npy: header length ${hlen} (bytes 8–${prefix - 1}) runs past the end of the ${bytes.length}-byte file`,
    );
  }
  const headerBytes = bytes.subarray(prefix, prefix + hlen);
  const text =
    major === 3
      ? decodeUtf8(headerBytes, `npy: header (bytes ${prefix}…)`)
      : decodeLatin1(headerBytes);
  const at = (i: number): string =>
    `at byte ${prefix + (major === 3 ? new TextEncoder().encode(text.slice(0, i)).length : i)} of the header`;
  const dict = parsePythonLiteral(text, at);
  if (dict === null || typeof dict !== 'object' || dict.kind !== 'dict') {
    throw new FormatError(
      `npy: the header (bytes ${prefix}–${prefix + hlen - 1}) must be a Python dict literal`,
    );
  }
  const keys = dict.entries.map(([k]) => k);
  const expectedKeys = ['descr', 'fortran_order', 'shape'];
  if (keys.length !== 3 || !expectedKeys.every((k) => keys.includes(k))) {
    throw new FormatError(
      `npy: header keys must be exactly 'descr', 'fortran_order', 'shape', got ${
        keys
          .slice(0, 5)
          .map((k) => JSON.stringify(k.slice(0, 40)))
          .join(', ') || 'none'
      }${keys.length > 5 ? `, … (${keys.length} keys)` : ''}`,
    );
  }
  const get = (k: string): PyValue => dict.entries.find(([key]) => key === k)![1];

  const { dtype, littleEndian } = parseDescr(get('descr'));
  const fortran = get('fortran_order');
  if (typeof fortran !== 'boolean') {
    throw new FormatError(`npy: 'fortran_order' must be True or False, got ${pyDescribe(fortran)}`);
  }
  const shapeValue = get('shape');
  if (
    shapeValue === null ||
    typeof shapeValue !== 'object' ||
    shapeValue.kind !== 'tuple' ||
    !shapeValue.items.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
  ) {
    throw new FormatError(
      `npy: 'shape' must be a tuple of non-negative integers, got ${pyDescribe(shapeValue)}`,
    );
  }
  const shape = (shapeValue.items as number[]).map((d) => d + 0);
  const itemsize = CODES[dtype][1];
  const numel = checkedProduct(shape);
  const nbytes = numel < 0 ? -1 : checkedProduct([numel, itemsize]);
  if (nbytes < 0)
    throw new FormatError(
      `npy: shape (${dimsText(shape)}) has more elements than can be addressed`,
    );
  const start = prefix + hlen;
  const available = bytes.length - start;
  if (available !== nbytes) {
    throw new FormatError(
      available < nbytes
        ? `npy: the data is truncated: ${dtype} (${dimsText(shape)}) needs ${nbytes} bytes from byte ${start}, the file has ${available}`
        : `npy: ${available - nbytes} unexpected bytes after the data, from byte ${start + nbytes}`,
    );
  }

  const flat = decodeData(dtype, bytes.subarray(start), littleEndian);
  let t: Tensor;
  if (fortran && shape.length > 1) {
    // Column-major data: strides grow from the first axis. Copy into C order.
    const strides = contiguousStrides([...shape].reverse()).reverse();
    t = new Tensor(flat, shape, strides).clone();
  } else {
    t = new Tensor(flat, shape);
  }
  return {
    dtype,
    shape,
    fortranOrder: fortran,
    tensor: shape.length === 2 ? Matrix.fromTensor(t) : t,
  };
}

function pyDescribe(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number') return String(v);
  if (v.kind === 'dict') return 'a dict';
  return `a ${v.kind} of length ${v.items.length}`;
}

function parseDescr(descr: PyValue): { dtype: NpyDType; littleEndian: boolean } {
  if (descr !== null && typeof descr === 'object' && descr.kind === 'list') {
    throw new UnsupportedError('npy: structured dtypes (a list descr) are not supported');
  }
  if (typeof descr !== 'string')
    throw new FormatError(`npy: 'descr' must be a dtype string, got ${pyDescribe(descr)}`);
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)(\[[A-Za-z0-9]+\])?$/.exec(descr);
  if (!m) throw new FormatError(`npy: malformed 'descr' ${pyDescribe(descr)}`);
  const [, order, kind, sizeText, unit] = m as unknown as [
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  const size = sizeText === '' ? (kind === '?' ? 1 : -1) : Number(sizeText);
  const code = `${kind === '?' ? 'b' : kind}${size}`;
  const dtype = unit === undefined ? NPY_DTYPES.find((d) => CODES[d][0] === code) : undefined;
  if (dtype === undefined) {
    const names: Record<string, string> = {
      c: 'complex',
      m: 'timedelta',
      M: 'datetime',
      O: 'Python object',
      S: 'byte string',
      a: 'byte string',
      U: 'unicode string',
      V: 'void/raw',
    };
    if (names[kind] !== undefined) {
      throw new UnsupportedError(`npy: ${names[kind]} dtype ${pyDescribe(descr)} is not supported`);
    }
    if (kind === 'f' && (size === 12 || size === 16)) {
      throw new UnsupportedError(`npy: long double dtype ${pyDescribe(descr)} is not supported`);
    }
    throw new FormatError(`npy: unknown dtype ${pyDescribe(descr)} in 'descr'`);
  }
  return { dtype, littleEndian: order !== '>' };
}

/** Decodes validated data bytes into a fresh float array. */
function decodeData(dtype: NpyDType, bytes: Uint8Array, le: boolean): FloatArray {
  switch (dtype) {
    case 'float64':
      return elementView(bytes, Float64Array, le).slice();
    case 'float32':
      return elementView(bytes, Float32Array, le).slice();
    case 'float16':
      return decodeF16(elementView(bytes, Uint16Array, le));
    case 'bool': {
      const out = new Float64Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] === 0 ? 0 : 1;
      return out;
    }
    case 'int64':
    case 'uint64': {
      const v = elementView(bytes, dtype === 'int64' ? BigInt64Array : BigUint64Array, le);
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = Number(v[i]!);
      return out;
    }
    case 'int8':
      return Float64Array.from(elementView(bytes, Int8Array, le));
    case 'uint8':
      return Float64Array.from(bytes);
    case 'int16':
      return Float64Array.from(elementView(bytes, Int16Array, le));
    case 'uint16':
      return Float64Array.from(elementView(bytes, Uint16Array, le));
    case 'int32':
      return Float64Array.from(elementView(bytes, Int32Array, le));
    case 'uint32':
      return Float64Array.from(elementView(bytes, Uint32Array, le));
  }
}

const INT_RANGES: Partial<Record<NpyDType, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1],
  uint64: [0, 2 ** 64 - 1],
  bool: [0, 1],
};

/**
 * Writes a tensor as a .npy file, byte for byte as numpy ≥ 1.24 `np.save` does for the
 * same array: little-endian (`<`, or `|` for one-byte types), keys sorted, spare room
 * for the growth axis, and the header padded with spaces and a newline so the data starts
 * at a multiple of 64 bytes.
 *
 * @param t the tensor (not modified; any strides)
 * @param options `dtype`, `fortranOrder`, `version` (see {@link WriteNpyOptions})
 * @returns the file's bytes
 * @throws {InvalidArgumentError} if `t` is not a Tensor, an option is invalid, a value does
 *   not fit an integer/bool dtype, or the header does not fit the requested version 1
 * @example
 * const bytes = writeNpy(Matrix.from([[1, 2], [3, 4]]), { dtype: 'int32' });
 * readNpy(bytes).dtype; // 'int32'
 * @see https://numpy.org/neps/nep-0001-npy-format.html
 */
export function writeNpy(t: Tensor, options?: WriteNpyOptions): Uint8Array {
  if (!(t instanceof Tensor))
    throw new InvalidArgumentError(`t: expected a Tensor, got ${describe(t)}`);
  const opts = optionsObject('options', options);
  const dtype =
    opts.dtype === undefined ? t.dtype : assertOneOf('options.dtype', opts.dtype, NPY_DTYPES);
  const fortran = opts.fortranOrder ?? false;
  if (typeof fortran !== 'boolean') {
    throw new InvalidArgumentError(
      `options.fortranOrder: expected a boolean, got ${describe(fortran)}`,
    );
  }
  const version = opts.version;
  if (version !== undefined && version !== 1 && version !== 2 && version !== 3) {
    throw new InvalidArgumentError(`options.version: expected 1, 2 or 3, got ${describe(version)}`);
  }

  // Fortran order of t is C order of t with its axes reversed.
  const src = fortran ? t.permute() : t;
  const data = encodeData(src, dtype);

  const [code, itemsize] = CODES[dtype];
  const descr = `${itemsize === 1 ? '|' : '<'}${code}`;
  const shape = t.shape;
  const shapeRepr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeRepr}, }`;
  if (shape.length > 0) {
    const growth = String(shape[fortran ? shape.length - 1 : 0]);
    dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - growth.length));
  }
  const headerText = new TextEncoder().encode(dict); // ASCII: identical in Latin-1 and UTF-8
  const wrap = (v: 1 | 2 | 3): { lenBytes: number; total: number } => {
    const lenBytes = v === 1 ? 2 : 4;
    const hlen = headerText.length + 1;
    const pad = ARRAY_ALIGN - ((8 + lenBytes + hlen) % ARRAY_ALIGN);
    return { lenBytes, total: hlen + pad };
  };
  let v: 1 | 2 | 3 = version ?? 1;
  let { lenBytes, total } = wrap(v);
  if (v === 1 && total > 0xffff) {
    if (version === 1) {
      throw new InvalidArgumentError(
        `options.version: a header of ${total} bytes does not fit version 1.0 (max 65535)`,
      );
    }
    v = 2;
    ({ lenBytes, total } = wrap(v));
  }
  const prefix = 8 + lenBytes;
  const out = new Uint8Array(prefix + total + data.length);
  out.set(MAGIC, 0);
  out[6] = v;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (lenBytes === 2) dv.setUint16(8, total, true);
  else dv.setUint32(8, total, true);
  out.set(headerText, prefix);
  out.fill(0x20, prefix + headerText.length, prefix + total - 1);
  out[prefix + total - 1] = 0x0a;
  out.set(data, prefix + total);
  return out;
}

/** Encodes the elements of `t` in C order as little-endian bytes of `dtype`. */
function encodeData(t: Tensor, dtype: NpyDType): Uint8Array {
  if (dtype === 'float64') return bytesOf(t.toFloat64Array(), true);
  const c = t.contiguous();
  const src = c.data.subarray(c.offset, c.offset + c.size);
  if (dtype === 'float32')
    return bytesOf(src instanceof Float32Array ? src : Float32Array.from(src), true);
  if (dtype === 'float16') return bytesOf(encodeF16(src), true);
  const [lo, hi] = INT_RANGES[dtype]!;
  for (let i = 0; i < src.length; i++) {
    const x = src[i]!;
    if (!Number.isInteger(x) || x < lo || x > hi) {
      const what = dtype === 'bool' ? '0 or 1' : `an integer in [${lo}, ${hi}]`;
      throw new InvalidArgumentError(
        `t: element ${i} (C order) is ${describe(x)}, expected ${what} for dtype ${dtype}`,
      );
    }
  }
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return Uint8Array.from(src);
    case 'int8':
      return bytesOf(Int8Array.from(src), true);
    case 'int16':
      return bytesOf(Int16Array.from(src), true);
    case 'uint16':
      return bytesOf(Uint16Array.from(src), true);
    case 'int32':
      return bytesOf(Int32Array.from(src), true);
    case 'uint32':
      return bytesOf(Uint32Array.from(src), true);
    default: {
      // int64 / uint64: exact through BigInt (x is an integer, so BigInt(x) is exact). The
      // double bounds above round up to 2^63 and 2^64, so the top end is rechecked exactly.
      const big =
        dtype === 'int64' ? new BigInt64Array(src.length) : new BigUint64Array(src.length);
      const max = dtype === 'int64' ? 2n ** 63n - 1n : 2n ** 64n - 1n;
      for (let i = 0; i < src.length; i++) {
        const b = BigInt(src[i]!);
        if (b > max) {
          throw new InvalidArgumentError(
            `t: element ${i} (C order) is ${src[i]}, out of range for dtype ${dtype}`,
          );
        }
        big[i] = b;
      }
      return bytesOf(big, true);
    }
  }
}
