import { readFileSync } from 'node:fs';
import { type Matrix, matmul, normFro, readNpy, type SafetensorsDType } from '@lr/core';
import {
  type AdapterInit,
  type AdapterMethod,
  collectCovariance,
  corda,
  defaultTargets,
  dequantizeNf,
  eora,
  extractLora,
  type LoadedAdapter,
  type LoraFactors,
  loadTensor,
  loldu,
  lora,
  loraScaling,
  lqDecompose,
  type ModelInfo,
  type ModelTensorInfo,
  mergeAdapter,
  olora,
  openModel,
  pissa,
  quantizeNf,
  readAdapter,
  rewriteModel,
  selectTargets,
  subSink,
  svfit,
  type TargetModule,
  type TargetPattern,
  targetModulesForConfig,
  toPlainLora,
  writeAdapter,
} from '@lr/peft';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError, withSubject } from '../errors.js';
import { formatSeconds, table } from '../format.js';
import { folderStore, sideFiles, withOutputFolder } from '../io/modelFolder.js';
import {
  parseChoice,
  parseNonNegativeInt,
  parsePositiveInt,
  parsePositiveNumber,
} from '../parse.js';
import { registerCompress } from './compress.js';

/** The methods of `lr peft init`. */
export const PEFT_METHODS = [
  'lora',
  'pissa',
  'olora',
  'corda',
  'eora',
  'svfit',
  'loldu',
  'lq',
] as const satisfies readonly AdapterMethod[];

/** Sub-folder of `--out` that holds the residual base model. */
export const RESIDUAL_DIR = 'residual_model';

/** One row of the table every `lr peft` command prints. */
export interface ModuleRow {
  module: string;
  /** [out, in]. */
  shape: [number, number];
  rank: number;
  /** The method's relative error (see each command's help). */
  relativeError: number;
  /** Fraction of ‖W‖² carried by the adapter (NaN where not meaningful). */
  energy: number;
  trainableParameters: number;
}

/**
 * `--targets` as PEFT's `target_modules`: `all-linear`; a comma-separated list of names
 * (letters, digits, `_`, `-`, `.` only: PEFT's list form, a name or its last components);
 * anything else is a regular expression matched against the whole module name.
 */
export function parseTargets(value: string | undefined): TargetPattern | undefined {
  if (value === undefined) return undefined;
  if (value === 'all-linear') return value;
  if (/^[\w.-]+(,[\w.-]+)*$/.test(value)) return value.split(',');
  return value;
}

