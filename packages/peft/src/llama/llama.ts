import {
  assertFiniteArray,
  type FloatArray,
  gemmStrided,
  InvalidArgumentError,
  Matrix,
  Rng,
  type Seed,
  ShapeError,
  type Tensor,
} from '@lr/core';
import type { LlamaConfig, RopeStyle } from './config.js';

/** Options of {@link Llama.fromTensors}. */
export interface LlamaOptions {
  /** Arithmetic precision of the weights and activations; default 'float32' (as PyTorch). */
  dtype?: 'float32' | 'float64';
  /**
   * How rotary embeddings pair head features: 'half' pairs i with i + d/2 (Hugging Face's
   * `rotate_half`, the default), 'interleaved' pairs 2i with 2i+1 (Meta's and llama2.c's
   * layout, which stories260K keeps: its q/k rows were not permuted on conversion).
   */
  ropeStyle?: RopeStyle;
}

/** Where the weights come from: a map, a plain record, or a lookup function. */
export type LlamaTensors =
  | ReadonlyMap<string, Tensor>
  | Readonly<Record<string, Tensor>>
  | ((name: string) => Tensor | undefined);

/** Options of {@link Llama.forward}. */
export interface LlamaForwardOptions {
  /**
   * Called with the input of every linear layer (`model.layers.0.self_attn.q_proj`, …) as
   * a [T, in] matrix, for calibration (CorDA, EoRA). The matrix is a fresh copy.
   */
  capture?: (module: string, input: Matrix) => void;
}

/** Options of {@link Llama.generate}. */
export interface LlamaGenerateOptions {
  /** Tokens to start from; default [1] (BOS in Llama tokenizers). */
  prompt?: readonly number[];
  /** How many tokens to add; default 64. */
  maxTokens?: number;
  /** Softmax temperature; 0 means greedy. Default 1. */
  temperature?: number;
  /** Seed of the sampler. */
  seed?: Seed;
}

interface Layer {
  inputNorm: FloatArray;
  postNorm: FloatArray;
  q: FloatArray;
  k: FloatArray;
  v: FloatArray;
  o: FloatArray;
  gate: FloatArray;
  up: FloatArray;
  down: FloatArray;
}

/** The linear modules of one decoder layer, with their [out, in] shapes. */
export function llamaLinearShapes(config: LlamaConfig): [string, number, number][] {
  const { hiddenSize: d, intermediateSize: f, numHeads: h, numKvHeads: kv, headDim: hd } = config;
  return [
    ['self_attn.q_proj', h * hd, d],
    ['self_attn.k_proj', kv * hd, d],
    ['self_attn.v_proj', kv * hd, d],
    ['self_attn.o_proj', d, h * hd],
    ['mlp.gate_proj', f, d],
    ['mlp.up_proj', f, d],
    ['mlp.down_proj', d, f],
  ];
}

/**
 * A Llama decoder (RMSNorm, rotary attention with grouped key/value heads, SwiGLU MLP) for
 * inference on the CPU, built from Hugging Face weight names. Enough to sample from a
 * model and to compare a compressed or adapted copy with the original, token by token.
 *
 * @example
 * const cfg = parseLlamaConfig(JSON.parse(configText));
 * const model = Llama.fromTensors(cfg, tensors, { ropeStyle: 'interleaved' });
 * const tokens = model.generate({ maxTokens: 32, seed: 1 });
 * const logits = model.forward(tokens); // [T, vocab]
 */
export class Llama {
  readonly config: LlamaConfig;
  readonly dtype: 'float32' | 'float64';
  readonly ropeStyle: RopeStyle;
  private readonly embed: FloatArray;
  private readonly lmHead: FloatArray;
  private readonly finalNorm: FloatArray;
  private readonly layers: Layer[];
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  private constructor(
    config: LlamaConfig,
    dtype: 'float32' | 'float64',
    ropeStyle: RopeStyle,
    parts: { embed: FloatArray; lmHead: FloatArray; finalNorm: FloatArray; layers: Layer[] },
  ) {
    this.config = config;
    this.dtype = dtype;
    this.ropeStyle = ropeStyle;
    this.embed = parts.embed;
    this.lmHead = parts.lmHead;
    this.finalNorm = parts.finalNorm;
    this.layers = parts.layers;
    // Rotary tables: angle(p, i) = p · θ^(−2i/d) for the i-th pair of a head.
    const half = config.headDim / 2;
    const n = config.maxPositions * half;
    this.cos = new Float64Array(n);
    this.sin = new Float64Array(n);
    for (let p = 0; p < config.maxPositions; p++) {
      for (let i = 0; i < half; i++) {
        const angle = p * config.ropeTheta ** ((-2 * i) / config.headDim);
        this.cos[p * half + i] = Math.cos(angle);
        this.sin[p * half + i] = Math.sin(angle);
      }
    }
  }

