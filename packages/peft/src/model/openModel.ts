import {
  FormatError,
  parseSafetensorsHeader,
  type SafetensorsDType,
  safetensorsHeaderLength,
} from '@lr/core';
import type { ModelStore } from './store.js';

/** File names of a Hugging Face model folder. */
export const MODEL_FILES = Object.freeze({
  config: 'config.json',
  single: 'model.safetensors',
  index: 'model.safetensors.index.json',
});

/** One tensor of a model: where it lives and what it holds. */
export interface ModelTensorInfo {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  /** The shard file holding it (`model.safetensors` when not sharded). */
  shard: string;
  /** `[begin, end)` relative to the shard's data buffer. */
  dataOffsets: [number, number];
}

/** One safetensors file of a model. */
export interface ModelShard {
  file: string;
  /** N, the JSON header length; data starts at byte 8 + N. */
  headerLength: number;
  /** File length in bytes. */
  size: number;
  /** `__metadata__` of the file. */
  metadata: Record<string, string>;
  /** Its tensors in data-offset order. */
  tensors: string[];
}

/** An opened model folder: config and tensor index; no tensor data is read yet. */
export interface ModelInfo {
  readonly store: ModelStore;
  /** Parsed `config.json`, or null when the folder has none. */
  config: Record<string, unknown> | null;
  /** Tensor name → info, in file order (shard by shard, by data offset). */
  tensors: Map<string, ModelTensorInfo>;
  shards: ModelShard[];
  /** True when read through `model.safetensors.index.json`. */
  sharded: boolean;
  /** The index's `metadata` (e.g. `total_size`) when sharded. */
  indexMetadata: Record<string, unknown> | null;
  /** Internal: the last whole shard read, when the store has no `readRange`. */
  _cache: { file: string; bytes: Uint8Array } | null;
}

const SHARD_NAME = /^[^/\\]+\.safetensors$/;

function label(store: ModelStore, file?: string): string {
  const base = store.label ?? 'model';
  return file ? `${base}/${file}` : base;
}

async function tryRead(store: ModelStore, name: string): Promise<Uint8Array | null> {
  try {
    return await store.read(name);
  } catch {
    return null;
  }
}

