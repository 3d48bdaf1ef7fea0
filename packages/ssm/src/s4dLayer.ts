import {
  assertFiniteArray,
  assertOneOf,
  FormatError,
  InvalidArgumentError,
  optionsObject,
  ShapeError,
  Tensor,
  writeSafetensors,
} from '@lr/core';
import { _readSequences, _writeSequences, type SequenceLayout } from './_io.js';
import { _Weights } from './_weights.js';
import type { ComplexArray } from './complex.js';
import { _fftConvolve } from './convolution.js';
import { assertDiagonalSsm, cloneDiagonalSsm, type DiagonalSsm } from './diagonalSsm.js';
import { _discretize, type DiscreteSsm, type DiscretizeMethod } from './discretize.js';
import { _vandermondeKernel } from './kernel.js';
import { _recurrence } from './recurrence.js';
import { _scan } from './scan.js';

/** How {@link S4DLayer.forward} runs the sequence. */
export type ForwardMode = 'auto' | 'conv' | 'recurrence' | 'scan';

/** Options of {@link S4DLayer}. */
export interface S4DLayerOptions {
  /** Discretization; default `'zoh'` (S4D's default). */
  method?: DiscretizeMethod;
  /** Layout of `forward`'s input and output; default `'BLH'` ([batch, L, H]). */
  layout?: SequenceLayout;
}

/** Options of {@link S4DLayer.fromSafetensors}. */
export interface S4DLoadOptions extends S4DLayerOptions {
  /** Prefix of the tensor names, e.g. `'layers.0.kernel.'`; default: exact names, or a unique `.name` suffix. */
  prefix?: string;
}

/** Length from which `'auto'` uses FFT convolution rather than the recurrence. */
export const S4D_AUTO_CONV_MIN_LENGTH = 64;

/**
 * The SSM core of an S4D layer (Gu et al. 2022): H independent diagonal SSMs, y = K * u + D·u
 * per channel (no activation, mixing or output projection — compose those yourself).
 * `forward` runs whole sequences (FFT convolution with the Vandermonde kernel, or the
 * recurrence, or the S5 scan — all equal to rounding); `step` runs one time step at a
 * time (the RNN view) for streaming.
 *
 * Weights (safetensors; names of the S4D reference code's `S4DKernel` / S4's
 * `SSMKernelDiag`, H channels, M = N/2 modes; leading dimensions of size 1 are ignored):
 * - `log_dt` [H] — dt = exp(log_dt) (required)
 * - `log_A_real` [H, M] — Re A = −exp(log_A_real); or `A_real` [H, M] — Re A used as is
 * - `A_imag` [H, M] — Im A (required)
 * - `C` [H, M, 2] — complex C as (re, im) pairs, torch's `view_as_real` (required)
 * - `B` [H, M, 2] — complex B (optional; default 1, the minimal S4D code folds B into C)
 * - `D` [H] — skip (optional; default 0)
 *
 * @example
 * const layer = new S4DLayer(s4dInit({ N: 64, channels: 8 }));
 * const y = layer.forward(new Tensor(new Float64Array(2 * 500 * 8), [2, 500, 8])); // [batch, L, H]
 * layer.reset(1);
 * const yk = layer.step(new Float64Array(8)); // one step, batch 1
 */
export class S4DLayer {
  /** The continuous-time parameters (a private copy). */
  readonly ssm: DiagonalSsm;
  /** Discretization in use. */
  readonly method: DiscretizeMethod;
  /** Input/output layout of `forward`. */
  readonly layout: SequenceLayout;
  /** The discretized system. */
  readonly discrete: DiscreteSsm;
  private kernelCache: { L: number; K: Float64Array } | null = null;
  private streamState: ComplexArray | null = null;
  private streamBatch = 0;

  /**
   * @param ssm the H diagonal SSMs (copied)
   * @param options `method` (default `'zoh'`), `layout` (default `'BLH'`)
   * @throws {InvalidArgumentError} / {@link ShapeError} / {@link NonFiniteError} for a bad ssm or option
   */
  constructor(ssm: DiagonalSsm, options?: S4DLayerOptions) {
    const o = optionsObject('options', options);
    this.ssm = cloneDiagonalSsm(assertDiagonalSsm(ssm));
    this.method = assertOneOf('options.method', o.method ?? 'zoh', ['zoh', 'bilinear'] as const);
    this.layout = assertOneOf('options.layout', o.layout ?? 'BLH', ['BLH', 'BHL'] as const);
    this.discrete = _discretize(this.ssm, this.method);
  }