  /**
   * Builds the model from tensors named as in Hugging Face's `LlamaForCausalLM`
   * (`model.embed_tokens.weight`, `model.layers.{i}.self_attn.q_proj.weight`, …,
   * `model.norm.weight`, and `lm_head.weight` unless the embeddings are tied).
   * The weights are copied into contiguous arrays of the chosen dtype.
   * @throws {InvalidArgumentError} when a tensor is missing
   * @throws {ShapeError} when a tensor's shape disagrees with the config
   * @throws {NonFiniteError} when a weight is NaN or infinite
   */
  static fromTensors(
    config: LlamaConfig,
    tensors: LlamaTensors,
    options: LlamaOptions = {},
  ): Llama {
    const dtype = options.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new InvalidArgumentError(
        `dtype: expected 'float32' or 'float64', got ${String(dtype)}`,
      );
    }
    const ropeStyle = options.ropeStyle ?? 'half';
    if (ropeStyle !== 'half' && ropeStyle !== 'interleaved') {
      throw new InvalidArgumentError(
        `ropeStyle: expected 'half' or 'interleaved', got ${String(ropeStyle)}`,
      );
    }
    const lookup =
      typeof tensors === 'function'
        ? tensors
        : tensors instanceof Map
          ? (name: string) => (tensors as ReadonlyMap<string, Tensor>).get(name)
          : (name: string) => (tensors as Readonly<Record<string, Tensor>>)[name];
    const take = (name: string, shape: readonly number[]): FloatArray => {
      const t = lookup(name);
      if (t === undefined) throw new InvalidArgumentError(`missing tensor ${name}`);
      if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
        throw new ShapeError(
          `${name}: expected [${shape.join(', ')}], got [${t.shape.join(', ')}]`,
        );
      }
      return contiguous(name, t, dtype);
    };
    const { hiddenSize: d, vocabSize: vocab, numLayers } = config;
    const embed = take('model.embed_tokens.weight', [vocab, d]);
    const lmHead = config.tieWordEmbeddings ? embed : take('lm_head.weight', [vocab, d]);
    const finalNorm = take('model.norm.weight', [d]);
    const layers: Layer[] = [];
    const shapes = llamaLinearShapes(config);
    for (let l = 0; l < numLayers; l++) {
      const p = `model.layers.${l}.`;
      const lin = shapes.map(([name, o, i]) => take(`${p}${name}.weight`, [o, i]));
      layers.push({
        inputNorm: take(`${p}input_layernorm.weight`, [d]),
        postNorm: take(`${p}post_attention_layernorm.weight`, [d]),
        q: lin[0]!,
        k: lin[1]!,
        v: lin[2]!,
        o: lin[3]!,
        gate: lin[4]!,
        up: lin[5]!,
        down: lin[6]!,
      });
    }
    return new Llama(config, dtype, ropeStyle, { embed, lmHead, finalNorm, layers });
  }

  private alloc(n: number): FloatArray {
    return this.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  }

  private checkTokens(tokens: ArrayLike<number>, name: string): void {
    const { vocabSize, maxPositions } = this.config;
    if (tokens.length > maxPositions) {
      throw new InvalidArgumentError(
        `${name}: ${tokens.length} tokens exceed max_position_embeddings (${maxPositions})`,
      );
    }
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!Number.isInteger(t) || t < 0 || t >= vocabSize) {
        throw new InvalidArgumentError(
          `${name}[${i}]: expected a token id in [0, ${vocabSize}), got ${t}`,
        );
      }
    }
  }

  /**
   * Logits of every position of a token sequence (causal attention over the whole
   * sequence at once): a [T, vocab] matrix whose row t predicts token t + 1.
   * @throws {InvalidArgumentError} for ids outside the vocabulary or too many tokens
   */
  forward(tokens: ArrayLike<number>, options: LlamaForwardOptions = {}): Matrix {
    this.checkTokens(tokens, 'tokens');
    const logits = this.run(this.newCache(tokens.length), tokens, 0, options.capture);
    return Matrix.fromData(logits, tokens.length, this.config.vocabSize);
  }

  /**
   * Runs tokens at positions start … start + T − 1: writes their keys and values into the
   * cache and attends over positions 0 … start + T − 1 (earlier ones from the cache).
   * `forward` is one chunk from position 0; sampling feeds one token at a time.
   * Returns the [T, vocab] logits, row-major.
   */
  private run(
    cache: { k: FloatArray[]; v: FloatArray[] },
    tokens: ArrayLike<number>,
    start: number,
    capture?: (module: string, input: Matrix) => void,
  ): Float64Array {
    const cfg = this.config;
    const T = tokens.length;
    const S = start + T; // positions attended to
    const d = cfg.hiddenSize;
    const f = cfg.intermediateSize;
    const hd = cfg.headDim;
    const qDim = cfg.numHeads * hd;
    const kvDim = cfg.numKvHeads * hd;
    const group = cfg.numHeads / cfg.numKvHeads;
    const h = this.alloc(T * d);
    for (let t = 0; t < T; t++)
      h.set(this.embed.subarray(tokens[t]! * d, (tokens[t]! + 1) * d), t * d);
    const x = this.alloc(T * d);
    const q = this.alloc(T * qDim);
    const att = this.alloc(T * qDim);
    const scores = this.alloc(T * S);
    const g = this.alloc(T * f);
    const u = this.alloc(T * f);
    const scale = 1 / Math.sqrt(hd);
    // out[T, nOut] (at outOff) = inp[T, nIn] · Wᵀ (+ out when beta = 1)
    const linear = (
      name: string,
      inp: FloatArray,
      nIn: number,
      w: FloatArray,
      out: FloatArray,
      outOff: number,
      nOut: number,
      beta: number,
    ) => {
      if (capture)
        capture(name, Matrix.fromData(Float64Array.from(inp.subarray(0, T * nIn)), T, nIn));
      gemmStrided(T, nOut, nIn, 1, inp, 0, nIn, 1, w, 0, 1, nIn, beta, out, outOff, nOut, 1);
    };
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l]!;
      const K = cache.k[l]!;
      const V = cache.v[l]!;
      const p = `model.layers.${l}.`;
      rmsNorm(h, x, T, d, L.inputNorm, cfg.rmsNormEps);
      linear(`${p}self_attn.q_proj`, x, d, L.q, q, 0, qDim, 0);
      linear(`${p}self_attn.k_proj`, x, d, L.k, K, start * kvDim, kvDim, 0);
      linear(`${p}self_attn.v_proj`, x, d, L.v, V, start * kvDim, kvDim, 0);
      for (let t = 0; t < T; t++) {
        this.rope(q, t * qDim, cfg.numHeads, start + t);
        this.rope(K, (start + t) * kvDim, cfg.numKvHeads, start + t);
      }
      for (let head = 0; head < cfg.numHeads; head++) {
        const kvh = Math.floor(head / group);
        // scores[T, S] = q_h · k_gᵀ / √d_h, then causal softmax by rows.
        gemmStrided(
          T,
          S,
          hd,
          scale,
          q,
          head * hd,
          qDim,
          1,
          K,
          kvh * hd,
          1,
          kvDim,
          0,
          scores,
          0,
          S,
          1,
        );
        for (let i = 0; i < T; i++) {
          const row = i * S;
          const last = start + i; // the last position token i may see
          let max = Number.NEGATIVE_INFINITY;
          for (let j = 0; j <= last; j++) if (scores[row + j]! > max) max = scores[row + j]!;
          let sum = 0;
          for (let j = 0; j <= last; j++) {
            const e = Math.exp(scores[row + j]! - max);
            scores[row + j] = e;
            sum += e;
          }
          const inv = 1 / sum;
          for (let j = 0; j <= last; j++) scores[row + j]! *= inv;
          for (let j = last + 1; j < S; j++) scores[row + j] = 0;
        }
        gemmStrided(
          T,
          hd,
          S,
          1,
          scores,
          0,
          S,
          1,
          V,
          kvh * hd,
          kvDim,
          1,
          0,
          att,
          head * hd,
          qDim,
          1,
        );
      }
      linear(`${p}self_attn.o_proj`, att, qDim, L.o, h, 0, d, 1);
      rmsNorm(h, x, T, d, L.postNorm, cfg.rmsNormEps);
      linear(`${p}mlp.gate_proj`, x, d, L.gate, g, 0, f, 0);
      linear(`${p}mlp.up_proj`, x, d, L.up, u, 0, f, 0);
      for (let i = 0; i < T * f; i++) {
        const a = g[i]!;
        g[i] = (a / (1 + Math.exp(-a))) * u[i]!;
      }
      linear(`${p}mlp.down_proj`, g, f, L.down, h, 0, d, 1);
    }
    rmsNorm(h, x, T, d, this.finalNorm, cfg.rmsNormEps);
    const logits = new Float64Array(T * cfg.vocabSize);
    gemmStrided(
      T,
      cfg.vocabSize,
      d,
      1,
      x,
      0,
      d,
      1,
      this.lmHead,
      0,
      1,
      d,
      0,
      logits,
      0,
      cfg.vocabSize,
      1,
    );
    return logits;
  }

  /** Rotates the heads of one position in place. */
  private rope(buf: FloatArray, off: number, heads: number, pos: number): void {
    const hd = this.config.headDim;
    const half = hd / 2;
    const base = pos * half;
    for (let hh = 0; hh < heads; hh++) {
      const o = off + hh * hd;
      for (let i = 0; i < half; i++) {
        const a = this.ropeStyle === 'half' ? o + i : o + 2 * i;
        const b = this.ropeStyle === 'half' ? o + i + half : o + 2 * i + 1;
        const c = this.cos[base + i]!;
        const s = this.sin[base + i]!;
        const x0 = buf[a]!;
        const x1 = buf[b]!;
        buf[a] = x0 * c - x1 * s;
        buf[b] = x0 * s + x1 * c;
      }
    }
  }

  /** Key/value caches for incremental decoding, one pair per layer. */
  private newCache(positions: number): { k: FloatArray[]; v: FloatArray[] } {
    const kvDim = this.config.numKvHeads * this.config.headDim;
    const n = positions * kvDim;
    return {
      k: this.layers.map(() => this.alloc(n)),
      v: this.layers.map(() => this.alloc(n)),
    };
  }

  /**
   * Samples a continuation: each new token from softmax(logits / temperature) of the last
   * position (greedy when temperature is 0). Returns prompt + new tokens.
   */
  generate(options: LlamaGenerateOptions = {}): number[] {
    const prompt = [...(options.prompt ?? [1])];
    const maxTokens = options.maxTokens ?? 64;
    const temperature = options.temperature ?? 1;
    if (!Number.isSafeInteger(maxTokens) || maxTokens < 0) {
      throw new InvalidArgumentError(
        `maxTokens: expected a non-negative integer, got ${maxTokens}`,
      );
    }
    if (!(temperature >= 0) || !Number.isFinite(temperature)) {
      throw new InvalidArgumentError(
        `temperature: expected a finite number ≥ 0, got ${temperature}`,
      );
    }
    if (prompt.length === 0) throw new InvalidArgumentError('prompt: expected at least one token');
    this.checkTokens(prompt, 'prompt');
    const total = Math.min(prompt.length + maxTokens, this.config.maxPositions);
    const rng = Rng.from(options.seed);
    const tokens = prompt;
    const cache = this.newCache(total);
    let logits: Float64Array = new Float64Array(0);
    logits = this.run(cache, tokens, 0).subarray((tokens.length - 1) * this.config.vocabSize);
    while (tokens.length < total) {
      const next = sampleToken(logits, temperature, rng);
      tokens.push(next);
      if (tokens.length < total) logits = this.run(cache, [next], tokens.length - 1);
    }
    return tokens;
  }
}

