import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  decodeSafetensor,
  Matrix,
  parseSafetensorsHeader,
  readCsv,
  readMatrixMarket,
  readNpy,
  safetensorsHeaderLength,
  type Tensor,
} from '@lr/core';
import { CliError } from '../errors.js';

/** File formats lr reads, chosen by extension (optionally followed by `.gz`). */
export type FileKind = 'safetensors' | 'npy' | 'mtx' | 'csv';

const KINDS: Record<string, FileKind> = {
  '.safetensors': 'safetensors',
  '.npy': 'npy',
  '.mtx': 'mtx',
  '.csv': 'csv',
};

/** What `lr info` lists for each tensor of a file. */
export interface TensorInfo {
  /** Tensor name: the safetensors key; `array` (.npy), `matrix` (.mtx), `table` (.csv). */
  name: string;
  /**
   * Element type as the file stores it: the safetensors dtype (`F32`, `BF16`, …), the
   * .npy dtype (`float64`, `uint8`, …), MatrixMarket `field/format` (`real/coordinate`,
   * `integer/array`, `pattern/coordinate`, …), or `float64` for CSV (parsed as numbers).
   */
  dtype: string;
  shape: number[];
}

/** A tensor read from a file, decoded to float32/float64. */
export interface LoadedTensor extends TensorInfo {
  tensor: Tensor;
}

/**
 * The format of `path` from its extension: `.safetensors`, `.npy`, `.mtx` or `.csv`,
 * each optionally gzip-compressed (`.csv.gz`).
 *
 * @throws {CliError} for any other extension
 */
export function fileKind(path: string): { kind: FileKind; gzip: boolean } {
  const name = basename(path).toLowerCase();
  const gzip = name.endsWith('.gz');
  const stem = gzip ? name.slice(0, -3) : name;
  const dot = stem.lastIndexOf('.');
  const kind = dot >= 0 ? KINDS[stem.slice(dot)] : undefined;
  if (!kind) {
    throw new CliError(
      'unsupported file type (expected .safetensors, .npy, .mtx or .csv, optionally .gz)',
    );
  }
  return { kind, gzip };
}

/**
 * The bytes of a file, gunzipped when `gzip` (default: when the name ends in `.gz`).
 *
 * @throws {CliError} for a corrupt gzip stream; Node's ENOENT etc. for a missing file
 */
export function readInputBytes(
  path: string,
  gzip = path.toLowerCase().endsWith('.gz'),
): Uint8Array {
  return readAll(path, gzip);
}

function readAll(path: string, gzip: boolean): Uint8Array {
  const raw = readFileSync(path);
  if (!gzip) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  try {
    const out = gunzipSync(raw);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    throw new CliError(`not a valid gzip file (${(err as Error).message})`);
  }
}

function readRange(fd: number, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  while (at < length) {
    const n = readSync(fd, out, at, length - at, position + at);
    if (n === 0)
      throw new CliError(
        `file ended at byte ${position + at} while reading ${length} bytes at ${position}`,
      );
    at += n;
  }
  return out;
}

/**
 * Reads only the head of a safetensors file (8 bytes, then the N-byte JSON header) and
 * parses it, so listing a multi-gigabyte checkpoint reads a few kilobytes.
 */
function safetensorsHeaderOf(fd: number) {
  const size = fstatSync(fd).size;
  const prefix = readRange(fd, 0, Math.min(8, size));
  const n = safetensorsHeaderLength(prefix, size);
  return { size, header: parseSafetensorsHeader(readRange(fd, 0, 8 + n), size) };
}

function withFd<T>(path: string, fn: (fd: number) => T): T {
  const fd = openSync(path, 'r');
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}

function mtxDtype(field: string, format: string): string {
  return `${field}/${format}`;
}

/**
 * Lists the tensors of a file without decoding data where the format allows it
 * (safetensors: header only).
 *
 * @param path file path (absolute, or relative to the process's working directory)
 * @throws {CliError} for an unsupported extension; LrError `FORMAT` for a malformed file;
 *   Node's ENOENT etc. for a missing file
 */
export function listTensors(path: string): TensorInfo[] {
  const { kind, gzip } = fileKind(path);
  if (kind === 'safetensors' && !gzip) {
    return withFd(path, (fd) =>
      safetensorsHeaderOf(fd).header.tensors.map((t) => ({
        name: t.name,
        dtype: t.dtype,
        shape: [...t.shape],
      })),
    );
  }
  return loadAll(path, kind, gzip).map(({ name, dtype, shape }) => ({ name, dtype, shape }));
}

