import { describe, FormatError, InvalidArgumentError, Matrix, matmul, Tensor } from '@lr/core';
import type { LowRankCompressResult } from './lowRankCompress.js';

/** Value of the `lr_format` metadata key of the LORD on-disk layout, version 1. */
export const LORD_FORMAT = 'lord-v1';
/** Suffix of the left factor P [out, r] of a low-rank layer `<name>`: `<name>.lr_P`. */
export const LORD_P_SUFFIX = '.lr_P';
/** Suffix of the right factor Q [r, in] of a low-rank layer `<name>`: `<name>.lr_Q`. */
export const LORD_Q_SUFFIX = '.lr_Q';

/**
 * A compressed model as tensors plus string metadata, ready for a safetensors writer.
 *
 * **Layout `lord-v1`** (stable; the `lr compress` / `lr decompress` commands use it):
 * - a layer `<name>` (usually `<module>.weight`, W of shape [out, in]) stored low rank is
 *   two tensors `<name>.lr_P` [out, r] and `<name>.lr_Q` [r, in] with W ≈ lr_P · lr_Q;
 * - a layer kept dense is stored under its own `<name>`, unchanged;
 * - any other tensor (norms, biases, …) passes through under its own name;
 * - `__metadata__` (all values strings): `lr_format` = `"lord-v1"`; `lr_ranks` = JSON
 *   object `{ "<name>": r }` of every low-rank layer (the decoder's source of truth);
 *   `lr_original_params`, `lr_compressed_params` (decimal integers over the compressed
 *   layers), `lr_relative_error` (decimal, √(Σ‖W − Ŵ‖²/Σ‖W‖²)), `lr_split`
 *   (`"sqrt"` or `"left"`), `lr_data_aware` (`"true"`/`"false"`).
 */
export interface CompressedTensors {
  /** name → tensor (factors share storage with the result; nothing is copied). */
  tensors: Record<string, Tensor>;
  /** safetensors `__metadata__`, string → string. */
  metadata: Record<string, string>;
}

/**
 * Lays a {@link lowRankCompress} result out as named tensors and metadata in the `lord-v1`
 * layout (see {@link CompressedTensors}). Pure: no I/O; the caller writes them (e.g. with
 * `writeSafetensors(tensors, { metadata })`).
 *
 * @param result a result of {@link lowRankCompress} (not modified)
 * @param passthrough extra tensors stored under their own names (norms, embeddings, …);
 *   a name that collides with a layer or factor name throws
 * @returns `{ tensors, metadata }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a malformed result or a name collision
 * @example
 * const { tensors, metadata } = toCompressedTensors(lowRankCompress(ws, { ratio: 0.5 }));
 * // tensors['model.layers.0.mlp.up_proj.weight.lr_P'] is [172, r]
 */
export function toCompressedTensors(
  result: LowRankCompressResult,
  passthrough?: Readonly<Record<string, Tensor>>,
): CompressedTensors {
  if (result === null || typeof result !== 'object' || !Array.isArray(result.layers))
    throw new InvalidArgumentError(
      `result: expected a result of lowRankCompress, got ${describe(result)}`,
    );
  const tensors: Record<string, Tensor> = Object.create(null);
  const put = (k: string, t: Tensor) => {
    if (k in tensors)
      throw new InvalidArgumentError(`tensor name ${JSON.stringify(k)} is used twice`);
    tensors[k] = t;
  };
  const ranks: Record<string, number> = {};
  for (const l of result.layers) {
    if (l.lowRank) {
      if (!(l.P instanceof Matrix) || !(l.Q instanceof Matrix))
        throw new InvalidArgumentError(`result.layers: ${JSON.stringify(l.name)} has no P and Q`);
      put(l.name + LORD_P_SUFFIX, l.P);
      put(l.name + LORD_Q_SUFFIX, l.Q);
      ranks[l.name] = l.rank;
    } else {
      if (!(l.dense instanceof Tensor))
        throw new InvalidArgumentError(
          `result.layers: ${JSON.stringify(l.name)} has no dense weight`,
        );
      put(l.name, l.dense);
    }
  }
  if (passthrough !== undefined && passthrough !== null) {
    for (const [k, t] of Object.entries(passthrough)) {
      if (!(t instanceof Tensor))
        throw new InvalidArgumentError(
          `passthrough[${JSON.stringify(k)}]: expected a Tensor, got ${describe(t)}`,
        );
      put(k, t);
    }
  }
  const metadata: Record<string, string> = {
    lr_format: LORD_FORMAT,
    lr_ranks: JSON.stringify(ranks),
    lr_original_params: String(result.originalParams),
    lr_compressed_params: String(result.compressedParams),
    lr_relative_error: String(result.relativeError),
    lr_split: result.split,
    lr_data_aware: String(result.dataAware),
  };
  return { tensors: { ...tensors }, metadata };
}