  /** H, the number of channels. */
  get channels(): number {
    return this.ssm.channels;
  }

  /** N = 2M, the real state size per channel. */
  get stateSize(): number {
    return 2 * this.ssm.modes;
  }

  /**
   * Loads a layer from a safetensors file (see the class doc for the tensor names).
   *
   * @param bytes the file's bytes
   * @param options `prefix`, `method`, `layout`
   * @throws {FormatError} `FORMAT` for a corrupt file, a missing tensor, a wrong shape or a non-finite value
   * @example const layer = S4DLayer.fromSafetensors(s4dToSafetensors(s4dInit({ N: 8 })));
   */
  static fromSafetensors(bytes: Uint8Array, options?: S4DLoadOptions): S4DLayer {
    const o = optionsObject('options', options);
    const w = new _Weights(bytes, o.prefix);
    const imDims = w.dims('A_imag');
    const d = [...imDims];
    while (d.length > 2 && d[0] === 1) d.shift();
    if (d.length !== 2)
      throw new FormatError(`tensor 'A_imag': expected shape [H, M], got [${imDims.join(', ')}]`);
    const [H, M] = d as [number, number];
    if (H < 1 || M < 1)
      throw new FormatError(`tensor 'A_imag': empty shape [${imDims.join(', ')}]`);
    const logDt = w.get('log_dt', [H])!;
    const Aim = w.get('A_imag', [H, M])!;
    let Are: Float64Array;
    if (w.has('log_A_real')) {
      Are = w.get('log_A_real', [H, M])!.map((v) => -Math.exp(v));
    } else if (w.has('A_real')) {
      Are = w.get('A_real', [H, M])!;
    } else {
      throw new FormatError("tensor 'log_A_real' (or 'A_real') not found (expected shape [H, M])");
    }
    const Cp = w.get('C', [H, M, 2])!;
    const Bp = w.get('B', [H, M, 2], true);
    const D = w.get('D', [H], true) ?? new Float64Array(H);
    const split = (v: Float64Array): ComplexArray => {
      const re = new Float64Array(H * M);
      const im = new Float64Array(H * M);
      for (let k = 0; k < H * M; k++) {
        re[k] = v[2 * k]!;
        im[k] = v[2 * k + 1]!;
      }
      return { re, im };
    };
    const ssm: DiagonalSsm = {
      channels: H,
      modes: M,
      A: { re: Are, im: Aim },
      B: Bp ? split(Bp) : { re: new Float64Array(H * M).fill(1), im: new Float64Array(H * M) },
      C: split(Cp),
      D,
      logDt,
    };
    for (let k = 0; k < H * M; k++) {
      if (!Number.isFinite(Are[k]!))
        throw new FormatError(`tensor 'log_A_real': exp overflows at index ${k}`);
    }
    return new S4DLayer(ssm, { method: o.method, layout: o.layout });
  }

  /**
   * The layer's weights as a safetensors file with the names {@link S4DLayer.fromSafetensors}
   * reads (`log_A_real` when every Re A < 0, else `A_real`), float64 unless `dtype: 'F32'`.
   */
  toSafetensors(options?: { dtype?: 'F32' | 'F64'; prefix?: string }): Uint8Array {
    return s4dToSafetensors(this.ssm, options);
  }

  /**
   * Runs whole sequences from a zero state: y = K * u + D·u.
   *
   * @param u [batch, L, H] (`'BLH'`) or [batch, H, L] (`'BHL'`), as the layer's layout; 2-d = batch 1
   * @param mode `'auto'` (default: FFT convolution for L ≥ 64, else the recurrence),
   *   `'conv'`, `'recurrence'` or `'scan'`
   * @returns y, a fresh float64 tensor of u's shape
   * @throws {ShapeError} `SHAPE_MISMATCH` when u's channel axis is not H
   * @throws {NonFiniteError} `NON_FINITE` for NaN/±Infinity in u
   */
  forward(u: Tensor, mode: ForwardMode = 'auto'): Tensor {
    const m = assertOneOf('mode', mode, ['auto', 'conv', 'recurrence', 'scan'] as const);
    const seq = _readSequences('u', u, this.channels, this.layout);
    const useConv = m === 'conv' || (m === 'auto' && seq.L >= S4D_AUTO_CONV_MIN_LENGTH);
    let y: Float64Array;
    if (useConv) {
      y = _fftConvolve(seq, this.kernel(seq.L), this.ssm.D);
    } else {
      const n = seq.batch * this.channels * this.ssm.modes;
      const x = { re: new Float64Array(n), im: new Float64Array(n) };
      y = m === 'scan' ? _scan(this.discrete, seq, x) : _recurrence(this.discrete, seq, x);
    }
    return _writeSequences(seq, y);
  }

