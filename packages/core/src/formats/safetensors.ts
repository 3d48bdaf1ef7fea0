import type { DType, FloatArray } from '../dtype.js';
import { FormatError, InvalidArgumentError } from '../errors.js';
import { Matrix } from '../matrix.js';
import { Tensor } from '../tensor.js';
import { assertOneOf, describe, optionsObject } from '../validate.js';
import { bytesOf, checkedProduct, decodeUtf8, dimsText, elementView, quote } from './_bytes.js';
import { decodeF8E4M3, decodeF8E5M2 } from './float8.js';
import { decodeBf16, decodeF16, encodeBf16, encodeF16 } from './half.js';

// The safetensors format (https://github.com/huggingface/safetensors, README "Format"):
// an 8-byte little-endian u64 N, N bytes of UTF-8 JSON header starting with '{' (padded
// with trailing spaces), then the byte buffer. The validation rules follow the reference
// Rust implementation's `validate`: unique keys, dtype/shape/offset consistency, offsets
// tiling the buffer exactly, and a file length of exactly 8 + N + buffer.

/** Element types of safetensors that lr reads (the reference's common set). */
export type SafetensorsDType =
  | 'BOOL'
  | 'U8'
  | 'I8'
  | 'U16'
  | 'I16'
  | 'F16'
  | 'BF16'
  | 'U32'
  | 'I32'
  | 'F32'
  | 'F64'
  | 'U64'
  | 'I64'
  | 'F8_E4M3'
  | 'F8_E5M2';

/** Bytes per element of each {@link SafetensorsDType}. */
export const SAFETENSORS_ITEMSIZE: Readonly<Record<SafetensorsDType, number>> = Object.freeze({
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  U16: 2,
  I16: 2,
  F16: 2,
  BF16: 2,
  U32: 4,
  I32: 4,
  F32: 4,
  F64: 8,
  U64: 8,
  I64: 8,
});

const DTYPES = Object.keys(SAFETENSORS_ITEMSIZE) as SafetensorsDType[];

/** The reference implementation's header size limit (`MAX_HEADER_SIZE`, 100 MB). */
export const SAFETENSORS_MAX_HEADER = 100_000_000;

/** One tensor's header entry. */
export interface SafetensorsTensorInfo {
  /** The tensor's key in the header. */
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  /** `[begin, end)` byte range relative to the start of the data buffer (after the header). */
  dataOffsets: [number, number];
}

/** A parsed and validated safetensors header. */
export interface SafetensorsHeader {
  /** N: the byte length of the JSON header (the data buffer starts at byte 8 + N). */
  headerLength: number;
  /** `__metadata__` (string → string), `{}` when absent. */
  metadata: Record<string, string>;
  /** Tensors in the order their keys appear in the header. */
  tensors: SafetensorsTensorInfo[];
}

/** A tensor of a loaded file: its header entry and its raw bytes (a zero-copy view). */
export interface SafetensorsEntry extends SafetensorsTensorInfo {
  /** The tensor's little-endian bytes: a subarray of the file, not a copy. */
  bytes: Uint8Array;
}

/** A loaded safetensors file; nothing is decoded until {@link decodeSafetensor}. */
export interface SafetensorsFile {
  metadata: Record<string, string>;
  /** Tensors in header order. */
  tensors: SafetensorsEntry[];
  /** The tensor called `name`, or undefined. */
  get(name: string): SafetensorsEntry | undefined;
}

/** A tensor given as raw bytes to {@link writeSafetensors} (written as is). */
export interface SafetensorsRawTensor {
  dtype: SafetensorsDType;
  shape: number[];
  /** numel × itemsize little-endian bytes. */
  data: Uint8Array;
}

/** Options of {@link writeSafetensors}. */
export interface WriteSafetensorsOptions {
  /** `__metadata__`, string → string; default: none (the key is omitted). */
  metadata?: Record<string, string>;
  /**
   * Storage dtype of Tensor inputs: one for all, or per tensor name. Default: `F32` for
   * float32 tensors and `F64` for float64 tensors; `F16` and `BF16` round to nearest even.
   */
  dtype?: SafetensorsDType | Record<string, SafetensorsDType>;
}

