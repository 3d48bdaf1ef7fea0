import {
  decodeSafetensor,
  FormatError,
  Matrix,
  matmul,
  normFro,
  SAFETENSORS_ITEMSIZE,
  type SafetensorsDType,
} from '@lr/core';
import {
  type CompressedLayer,
  encodeTensor,
  fromCompressedTensors,
  LORD_FORMAT,
  LORD_P_SUFFIX,
  LORD_Q_SUFFIX,
  loadTensor,
  lowRankCompress,
  type ModelInfo,
  type ModelTensorPlan,
  openModel,
  readTensorBytes,
  selectTargets,
  type TargetModule,
  writeModel,
} from '@lr/peft';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError, withSubject } from '../errors.js';
import { formatBytes, formatSeconds, table } from '../format.js';
import { folderStore, sideFiles, withOutputFolder } from '../io/modelFolder.js';
import { parseOpenFraction, parsePositiveInt } from '../parse.js';
import { parseTargets } from './peft.js';

/** One compressed layer as `lr compress` reports it. */
export interface CompressRow {
  module: string;
  shape: [number, number];
  /** Rank kept, or min(out, in) when the layer stays dense. */
  rank: number;
  lowRank: boolean;
  /** ‖W − P·Q‖_F / ‖W‖_F with P, Q as stored (rounded to the file's dtype). */
  relativeError: number;
  /** Σ kept σ² / Σ σ². */
  energy: number;
  params: number;
  originalParams: number;
}

/** What `lr compress` computed: per-layer rows and totals. */
export interface CompressSummary {
  layers: CompressRow[];
  originalParams: number;
  compressedParams: number;
  /** √(Σ‖W − Ŵ‖² / Σ‖W‖²) over the compressed layers, with the factors as stored. */
  relativeError: number;
  inputBytes: number;
  outputBytes: number;
}

interface CompressFlags {
  model: string;
  rank?: number;
  energy?: number;
  ratio?: number;
  targets?: string;
  out: string;
  json?: boolean;
  force?: boolean;
}

async function openFolder(ctx: CommandContext, dir: string, flag: string) {
  const abs = ctx.resolve(dir);
  const store = folderStore(abs, dir);
  try {
    return { abs, model: await openModel(store) };
  } catch (err) {
    return withSubject(`${flag} ${dir}`, () => {
      throw err;
    });
  }
}

interface StoredLayer {
  target: TargetModule;
  dtype: SafetensorsDType;
  layer: CompressedLayer;
  P?: Uint8Array;
  Q?: Uint8Array;
  err2: number;
  norm2: number;
}

/** Rounds a factor to the file dtype and back, so errors are those of the stored model. */
function stored(M: Matrix, dtype: SafetensorsDType): { bytes: Uint8Array; M: Matrix } {
  const bytes = encodeTensor(M, dtype);
  const back = decodeSafetensor({ dtype, shape: [M.rows, M.cols], bytes }, { dtype: 'float64' });
  return { bytes, M: Matrix.fromTensor(back) };
}

