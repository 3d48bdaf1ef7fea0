import {
  assertInt,
  assertOneOf,
  describe,
  type FloatArray,
  gemm,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  ShapeError,
  Tensor,
} from '@lr/core';
import { assertFiniteTensor, finiteMatrix, orDefault } from './_util.js';

/** Activation of {@link ffnForward}. */
export type FfnActivation = 'relu' | 'gelu' | 'silu';

/**
 * A transformer feed-forward block in `nn.Linear` layout: h = act(x·gateᵀ + gateBias) ⊙
 * (x·upᵀ + upBias) with a gate (SwiGLU/GeGLU, as Llama's `mlp.{gate,up,down}_proj`), or
 * h = act(x·upᵀ + upBias) without; y = h·downᵀ + downBias.
 */
export interface Ffn {
  /** [d_ff, d]. */
  up: Matrix;
  /** [d_ff]. */
  upBias?: FloatArray | null;
  /** [d_ff, d] (gated FFNs). */
  gate?: Matrix | null;
  /** [d_ff]. */
  gateBias?: FloatArray | null;
  /** [d, d_ff]. */
  down: Matrix;
  /** [d] (not sliced: the output width does not change). */
  downBias?: FloatArray | null;
}

function checkFfn(name: string, f: Ffn): { dff: number; d: number } {
  if (f === null || typeof f !== 'object')
    throw new InvalidArgumentError(
      `${name}: expected an FFN { up, down, gate? }, got ${describe(f)}`,
    );
  const up = finiteMatrix(`${name}.up`, f.up);
  const down = finiteMatrix(`${name}.down`, f.down);
  const dff = up.rows;
  const d = up.cols;
  if (down.rows !== d || down.cols !== dff)
    throw new ShapeError(
      `${name}.down: expected [${d}, ${dff}], got shape [${down.rows}, ${down.cols}]`,
    );
  if (f.gate !== undefined && f.gate !== null) {
    const g = finiteMatrix(`${name}.gate`, f.gate);
    if (g.rows !== dff || g.cols !== d)
      throw new ShapeError(
        `${name}.gate: expected [${dff}, ${d}], got shape [${g.rows}, ${g.cols}]`,
      );
  }
  const vec = (k: 'upBias' | 'gateBias' | 'downBias', len: number) => {
    const v = f[k];
    if (v === undefined || v === null) return;
    if (!(v instanceof Float64Array || v instanceof Float32Array) || v.length !== len)
      throw new ShapeError(
        `${name}.${k}: expected a Float64Array or Float32Array of length ${len}, got ${describe(v)}`,
      );
    assertFiniteTensor(`${name}.${k}`, new Tensor(v, [len]));
  };
  vec('upBias', dff);
  vec('gateBias', dff);
  vec('downBias', d);
  return { dff, d };
}

/**
 * The nested width-k sub-FFN of MatFormer (Devvrit et al. 2023): the first k hidden units,
 * i.e. `up[:k]`, `upBias[:k]`, `gate[:k]`, `gateBias[:k]`, `down[:, :k]` (REFERENCES.md).
 * Every part is a view sharing storage with `ffn`; nothing is copied.
 *
 * @param ffn the full FFN (not modified)
 * @param width k in [1, d_ff]
 * @returns the width-k FFN (views)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a width outside [1, d_ff]
 * @throws {ShapeError} `SHAPE_MISMATCH` if the FFN's parts do not fit together
 * @example
 * const half = matformerSlice({ up, gate, down }, up.rows / 2);
 * ffnForward(half, X); // the d_ff/2 MatFormer submodel
 */
export function matformerSlice(ffn: Ffn, width: number): Ffn {
  const { dff } = checkFfn('ffn', ffn);
  const k = assertInt('width', width, 1, dff);
  return sliceKernel(ffn, k);
}

function sliceKernel(ffn: Ffn, k: number): Ffn {
  const out: Ffn = { up: ffn.up.rowRange(0, k), down: ffn.down.colRange(0, k) };
  if (ffn.upBias) out.upBias = ffn.upBias.subarray(0, k);
  if (ffn.gate) out.gate = ffn.gate.rowRange(0, k);
  if (ffn.gateBias) out.gateBias = ffn.gateBias.subarray(0, k);
  if (ffn.downBias) out.downBias = ffn.downBias;
  return out;
}

/**
 * MatFormer's nested widths d_ff/g for granularities g (the paper trains 1, 2, 4, 8).
 *
 * @param dff full hidden width
 * @param granularities divisors; default [1, 2, 4, 8]
 * @returns ⌊d_ff / g⌋ for each g (at least 1)
 * @example
 * matformerWidths(172); // [172, 86, 43, 21]
 */
export function matformerWidths(
  dff: number,
  granularities: readonly number[] = [1, 2, 4, 8],
): number[] {
  const n = assertInt('dff', dff, 1);
  if (!Array.isArray(granularities))
    throw new InvalidArgumentError(
      `granularities: expected an array, got ${describe(granularities)}`,
    );
  return granularities.map((g, i) =>
    Math.max(1, Math.floor(n / assertInt(`granularities[${i}]`, g, 1))),
  );
}

/**
 * Mix'n'Match (MatFormer §3.3): a different nested width per layer.
 *
 * @param layers the full FFN of every layer (not modified)
 * @param widths one width per layer, or one width for all
 * @returns the sliced FFNs (views), one per layer
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a widths array of the wrong length or a
 *   width outside [1, d_ff]
 * @example
 * const sub = mixNMatch(layers, [172, 86, 86, 43, 172]);
 */
