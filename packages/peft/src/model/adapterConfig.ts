import { InvalidArgumentError } from '@lr/core';
import type { AdapterMethod } from '../methods/types.js';

/** Options of {@link adapterConfig}. */
export interface AdapterConfigOptions {
  /** The initialisation recorded in `init_lora_weights` (see {@link initLoraWeights}). */
  method: AdapterMethod | 'extract' | 'converted';
  /** `r`: the rank of most modules. */
  rank: number;
  /** `lora_alpha`; default `rank` (scaling 1). */
  alpha?: number;
  /** `target_modules`: a regex string or a list of names. */
  targetModules: string | readonly string[];
  /** `base_model_name_or_path`; default null. */
  baseModel?: string | null;
  /** `task_type`; default null (PEFT's `CAUSAL_LM`, `SEQ_CLS`, … when known). */
  taskType?: string | null;
  /** `use_rslora` (scaling alpha/√r); default false. */
  useRslora?: boolean;
  /** PiSSA with randomized SVD: recorded as `pissa_niter_N`. */
  niter?: number;
  /** `rank_pattern`: module → rank where it differs from `rank`; default {}. */
  rankPattern?: Record<string, number>;
  /** `alpha_pattern`: module → alpha where it differs from `alpha`; default {}. */
  alphaPattern?: Record<string, number>;
}

/** Methods PEFT itself implements, whose names PEFT accepts in `init_lora_weights`. */
const PEFT_INITS = new Set(['pissa', 'olora', 'corda']);

/**
 * The value of `init_lora_weights` recorded for each method. PEFT's own values are used
 * where PEFT has the method: `true` (plain LoRA: Kaiming-uniform A, zero B), `"pissa"` /
 * `"pissa_niter_N"`, `"olora"`, `"corda"` — exactly what PEFT's `save_pretrained` writes
 * for its own adapters of these kinds. Methods PEFT does not implement (EoRA, SVFit,
 * LoLDU, LQ-LoRA), adapters extracted from a fine-tune and adapters converted to plain
 * LoRA record `true`: PEFT raises on any other string when it builds the layers, and their
 * factors are ordinary LoRA weights. lr records the method itself in `lr_adapter.json`
 * beside the adapter ({@link ADAPTER_FILES}), which PEFT ignores.
 *
 * As with PEFT's own PiSSA/OLoRA/CorDA adapters, load those on the residual model written
 * beside them (the base they were split from).
 */
export function initLoraWeights(
  method: AdapterConfigOptions['method'],
  niter?: number,
): boolean | string {
  if (method === 'pissa') return niter === undefined ? 'pissa' : `pissa_niter_${niter}`;
  return PEFT_INITS.has(method) ? method : true;
}

/**
 * PEFT's `LoraConfig` as saved by `save_pretrained`: every key PEFT writes, with its
 * default where lr has nothing to say (dropout 0, bias "none", no DoRA, inference mode).
 *
 * @returns the config object (serialise with {@link serializeAdapterConfig})
 * @throws {InvalidArgumentError} for a non-positive rank or alpha
 */
export function adapterConfig(options: AdapterConfigOptions): Record<string, unknown> {
  const { rank } = options;
  if (!Number.isSafeInteger(rank) || rank < 1)
    throw new InvalidArgumentError(`rank: expected a positive integer, got ${rank}`);
  const alpha = options.alpha ?? rank;
  if (!(Number.isFinite(alpha) && alpha > 0))
    throw new InvalidArgumentError(`alpha: expected a positive number, got ${alpha}`);
  return {
    alpha_pattern: { ...(options.alphaPattern ?? {}) },
    auto_mapping: null,
    base_model_name_or_path: options.baseModel ?? null,
    bias: 'none',
    corda_config: null,
    eva_config: null,
    exclude_modules: null,
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: initLoraWeights(options.method, options.niter),
    layer_replication: null,
    layers_pattern: null,
    layers_to_transform: null,
    loftq_config: {},
    lora_alpha: alpha,
    lora_bias: false,
    lora_dropout: 0,
    megatron_config: null,
    megatron_core: 'megatron.core',
    modules_to_save: null,
    peft_type: 'LORA',
    r: rank,
    rank_pattern: { ...(options.rankPattern ?? {}) },
    revision: null,
    target_modules:
      typeof options.targetModules === 'string'
        ? options.targetModules
        : [...options.targetModules],
    task_type: options.taskType ?? null,
    use_dora: false,
    use_rslora: options.useRslora ?? false,
  };
}

/** Keys whose numbers Python writes as floats (`0.0`). */
const FLOAT_KEYS = new Set(['lora_dropout']);

/**
 * Serialises like Python's `json.dumps(obj, indent=2, sort_keys=True)` (PEFT's
 * `save_pretrained`): keys sorted at every level, `ensure_ascii` escapes, `lora_dropout`
 * written as a float.
 */
export function serializeAdapterConfig(config: Record<string, unknown>): string {
  return dump(config, '', undefined);
}

function dump(v: unknown, pad: string, key: string | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    return key && FLOAT_KEYS.has(key) && Number.isInteger(v) ? `${v}.0` : String(v);
  }
  if (typeof v === 'string')
    return JSON.stringify(v).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  const inner = `${pad}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + dump(x, inner, undefined)).join(',\n')}\n${pad}]`;
  }
  const keys = Object.keys(v as object).sort();
  if (keys.length === 0) return '{}';
  return `{\n${keys
    .map(
      (k) =>
        `${inner}${dump(k, inner, undefined)}: ${dump((v as Record<string, unknown>)[k], inner, k)}`,
    )
    .join(',\n')}\n${pad}}`;
}

/** The LoRA scaling s of a module: alpha / r, or alpha / √r with rsLoRA. */
export function loraScaling(alpha: number, rank: number, useRslora = false): number {
  return useRslora ? alpha / Math.sqrt(rank) : alpha / rank;
}