function contiguous(name: string, t: Tensor, dtype: 'float32' | 'float64'): FloatArray {
  if (t.shape.length !== 1 && t.shape.length !== 2) {
    throw new ShapeError(`${name}: expected a 1-D or 2-D tensor, got [${t.shape.join(', ')}]`);
  }
  const out = t.clone(dtype).data;
  assertFiniteArray(name, out);
  return out;
}

function rmsNorm(
  h: FloatArray,
  out: FloatArray,
  T: number,
  d: number,
  w: FloatArray,
  eps: number,
): void {
  for (let t = 0; t < T; t++) {
    const o = t * d;
    let ss = 0;
    for (let i = 0; i < d; i++) ss += h[o + i]! * h[o + i]!;
    const inv = 1 / Math.sqrt(ss / d + eps);
    for (let i = 0; i < d; i++) out[o + i] = h[o + i]! * inv * w[i]!;
  }
}

/** One draw from softmax(logits / temperature); the arg max when temperature is 0. */
export function sampleToken(logits: ArrayLike<number>, temperature: number, rng: Rng): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  if (temperature === 0) return best;
  const max = logits[best]!;
  const p = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    p[i] = Math.exp((logits[i]! - max) / temperature);
    sum += p[i]!;
  }
  let r = rng.uniform() * sum;
  for (let i = 0; i < p.length; i++) {
    r -= p[i]!;
    if (r < 0) return i;
  }
  return best;
}
