// Shared byte-level helpers for the format readers and writers (not public API).
import { FormatError } from '../errors.js';

/** True when this platform stores multi-byte numbers little-endian (every current browser and Node). */
export const PLATFORM_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Typed-array constructors the readers view bytes through. */
export type NumericArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/**
 * Elements stored in `bytes` (length already validated as a multiple of the item size) as
 * a typed array of native byte order. A view without copying when the byte order matches
 * and the data is aligned; otherwise a copy (byte-swapped where needed). Assumes validated
 * input.
 */
export function elementView<C extends NumericArrayConstructor>(
  bytes: Uint8Array,
  Ctor: C,
  littleEndian: boolean,
): InstanceType<C> {
  const size = Ctor.BYTES_PER_ELEMENT;
  const n = bytes.length / size;
  if (size === 1 || littleEndian === PLATFORM_LITTLE_ENDIAN) {
    if (bytes.byteOffset % size === 0)
      return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, n) as InstanceType<C>;
    return new Ctor(bytes.slice().buffer, 0, n) as InstanceType<C>;
  }
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) {
    for (let k = 0; k < size; k++) swapped[i + k] = bytes[i + size - 1 - k]!;
  }
  return new Ctor(swapped.buffer, 0, n) as InstanceType<C>;
}

/**
 * The bytes of a typed array in the requested byte order (a fresh copy, so callers may
 * place it anywhere).
 */
export function bytesOf(
  values: ArrayBufferView & { length: number; BYTES_PER_ELEMENT: number },
  littleEndian: boolean,
): Uint8Array {
  const size = values.BYTES_PER_ELEMENT;
  const src = new Uint8Array(values.buffer, values.byteOffset, values.length * size);
  if (size === 1 || littleEndian === PLATFORM_LITTLE_ENDIAN) return src.slice();
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += size) {
    for (let k = 0; k < size; k++) out[i + k] = src[i + size - 1 - k]!;
  }
  return out;
}

/**
 * Product of `dims` with overflow detection: returns -1 if any partial product exceeds
 * `Number.MAX_SAFE_INTEGER` (checked in order, like the reference safetensors
 * `checked_mul` fold).
 */
export function checkedProduct(dims: readonly number[], start = 1): number {
  let n = start;
  for (const d of dims) {
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) return -1;
  }
  return n;
}

/** Decodes UTF-8 strictly, turning a bad byte sequence into a FormatError. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FormatError(`${what}: invalid UTF-8`);
  }
}

/** Decodes bytes as Latin-1 (each byte one code point), as numpy's version 1/2 headers are. */
export function decodeLatin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

/** Short, safe rendering of a name read from a file, for error messages. */
export function quote(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/** A shape for error messages, shortened when it has many dimensions. */
export function dimsText(shape: readonly number[]): string {
  return shape.length <= 8
    ? shape.join(', ')
    : `${shape.slice(0, 8).join(', ')}, … (${shape.length} dimensions)`;
}