async function compressCommand(flags: CompressFlags, ctx: CommandContext): Promise<void> {
  const t0 = performance.now();
  const given = [flags.rank, flags.energy, flags.ratio].filter((x) => x !== undefined).length;
  if (given !== 1) throw new CliError('give exactly one of --rank R, --energy E, --ratio X');
  const { abs, model } = await openFolder(ctx, flags.model, '--model');
  const targets = withSubject(`--model ${flags.model}`, () =>
    selectTargets(model, parseTargets(flags.targets) ?? 'all-linear'),
  );
  if (flags.rank !== undefined) {
    for (const t of targets) {
      const k = Math.min(...t.shape);
      if (flags.rank > k)
        throw new CliError(
          `--rank ${flags.rank} exceeds min(out, in) = ${k} of ${t.module} [${t.shape[0]}×${t.shape[1]}]`,
        );
    }
  }
  const progress = ctx.progress();
  const load = async (t: TargetModule) => {
    try {
      return (await loadTensor(model, t.weight, {
        dtype: 'float64',
        requireFinite: true,
      })) as Matrix;
    } catch (err) {
      return withSubject(t.weight, () => {
        throw err;
      });
    }
  };
  const layers: StoredLayer[] = [];
  const finish = (t: TargetModule, W: Matrix, layer: CompressedLayer) => {
    const dtype = model.tensors.get(t.weight)!.dtype;
    const s: StoredLayer = { target: t, dtype, layer, err2: 0, norm2: normFro(W) ** 2 };
    if (layer.lowRank) {
      const P = stored(layer.P!, dtype);
      const Q = stored(layer.Q!, dtype);
      const R = matmul(P.M, Q.M);
      let e = 0;
      for (let i = 0; i < W.data.length; i++) e += (W.data[i]! - R.data[i]!) ** 2;
      Object.assign(s, { P: P.bytes, Q: Q.bytes, err2: e });
    }
    layer.P = null;
    layer.Q = null;
    layer.dense = null;
    layers.push(s);
  };
  if (flags.ratio !== undefined) {
    // A global budget needs every spectrum at once: all targets are held in memory.
    const Ws = new Map<string, Matrix>();
    for (const [i, t] of targets.entries()) {
      progress.update(`reading ${t.module}`, i + 1, targets.length);
      Ws.set(t.weight, await load(t));
    }
    progress.update('SVD of every target');
    const res = withSubject(`--model ${flags.model}`, () =>
      lowRankCompress(Ws, {
        ratio: flags.ratio,
        onProgress: (p) => progress.update(`SVD ${p.name}`, p.index + 1, p.total),
      }),
    );
    for (const t of targets) {
      const layer = res.layers.find((l) => l.name === t.weight)!;
      finish(t, Ws.get(t.weight)!, layer);
      Ws.delete(t.weight);
    }
  } else {
    for (const [i, t] of targets.entries()) {
      progress.update(`compress ${t.module}`, i + 1, targets.length);
      const W = await load(t);
      const res = withSubject(t.module, () =>
        lowRankCompress(new Map([[t.weight, W]]), {
          ...(flags.rank !== undefined ? { rank: flags.rank } : { energy: flags.energy }),
        }),
      );
      finish(t, W, res.layers[0]!);
    }
  }
  progress.done();

  const byWeight = new Map(layers.map((l) => [l.target.weight, l]));
  const plan: ModelTensorPlan[] = [];
  for (const info of model.tensors.values()) {
    const l = byWeight.get(info.name);
    if (l?.layer.lowRank) {
      const [out, inp] = l.target.shape;
      const r = l.layer.rank;
      plan.push({ name: info.name + LORD_P_SUFFIX, dtype: info.dtype, shape: [out, r] });
      plan.push({ name: info.name + LORD_Q_SUFFIX, dtype: info.dtype, shape: [r, inp] });
    } else plan.push({ name: info.name, dtype: info.dtype, shape: [...info.shape] });
  }
  const originalParams = layers.reduce((s, l) => s + l.layer.originalParams, 0);
  const compressedParams = layers.reduce((s, l) => s + l.layer.params, 0);
  const err2 = layers.reduce((s, l) => s + l.err2, 0);
  const norm2 = layers.reduce((s, l) => s + l.norm2, 0);
  const relativeError = norm2 > 0 ? Math.sqrt(err2 / norm2) : 0;
  const ranks: Record<string, number> = {};
  for (const l of layers) if (l.layer.lowRank) ranks[l.target.weight] = l.layer.rank;
  const metadata = {
    format: 'pt',
    lr_format: LORD_FORMAT,
    lr_ranks: JSON.stringify(ranks),
    lr_original_params: String(originalParams),
    lr_compressed_params: String(compressedParams),
    lr_relative_error: String(relativeError),
    lr_split: 'sqrt',
    lr_data_aware: 'false',
  };
  const factorOf = new Map<string, [StoredLayer, 'P' | 'Q']>();
  for (const l of layers) {
    if (!l.layer.lowRank) continue;
    factorOf.set(l.target.weight + LORD_P_SUFFIX, [l, 'P']);
    factorOf.set(l.target.weight + LORD_Q_SUFFIX, [l, 'Q']);
  }
  await withOutputFolder(
    ctx.resolve(flags.out),
    { force: flags.force, inputs: [abs], label: flags.out },
    async (out) => {
      await writeModel(out.sink, {
        tensors: plan,
        produce: async (p) => {
          const f = factorOf.get(p.name);
          if (f) return f[0][f[1]]!;
          return readTensorBytes(model, p.name);
        },
        config: model.config ? await model.store.read('config.json') : null,
        metadata,
      });
      for (const f of sideFiles(abs)) await out.sink.write(f, await model.store.read(f));
    },
  );
  const inputBytes = model.shards.reduce((s, sh) => s + sh.size, 0);
  const outputBytes = plan.reduce(
    (s, p) => s + p.shape.reduce((a, b) => a * b, 1) * SAFETENSORS_ITEMSIZE[p.dtype],
    0,
  );
  const rows: CompressRow[] = layers.map((l) => ({
    module: l.target.module,
    shape: l.target.shape,
    rank: l.layer.rank,
    lowRank: l.layer.lowRank,
    relativeError: l.norm2 > 0 ? Math.sqrt(l.err2 / l.norm2) : 0,
    energy: l.layer.energy,
    params: l.layer.params,
    originalParams: l.layer.originalParams,
  }));
  const summary: CompressSummary = {
    layers: rows,
    originalParams,
    compressedParams,
    relativeError,
    inputBytes,
    outputBytes,
  };
  const seconds = (performance.now() - t0) / 1000;
  if (flags.json) {
    ctx.out(JSON.stringify({ command: 'compress', out: flags.out, ...summary, seconds }));
    return;
  }
  const how =
    flags.rank !== undefined
      ? `rank ${flags.rank}`
      : flags.energy !== undefined
        ? `${100 * flags.energy}% energy per layer`
        : `parameter budget ${100 * flags.ratio!}%`;
  ctx.out(
    `LORD low-rank compression of ${flags.model} (${how}): ${rows.length} layers, ${originalParams.toLocaleString('en-US')} → ${compressedParams.toLocaleString('en-US')} parameters (${((100 * compressedParams) / originalParams).toFixed(1)}%), relative error ${relativeError.toExponential(3)}, in ${formatSeconds(seconds)}`,
  );
  ctx.out(
    table(
      ['module', 'shape', 'rank', 'rel. error', 'energy', 'params'],
      rows.map((r) => [
        r.module,
        `${r.shape[0]}×${r.shape[1]}`,
        r.lowRank ? String(r.rank) : 'dense',
        r.relativeError.toExponential(2),
        `${(100 * r.energy).toFixed(2)}%`,
        `${((100 * r.params) / r.originalParams).toFixed(0)}%`,
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  ctx.out(
    `wrote ${flags.out}/model.safetensors (${formatBytes(outputBytes)} of tensors, was ${formatBytes(inputBytes)}); lr decompress --model ${flags.out} --out DIR expands it`,
  );
}

interface DecompressFlags {
  model: string;
  out: string;
  json?: boolean;
  force?: boolean;
}

/** The `lord-v1` ranks of a compressed model (every shard must carry the layout). */
function lordRanks(model: ModelInfo, label: string): Record<string, number> {
  const ranks: Record<string, number> = {};
  for (const sh of model.shards) {
    if (sh.metadata.lr_format !== LORD_FORMAT)
      throw new CliError(
        `${label}: ${sh.file} is not an lr compress output (__metadata__.lr_format is ${JSON.stringify(sh.metadata.lr_format ?? null)}, expected ${JSON.stringify(LORD_FORMAT)})`,
      );
    let r: unknown;
    try {
      r = JSON.parse(sh.metadata.lr_ranks ?? '');
    } catch {
      throw new FormatError(`${label}/${sh.file}: __metadata__.lr_ranks is not JSON`);
    }
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      throw new FormatError(`${label}/${sh.file}: __metadata__.lr_ranks must be a JSON object`);
    Object.assign(ranks, r);
  }
  return ranks;
}

async function decompressCommand(flags: DecompressFlags, ctx: CommandContext): Promise<void> {
  const t0 = performance.now();
  const { abs, model } = await openFolder(ctx, flags.model, '--model');
  const ranks = lordRanks(model, `--model ${flags.model}`);
  const meta = model.shards[0]!.metadata;
  const plan: ModelTensorPlan[] = [];
  const layerOf = new Map<string, string>();
  for (const [layer, r] of Object.entries(ranks)) {
    const P = model.tensors.get(layer + LORD_P_SUFFIX);
    const Q = model.tensors.get(layer + LORD_Q_SUFFIX);
    if (!P || !Q)
      throw new FormatError(
        `--model ${flags.model}: low-rank layer ${layer} needs ${LORD_P_SUFFIX} and ${LORD_Q_SUFFIX}`,
      );
    if (P.shape.length !== 2 || Q.shape.length !== 2 || P.shape[1] !== r || Q.shape[0] !== r)
      throw new FormatError(
        `--model ${flags.model}: ${layer} expects [out, ${r}] and [${r}, in] factors, got [${P.shape}] and [${Q.shape}]`,
      );
    layerOf.set(layer + LORD_P_SUFFIX, layer);
  }
  const rows: { module: string; shape: [number, number]; rank: number }[] = [];
  for (const info of model.tensors.values()) {
    const layer = layerOf.get(info.name);
    if (layer) {
      const Q = model.tensors.get(layer + LORD_Q_SUFFIX)!;
      const shape: [number, number] = [info.shape[0]!, Q.shape[1]!];
      plan.push({ name: layer, dtype: info.dtype, shape: [...shape] });
      rows.push({ module: layer.replace(/\.weight$/, ''), shape, rank: ranks[layer]! });
    } else if (
      (info.name.endsWith(LORD_Q_SUFFIX) &&
        ranks[info.name.slice(0, -LORD_Q_SUFFIX.length)] !== undefined) ||
      false
    ) {
      // consumed with its P factor
    } else if (info.name.endsWith(LORD_P_SUFFIX) || info.name.endsWith(LORD_Q_SUFFIX)) {
      throw new FormatError(
        `--model ${flags.model}: ${info.name} is a factor of no layer listed in lr_ranks`,
      );
    } else plan.push({ name: info.name, dtype: info.dtype, shape: [...info.shape] });
  }
  const progress = ctx.progress();
  let done = 0;
  await withOutputFolder(
    ctx.resolve(flags.out),
    { force: flags.force, inputs: [abs], label: flags.out },
    async (out) => {
      await writeModel(out.sink, {
        tensors: plan,
        produce: async (p) => {
          if (ranks[p.name] === undefined) return readTensorBytes(model, p.name);
          progress.update(`expand ${p.name}`, ++done, rows.length);
          const P = await loadTensor(model, p.name + LORD_P_SUFFIX, { dtype: 'float64' });
          const Q = await loadTensor(model, p.name + LORD_Q_SUFFIX, { dtype: 'float64' });
          const dense = withSubject(`--model ${flags.model}`, () =>
            fromCompressedTensors(
              new Map([
                [p.name + LORD_P_SUFFIX, P],
                [p.name + LORD_Q_SUFFIX, Q],
              ]),
              {
                ...meta,
                lr_format: LORD_FORMAT,
                lr_ranks: JSON.stringify({ [p.name]: ranks[p.name] }),
              },
            ),
          );
          return dense.get(p.name)!;
        },
        config: model.config ? await model.store.read('config.json') : null,
        metadata: { format: 'pt' },
      });
      for (const f of sideFiles(abs)) await out.sink.write(f, await model.store.read(f));
      progress.done();
    },
  );
  const reported = Number(meta.lr_relative_error);
  const seconds = (performance.now() - t0) / 1000;
  if (flags.json) {
    ctx.out(
      JSON.stringify({
        command: 'decompress',
        out: flags.out,
        layers: rows,
        relativeError: Number.isFinite(reported) ? reported : null,
        seconds,
      }),
    );
    return;
  }
  ctx.out(
    `expanded ${rows.length} low-rank layers of ${flags.model} (W = P·Q)${Number.isFinite(reported) ? `; relative error recorded by lr compress: ${reported.toExponential(3)}` : ''}, in ${formatSeconds(seconds)}`,
  );
  ctx.out(
    table(
      ['module', 'shape', 'rank'],
      rows.map((r) => [r.module, `${r.shape[0]}×${r.shape[1]}`, String(r.rank)]),
      ['l', 'r', 'r'],
    ),
  );
  ctx.out(`wrote the model folder ${flags.out}`);
}

/** Registers `lr compress` and `lr decompress`. */
export function registerCompress(program: Command, ctx: CommandContext): void {
  program
    .command('compress')
    .summary('low-rank (LORD) compression of a model folder')
    .description(
      `Low-rank compression (LORD, Kaushal et al. 2023) of every target weight of a model
folder: W [out, in] ≈ P [out, r]·Q [r, in] from its truncated SVD (P = U√S, Q = √S·Vᵀ),
kept dense where low rank would not save parameters. Exactly one of:

  --rank R     the same rank for every layer
  --energy E   per layer, the smallest rank keeping a fraction E of Σσ² (0 < E < 1)
  --ratio X    a global parameter budget X (0 < X < 1): ranks chosen greedily across
               layers by error reduction per parameter (holds every target in memory)

Output (layout lord-v1): OUT/model.safetensors with <name>.lr_P and <name>.lr_Q for each
low-rank layer, every other tensor unchanged, in the input dtypes; __metadata__ has
format "pt", lr_format "lord-v1", lr_ranks {name: r}, lr_original_params,
lr_compressed_params, lr_relative_error, lr_split, lr_data_aware. config.json and
tokenizer files are copied. Errors are measured with the factors as stored.
Default --targets: all-linear (embeddings and lm_head stay dense).`,
    )
    .requiredOption('--model <dir>', 'model folder')
    .requiredOption('--out <dir>', 'output folder (must not exist)')
    .option('--rank <r>', 'rank of every layer', parsePositiveInt)
    .option('--energy <e>', 'energy kept per layer, in (0, 1)', parseOpenFraction)
    .option('--ratio <x>', 'parameter budget, in (0, 1)', parseOpenFraction)
    .option('--targets <pattern>', 'layers to compress: names,… | all-linear | REGEX')
    .option('--json', 'print the result as JSON')
    .option('--force', 'replace an existing --out folder')
    .action((flags: CompressFlags) => ctx.run('compress', () => compressCommand(flags, ctx)));

  program
    .command('decompress')
    .summary('expand an lr compress output back to a dense model folder')
    .description(
      `Expand a model written by lr compress (layout lord-v1): every <name>.lr_P / <name>.lr_Q
pair listed in __metadata__.lr_ranks becomes the dense <name> = P·Q (in float64, written
in the factors' dtype); other tensors, config.json and tokenizer files are copied.`,
    )
    .requiredOption('--model <dir>', 'compressed model folder')
    .requiredOption('--out <dir>', 'output model folder')
    .option('--json', 'print the result as JSON')
    .option('--force', 'replace an existing --out folder')
    .action((flags: DecompressFlags) => ctx.run('decompress', () => decompressCommand(flags, ctx)));
}
