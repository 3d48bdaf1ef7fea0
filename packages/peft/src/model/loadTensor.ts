import {
  decodeSafetensor,
  encodeBf16,
  encodeF16,
  FormatError,
  InvalidArgumentError,
  Matrix,
  NonFiniteError,
  type SafetensorsDType,
  type Tensor,
  UnsupportedError,
} from '@lr/core';
import type { ModelInfo, ModelTensorInfo } from './openModel.js';

/** Options of {@link loadTensor}. */
export interface LoadTensorOptions {
  /** Element type of the result; default `'float32'` (F16/BF16/F32 are exact in it). */
  dtype?: 'float32' | 'float64';
  /** Throw {@link NonFiniteError} when the tensor holds NaN or ±Infinity; default false. */
  requireFinite?: boolean;
}

/** Floating dtypes a weight may have to be decomposed and written back. */
export const WEIGHT_DTYPES: readonly SafetensorsDType[] = ['F32', 'F16', 'BF16', 'F64'];

/** The info of tensor `name` of `model`, or a clear error naming the model. */
export function tensorInfo(model: ModelInfo, name: string): ModelTensorInfo {
  const info = model.tensors.get(name);
  if (!info)
    throw new InvalidArgumentError(
      `${model.store.label ?? 'model'}: no tensor ${JSON.stringify(name)}`,
    );
  return info;
}

/**
 * The raw little-endian bytes of one tensor, read on their own when the store has
 * `readRange` (else from the whole shard, read once and cached while the same shard is used).
 *
 * @throws {InvalidArgumentError} for an unknown name
 */
export async function readTensorBytes(model: ModelInfo, name: string): Promise<Uint8Array> {
  const info = tensorInfo(model, name);
  const shard = model.shards.find((s) => s.file === info.shard)!;
  const start = 8 + shard.headerLength + info.dataOffsets[0];
  const end = 8 + shard.headerLength + info.dataOffsets[1];
  const { store } = model;
  if (store.readRange) {
    const bytes = await store.readRange(info.shard, start, end);
    if (bytes.length !== end - start)
      throw new FormatError(
        `${store.label ?? 'model'}/${info.shard}: short read of ${JSON.stringify(name)} (${bytes.length} of ${end - start} bytes)`,
      );
    return bytes;
  }
  if (model._cache?.file !== info.shard) {
    model._cache = null;
    const bytes = await store.read(info.shard);
    if (bytes.length !== shard.size)
      throw new FormatError(
        `${store.label ?? 'model'}/${info.shard}: changed while reading (${bytes.length} bytes, was ${shard.size})`,
      );
    model._cache = { file: info.shard, bytes };
  }
  return model._cache.bytes.subarray(start, end);
}

/**
 * Loads one tensor of a model and decodes it (F32, F16, BF16 and F64 — weights are
 * computed in float32 or float64 and written back in their own dtype with
 * {@link encodeTensor}). A 2-D tensor comes back as a {@link Matrix}.
 *
 * @param model from {@link openModel}
 * @param name tensor name, e.g. `model.layers.0.self_attn.q_proj.weight`
 * @param options `dtype` (default float32), `requireFinite` (default false)
 * @returns a fresh tensor (never a view of the file)
 * @throws {InvalidArgumentError} for an unknown name
 * @throws {UnsupportedError} for a non-floating dtype (integers, F8)
 * @throws {NonFiniteError} with `requireFinite` when an element is NaN or ±Infinity
 * @example
 * const W = (await loadTensor(model, 'model.layers.0.mlp.up_proj.weight')) as Matrix; // 172×64
 */
export async function loadTensor(
  model: ModelInfo,
  name: string,
  options: LoadTensorOptions = {},
): Promise<Tensor> {
  const info = tensorInfo(model, name);
  if (!WEIGHT_DTYPES.includes(info.dtype))
    throw new UnsupportedError(
      `${JSON.stringify(name)}: dtype ${info.dtype} is not a weight dtype (expected ${WEIGHT_DTYPES.join(', ')})`,
    );
  const bytes = await readTensorBytes(model, name);
  const t = decodeSafetensor(
    { name, dtype: info.dtype, shape: info.shape, bytes },
    { dtype: options.dtype ?? 'float32' },
  );
  if (options.requireFinite) {
    const d = t.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i]!)) {
        const where =
          info.shape.length === 2
            ? `[${Math.floor(i / info.shape[1]!)}, ${i % info.shape[1]!}]`
            : `[${i}]`;
        throw new NonFiniteError(
          `${JSON.stringify(name)}: expected finite weights, found ${d[i]} at ${where}`,
        );
      }
    }
  }
  return info.shape.length === 2 && !(t instanceof Matrix) ? Matrix.fromTensor(t) : t;
}

/**
 * Encodes a tensor's values as little-endian bytes of a weight dtype (F16 and BF16 round
 * to nearest even; F32 rounds a float64 tensor).
 *
 * @throws {UnsupportedError} for a dtype other than F32, F16, BF16, F64
 */
export function encodeTensor(t: Tensor, dtype: SafetensorsDType): Uint8Array {
  const c = t.contiguous();
  const src = c.data.subarray(c.offset, c.offset + c.size);
  let out: Float32Array | Float64Array | Uint16Array;
  switch (dtype) {
    case 'F32':
      out = src instanceof Float32Array ? src.slice() : Float32Array.from(src);
      break;
    case 'F64':
      out = src instanceof Float64Array ? src.slice() : Float64Array.from(src);
      break;
    case 'F16':
      out = encodeF16(src);
      break;
    case 'BF16':
      out = encodeBf16(src);
      break;
    default:
      throw new UnsupportedError(`encodeTensor: cannot write dtype ${dtype}`);
  }
  return littleEndianBytes(out);
}

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function littleEndianBytes(a: Float32Array | Float64Array | Uint16Array): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE) return bytes;
  const size = a.BYTES_PER_ELEMENT;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size)
    for (let k = 0; k < size; k++) out[i + k] = bytes[i + size - 1 - k]!;
  return out;
}