export function mixNMatch(layers: readonly Ffn[], widths: readonly number[] | number): Ffn[] {
  if (!Array.isArray(layers) || layers.length === 0)
    throw new InvalidArgumentError(
      `layers: expected a non-empty array of FFNs, got ${describe(layers)}`,
    );
  const ws = typeof widths === 'number' ? layers.map(() => widths) : widths;
  if (!Array.isArray(ws) || ws.length !== layers.length)
    throw new InvalidArgumentError(
      `widths: expected a number or an array of ${layers.length} widths, got ${describe(widths)}`,
    );
  return layers.map((f, i) => {
    const { dff } = checkFfn(`layers[${i}]`, f);
    return sliceKernel(f, assertInt(`widths[${i}]`, ws[i], 1, dff));
  });
}

/** Options of {@link ffnForward}. */
export interface FfnForwardOptions {
  /** Default `'silu'` for gated FFNs (SwiGLU, Llama), `'relu'` otherwise. `'gelu'` is the tanh form. */
  activation?: FfnActivation;
}

function act(kind: FfnActivation, v: number): number {
  if (kind === 'relu') return Math.max(v, 0);
  if (kind === 'silu') return v / (1 + Math.exp(-v));
  return 0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)));
}

/**
 * Forward pass of an {@link Ffn} on a batch of rows, by GEMMs.
 *
 * @param ffn the FFN (views are fine; not modified)
 * @param X inputs [n, d]
 * @param options `activation` (silu with a gate, relu without)
 * @returns a fresh float64 Matrix [n, d]
 * @throws {ShapeError} `SHAPE_MISMATCH` if X does not have d columns or the FFN is inconsistent
 * @throws {NonFiniteError} `NON_FINITE` for NaN or ±Infinity
 * @example
 * const Y = ffnForward({ up, gate, down }, X); // Llama MLP
 */
export function ffnForward(ffn: Ffn, X: Matrix, options?: FfnForwardOptions): Matrix {
  const { dff, d } = checkFfn('ffn', ffn);
  const x = finiteMatrix('X', X);
  if (x.cols !== d)
    throw new ShapeError(`X: expected ${d} columns, got shape [${x.rows}, ${x.cols}]`);
  const o = optionsObject('options', options);
  const gated = ffn.gate !== undefined && ffn.gate !== null;
  const a = assertOneOf('options.activation', orDefault(o.activation, gated ? 'silu' : 'relu'), [
    'relu',
    'gelu',
    'silu',
  ] as const);
  const n = x.rows;
  const H = new Matrix(new Float64Array(n * dff), n, dff);
  gemm(x, ffn.up, H, { transB: true });
  if (ffn.upBias)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < dff; j++) H.data[i * dff + j]! += ffn.upBias[j]!;
  if (gated) {
    const G = new Matrix(new Float64Array(n * dff), n, dff);
    gemm(x, ffn.gate!, G, { transB: true });
    for (let i = 0; i < n; i++)
      for (let j = 0; j < dff; j++) {
        const g = G.data[i * dff + j]! + (ffn.gateBias ? ffn.gateBias[j]! : 0);
        H.data[i * dff + j] = act(a, g) * H.data[i * dff + j]!;
      }
  } else for (let i = 0; i < H.data.length; i++) H.data[i] = act(a, H.data[i]!);
  const Y = new Matrix(new Float64Array(n * d), n, d);
  gemm(H, ffn.down, Y, { transB: true });
  if (ffn.downBias)
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Y.data[i * d + j]! += ffn.downBias[j]!;
  return Y;
}

const MLP_KEY = /^(.*layers\.(\d+)\.mlp\.)(gate_proj|up_proj|down_proj|fc1|fc2)\.(weight|bias)$/;

/**
 * Mix'n'Match on a whole checkpoint's tensors (e.g. decoded from safetensors): every
 * `…layers.<i>.mlp.{gate_proj,up_proj,fc1}.{weight,bias}` keeps its first k_i rows and
 * every `…layers.<i>.mlp.{down_proj,fc2}.weight` its first k_i columns (contiguous copies,
 * ready to write); all other tensors pass through. `fc1`/`fc2` are the names of
 * non-gated (GPT/OPT-style) FFNs.
 *
 * @param tensors name → tensor (a Map or record; not modified)
 * @param widths per layer index, or one width for all layers
 * @returns a Map with the same names in the same order
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a width outside [1, d_ff] or a layer
 *   index without a width
 * @example
 * const small = mixNMatchTensors(tensors, [172, 86, 86, 43, 172]);
 */
export function mixNMatchTensors(
  tensors: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>,
  widths: readonly number[] | number,
): Map<string, Tensor> {
  const entries: [string, Tensor][] =
    tensors instanceof Map
      ? [...tensors.entries()]
      : Object.entries(tensors as Record<string, Tensor>);
  const out = new Map<string, Tensor>();
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor))
      throw new InvalidArgumentError(
        `tensors[${JSON.stringify(name)}]: expected a Tensor, got ${describe(t)}`,
      );
    const m = MLP_KEY.exec(name);
    if (!m) {
      out.set(name, t);
      continue;
    }
    const layer = Number(m[2]);
    const wv = typeof widths === 'number' ? widths : widths[layer];
    if (wv === undefined)
      throw new InvalidArgumentError(
        `widths: no width for layer ${layer} (${JSON.stringify(name)})`,
      );
    const isDown = m[3] === 'down_proj' || m[3] === 'fc2';
    if (isDown && m[4] === 'bias') {
      out.set(name, t);
      continue;
    }
    const dff = isDown ? t.shape[1]! : t.shape[0]!;
    const k = assertInt(`widths[${layer}]`, wv, 1, dff);
    const sliced = isDown ? t.slice(null, [0, k]) : t.slice([0, k]);
    out.set(name, sliced.contiguous());
  }
  return out;
}
