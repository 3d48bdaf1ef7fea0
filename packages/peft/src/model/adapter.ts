import {
  decodeSafetensor,
  FormatError,
  InvalidArgumentError,
  Matrix,
  readSafetensors,
  type SafetensorsDType,
  ShapeError,
  writeSafetensors,
} from '@lr/core';
import {
  type AdapterConfigOptions,
  adapterConfig,
  loraScaling,
  serializeAdapterConfig,
} from './adapterConfig.js';
import type { ModelSink, ModelStore } from './store.js';

/** PEFT's adapter file names. */
export const ADAPTER_FILES = Object.freeze({
  config: 'adapter_config.json',
  weights: 'adapter_model.safetensors',
  /** lr's own record of the method (`{"method": "svfit", ...}`); PEFT ignores it. */
  lr: 'lr_adapter.json',
});

/** The prefix PEFT puts before module names in `adapter_model.safetensors`. */
export const PEFT_PREFIX = 'base_model.model.';

/** One module's LoRA factors: ΔW = s·B·A. */
export interface LoraFactors {
  /** lora_A.weight [r, in]. */
  A: Matrix;
  /** lora_B.weight [out, r]. */
  B: Matrix;
}

/** Options of {@link writeAdapter}: the config fields and the factors. */
export interface WriteAdapterOptions
  extends Omit<AdapterConfigOptions, 'rankPattern' | 'alphaPattern'> {
  /** Module name → factors (in file order). A module's rank is its A's row count. */
  tensors: Map<string, LoraFactors> | Record<string, LoraFactors>;
  /** Per-module alpha where it differs from `alpha` (goes to `alpha_pattern`). */
  alphas?: Record<string, number>;
  /** Storage dtype of the factors: the base weights' dtype; default `F32`. */
  dtype?: SafetensorsDType;
}

/**
 * Writes an adapter in Hugging Face PEFT's format: `adapter_config.json` (PEFT's keys,
 * sorted, indent 2; see {@link adapterConfig}) and `adapter_model.safetensors` with
 * `base_model.model.<module>.lora_A.weight` [r, in] and `…lora_B.weight` [out, r], metadata
 * `{"format": "pt"}`, in `dtype`. Modules whose rank differs from `rank` go to
 * `rank_pattern` (keyed by full module name, which PEFT's pattern match accepts).
 *
 * @param sink the output folder
 * @returns the config object written
 * @throws {ShapeError} when A and B do not chain (A [r, in], B [out, r])
 * @throws {InvalidArgumentError} for no modules or a bad rank/alpha
 * @example
 * await writeAdapter(sink, { method: 'pissa', rank: 8, alpha: 8, targetModules: ['q_proj', 'v_proj'],
 *   tensors: { 'model.layers.0.self_attn.q_proj': { A, B } } });
 */
export async function writeAdapter(
  sink: ModelSink,
  options: WriteAdapterOptions,
): Promise<Record<string, unknown>> {
  const entries =
    options.tensors instanceof Map ? [...options.tensors] : Object.entries(options.tensors);
  if (entries.length === 0) throw new InvalidArgumentError('tensors: expected at least one module');
  const rankPattern: Record<string, number> = {};
  const alphaPattern: Record<string, number> = {};
  const alpha = options.alpha ?? options.rank;
  const out: [string, Matrix][] = [];
  for (const [module, { A, B }] of entries) {
    if (!(A instanceof Matrix) || !(B instanceof Matrix))
      throw new InvalidArgumentError(
        `tensors[${JSON.stringify(module)}]: A and B must be Matrices`,
      );
    if (A.rows !== B.cols || A.rows < 1)
      throw new ShapeError(
        `tensors[${JSON.stringify(module)}]: A [r, in] and B [out, r] must share r ≥ 1, got A ${A.rows}×${A.cols} and B ${B.rows}×${B.cols}`,
      );
    if (A.rows !== options.rank) rankPattern[module] = A.rows;
    const a = options.alphas?.[module];
    if (a !== undefined && a !== alpha) alphaPattern[module] = a;
    out.push([`${PEFT_PREFIX}${module}.lora_A.weight`, A]);
    out.push([`${PEFT_PREFIX}${module}.lora_B.weight`, B]);
  }
  const config = adapterConfig({ ...options, alpha, rankPattern, alphaPattern });
  const bytes = writeSafetensors(out, {
    dtype: options.dtype ?? 'F32',
    metadata: { format: 'pt' },
  });
  await sink.write(ADAPTER_FILES.weights, bytes);
  await sink.write(ADAPTER_FILES.config, serializeAdapterConfig(config));
  await sink.write(
    ADAPTER_FILES.lr,
    `${JSON.stringify({ method: options.method, ...(options.niter === undefined ? {} : { niter: options.niter }) }, null, 2)}\n`,
  );
  return config;
}

/** One module of a loaded adapter. */
export interface AdapterModule extends LoraFactors {
  module: string;
  rank: number;
  alpha: number;
  /** s: alpha / r (alpha / √r with rsLoRA). */
  scaling: number;
}