function loadAll(path: string, kind: FileKind, gzip: boolean): LoadedTensor[] {
  const bytes = readAll(path, gzip);
  switch (kind) {
    case 'safetensors': {
      const header = parseSafetensorsHeader(bytes);
      const base = 8 + header.headerLength;
      return header.tensors.map((t) => ({
        name: t.name,
        dtype: t.dtype,
        shape: [...t.shape],
        tensor: decodeSafetensor({
          ...t,
          bytes: bytes.subarray(base + t.dataOffsets[0], base + t.dataOffsets[1]),
        }),
      }));
    }
    case 'npy': {
      const npy = readNpy(bytes);
      return [
        { name: 'array', dtype: String(npy.dtype), shape: [...npy.shape], tensor: npy.tensor },
      ];
    }
    case 'mtx': {
      const mm = readMatrixMarket(bytes);
      const m = mm.dense ?? mm.coo?.toDense();
      if (!m) throw new CliError('MatrixMarket file has neither dense nor coordinate data');
      return [
        {
          name: 'matrix',
          dtype: mtxDtype(mm.field, mm.format),
          shape: [mm.rows, mm.cols],
          tensor: m,
        },
      ];
    }
    case 'csv': {
      const csv = readCsv(bytes, { header: 'auto' });
      return [{ name: 'table', dtype: 'float64', shape: [csv.rows, csv.cols], tensor: csv.matrix }];
    }
  }
}

function missingTensor(names: string[], asked: string | undefined): CliError {
  const list = names.map((n) => `'${n}'`).join(', ');
  return asked === undefined
    ? new CliError(`has ${names.length} tensors; choose one with --tensor NAME: ${list}`)
    : new CliError(`no tensor named '${asked}'; the file has ${list}`);
}

/**
 * Loads one tensor of a file. A file with several tensors (safetensors) needs `name`;
 * single-tensor formats accept their listed name (`array`, `matrix`, `table`) or none.
 * For an uncompressed safetensors file only the header and that tensor's bytes are read.
 *
 * @throws {CliError} when `name` is missing or unknown (the message lists the names)
 */
export function loadTensor(path: string, name?: string): LoadedTensor {
  const { kind, gzip } = fileKind(path);
  if (kind === 'safetensors' && !gzip) {
    return withFd(path, (fd) => {
      const { header } = safetensorsHeaderOf(fd);
      const names = header.tensors.map((t) => t.name);
      const t =
        name === undefined
          ? header.tensors.length === 1
            ? header.tensors[0]
            : undefined
          : header.tensors.find((x) => x.name === name);
      if (!t) throw missingTensor(names, name);
      const base = 8 + header.headerLength;
      const bytes = readRange(fd, base + t.dataOffsets[0], t.dataOffsets[1] - t.dataOffsets[0]);
      return {
        name: t.name,
        dtype: t.dtype,
        shape: [...t.shape],
        tensor: decodeSafetensor({ ...t, bytes }),
      };
    });
  }
  const all = loadAll(path, kind, gzip);
  const t =
    name === undefined ? (all.length === 1 ? all[0] : undefined) : all.find((x) => x.name === name);
  if (!t)
    throw missingTensor(
      all.map((x) => x.name),
      name,
    );
  return t;
}

/**
 * The tensor as a matrix for the SVD: 2-d as is, N-d (N > 2) reshaped to
 * (shape[0], product of the rest), as for a convolution kernel (out, in·kh·kw).
 *
 * @throws {CliError} for 0-d and 1-d tensors
 */
export function asMatrixForSvd(t: LoadedTensor): Matrix {
  const { tensor } = t;
  if (tensor.ndim < 2) {
    throw new CliError(
      `tensor '${t.name}' is ${tensor.ndim}-d (shape [${tensor.shape.join(', ')}]); the SVD needs a matrix (2-d or more)`,
    );
  }
  const m = tensor.shape[0]!;
  const rest = tensor.shape.slice(1).reduce((a, b) => a * b, 1);
  return Matrix.fromTensor(tensor.ndim === 2 ? tensor : tensor.reshape([m, rest]));
}