/** Options of {@link decodeSafetensor}. */
export interface DecodeSafetensorOptions {
  /**
   * Output element type. Default: `'float32'` for F32, F16, BF16, F8_E4M3 and F8_E5M2
   * (all exact in float32); `'float64'` for F64 and the integer and BOOL dtypes (exact for
   * integers up to 2^53; larger 64-bit integers round to nearest).
   */
  dtype?: DType;
}

/**
 * Reads and checks the header length N from the first 8 bytes of a safetensors file, so a
 * caller can read exactly the 8 + N head bytes of a large file.
 *
 * @param prefix at least the first 8 bytes of the file
 * @param fileLength total file length in bytes; default `prefix.length`
 * @returns N, the JSON header's byte length
 * @throws {FormatError} if the file is shorter than 8 bytes, or N exceeds 100 MB or the file
 * @throws {InvalidArgumentError} if `prefix` is not a Uint8Array of ≥ 8 bytes (for a file of ≥ 8 bytes)
 * @example
 * const n = safetensorsHeaderLength(first8Bytes, fileSize);
 * const head = await readRange(0, 8 + n);
 */
export function safetensorsHeaderLength(prefix: Uint8Array, fileLength?: number): number {
  const total = checkLengths('prefix', prefix, fileLength);
  if (total < 8) {
    throw new FormatError(
      `safetensors: the file is ${total} bytes, shorter than the 8-byte header length at byte 0`,
    );
  }
  if (prefix.length < 8) {
    throw new InvalidArgumentError(
      `prefix: expected at least the first 8 bytes of the file, got ${prefix.length}`,
    );
  }
  const dv = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  if (hi !== 0 || lo > SAFETENSORS_MAX_HEADER) {
    const n = (BigInt(hi) << 32n) | BigInt(lo);
    throw new FormatError(
      `safetensors: header length ${n} (bytes 0–7) exceeds the ${SAFETENSORS_MAX_HEADER}-byte limit`,
    );
  }
  if (8 + lo > total) {
    throw new FormatError(
      `safetensors: header length ${lo} (bytes 0–7) runs past the end of the ${total}-byte file`,
    );
  }
  return lo;
}

function checkLengths(name: string, bytes: unknown, fileLength: number | undefined): number {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(`${name}: expected a Uint8Array, got ${describe(bytes)}`);
  }
  const total = fileLength ?? bytes.length;
  if (!Number.isSafeInteger(total) || total < bytes.length) {
    throw new InvalidArgumentError(
      `fileLength: expected an integer ≥ ${name}.length (${bytes.length}), got ${describe(fileLength)}`,
    );
  }
  return total;
}

/**
 * Parses and validates a safetensors header. Needs only the first 8 + N bytes of the file
 * and the total file length, so the data of a huge file need not be read. Every rule of
 * the reference implementation is checked: the header starts with `{` and is valid UTF-8
 * JSON of at most 100 MB; keys are unique (checked in the raw text, since `JSON.parse`
 * drops duplicates); `__metadata__` maps strings to strings; each dtype is known; shapes
 * are non-negative safe integers whose product (and byte size) does not overflow;
 * `end − begin = numel × itemsize`; the offsets tile the buffer with no holes or overlaps;
 * and the file is exactly 8 + N + buffer bytes long.
 *
 * @param headBytes the start of the file, at least 8 + N bytes (the whole file is fine)
 * @param fileLength total file length; default `headBytes.length`
 * @returns header length, metadata and tensor entries in header order
 * @throws {FormatError} naming the byte offset or tensor for any violation
 * @throws {InvalidArgumentError} if `headBytes` is not a Uint8Array, is shorter than 8 + N
 *   while `fileLength` says the file is longer, or `fileLength` < `headBytes.length`
 * @example
 * const header = parseSafetensorsHeader(bytes);
 * header.tensors.map((t) => `${t.name} ${t.dtype} [${t.shape}]`);
 * @see https://github.com/huggingface/safetensors (README "Format", `validate` in safetensors/src/tensor.rs)
 */