/** A loaded PEFT LoRA adapter. */
export interface LoadedAdapter {
  config: Record<string, unknown>;
  /** Module name → factors, in file order of the A tensors. */
  modules: Map<string, AdapterModule>;
  /** Storage dtype of the factors. */
  dtype: SafetensorsDType;
}

const KEY = /^base_model\.model\.(.+)\.lora_([AB])(?:\.[^.]+)?\.weight$/;

/**
 * Reads a PEFT LoRA adapter folder (`adapter_config.json` + `adapter_model.safetensors`)
 * and checks it: `peft_type` LORA, every module has lora_A [r, in] and lora_B [out, r],
 * r equal to `rank_pattern[module]` or `r`. Factors are decoded to float64.
 *
 * @throws {FormatError} for a missing or corrupt file, a non-LoRA config, an unknown tensor
 *   key, or a module missing a factor
 * @throws {ShapeError} when a module's factors do not chain or disagree with `r`
 */
export async function readAdapter(store: ModelStore): Promise<LoadedAdapter> {
  const where = (f: string) => `${store.label ?? 'adapter'}/${f}`;
  let configBytes: Uint8Array;
  let weightBytes: Uint8Array;
  try {
    configBytes = await store.read(ADAPTER_FILES.config);
  } catch {
    throw new FormatError(`${where(ADAPTER_FILES.config)}: missing (not a PEFT adapter folder)`);
  }
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(configBytes));
  } catch (err) {
    throw new FormatError(
      `${where(ADAPTER_FILES.config)}: not valid JSON (${(err as Error).message})`,
    );
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new FormatError(`${where(ADAPTER_FILES.config)}: expected a JSON object`);
  if (config.peft_type !== 'LORA')
    throw new FormatError(
      `${where(ADAPTER_FILES.config)}: expected peft_type "LORA", got ${JSON.stringify(config.peft_type)}`,
    );
  const r = config.r;
  const alpha = config.lora_alpha ?? r;
  if (!Number.isSafeInteger(r) || (r as number) < 1 || typeof alpha !== 'number')
    throw new FormatError(
      `${where(ADAPTER_FILES.config)}: expected a positive integer r and a number lora_alpha`,
    );
  const rankPattern = (config.rank_pattern ?? {}) as Record<string, number>;
  const alphaPattern = (config.alpha_pattern ?? {}) as Record<string, number>;
  const rslora = config.use_rslora === true;
  try {
    weightBytes = await store.read(ADAPTER_FILES.weights);
  } catch {
    throw new FormatError(`${where(ADAPTER_FILES.weights)}: missing`);
  }
  let file: ReturnType<typeof readSafetensors>;
  try {
    file = readSafetensors(weightBytes);
  } catch (err) {
    if (err instanceof FormatError)
      throw new FormatError(`${where(ADAPTER_FILES.weights)}: ${err.message}`);
    throw err;
  }
  const parts = new Map<string, { A?: Matrix; B?: Matrix }>();
  let dtype: SafetensorsDType = 'F32';
  for (const t of file.tensors) {
    const m = KEY.exec(t.name);
    if (!m)
      throw new FormatError(
        `${where(ADAPTER_FILES.weights)}: unexpected tensor ${JSON.stringify(t.name)} (expected base_model.model.<module>.lora_A/B.weight)`,
      );
    if (t.shape.length !== 2)
      throw new ShapeError(
        `${where(ADAPTER_FILES.weights)}: ${t.name} must be 2-D, got [${t.shape}]`,
      );
    dtype = t.dtype;
    const p = parts.get(m[1]!) ?? {};
    p[m[2] as 'A' | 'B'] = Matrix.fromTensor(decodeSafetensor(t, { dtype: 'float64' }));
    parts.set(m[1]!, p);
  }
  const modules = new Map<string, AdapterModule>();
  for (const [module, { A, B }] of parts) {
    if (!A || !B)
      throw new FormatError(
        `${where(ADAPTER_FILES.weights)}: module ${module} has no lora_${A ? 'B' : 'A'}`,
      );
    const rank = patternValue(rankPattern, module) ?? (r as number);
    if (A.rows !== B.cols || A.rows !== rank)
      throw new ShapeError(
        `${where(ADAPTER_FILES.weights)}: module ${module}: lora_A ${A.rows}×${A.cols} and lora_B ${B.rows}×${B.cols} do not match r = ${rank}`,
      );
    const a = patternValue(alphaPattern, module) ?? alpha;
    modules.set(module, { module, A, B, rank, alpha: a, scaling: loraScaling(a, rank, rslora) });
  }
  if (modules.size === 0) throw new FormatError(`${where(ADAPTER_FILES.weights)}: no LoRA tensors`);
  return { config, modules, dtype };
}

/** PEFT's pattern lookup: a key matches a module when `(.*\.)?key$` matches its name. */
function patternValue(pattern: Record<string, number>, module: string): number | undefined {
  if (pattern[module] !== undefined) return pattern[module];
  for (const [k, v] of Object.entries(pattern)) {
    try {
      if (new RegExp(`^(.*\\.)?(?:${k})$`).test(module)) return v;
    } catch {
      // not a valid pattern: only an exact key can match
    }
  }
  return undefined;
}