function parseJson(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new FormatError(`${where}: not valid JSON (${(err as Error).message})`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Opens a Hugging Face model folder: `config.json` (optional) and either
 * `model.safetensors` or the shards named by `model.safetensors.index.json`
 * (`{"metadata": {...}, "weight_map": {tensor: shard file}}`). Reads and validates only
 * the safetensors headers (with `readRange`/`size`) — see {@link ModelStore}.
 *
 * @param store the folder
 * @returns config, tensor index (name → dtype, shape, shard) and shards
 * @throws {FormatError} when no weights file exists, a header or the index is corrupt, the
 *   index and the shards disagree, or a tensor name appears twice
 * @example
 * const model = await openModel(memoryStore({ 'model.safetensors': bytes }));
 * model.tensors.get('model.layers.0.self_attn.q_proj.weight'); // { dtype: 'F32', shape: [64, 64], … }
 */
export async function openModel(store: ModelStore): Promise<ModelInfo> {
  const listed = store.list ? new Set(await store.list()) : null;
  const has = (n: string) => listed === null || listed.has(n);

  let config: Record<string, unknown> | null = null;
  if (has(MODEL_FILES.config)) {
    const bytes = await tryRead(store, MODEL_FILES.config);
    if (bytes) {
      const json = parseJson(bytes, label(store, MODEL_FILES.config));
      if (!isRecord(json))
        throw new FormatError(`${label(store, MODEL_FILES.config)}: expected a JSON object`);
      config = json;
    }
  }

  let weightMap: Record<string, string> | null = null;
  let indexMetadata: Record<string, unknown> | null = null;
  const indexBytes = has(MODEL_FILES.index) ? await tryRead(store, MODEL_FILES.index) : null;
  if (indexBytes) {
    const where = label(store, MODEL_FILES.index);
    const json = parseJson(indexBytes, where);
    if (!isRecord(json) || !isRecord(json.weight_map))
      throw new FormatError(`${where}: expected {"weight_map": {tensor: file, …}}`);
    for (const [k, v] of Object.entries(json.weight_map)) {
      if (typeof v !== 'string' || !SHARD_NAME.test(v) || v.startsWith('.'))
        throw new FormatError(
          `${where}: weight_map[${JSON.stringify(k)}] must be a .safetensors file name in the folder, got ${JSON.stringify(v)}`,
        );
    }
    weightMap = json.weight_map as Record<string, string>;
    indexMetadata = isRecord(json.metadata) ? json.metadata : {};
  }

  const files = weightMap ? [...new Set(Object.values(weightMap))].sort() : [MODEL_FILES.single];
  if (!weightMap && !has(MODEL_FILES.single))
    throw new FormatError(
      `${label(store)}: no ${MODEL_FILES.single} or ${MODEL_FILES.index} (not a model folder)`,
    );

  const model: ModelInfo = {
    store,
    config,
    tensors: new Map(),
    shards: [],
    sharded: weightMap !== null,
    indexMetadata,
    _cache: null,
  };
  for (const file of files) {
    if (listed && !listed.has(file))
      throw new FormatError(`${label(store, file)}: no such file (named by ${MODEL_FILES.index})`);
    let head: Awaited<ReturnType<typeof readHeader>>;
    try {
      head = await readHeader(model, file);
    } catch (err) {
      // Without a listing, a missing single file shows up as a failed read.
      if (listed === null && !weightMap && !(err instanceof FormatError))
        throw new FormatError(
          `${label(store)}: cannot read ${MODEL_FILES.single} (not a model folder?): ${(err as Error).message}`,
        );
      throw err;
    }
    const { header, size } = head;
    const infos = header.tensors
      .map((t) => ({ ...t, shard: file }))
      .sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0]);
    for (const t of infos) {
      if (model.tensors.has(t.name))
        throw new FormatError(
          `${label(store, file)}: tensor ${JSON.stringify(t.name)} is also in ${model.tensors.get(t.name)!.shard}`,
        );
      if (weightMap && weightMap[t.name] !== file)
        throw new FormatError(
          `${label(store, file)}: tensor ${JSON.stringify(t.name)} is ${weightMap[t.name] === undefined ? 'missing from' : `mapped to ${weightMap[t.name]} in`} ${MODEL_FILES.index}`,
        );
      model.tensors.set(t.name, {
        name: t.name,
        dtype: t.dtype,
        shape: t.shape,
        shard: file,
        dataOffsets: t.dataOffsets,
      });
    }
    model.shards.push({
      file,
      headerLength: header.headerLength,
      size,
      metadata: header.metadata,
      tensors: infos.map((t) => t.name),
    });
  }
  if (weightMap) {
    for (const [name, file] of Object.entries(weightMap)) {
      if (!model.tensors.has(name))
        throw new FormatError(
          `${label(store, MODEL_FILES.index)}: tensor ${JSON.stringify(name)} is not in ${file}`,
        );
    }
  }
  return model;
}

async function readHeader(model: ModelInfo, file: string) {
  const { store } = model;
  const where = label(store, file);
  try {
    if (store.readRange && store.size) {
      const size = await store.size(file);
      const prefix = await store.readRange(file, 0, Math.min(8, size));
      const n = safetensorsHeaderLength(prefix, size);
      const head = await store.readRange(file, 0, 8 + n);
      return { header: parseSafetensorsHeader(head, size), size };
    }
    const bytes = await store.read(file);
    model._cache = { file, bytes };
    return { header: parseSafetensorsHeader(bytes), size: bytes.length };
  } catch (err) {
    if (err instanceof FormatError) throw new FormatError(`${where}: ${err.message}`);
    throw err;
  }
}