/**
 * Expands tensors in the `lord-v1` layout (see {@link CompressedTensors}) back to dense
 * weights: every low-rank layer named in `lr_ranks` becomes `<name>` = lr_P · lr_Q
 * (computed exactly as {@link expandCompressed} does, so the two agree bit for bit on the
 * same factors); every other tensor passes through unchanged (same object).
 *
 * @param tensors name → tensor (a record or a Map), e.g. decoded from a safetensors file
 * @param metadata the file's `__metadata__`
 * @returns a Map name → tensor with the factor pairs replaced by dense [out, in] matrices,
 *   in the order of `tensors` (each expanded layer at its P factor's position)
 * @throws {FormatError} `FORMAT` if `lr_format` is not `"lord-v1"`, `lr_ranks` is not a JSON
 *   object of positive integers, a factor is missing or stray, or the shapes disagree
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if `tensors` or `metadata` has the wrong type
 * @example
 * const dense = fromCompressedTensors(tensors, metadata);
 * dense.get('model.layers.0.mlp.up_proj.weight'); // Matrix [172, 64]
 */
export function fromCompressedTensors(
  tensors: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
  metadata: Readonly<Record<string, string>>,
): Map<string, Tensor> {
  let entries: [string, Tensor][];
  if (tensors instanceof Map) entries = [...tensors.entries()];
  else if (tensors !== null && typeof tensors === 'object') entries = Object.entries(tensors);
  else
    throw new InvalidArgumentError(
      `tensors: expected a record or Map of tensors, got ${describe(tensors)}`,
    );
  if (metadata === null || typeof metadata !== 'object')
    throw new InvalidArgumentError(`metadata: expected a string record, got ${describe(metadata)}`);
  if (metadata.lr_format !== LORD_FORMAT)
    throw new FormatError(
      `metadata.lr_format: expected ${JSON.stringify(LORD_FORMAT)}, got ${describe(metadata.lr_format)}`,
    );
  let ranks: Record<string, unknown>;
  try {
    ranks = JSON.parse(metadata.lr_ranks ?? '');
  } catch {
    throw new FormatError(
      `metadata.lr_ranks: expected a JSON object, got ${describe(metadata.lr_ranks)}`,
    );
  }
  if (ranks === null || typeof ranks !== 'object' || Array.isArray(ranks))
    throw new FormatError(`metadata.lr_ranks: expected a JSON object, got ${describe(ranks)}`);
  const byName = new Map(entries);
  for (const [k, t] of entries)
    if (!(t instanceof Tensor))
      throw new InvalidArgumentError(
        `tensors[${JSON.stringify(k)}]: expected a Tensor, got ${describe(t)}`,
      );
  const factorOf = new Map<string, string>();
  for (const [name, r] of Object.entries(ranks)) {
    if (typeof r !== 'number' || !Number.isSafeInteger(r) || r < 1)
      throw new FormatError(
        `metadata.lr_ranks[${JSON.stringify(name)}]: expected a positive integer, got ${describe(r)}`,
      );
    const P = byName.get(name + LORD_P_SUFFIX);
    const Q = byName.get(name + LORD_Q_SUFFIX);
    if (P === undefined || Q === undefined)
      throw new FormatError(
        `tensors: low-rank layer ${JSON.stringify(name)} needs both ${LORD_P_SUFFIX} and ${LORD_Q_SUFFIX}`,
      );
    if (byName.has(name))
      throw new FormatError(`tensors: ${JSON.stringify(name)} is stored both dense and low rank`);
    if (P.ndim !== 2 || Q.ndim !== 2 || P.shape[1] !== r || Q.shape[0] !== r)
      throw new FormatError(
        `tensors: ${JSON.stringify(name)} expects ${LORD_P_SUFFIX} [out, ${r}] and ${LORD_Q_SUFFIX} [${r}, in], got [${P.shape.join(', ')}] and [${Q.shape.join(', ')}]`,
      );
    factorOf.set(name + LORD_P_SUFFIX, name);
    factorOf.set(name + LORD_Q_SUFFIX, name);
  }
  const out = new Map<string, Tensor>();
  for (const [k, t] of entries) {
    const layer = factorOf.get(k);
    if (layer === undefined) {
      if (k.endsWith(LORD_P_SUFFIX) || k.endsWith(LORD_Q_SUFFIX))
        throw new FormatError(
          `tensors: ${JSON.stringify(k)} is a factor of no layer listed in lr_ranks`,
        );
      out.set(k, t);
    } else if (k.endsWith(LORD_P_SUFFIX)) {
      const P = Matrix.fromTensor(t);
      const Q = Matrix.fromTensor(byName.get(layer + LORD_Q_SUFFIX)!);
      out.set(layer, matmul(P, Q));
    }
  }
  return out;
}