function printRows(ctx: CommandContext, rows: readonly ModuleRow[], errorLabel: string): void {
  ctx.out(
    table(
      ['module', 'shape', 'rank', errorLabel, 'energy', 'trainable'],
      rows.map((r) => [
        r.module,
        `${r.shape[0]}×${r.shape[1]}`,
        String(r.rank),
        Number.isFinite(r.relativeError) ? r.relativeError.toExponential(2) : '–',
        Number.isFinite(r.energy) ? `${(100 * r.energy).toFixed(2)}%` : '–',
        r.trainableParameters.toLocaleString('en-US'),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
}

async function openFolder(ctx: CommandContext, dir: string, flag: string) {
  const abs = ctx.resolve(dir);
  const store = folderStore(abs, dir);
  const model = await withSubjectAsync(`${flag} ${dir}`, () => openModel(store));
  return { abs, model };
}

async function withSubjectAsync<T>(subject: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    return withSubject(subject, () => {
      throw err;
    });
  }
}

function baseDtype(model: ModelInfo, targets: readonly TargetModule[]): SafetensorsDType {
  const dtypes = new Set(targets.map((t) => model.tensors.get(t.weight)!.dtype));
  return dtypes.size === 1 ? [...dtypes][0]! : 'F32';
}

function taskType(model: ModelInfo): string | null {
  const arch = model.config?.architectures;
  if (Array.isArray(arch) && arch.some((a) => typeof a === 'string' && a.endsWith('ForCausalLM')))
    return 'CAUSAL_LM';
  return null;
}

function checkRank(rank: number, targets: readonly TargetModule[]): void {
  for (const t of targets) {
    const k = Math.min(t.shape[0], t.shape[1]);
    if (rank > k)
      throw new CliError(
        `--rank ${rank} exceeds min(out, in) = ${k} of ${t.module} [${t.shape[0]}×${t.shape[1]}]`,
      );
  }
}

/** Reads `--calibration`: a 2-D .npy [n, hidden] of input activations (float64). */
function readCalibration(ctx: CommandContext, file: string): Matrix {
  const t = withSubject(`--calibration ${file}`, () => {
    if (!file.toLowerCase().endsWith('.npy')) throw new CliError('expected a .npy file');
    return readNpy(new Uint8Array(readFileSync(ctx.resolve(file)))).tensor;
  });
  if (t.shape.length !== 2 || t.shape[0]! < 1 || t.shape[1]! < 1)
    throw new CliError(
      `--calibration ${file}: expected a 2-D array [n, hidden] of input activations, got shape [${t.shape}]`,
    );
  return (t as Matrix).clone('float64');
}

interface InitFlags {
  method: AdapterMethod;
  model: string;
  rank: number;
  alpha?: number;
  targets?: string;
  niter?: number;
  calibration?: string;
  compressed?: string;
  mode?: 'ipm' | 'kpm';
  bits?: number;
  seed?: number;
  rslora?: boolean;
  out: string;
  json?: boolean;
  force?: boolean;
}

/** Methods whose adapter comes with a new base model (written to `residual_model/`). */
function writesResidual(flags: InitFlags): boolean {
  if (flags.method === 'lora') return false;
  if (flags.method === 'eora') return flags.compressed === undefined;
  return true;
}

async function peftInit(flags: InitFlags, ctx: CommandContext): Promise<void> {
  const t0 = performance.now();
  const m = flags.method;
  if (flags.niter !== undefined && m !== 'pissa' && m !== 'lq')
    throw new CliError('--niter applies to --method pissa and lq only');
  if (flags.calibration !== undefined && m !== 'corda' && m !== 'eora')
    throw new CliError('--calibration applies to --method corda and eora only');
  if ((m === 'corda' || m === 'eora') && flags.calibration === undefined)
    throw new CliError(
      `--method ${m} needs --calibration FILE (a .npy of input activations [n, hidden])`,
    );
  if (flags.compressed !== undefined && m !== 'eora')
    throw new CliError('--compressed applies to --method eora only');
  if (flags.mode !== undefined && m !== 'corda')
    throw new CliError('--mode applies to --method corda only');
  if (flags.bits !== undefined && m !== 'lq' && !(m === 'eora' && flags.compressed === undefined))
    throw new CliError('--bits applies to --method lq (and eora without --compressed) only');
  if (flags.seed !== undefined && m !== 'lora' && m !== 'pissa' && m !== 'lq')
    throw new CliError('--seed applies to --method lora, pissa (with --niter) and lq only');

  const { abs, model } = await openFolder(ctx, flags.model, '--model');
  const pattern = parseTargets(flags.targets) ?? defaultTargets(model);
  const targets = withSubject(`--model ${flags.model}`, () => selectTargets(model, pattern));
  checkRank(flags.rank, targets);

  let X: Matrix | undefined;
  let C: Matrix | undefined;
  if (flags.calibration !== undefined) {
    X = readCalibration(ctx, flags.calibration);
    const bad = targets.filter((t) => t.shape[1] !== X!.cols);
    if (bad.length > 0)
      throw new CliError(
        `--calibration ${flags.calibration}: activations have ${X.cols} features but ${bad[0]!.module} takes ${bad[0]!.shape[1]} inputs (${bad.length} such target${bad.length > 1 ? 's' : ''}; restrict --targets to modules whose input is the hidden state)`,
      );
    if (m === 'corda')
      C = withSubject(`--calibration ${flags.calibration}`, () => collectCovariance(X!).covariance);
  }
  let compressed: { abs: string; model: ModelInfo } | undefined;
  if (flags.compressed !== undefined) {
    compressed = await openFolder(ctx, flags.compressed, '--compressed');
    for (const t of targets) {
      const info = compressed.model.tensors.get(t.weight);
      if (!info || info.shape[0] !== t.shape[0] || info.shape[1] !== t.shape[1])
        throw new CliError(
          `--compressed ${flags.compressed}: ${t.weight} ${info ? `has shape [${info.shape}]` : 'is missing'}, expected [${t.shape}]`,
        );
    }
  }

  const common = { rank: flags.rank, alpha: flags.alpha, useRslora: flags.rslora ?? false };
  const run = async (t: TargetModule, W: Matrix): Promise<AdapterInit> => {
    switch (m) {
      case 'lora':
        return lora(W, { ...common, seed: flags.seed });
      case 'pissa':
        return pissa(W, { ...common, niter: flags.niter, seed: flags.seed });
      case 'olora':
        return olora(W, common);
      case 'corda':
        return corda(W, C!, { ...common, mode: flags.mode });
      case 'svfit':
        return svfit(W, common);
      case 'loldu':
        return loldu(W, common);
      case 'eora': {
        const Wc = compressed
          ? ((await loadTensor(compressed.model, t.weight, {
              dtype: 'float64',
              requireFinite: true,
            })) as Matrix)
          : dequantizeNf(quantizeNf(W, { bits: flags.bits ?? 4 }));
        return eora(W, Wc, X!, common);
      }
      case 'lq':
        return lqInit(W, flags);
    }
  };

  const rows: ModuleRow[] = [];
  const factors = new Map<string, LoraFactors>();
  const alphas: Record<string, number> = {};
  const byWeight = new Map(targets.map((t) => [t.weight, t]));
  const progress = ctx.progress();
  const compute = async (t: TargetModule): Promise<Matrix | undefined> => {
    progress.update(`${m} ${t.module}`, rows.length + 1, targets.length);
    const W = (await withSubjectAsync(t.weight, () =>
      loadTensor(model, t.weight, { dtype: 'float64', requireFinite: true }),
    )) as Matrix;
    const r = await withSubjectAsync(t.module, async () => run(t, W));
    factors.set(t.module, { A: r.A.clone('float32'), B: r.B.clone('float32') });
    alphas[t.module] = r.alpha;
    rows.push({
      module: t.module,
      shape: t.shape,
      rank: r.rank,
      relativeError: r.diagnostics.relativeError,
      energy: r.diagnostics.energy,
      trainableParameters: r.diagnostics.trainableParameters,
    });
    return r.residual;
  };

  const residual = writesResidual(flags);
  const alphaOut = await withOutputFolder(
    ctx.resolve(flags.out),
    {
      force: flags.force,
      inputs: [abs, ...(compressed ? [compressed.abs] : [])],
      label: flags.out,
    },
    async (out) => {
      if (residual) {
        await rewriteModel(model, subSink(out.sink, RESIDUAL_DIR), {
          transform: async (info: ModelTensorInfo) => {
            const t = byWeight.get(info.name);
            return t ? compute(t) : undefined;
          },
          copyFiles: sideFiles(abs),
        });
      } else {
        for (const t of targets) await compute(t);
      }
      progress.done();
      const alpha = alphas[targets[0]!.module]!;
      await writeAdapter(out.sink, {
        method: m,
        rank: flags.rank,
        alpha,
        alphas,
        niter: m === 'pissa' ? flags.niter : undefined,
        useRslora: flags.rslora ?? false,
        targetModules: targetModulesForConfig(pattern, targets),
        baseModel:
          typeof model.config?._name_or_path === 'string' && model.config._name_or_path
            ? model.config._name_or_path
            : flags.model,
        taskType: taskType(model),
        dtype: baseDtype(model, targets),
        tensors: factors,
      });
      return alpha;
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (flags.json) {
    ctx.out(
      JSON.stringify({
        command: 'peft init',
        method: m,
        rank: flags.rank,
        alpha: alphaOut,
        out: flags.out,
        residualModel: residual ? `${flags.out}/${RESIDUAL_DIR}` : null,
        modules: rows,
        seconds,
      }),
    );
    return;
  }
  ctx.out(
    `${m} adapter, rank ${flags.rank}, alpha ${alphaOut}, ${rows.length} module${rows.length > 1 ? 's' : ''} of ${flags.model} in ${formatSeconds(seconds)}`,
  );
  printRows(ctx, rows, m === 'eora' || m === 'lq' ? 'rel. error' : 'identity err');
  ctx.out(
    `wrote ${flags.out}/adapter_config.json, adapter_model.safetensors${residual ? `, and the residual base model ${flags.out}/${RESIDUAL_DIR}/ (load the adapter on it)` : ''}`,
  );
}

/** LQ-LoRA as an adapter: base Q (dequantised NF), B = L1, A = L2 / s. */
function lqInit(W: Matrix, flags: InitFlags): AdapterInit {
  const r = lqDecompose(W, {
    rank: flags.rank,
    bits: flags.bits ?? 4,
    seed: flags.seed ?? 0,
    ...(flags.niter !== undefined ? { niter: flags.niter } : {}),
  });
  const rslora = flags.rslora ?? false;
  const alpha = flags.alpha ?? (rslora ? Math.sqrt(flags.rank) : flags.rank);
  const s = loraScaling(alpha, flags.rank, rslora);
  const A = r.L2.clone('float64');
  if (s !== 1) for (let i = 0; i < A.data.length; i++) A.data[i] = A.data[i]! / s;
  const wn = normFro(W) ** 2;
  const ln = normFro(matmul(r.L1, r.L2)) ** 2;
  return {
    method: 'lq',
    A,
    B: r.L1,
    scaling: s,
    rank: flags.rank,
    alpha,
    residual: r.Q,
    diagnostics: {
      energy: wn > 0 ? ln / wn : 0,
      relativeError: r.relativeError,
      trainableParameters: flags.rank * (W.rows + W.cols),
      iterations: r.iterations,
      bitsPerParam: r.bitsPerParam,
      quantizationError: wn > 0 ? r.quantizationError / Math.sqrt(wn) : 0,
    },
  };
}

interface ConvertFlags {
  initial: string;
  trained: string;
  out: string;
  json?: boolean;
  force?: boolean;
}

async function readAdapterFolder(ctx: CommandContext, dir: string, flag: string) {
  const abs = ctx.resolve(dir);
  const adapter = await withSubjectAsync(`${flag} ${dir}`, () =>
    readAdapter(folderStore(abs, dir)),
  );
  return { abs, adapter };
}

async function peftConvert(flags: ConvertFlags, ctx: CommandContext): Promise<void> {
  const t0 = performance.now();
  const ini = await readAdapterFolder(ctx, flags.initial, '--initial');
  const tr = await readAdapterFolder(ctx, flags.trained, '--trained');
  const a = ini.adapter;
  const b = tr.adapter;
  for (const name of new Set([...a.modules.keys(), ...b.modules.keys()])) {
    const x = a.modules.get(name);
    const y = b.modules.get(name);
    if (!x || !y)
      throw new CliError(
        `${x ? `--trained ${flags.trained}` : `--initial ${flags.initial}`}: has no module ${name} (the two adapters must have the same modules)`,
      );
    if (x.A.rows !== y.A.rows || x.A.cols !== y.A.cols || x.B.rows !== y.B.rows)
      throw new CliError(
        `--trained ${flags.trained}: module ${name} has lora_A ${y.A.rows}×${y.A.cols}, lora_B ${y.B.rows}×${y.B.cols}; the initial adapter has ${x.A.rows}×${x.A.cols}, ${x.B.rows}×${x.B.cols}`,
      );
  }
  const rslora = a.config.use_rslora === true;
  const factors = new Map<string, LoraFactors>();
  const alphas: Record<string, number> = {};
  const rows: ModuleRow[] = [];
  let rank = 0;
  let alpha = 0;
  for (const [name, x] of a.modules) {
    const y = b.modules.get(name)!;
    const p = withSubject(name, () =>
      toPlainLora({ A: x.A, B: x.B, alpha: x.alpha, rank: x.rank }, y, { useRslora: rslora }),
    );
    factors.set(name, { A: p.A, B: p.B });
    alphas[name] = p.alpha;
    if (rank === 0) {
      rank = p.rank;
      alpha = p.alpha;
    }
    rows.push({
      module: name,
      shape: [x.B.rows, x.A.cols],
      rank: p.rank,
      relativeError: Number.NaN,
      energy: Number.NaN,
      trainableParameters: p.rank * (x.A.cols + x.B.rows),
    });
  }
  await withOutputFolder(
    ctx.resolve(flags.out),
    { force: flags.force, inputs: [ini.abs, tr.abs], label: flags.out },
    async (out) => {
      await writeAdapter(out.sink, {
        method: 'converted',
        rank,
        alpha,
        alphas,
        useRslora: rslora,
        targetModules: (b.config.target_modules ??
          a.config.target_modules ?? [
            ...new Set([...factors.keys()].map((k) => k.split('.').at(-1)!)),
          ]) as string | string[],
        baseModel: (a.config.base_model_name_or_path as string | null) ?? null,
        taskType: (a.config.task_type as string | null) ?? null,
        dtype: b.dtype,
        tensors: factors,
      });
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (flags.json) {
    ctx.out(
      JSON.stringify({
        command: 'peft convert',
        rank,
        alpha,
        out: flags.out,
        modules: rows,
        seconds,
      }),
    );
    return;
  }
  ctx.out(
    `plain LoRA of rank ${rank} (alpha ${alpha}) for the original base model, from ${flags.initial} and ${flags.trained}, ${rows.length} modules in ${formatSeconds(seconds)}`,
  );
  printRows(ctx, rows, 'rel. error');
  ctx.out(`wrote ${flags.out}/adapter_config.json, adapter_model.safetensors`);
}

interface MergeFlags {
  model: string;
  adapter: string;
  out: string;
  json?: boolean;
  force?: boolean;
}

/** Checks that every adapter module is a weight of the model with the adapter's shape. */
function checkAdapterFits(adapter: LoadedAdapter, model: ModelInfo, label: string): void {
  for (const [name, mod] of adapter.modules) {
    const info = model.tensors.get(`${name}.weight`);
    if (!info)
      throw new CliError(`${label}: has no weight ${name}.weight for the adapter's module`);
    if (info.shape.length !== 2 || info.shape[0] !== mod.B.rows || info.shape[1] !== mod.A.cols)
      throw new CliError(
        `${label}: ${name}.weight has shape [${info.shape}], the adapter needs [${mod.B.rows}, ${mod.A.cols}]`,
      );
  }
}

async function peftMerge(flags: MergeFlags, ctx: CommandContext): Promise<void> {
  const t0 = performance.now();
  const { abs, model } = await openFolder(ctx, flags.model, '--model');
  const ad = await readAdapterFolder(ctx, flags.adapter, '--adapter');
  checkAdapterFits(ad.adapter, model, `--model ${flags.model}`);
  const rows: ModuleRow[] = [];
  const progress = ctx.progress();
  await withOutputFolder(
    ctx.resolve(flags.out),
    { force: flags.force, inputs: [abs, ad.abs], label: flags.out },
    async (out) => {
      await rewriteModel(model, out.sink, {
        transform: async (info) => {
          if (!info.name.endsWith('.weight')) return undefined;
          const mod = ad.adapter.modules.get(info.name.slice(0, -'.weight'.length));
          if (!mod) return undefined;
          progress.update(`merge ${mod.module}`, rows.length + 1, ad.adapter.modules.size);
          const W = (await withSubjectAsync(info.name, () =>
            loadTensor(model, info.name, { dtype: 'float64', requireFinite: true }),
          )) as Matrix;
          const M = mergeAdapter(W, mod);
          let d = 0;
          let w = 0;
          for (let i = 0; i < W.data.length; i++) {
            d += (M.data[i]! - W.data[i]!) ** 2;
            w += W.data[i]! ** 2;
          }
          rows.push({
            module: mod.module,
            shape: [W.rows, W.cols],
            rank: mod.rank,
            relativeError: w > 0 ? Math.sqrt(d / w) : 0,
            energy: Number.NaN,
            trainableParameters: mod.rank * (W.rows + W.cols),
          });
          return M;
        },
        copyFiles: sideFiles(abs),
      });
      progress.done();
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (flags.json) {
    ctx.out(JSON.stringify({ command: 'peft merge', out: flags.out, modules: rows, seconds }));
    return;
  }
  ctx.out(
    `merged ${flags.adapter} into ${flags.model}: ${rows.length} modules, W ← W + s·B·A, in ${formatSeconds(seconds)}`,
  );
  printRows(ctx, rows, '‖sBA‖/‖W‖');
  ctx.out(`wrote the model folder ${flags.out}`);
}

interface ExtractFlags {
  base: string;
  tuned: string;
  rank: number;
  alpha?: number;
  targets?: string;
  out: string;
  json?: boolean;
  force?: boolean;
}

async function peftExtract(flags: ExtractFlags, ctx: CommandContext): Promise<void> {
  const t0 = performance.now();
  const base = await openFolder(ctx, flags.base, '--base');
  const tuned = await openFolder(ctx, flags.tuned, '--tuned');
  const pattern = parseTargets(flags.targets) ?? 'all-linear';
  const targets = withSubject(`--base ${flags.base}`, () => selectTargets(base.model, pattern));
  for (const t of targets) {
    const info = tuned.model.tensors.get(t.weight);
    if (!info)
      throw new CliError(`--tuned ${flags.tuned}: has no tensor ${t.weight} (of the base model)`);
    if (info.shape[0] !== t.shape[0] || info.shape[1] !== t.shape[1])
      throw new CliError(
        `--tuned ${flags.tuned}: ${t.weight} has shape [${info.shape}], the base has [${t.shape}]`,
      );
  }
  checkRank(flags.rank, targets);
  const rows: ModuleRow[] = [];
  const factors = new Map<string, LoraFactors>();
  let skipped = 0;
  const progress = ctx.progress();
  for (const [i, t] of targets.entries()) {
    progress.update(`extract ${t.module}`, i + 1, targets.length);
    const Wb = (await withSubjectAsync(`--base ${t.weight}`, () =>
      loadTensor(base.model, t.weight, { dtype: 'float64', requireFinite: true }),
    )) as Matrix;
    const Wt = (await withSubjectAsync(`--tuned ${t.weight}`, () =>
      loadTensor(tuned.model, t.weight, { dtype: 'float64', requireFinite: true }),
    )) as Matrix;
    let same = true;
    for (let k = 0; k < Wb.data.length && same; k++) same = Wb.data[k] === Wt.data[k];
    if (same) {
      skipped++;
      continue;
    }
    const r = withSubject(t.module, () =>
      extractLora(Wb, Wt, { rank: flags.rank, alpha: flags.alpha }),
    );
    factors.set(t.module, { A: r.A, B: r.B });
    rows.push({
      module: t.module,
      shape: t.shape,
      rank: r.rank,
      relativeError: r.diagnostics.relativeError,
      energy: r.diagnostics.energy,
      trainableParameters: r.diagnostics.trainableParameters,
    });
  }
  progress.done();
  if (factors.size === 0)
    throw new CliError(
      `--tuned ${flags.tuned}: no targeted weight differs from --base ${flags.base} (nothing to extract)`,
    );
  const alpha = flags.alpha ?? flags.rank;
  const matched = targets.filter((t) => factors.has(t.module));
  await withOutputFolder(
    ctx.resolve(flags.out),
    { force: flags.force, inputs: [base.abs, tuned.abs], label: flags.out },
    async (out) => {
      await writeAdapter(out.sink, {
        method: 'extract',
        rank: flags.rank,
        alpha,
        targetModules: targetModulesForConfig(pattern, matched),
        baseModel:
          typeof base.model.config?._name_or_path === 'string' && base.model.config._name_or_path
            ? base.model.config._name_or_path
            : flags.base,
        taskType: taskType(base.model),
        dtype: baseDtype(base.model, matched),
        tensors: factors,
      });
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (flags.json) {
    ctx.out(
      JSON.stringify({
        command: 'peft extract',
        rank: flags.rank,
        alpha,
        out: flags.out,
        unchanged: skipped,
        modules: rows,
        seconds,
      }),
    );
    return;
  }
  ctx.out(
    `LoRA of rank ${flags.rank} extracted from ${flags.tuned} − ${flags.base}: ${rows.length} modules${skipped ? ` (${skipped} unchanged, skipped)` : ''} in ${formatSeconds(seconds)}`,
  );
  printRows(ctx, rows, 'trunc. error');
  ctx.out(`wrote ${flags.out}/adapter_config.json, adapter_model.safetensors`);
}

/**
 * Registers `lr peft init|convert|merge|extract`, and `lr compress` / `lr decompress`
 * (see compress.ts), the model-folder commands of @lr/peft.
 */
export function registerPeft(program: Command, ctx: CommandContext): void {
  registerCompress(program, ctx);
  const peft = program
    .command('peft')
    .summary('LoRA-family adapters in Hugging Face PEFT format: init, convert, merge, extract')
    .description(
      `Adapters for a Hugging Face model folder (config.json + model.safetensors, or shards +
model.safetensors.index.json; F32, F16, BF16 weights, computed in float64 and written
back in the input dtype), in PEFT's exact format: adapter_config.json (PEFT's keys,
sorted) and adapter_model.safetensors (base_model.model.<module>.lora_A.weight [r, in],
lora_B.weight [out, r]). Every output folder is built beside its target and renamed at
the end: a failed run leaves nothing behind.`,
    )
    .hook('preSubcommand', (_cmd, sub) => {
      if (sub.name() !== 'help') ctx.enter(`peft ${sub.name()}`);
    })
    .argument('[command]')
    .action((name?: string) => {
      if (name === undefined) peft.help();
      throw new CliError(
        `unknown command '${name}'; expected init, convert, merge or extract (see 'lr peft --help')`,
      );
    });

  peft
    .command('init')
    .summary('initialise an adapter (LoRA, PiSSA, OLoRA, CorDA, EoRA, SVFit, LoLDU, LQ-LoRA)')
    .description(
      `Initialise a LoRA-family adapter for every target module of --model.

  lora    PEFT's default: A Kaiming-uniform, B = 0 (the base model is unchanged)
  pissa   principal singular triplets to the adapter, W_res = W − s·B·A (--niter N: randomized SVD)
  olora   W = QR: B = Q[:, :r], A = R[:r]
  corda   context-oriented SVD of W·C with C the covariance of --calibration (--mode ipm|kpm)
  eora    compensates compression error ΔW = W − W_c in the activation eigenspace of
          --calibration; W_c from --compressed DIR, else NF4 (--bits) of W, written as the base
  svfit   top-r singular triplets; only the r singular values train
  loldu   pivoted LU, only the diagonal trains
  lq      LQ-LoRA: W ≈ Q + L1·L2 with Q NormalFloat-quantised (--bits, default 4)

Methods other than lora (and eora with --compressed) change the base weights: the
residual model is written to OUT/${RESIDUAL_DIR}/ (same shards, dtypes and config); load
the adapter on it. For those, residual + s·B·A = W to rounding (lq and eora: to their
approximation error, shown in the table). init_lora_weights records the method (true for
lora; PEFT's "pissa"/"pissa_niter_N", "olora", "corda"; lr's "eora", "svfit", "loldu", "lq").

--targets is PEFT's target_modules: a comma-separated list of names (a module matches
when its name is an entry or ends with "." + entry), "all-linear", or else a regular
expression the whole module name must match. Default: PEFT's default for the model type
(q_proj,v_proj for Llama-like models), else all-linear. Embeddings are never targets.

--calibration FILE (corda, eora) is a .npy of input activations [n, hidden], used for
every target; each target's input dimension must equal hidden (restrict --targets to
q/k/v/gate/up projections). Real per-layer activations would need a forward pass.`,
    )
    .requiredOption('--method <method>', PEFT_METHODS.join(', '), parseChoice(PEFT_METHODS))
    .requiredOption('--model <dir>', 'model folder')
    .requiredOption('--rank <r>', 'adapter rank r', parsePositiveInt)
    .requiredOption('--out <dir>', 'output folder (must not exist)')
    .option('--alpha <a>', "lora_alpha (default: the method's; s = alpha / r)", parsePositiveNumber)
    .option('--targets <pattern>', 'target modules: names,… | all-linear | REGEX')
    .option(
      '--niter <n>',
      'pissa: randomized SVD with n subspace iterations; lq: power iterations',
      parseNonNegativeInt,
    )
    .option('--calibration <file>', 'corda, eora: input activations .npy [n, hidden]')
    .option('--compressed <dir>', 'eora: the compressed model folder (default: NF4 of the targets)')
    .option(
      '--mode <mode>',
      'corda: ipm or kpm (default ipm)',
      parseChoice(['ipm', 'kpm'] as const),
    )
    .option('--bits <b>', 'lq, eora: NormalFloat bits (default 4)', parsePositiveInt)
    .option('--seed <s>', 'lora, pissa --niter, lq: seed', parseNonNegativeInt)
    .option('--rslora', 'rank-stabilised scaling alpha/√r (PEFT use_rslora)')
    .option('--json', 'print the result as JSON')
    .option('--force', 'replace an existing --out folder')
    .action((flags: InitFlags) => ctx.run('peft init', () => peftInit(flags, ctx)));

  peft
    .command('convert')
    .summary('turn a trained PiSSA/CorDA/OLoRA adapter into plain LoRA for the original model')
    .description(
      `Convert a trained adapter of a method that changed the base weights (PiSSA, CorDA,
OLoRA, …) into a plain LoRA adapter on the original base model, as PEFT's
save_pretrained(path_initial_model_for_weight_conversion=…): A' = [A; A₀], B' = [B, −B₀],
r and lora_alpha doubled, so that W + s·B'·A' = W_res + s·B·A.`,
    )
    .requiredOption('--initial <dir>', 'the adapter as initialised (lr peft init --out)')
    .requiredOption('--trained <dir>', 'the adapter after training')
    .requiredOption('--out <dir>', 'output adapter folder')
    .option('--json', 'print the result as JSON')
    .option('--force', 'replace an existing --out folder')
    .action((flags: ConvertFlags) => ctx.run('peft convert', () => peftConvert(flags, ctx)));

  peft
    .command('merge')
    .summary('merge an adapter into a model: W ← W + s·B·A')
    .description(
      `Merge a PEFT LoRA adapter into a model folder: every adapted weight becomes W + s·B·A
(computed in float64, written in the weight's dtype); other tensors, the shards, config
and tokenizer files are copied unchanged. The table shows ‖s·B·A‖/‖W‖ per module.`,
    )
    .requiredOption('--model <dir>', 'model folder (the residual model for PiSSA-like adapters)')
    .requiredOption('--adapter <dir>', 'adapter folder')
    .requiredOption('--out <dir>', 'output model folder')
    .option('--json', 'print the result as JSON')
    .option('--force', 'replace an existing --out folder')
    .action((flags: MergeFlags) => ctx.run('peft merge', () => peftMerge(flags, ctx)));

  peft
    .command('extract')
    .summary('extract a rank-r LoRA from a fine-tuned model: SVD of W_tuned − W_base')
    .description(
      `Extract a LoRA adapter from a fine-tune: for every target weight that differs, the
best rank-r approximation of Δ = W_tuned − W_base (truncated SVD), B = U_r·√S_r,
A = √S_r·V_rᵀ (divided by s when --alpha ≠ r). The table's error is ‖Δ − s·B·A‖/‖Δ‖ and
energy the fraction of ‖Δ‖² kept. Default --targets: all-linear.`,
    )
    .requiredOption('--base <dir>', 'the base model folder')
    .requiredOption('--tuned <dir>', 'the fine-tuned model folder (same tensors)')
    .requiredOption('--rank <r>', 'adapter rank', parsePositiveInt)
    .requiredOption('--out <dir>', 'output adapter folder')
    .option('--alpha <a>', 'lora_alpha (default r: scaling 1)', parsePositiveNumber)
    .option('--targets <pattern>', 'target modules: names,… | all-linear | REGEX')
    .option('--json', 'print the result as JSON')
    .option('--force', 'replace an existing --out folder')
    .action((flags: ExtractFlags) => ctx.run('peft extract', () => peftExtract(flags, ctx)));
}