export function parseSafetensorsHeader(
  headBytes: Uint8Array,
  fileLength?: number,
): SafetensorsHeader {
  const total = checkLengths('headBytes', headBytes, fileLength);
  const n = safetensorsHeaderLength(headBytes.subarray(0, 8), total);
  if (headBytes.length < 8 + n) {
    throw new InvalidArgumentError(
      `headBytes: the header needs the first ${8 + n} bytes of the file, got ${headBytes.length}`,
    );
  }
  if (n === 0 || headBytes[8] !== 0x7b) {
    throw new FormatError(`safetensors: the JSON header must start with '{' at byte 8`);
  }
  const text = decodeUtf8(headBytes.subarray(8, 8 + n), 'safetensors: header (bytes 8…)');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new FormatError(
      `safetensors: the header (bytes 8–${8 + n - 1}) is not valid JSON: ${(e as Error).message}`,
    );
  }
  const keys = jsonObjectKeys(text);

  let metadata: Record<string, string> = {};
  const tensors: SafetensorsTensorInfo[] = [];
  for (const key of keys) {
    const value = json[key];
    if (key === '__metadata__') metadata = readMetadata(value);
    else tensors.push(readInfo(key, value));
  }
  const bufferLength = checkTiling(tensors);
  const expected = 8 + n + bufferLength;
  if (expected !== total) {
    throw new FormatError(
      total < expected
        ? `safetensors: the file is truncated: the header describes ${expected} bytes (8 + ${n} header + ${bufferLength} data), the file has ${total}`
        : `safetensors: ${total - expected} unexpected bytes after the data buffer, from byte ${expected}`,
    );
  }
  return { headerLength: n, metadata, tensors };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function readMetadata(value: unknown): Record<string, string> {
  if (!isObject(value)) {
    throw new FormatError(
      `safetensors: __metadata__ must be an object of strings, got ${describe(value)}`,
    );
  }
  const entries: [string, string][] = [];
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (typeof v !== 'string') {
      throw new FormatError(
        `safetensors: __metadata__ value of ${quote(k)} must be a string, got ${describe(v)}`,
      );
    }
    entries.push([k, v]);
  }
  // fromEntries defines own properties, so a key like "__proto__" stays plain data.
  return Object.fromEntries(entries);
}

