import { InvalidArgumentError } from '@lr/core';

/** How rotary embeddings pair the features of a head. */
export type RopeStyle = 'half' | 'interleaved';

/** The fields of a Hugging Face `LlamaConfig` the forward pass needs. */
export interface LlamaConfig {
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  vocabSize: number;
  maxPositions: number;
  rmsNormEps: number;
  ropeTheta: number;
  tieWordEmbeddings: boolean;
  /** Per-head feature size (hidden / heads unless `head_dim` says otherwise). */
  headDim: number;
}

function positiveInt(json: Record<string, unknown>, key: string, fallback?: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    throw new InvalidArgumentError(
      `config.json: ${key} must be a positive integer, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function positiveNumber(json: Record<string, unknown>, key: string, fallback: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new InvalidArgumentError(
      `config.json: ${key} must be a positive number, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

/**
 * Reads the parts of a Hugging Face Llama `config.json` the forward pass uses. Missing
 * optional keys take `transformers`' LlamaConfig defaults (rope_theta 10000, rms_norm_eps
 * 1e-6, num_key_value_heads = num_attention_heads, tie_word_embeddings false).
 * @throws {InvalidArgumentError} when a required size is missing or inconsistent
 * @example
 * const cfg = parseLlamaConfig(JSON.parse(text));
 * cfg.headDim; // 8 for stories260K
 */
export function parseLlamaConfig(json: unknown): LlamaConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidArgumentError('config.json: expected a JSON object');
  }
  const j = json as Record<string, unknown>;
  if (j.model_type !== undefined && j.model_type !== 'llama') {
    throw new InvalidArgumentError(
      `config.json: model_type ${JSON.stringify(j.model_type)} is not supported (only "llama")`,
    );
  }
  const hiddenSize = positiveInt(j, 'hidden_size');
  const numHeads = positiveInt(j, 'num_attention_heads');
  const numKvHeads = positiveInt(j, 'num_key_value_heads', numHeads);
  const headDim = positiveInt(j, 'head_dim', Math.floor(hiddenSize / numHeads));
  if (numHeads % numKvHeads !== 0) {
    throw new InvalidArgumentError(
      `config.json: num_attention_heads (${numHeads}) must be a multiple of num_key_value_heads (${numKvHeads})`,
    );
  }
  if (headDim % 2 !== 0) {
    throw new InvalidArgumentError(
      `config.json: the head size (${headDim}) must be even for rotary embeddings`,
    );
  }
  const rope = j.rope_scaling;
  if (rope !== undefined && rope !== null) {
    throw new InvalidArgumentError('config.json: rope_scaling is not supported');
  }
  return {
    hiddenSize,
    intermediateSize: positiveInt(j, 'intermediate_size'),
    numLayers: positiveInt(j, 'num_hidden_layers'),
    numHeads,
    numKvHeads,
    vocabSize: positiveInt(j, 'vocab_size'),
    maxPositions: positiveInt(j, 'max_position_embeddings', 2048),
    rmsNormEps: positiveNumber(j, 'rms_norm_eps', 1e-6),
    ropeTheta: positiveNumber(j, 'rope_theta', 10000),
    tieWordEmbeddings: j.tie_word_embeddings === true,
    headDim,
  };
}
