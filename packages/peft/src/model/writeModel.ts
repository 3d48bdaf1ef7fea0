import {
  InvalidArgumentError,
  SAFETENSORS_ITEMSIZE,
  type SafetensorsDType,
  ShapeError,
  type Tensor,
} from '@lr/core';
import { encodeTensor, readTensorBytes } from './loadTensor.js';
import { MODEL_FILES, type ModelInfo, type ModelTensorInfo } from './openModel.js';
import { type ModelSink, openWriter } from './store.js';

/** Options of {@link rewriteModel}. */
export interface RewriteModelOptions {
  /**
   * Called once per tensor, in file order; return the new values (same shape; written in
   * the tensor's own dtype) or undefined to copy the tensor's bytes unchanged.
   */
  transform(info: ModelTensorInfo): Promise<Tensor | undefined> | Tensor | undefined;
  /** Other files of the folder to copy as they are (tokenizer files, …); default none. */
  copyFiles?: readonly string[];
}

/**
 * Writes a copy of a model folder with some tensors replaced: the residual base model of
 * PiSSA-like methods, or a merged model. Every shard keeps its name, header bytes
 * (dtypes, shapes, offsets, metadata) and tensor order; `config.json` and the shard index
 * are copied byte for byte. Streams tensor by tensor when the sink has `create`, so memory
 * stays near the largest tensor (plus whatever `transform` holds).
 *
 * @param model the input, from {@link openModel}
 * @param sink the output folder
 * @param options `transform` and `copyFiles`
 * @throws {ShapeError} when `transform` returns a tensor of another shape
 */
export async function rewriteModel(
  model: ModelInfo,
  sink: ModelSink,
  options: RewriteModelOptions,
): Promise<void> {
  const { store } = model;
  for (const shard of model.shards) {
    const head = store.readRange
      ? await store.readRange(shard.file, 0, 8 + shard.headerLength)
      : (await store.read(shard.file)).subarray(0, 8 + shard.headerLength);
    const w = await openWriter(sink, shard.file);
    await w.write(head);
    for (const name of shard.tensors) {
      const info = model.tensors.get(name)!;
      const t = await options.transform(info);
      if (t === undefined) {
        await w.write(await readTensorBytes(model, name));
        continue;
      }
      if (t.shape.length !== info.shape.length || t.shape.some((d, i) => d !== info.shape[i]))
        throw new ShapeError(
          `${name}: the new tensor must keep the shape [${info.shape}], got [${t.shape}]`,
        );
      await w.write(encodeTensor(t, info.dtype));
    }
    await w.close();
  }
  const copies = [
    ...(model.config ? [MODEL_FILES.config] : []),
    ...(model.sharded ? [MODEL_FILES.index] : []),
    ...(options.copyFiles ?? []),
  ];
  for (const f of new Set(copies)) await sink.write(f, await store.read(f));
}

/** One tensor to write with {@link writeModel}. */
export interface ModelTensorPlan {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  /** Shard file; default `model.safetensors`. */
  shard?: string;
}

/** Options of {@link writeModel}. */
export interface WriteModelOptions {
  /** The tensors (names unique), their dtypes, shapes and shards. */
  tensors: readonly ModelTensorPlan[];
  /** Produces one tensor's values (encoded to its planned dtype) or its raw bytes. */
  produce(plan: ModelTensorPlan): Promise<Tensor | Uint8Array> | Tensor | Uint8Array;
  /** `config.json` to write (an object or the original bytes); default none. */
  config?: Record<string, unknown> | Uint8Array | null;
  /** `__metadata__` of every shard; default `{"format": "pt"}`. */
  metadata?: Record<string, string>;
}

/**
 * Writes a model folder from a plan, one tensor at a time: each shard's header is built
 * from the plan first (tensors laid out by descending item size, then name, as the
 * safetensors reference writer does), then `produce` is called per tensor in that order.
 * More than one shard also writes `model.safetensors.index.json`.
 *
 * @throws {InvalidArgumentError} for duplicate names or a produced tensor of the wrong size
 */
export async function writeModel(sink: ModelSink, options: WriteModelOptions): Promise<void> {
  const byShard = new Map<string, ModelTensorPlan[]>();
  const seen = new Set<string>();
  for (const p of options.tensors) {
    if (seen.has(p.name)) throw new InvalidArgumentError(`tensors: duplicate name ${p.name}`);
    seen.add(p.name);
    const s = p.shard ?? MODEL_FILES.single;
    if (!/^[^/\\]+\.safetensors$/.test(s))
      throw new InvalidArgumentError(
        `tensors[${p.name}].shard: expected a .safetensors file name, got ${s}`,
      );
    byShard.set(s, [...(byShard.get(s) ?? []), p]);
  }
  const enc = new TextEncoder();
  const weightMap: Record<string, string> = {};
  let totalSize = 0;
  for (const [file, plans] of byShard) {
    const order = [...plans].sort(
      (a, b) =>
        SAFETENSORS_ITEMSIZE[b.dtype] - SAFETENSORS_ITEMSIZE[a.dtype] ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    const parts = [`"__metadata__":${JSON.stringify(options.metadata ?? { format: 'pt' })}`];
    let offset = 0;
    for (const p of order) {
      const n = p.shape.reduce((a, b) => a * b, 1) * SAFETENSORS_ITEMSIZE[p.dtype];
      parts.push(
        `${JSON.stringify(p.name)}:{"dtype":"${p.dtype}","shape":[${p.shape.join(',')}],"data_offsets":[${offset},${offset + n}]}`,
      );
      offset += n;
      weightMap[p.name] = file;
    }
    totalSize += offset;
    const json = enc.encode(`{${parts.join(',')}}`);
    const n = Math.ceil(json.length / 8) * 8;
    const head = new Uint8Array(8 + n).fill(0x20, 8 + json.length);
    new DataView(head.buffer).setUint32(0, n, true);
    head.set(json, 8);
    const w = await openWriter(sink, file);
    await w.write(head);
    for (const p of order) {
      const v = await options.produce(p);
      const bytes = v instanceof Uint8Array ? v : encodeTensor(checkShape(v, p), p.dtype);
      const want = p.shape.reduce((a, b) => a * b, 1) * SAFETENSORS_ITEMSIZE[p.dtype];
      if (bytes.length !== want)
        throw new InvalidArgumentError(
          `${p.name}: produced ${bytes.length} bytes, expected ${want} (${p.dtype} [${p.shape}])`,
        );
      await w.write(bytes);
    }
    await w.close();
  }
  if (byShard.size > 1 || (byShard.size === 1 && !byShard.has(MODEL_FILES.single))) {
    await sink.write(
      MODEL_FILES.index,
      `${JSON.stringify({ metadata: { total_size: totalSize }, weight_map: sortKeys(weightMap) }, null, 2)}\n`,
    );
  }
  if (options.config) {
    await sink.write(
      MODEL_FILES.config,
      options.config instanceof Uint8Array
        ? options.config
        : `${JSON.stringify(options.config, null, 2)}\n`,
    );
  }
}

function checkShape(t: Tensor, p: ModelTensorPlan): Tensor {
  if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i]))
    throw new ShapeError(`${p.name}: produced shape [${t.shape}], planned [${p.shape}]`);
  return t;
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