function readInfo(name: string, value: unknown): SafetensorsTensorInfo {
  const where = `safetensors: tensor ${quote(name)}`;
  if (!isObject(value)) {
    throw new FormatError(
      `${where}: expected an object with dtype, shape and data_offsets, got ${describe(value)}`,
    );
  }
  const dtype = value.dtype;
  if (typeof dtype !== 'string' || !Object.hasOwn(SAFETENSORS_ITEMSIZE, dtype)) {
    throw new FormatError(
      `${where}: unknown or unsupported dtype ${describe(dtype)} (expected one of ${DTYPES.join(', ')})`,
    );
  }
  const shape = value.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new FormatError(
      `${where}: shape must be an array of non-negative integers, got ${describeJson(shape)}`,
    );
  }
  const offsets = value.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((d) => Number.isSafeInteger(d) && d >= 0)
  ) {
    throw new FormatError(
      `${where}: data_offsets must be [begin, end] with non-negative integers, got ${describeJson(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end)
    throw new FormatError(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
  const itemsize = SAFETENSORS_ITEMSIZE[dtype as SafetensorsDType];
  const numel = checkedProduct(shape as number[]);
  const nbytes = numel < 0 ? -1 : checkedProduct([numel, itemsize]);
  if (nbytes < 0) {
    throw new FormatError(
      `${where}: shape [${dimsText(shape)}] has more elements than can be addressed`,
    );
  }
  if (end - begin !== nbytes) {
    throw new FormatError(
      `${where}: data_offsets [${begin}, ${end}] span ${end - begin} bytes, but ${dtype} [${dimsText(shape)}] needs ${nbytes}`,
    );
  }
  return {
    name,
    dtype: dtype as SafetensorsDType,
    shape: (shape as number[]).map((d) => d + 0),
    dataOffsets: [begin, end],
  };
}

function describeJson(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = describe(v);
  }
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/** Checks that the entries tile [0, B) exactly and returns B. */
function checkTiling(tensors: readonly SafetensorsTensorInfo[]): number {
  const order = tensors.map((_, i) => i);
  order.sort((a, b) => {
    const A = tensors[a]!.dataOffsets;
    const B = tensors[b]!.dataOffsets;
    return A[0] - B[0] || A[1] - B[1];
  });
  let expected = 0;
  let previous: SafetensorsTensorInfo | undefined;
  for (const i of order) {
    const t = tensors[i]!;
    const [begin, end] = t.dataOffsets;
    if (begin < expected) {
      throw new FormatError(
        `safetensors: tensor ${quote(t.name)} at data_offsets [${begin}, ${end}] overlaps tensor ${quote(previous!.name)} (which ends at ${expected})`,
      );
    }
    if (begin > expected) {
      throw new FormatError(
        `safetensors: hole in the data buffer: bytes [${expected}, ${begin}) before tensor ${quote(t.name)} belong to no tensor`,
      );
    }
    expected = end;
    previous = t;
  }
  return expected;
}

/**
 * Keys of every object of valid JSON `text` are checked for duplicates; returns the
 * top-level keys in text order. Linear time and no recursion, whatever the nesting.
 */
function jsonObjectKeys(text: string): string[] {
  const top: string[] = [];
  // Stack of open containers: a key set for objects, null for arrays.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      i++;
      while (text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (keys.has(key)) {
          const byte = 8 + new TextEncoder().encode(text.slice(0, start)).length;
          throw new FormatError(
            `safetensors: duplicate key ${quote(key)} in the header at byte ${byte}`,
          );
        }
        keys.add(key);
        if (stack.length === 1) top.push(key);
        expectKey = false;
      }
    } else if (c === 0x7b) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = stack[stack.length - 1] != null;
    }
  }
  return top;
}

/**
 * Loads a whole safetensors file lazily: validates the header (see
 * {@link parseSafetensorsHeader}) and gives each tensor a zero-copy view of its bytes.
 * Nothing is decoded; call {@link decodeSafetensor} per tensor.
 *
 * @param bytes the complete file (not modified; the entries' `bytes` share its storage)
 * @returns metadata, entries in header order, and `get(name)`
 * @throws {FormatError} for any violation of the format
 * @throws {InvalidArgumentError} if `bytes` is not a Uint8Array
 * @example
 * const file = readSafetensors(bytes);
 * const W = decodeSafetensor(file.get('model.embed_tokens.weight')!); // Matrix 512×64
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  const header = parseSafetensorsHeader(bytes);
  const base = 8 + header.headerLength;
  const tensors: SafetensorsEntry[] = header.tensors.map((t) => ({
    ...t,
    bytes: bytes.subarray(base + t.dataOffsets[0], base + t.dataOffsets[1]),
  }));
  const byName = new Map(tensors.map((t) => [t.name, t]));
  return {
    metadata: header.metadata,
    tensors,
    get: (name: string) => byName.get(name),
  };
}

/**
 * Decodes one tensor's little-endian bytes into a fresh {@link Tensor} (a {@link Matrix}
 * when 2-d). F16, BF16 and F8 are decoded exactly; integers are converted to floats;
 * BOOL gives 0/1. Unaligned bytes are copied before viewing.
 *
 * @param entry an entry of {@link readSafetensors} (or any `{ name, dtype, shape, bytes }`)
 * @param options `dtype`: output type (see {@link DecodeSafetensorOptions} for defaults)
 * @returns a new tensor in C order; never shares storage with the file
 * @throws {InvalidArgumentError} if the entry is malformed or its byte count does not match
 * @example
 * const q = decodeSafetensor(file.get('model.layers.0.self_attn.q_proj.weight')!);
 * q.shape; // [64, 64]
 */
export function decodeSafetensor(
  entry: Pick<SafetensorsEntry, 'dtype' | 'shape' | 'bytes'> & { name?: string },
  options?: DecodeSafetensorOptions,
): Tensor {
  if (!isObject(entry))
    throw new InvalidArgumentError(`entry: expected a safetensors entry, got ${describe(entry)}`);
  const opts = optionsObject('options', options);
  const dtype = assertOneOf('entry.dtype', entry.dtype, DTYPES);
  const { shape, bytes } = entry;
  const label = entry.name === undefined ? 'entry' : `entry ${quote(entry.name)}`;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new InvalidArgumentError(
      `${label}: shape must be an array of non-negative integers, got ${describe(shape)}`,
    );
  }
  if (!(bytes instanceof Uint8Array))
    throw new InvalidArgumentError(`${label}: bytes must be a Uint8Array, got ${describe(bytes)}`);
  const itemsize = SAFETENSORS_ITEMSIZE[dtype];
  const numel = checkedProduct(shape);
  if (numel < 0 || numel * itemsize !== bytes.length) {
    throw new InvalidArgumentError(
      `${label}: ${dtype} [${dimsText(shape)}] needs ${numel < 0 ? 'too many' : numel * itemsize} bytes, got ${bytes.length}`,
    );
  }
  const floatish =
    dtype === 'F32' ||
    dtype === 'F16' ||
    dtype === 'BF16' ||
    dtype === 'F8_E4M3' ||
    dtype === 'F8_E5M2';
  const out: DType =
    opts.dtype === undefined
      ? floatish
        ? 'float32'
        : 'float64'
      : assertOneOf('options.dtype', opts.dtype, ['float32', 'float64']);
  const data = decodeElements(dtype, bytes, out);
  return shape.length === 2 ? new Matrix(data, shape[0]!, shape[1]!) : new Tensor(data, shape);
}

function convert(values: ArrayLike<number>, out: DType, fresh: boolean): FloatArray {
  if (out === 'float32') {
    if (values instanceof Float32Array) return fresh ? values : values.slice();
    return Float32Array.from(values);
  }
  if (values instanceof Float64Array) return fresh ? values : values.slice();
  return Float64Array.from(values);
}

/** Decodes validated little-endian bytes of `dtype` into a fresh array of `out`. */
function decodeElements(dtype: SafetensorsDType, bytes: Uint8Array, out: DType): FloatArray {
  switch (dtype) {
    case 'F32':
      return convert(elementView(bytes, Float32Array, true), out, false);
    case 'F64':
      return convert(elementView(bytes, Float64Array, true), out, false);
    case 'F16':
      return convert(decodeF16(elementView(bytes, Uint16Array, true)), out, true);
    case 'BF16':
      return convert(decodeBf16(elementView(bytes, Uint16Array, true)), out, true);
    case 'F8_E4M3':
      return convert(decodeF8E4M3(bytes), out, true);
    case 'F8_E5M2':
      return convert(decodeF8E5M2(bytes), out, true);
    case 'BOOL': {
      const a = out === 'float32' ? new Float32Array(bytes.length) : new Float64Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) a[i] = bytes[i] === 0 ? 0 : 1;
      return a;
    }
    case 'U8':
      return convert(bytes, out, false);
    case 'I8':
      return convert(elementView(bytes, Int8Array, true), out, false);
    case 'U16':
      return convert(elementView(bytes, Uint16Array, true), out, false);
    case 'I16':
      return convert(elementView(bytes, Int16Array, true), out, false);
    case 'U32':
      return convert(elementView(bytes, Uint32Array, true), out, false);
    case 'I32':
      return convert(elementView(bytes, Int32Array, true), out, false);
    case 'U64':
    case 'I64': {
      const v = elementView(bytes, dtype === 'U64' ? BigUint64Array : BigInt64Array, true);
      const a = out === 'float32' ? new Float32Array(v.length) : new Float64Array(v.length);
      // Number(bigint) rounds to nearest; a float32 target rounds a second time.
      for (let i = 0; i < v.length; i++) a[i] = Number(v[i]!);
      return a;
    }
  }
}

type WriteInput = Tensor | SafetensorsRawTensor;

/**
 * Writes tensors as a safetensors file. Tensor inputs are stored in C order as F32/F64 by
 * default (their own dtype) or as requested (F16/BF16 round to nearest even); raw inputs
 * (`{ dtype, shape, data }`) are copied as is. As the reference writer does, tensors are
 * laid out by descending alignment, then by name (UTF-8 byte order), so every tensor is
 * aligned to its item size, and the header is padded with spaces to a multiple of 8 bytes.
 *
 * @param tensors name → tensor, or `[name, tensor]` pairs (names unique, not `__metadata__`)
 * @param options `metadata` (string → string) and `dtype` (see {@link WriteSafetensorsOptions})
 * @returns the file's bytes
 * @throws {InvalidArgumentError} for a bad name, duplicate name, dtype, metadata value,
 *   or raw data whose length does not match its dtype and shape
 * @example
 * const bytes = writeSafetensors({ w: Matrix.from([[1, 2], [3, 4]]) }, { metadata: { format: 'pt' } });
 * readSafetensors(bytes).get('w')!.shape; // [2, 2]
 * @see https://github.com/huggingface/safetensors (README "Format")
 */
export function writeSafetensors(
  tensors: Record<string, WriteInput> | ReadonlyArray<readonly [string, WriteInput]>,
  options?: WriteSafetensorsOptions,
): Uint8Array {
  const opts = optionsObject('options', options);
  let pairs: (readonly [string, WriteInput])[];
  if (Array.isArray(tensors)) {
    pairs = tensors.map((p, i) => {
      if (!Array.isArray(p) || p.length !== 2) {
        throw new InvalidArgumentError(
          `tensors[${i}]: expected a [name, tensor] pair, got ${describe(p)}`,
        );
      }
      return p as unknown as readonly [string, WriteInput];
    });
  } else if (isObject(tensors)) {
    pairs = Object.entries(tensors);
  } else {
    throw new InvalidArgumentError(
      `tensors: expected an object or an array of [name, tensor] pairs, got ${describe(tensors)}`,
    );
  }

  const dtypeOption = opts.dtype;
  if (dtypeOption !== undefined && typeof dtypeOption !== 'string' && !isObject(dtypeOption)) {
    throw new InvalidArgumentError(
      `options.dtype: expected a dtype or an object of dtypes by name, got ${describe(dtypeOption)}`,
    );
  }
  const names = new Set<string>();
  for (const [name] of pairs) {
    if (typeof name !== 'string')
      throw new InvalidArgumentError(`tensors: names must be strings, got ${describe(name)}`);
    if (name === '__metadata__')
      throw new InvalidArgumentError(`tensors: the name "__metadata__" is reserved`);
    if (names.has(name)) throw new InvalidArgumentError(`tensors: duplicate name ${quote(name)}`);
    names.add(name);
  }
  if (isObject(dtypeOption)) {
    for (const k of Object.keys(dtypeOption)) {
      if (!names.has(k))
        throw new InvalidArgumentError(`options.dtype: no tensor is called ${quote(k)}`);
    }
  }

  const prepared = pairs.map(([name, value]) => {
    const requested =
      typeof dtypeOption === 'string'
        ? dtypeOption
        : isObject(dtypeOption)
          ? dtypeOption[name]
          : undefined;
    return prepare(name, value, requested, typeof dtypeOption === 'string');
  });

  const encoder = new TextEncoder();
  const nameBytes = new Map(prepared.map((p) => [p.name, encoder.encode(p.name)]));
  prepared.sort(
    (a, b) =>
      SAFETENSORS_ITEMSIZE[b.dtype] - SAFETENSORS_ITEMSIZE[a.dtype] ||
      compareBytes(nameBytes.get(a.name)!, nameBytes.get(b.name)!),
  );

  const parts: string[] = [];
  if (opts.metadata !== undefined)
    parts.push(`"__metadata__":${JSON.stringify(checkMetadata(opts.metadata))}`);
  let offset = 0;
  for (const p of prepared) {
    const end = offset + p.bytes.length;
    parts.push(
      `${JSON.stringify(p.name)}:{"dtype":"${p.dtype}","shape":[${p.shape.join(',')}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = encoder.encode(`{${parts.join(',')}}`);
  const n = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + n + offset);
  new DataView(out.buffer).setUint32(0, n, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  let pos = 8 + n;
  for (const p of prepared) {
    out.set(p.bytes, pos);
    pos += p.bytes.length;
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function checkMetadata(metadata: unknown): Record<string, string> {
  if (!isObject(metadata))
    throw new InvalidArgumentError(
      `options.metadata: expected an object of strings, got ${describe(metadata)}`,
    );
  for (const k of Object.keys(metadata)) {
    if (typeof metadata[k] !== 'string') {
      throw new InvalidArgumentError(
        `options.metadata[${quote(k)}]: expected a string, got ${describe(metadata[k])}`,
      );
    }
  }
  return metadata as Record<string, string>;
}

interface Prepared {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  bytes: Uint8Array;
}

function prepare(
  name: string,
  value: WriteInput,
  requested: SafetensorsDType | undefined,
  global: boolean,
): Prepared {
  const where = `tensors[${quote(name)}]`;
  if (value instanceof Tensor) {
    const dtype = requested ?? (value.dtype === 'float32' ? 'F32' : 'F64');
    const c = value.contiguous();
    const src = c.data.subarray(c.offset, c.offset + c.size);
    let encoded: Float32Array | Float64Array | Uint16Array;
    if (dtype === 'F32') encoded = src instanceof Float32Array ? src : Float32Array.from(src);
    else if (dtype === 'F64') encoded = src instanceof Float64Array ? src : Float64Array.from(src);
    else if (dtype === 'F16') encoded = encodeF16(src);
    else if (dtype === 'BF16') encoded = encodeBf16(src);
    else {
      throw new InvalidArgumentError(
        `options.dtype${global ? '' : `[${quote(name)}]`}: Tensors are written as F32, F64, F16 or BF16, got ${describe(dtype)} (pass raw bytes for other dtypes)`,
      );
    }
    return { name, dtype, shape: [...value.shape], bytes: bytesOf(encoded, true) };
  }
  if (!isObject(value))
    throw new InvalidArgumentError(
      `${where}: expected a Tensor or { dtype, shape, data }, got ${describe(value)}`,
    );
  const dtype = assertOneOf(`${where}.dtype`, value.dtype, DTYPES);
  if (requested !== undefined && requested !== dtype && !global) {
    throw new InvalidArgumentError(
      `options.dtype[${quote(name)}]: raw tensors are written in their own dtype ${dtype}, got ${requested}`,
    );
  }
  const shape = value.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new InvalidArgumentError(
      `${where}.shape: expected non-negative integers, got ${describe(shape)}`,
    );
  }
  if (!(value.data instanceof Uint8Array))
    throw new InvalidArgumentError(
      `${where}.data: expected a Uint8Array, got ${describe(value.data)}`,
    );
  const numel = checkedProduct(shape);
  if (numel < 0 || numel * SAFETENSORS_ITEMSIZE[dtype] !== value.data.length) {
    throw new InvalidArgumentError(
      `${where}.data: ${dtype} [${dimsText(shape)}] needs ${numel < 0 ? 'too many' : numel * SAFETENSORS_ITEMSIZE[dtype]} bytes, got ${value.data.length}`,
    );
  }
  return { name, dtype, shape: [...shape], bytes: value.data };
}