  /** The kernel of length L, [H·L] row-major (cached per L). */
  private kernel(L: number): Float64Array {
    if (this.kernelCache?.L !== L) {
      this.kernelCache = { L, K: _vandermondeKernel(this.discrete, L) };
    }
    return this.kernelCache.K;
  }

  /** Clears the streaming state for `batch` sequences (default 1). */
  reset(batch = 1): void {
    if (!Number.isSafeInteger(batch) || batch < 1)
      throw new InvalidArgumentError(`batch: expected an integer ≥ 1, got ${batch}`);
    const n = batch * this.channels * this.ssm.modes;
    this.streamState = { re: new Float64Array(n), im: new Float64Array(n) };
    this.streamBatch = batch;
  }

  /** The streaming state, complex [batch, H, M] (a copy), or null before `reset`/`step`. */
  get state(): ComplexArray | null {
    const s = this.streamState;
    return s ? { re: Float64Array.from(s.re), im: Float64Array.from(s.im) } : null;
  }

  /**
   * One recurrent step for a batch: x ← Ā·x + B̄·u_k, y_k = 2·Re(C·x) + D·u_k.
   * The first call (or a call with a new batch size) starts from a zero state.
   *
   * @param uk inputs at this step, [batch, H] row-major (length batch·H)
   * @returns y_k, [batch, H] (fresh)
   * @throws {ShapeError} `SHAPE_MISMATCH` when the length is not a multiple of H
   * @throws {NonFiniteError} `NON_FINITE` for NaN/±Infinity
   */
  step(uk: Float64Array | Float32Array): Float64Array {
    if (!(uk instanceof Float64Array || uk instanceof Float32Array))
      throw new InvalidArgumentError('uk: expected a Float64Array of length batch·H');
    const H = this.channels;
    if (uk.length === 0 || uk.length % H !== 0)
      throw new ShapeError(
        `uk: expected a length that is a positive multiple of H = ${H}, got ${uk.length}`,
      );
    assertFiniteArray('uk', uk);
    const batch = uk.length / H;
    if (this.streamState === null || this.streamBatch !== batch) this.reset(batch);
    const seq = {
      batch,
      L: 1,
      H,
      data: Float64Array.from(uk),
      shape: [batch, 1, H],
      layout: 'BLH' as const,
    };
    return _recurrence(this.discrete, seq, this.streamState!);
  }
}

/**
 * Serializes a diagonal bank to safetensors with the names {@link S4DLayer.fromSafetensors}
 * reads: `log_dt`, `log_A_real` (or `A_real` when some Re A ≥ 0), `A_imag`, `B`, `C`
 * ([H, M, 2]) and `D`.
 *
 * @param ssm the bank
 * @param options `dtype` (default `'F64'`), `prefix` (default none)
 * @returns the file's bytes
 * @example const bytes = s4dToSafetensors(s4dInit({ N: 64, channels: 4 }));
 */
export function s4dToSafetensors(
  ssm: DiagonalSsm,
  options?: { dtype?: 'F32' | 'F64'; prefix?: string },
): Uint8Array {
  const s = assertDiagonalSsm(ssm);
  const o = optionsObject('options', options);
  const p = o.prefix ?? '';
  const H = s.channels;
  const M = s.modes;
  const pairs = (z: ComplexArray): Tensor => {
    const v = new Float64Array(2 * H * M);
    for (let k = 0; k < H * M; k++) {
      v[2 * k] = z.re[k]!;
      v[2 * k + 1] = z.im[k]!;
    }
    return new Tensor(v, [H, M, 2]);
  };
  const negative = s.A.re.every((v) => v < 0);
  const tensors: Record<string, Tensor> = {
    [`${p}log_dt`]: new Tensor(Float64Array.from(s.logDt), [H]),
    [`${p}A_imag`]: new Tensor(Float64Array.from(s.A.im), [H, M]),
    [`${p}B`]: pairs(s.B),
    [`${p}C`]: pairs(s.C),
    [`${p}D`]: new Tensor(Float64Array.from(s.D), [H]),
  };
  if (negative)
    tensors[`${p}log_A_real`] = new Tensor(
      s.A.re.map((v) => Math.log(-v)),
      [H, M],
    );
  else tensors[`${p}A_real`] = new Tensor(Float64Array.from(s.A.re), [H, M]);
  return writeSafetensors(tensors, { dtype: o.dtype ?? 'F64', metadata: { format: 'lr-ssm-s4d' } });
}
