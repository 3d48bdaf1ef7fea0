import { InvalidArgumentError, UnsupportedError } from '@lr/core';
import type { ModelInfo } from './openModel.js';

/**
 * Which modules to adapt, as PEFT's `target_modules`: a string is a regular expression
 * that must match the whole module name (`re.fullmatch`); a list of names matches a module
 * whose name equals an entry or ends with `.` + the entry; `'all-linear'` is every
 * Linear-like weight except the output layer.
 */
export type TargetPattern = string | RegExp | readonly string[];

/**
 * PEFT's default `target_modules` by `config.model_type`
 * (`TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING`, the Llama-like families);
 * other model types default to `'all-linear'`.
 */
export const DEFAULT_TARGET_MODULES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  llama: ['q_proj', 'v_proj'],
  mistral: ['q_proj', 'v_proj'],
  mixtral: ['q_proj', 'v_proj'],
  qwen2: ['q_proj', 'v_proj'],
  gemma: ['q_proj', 'v_proj'],
  gemma2: ['q_proj', 'v_proj'],
  opt: ['q_proj', 'v_proj'],
});

/** Model types whose Linear-like weights are transposed (GPT-2's Conv1D). */
const FAN_IN_FAN_OUT = new Set(['gpt2']);

/** Module-name components that are embeddings, never adapted as Linear layers. */
const EMBEDDING =
  /(^|\.)(embed_tokens|embed_positions|wte|wpe|word_embeddings|embeddings?|tok_embeddings)$/;
/** Output layers that `'all-linear'` leaves out, as PEFT does. */
const OUTPUT = /(^|\.)(lm_head|output|classifier|score)$/;

/** One Linear-like module: its name and its weight. */
export interface TargetModule {
  /** Module name, e.g. `model.layers.0.self_attn.q_proj`. */
  module: string;
  /** Its weight tensor, `<module>.weight`. */
  weight: string;
  /** [out, in]. */
  shape: [number, number];
}

/** Does module name `name` match `pattern` by PEFT's rules (`check_target_module_exists`)? */
export function matchesTarget(name: string, pattern: TargetPattern): boolean {
  if (pattern instanceof RegExp) {
    const re = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
    return re.test(name);
  }
  if (typeof pattern === 'string') {
    if (pattern === 'all-linear') return !OUTPUT.test(name);
    return new RegExp(`^(?:${pattern})$`).test(name);
  }
  return pattern.some((t) => name === t || name.endsWith(`.${t}`));
}

/**
 * The modules of `model` that `pattern` selects, in file order. Only Linear-like modules
 * are candidates: a 2-D floating `<module>.weight` whose module is not an embedding
 * (`embed_tokens`, `wte`, …) — PEFT would adapt an Embedding with other tensor names.
 *
 * @param model from {@link openModel}, or the tensors as `[name, shape]` pairs
 * @param pattern PEFT's `target_modules` ({@link TargetPattern}); default PEFT's default for
 *   `config.model_type` ({@link DEFAULT_TARGET_MODULES}), else `'all-linear'`
 * @returns the matched modules, never empty
 * @throws {InvalidArgumentError} when the pattern is not a valid regular expression or
 *   matches no Linear-like module (the message lists a few candidates)
 * @throws {UnsupportedError} for GPT-2 style models (Conv1D weights stored [in, out])
 * @example
 * selectTargets(model, ['q_proj', 'v_proj']).map((t) => t.module);
 * // ['model.layers.0.self_attn.q_proj', 'model.layers.0.self_attn.v_proj', …]
 */
export function selectTargets(
  model: ModelInfo | ReadonlyArray<readonly [string, readonly number[]]>,
  pattern?: TargetPattern,
): TargetModule[] {
  const entries: [string, readonly number[]][] = Array.isArray(model)
    ? model.map(([n, s]) => [n, s])
    : [...(model as ModelInfo).tensors.values()]
        .filter((t) => ['F32', 'F16', 'BF16', 'F64'].includes(t.dtype))
        .map((t) => [t.name, t.shape]);
  const type = Array.isArray(model) ? undefined : (model as ModelInfo).config?.model_type;
  if (typeof type === 'string' && FAN_IN_FAN_OUT.has(type))
    throw new UnsupportedError(
      `model_type ${JSON.stringify(type)} stores Conv1D weights as [in, out] (PEFT fan_in_fan_out); only nn.Linear [out, in] weights are supported`,
    );
  const resolved = pattern ?? defaultTargets(Array.isArray(model) ? null : (model as ModelInfo));
  if (typeof resolved === 'string' && resolved !== 'all-linear') {
    try {
      new RegExp(resolved);
    } catch (err) {
      throw new InvalidArgumentError(
        `targets: ${JSON.stringify(resolved)} is not a valid regular expression (${(err as Error).message})`,
      );
    }
  }
  if (Array.isArray(resolved) && resolved.length === 0)
    throw new InvalidArgumentError('targets: expected at least one module name, got []');
  const candidates: TargetModule[] = [];
  for (const [name, shape] of entries) {
    if (!name.endsWith('.weight') || shape.length !== 2) continue;
    const module = name.slice(0, -'.weight'.length);
    if (EMBEDDING.test(module)) continue;
    candidates.push({ module, weight: name, shape: [shape[0]!, shape[1]!] });
  }
  const picked = candidates.filter((c) => matchesTarget(c.module, resolved));
  if (picked.length === 0) {
    const shown = candidates
      .slice(0, 4)
      .map((c) => c.module)
      .join(', ');
    throw new InvalidArgumentError(
      `targets: ${describePattern(resolved)} matches no Linear module (${candidates.length} candidates${shown ? `, e.g. ${shown}` : ''})`,
    );
  }
  return picked;
}

/** PEFT's default `target_modules` for this model (see {@link DEFAULT_TARGET_MODULES}). */
export function defaultTargets(model: ModelInfo | null): TargetPattern {
  const type = model?.config?.model_type;
  return (typeof type === 'string' && DEFAULT_TARGET_MODULES[type]) || 'all-linear';
}

/**
 * `target_modules` as written to `adapter_config.json`: a string pattern stays a string;
 * a list becomes the sorted unique names; `'all-linear'` becomes the sorted unique last
 * name components of the matched modules (what PEFT saves after expanding it).
 */
export function targetModulesForConfig(
  pattern: TargetPattern,
  matched: readonly TargetModule[],
): string | string[] {
  if (pattern instanceof RegExp) return pattern.source;
  if (typeof pattern === 'string' && pattern !== 'all-linear') return pattern;
  if (pattern === 'all-linear')
    return [...new Set(matched.map((m) => m.module.split('.').at(-1)!))].sort();
  return [...new Set(pattern as readonly string[])].sort();
}

function describePattern(p: TargetPattern): string {
  if (p instanceof RegExp) return `/${p.source}/`;
  if (typeof p === 'string') return JSON.stringify(p);
  return JSON.stringify([...p]);
}
