import { assertFiniteArray, assertOneOf, optionsObject, type Tensor } from '@lr/core';
import { _readSequences, type _Sequences, _writeSequences, type SequenceLayout } from './_io.js';
import { assertComplex, type ComplexArray } from './complex.js';
import { assertDiagonalSsm, type DiagonalSsm } from './diagonalSsm.js';
import { _discretize, type DiscreteSsm, type DiscretizeMethod } from './discretize.js';

/** Options of {@link ssmRecurrence} and {@link ssmScan}. */
export interface SsmRunOptions {
  /** Discretization; default `'zoh'`. */
  method?: DiscretizeMethod;
  /** Input (and output) layout; default `'BLH'` ([batch, L, H]). */
  layout?: SequenceLayout;
  /**
   * State before the first sample, complex [batch, H, M] (index (b·H + h)·M + n); default
   * zeros. Pass a previous call's `state` to continue a stream.
   */
  initialState?: ComplexArray;
}

/** Result of {@link ssmRecurrence} and {@link ssmScan}. */
export interface SsmRunResult {
  /** Outputs, a fresh float64 tensor of u's shape. */
  y: Tensor;
  /** The state after the last sample, complex [batch, H, M]. */
  state: ComplexArray;
}

/** Validates an optional initial state of length batch·H·M; returns a copy or zeros. Internal. */
export function _initialState(x0: unknown, n: number): ComplexArray {
  if (x0 === undefined) return { re: new Float64Array(n), im: new Float64Array(n) };
  const z = x0 as ComplexArray;
  assertComplex('options.initialState', z, n);
  assertFiniteArray('options.initialState.re', z.re);
  assertFiniteArray('options.initialState.im', z.im);
  return { re: Float64Array.from(z.re), im: Float64Array.from(z.im) };
}

/**
 * Runs a bank of diagonal SSMs in recurrent mode (S4D §3: the RNN view), one sample at a
 * time: x_k = Ā·x_{k−1} + B̄·u_k, y_k = 2·Re(C·x_k) + D·u_k. O(L·M) per sequence and
 * channel, sequential in k. Equals {@link ssmConvolve} and {@link ssmScan} to rounding.
 *
 * @param ssm H diagonal SSMs (not modified)
 * @param u input [batch, L, H] (`'BLH'`, default) or [batch, H, L]; 2-d = batch 1
 * @param options `method` (default `'zoh'`), `layout`, `initialState`
 * @returns `{ y, state }`
 * @throws {ShapeError} `SHAPE_MISMATCH` for a wrong channel count or initial state length
 * @throws {NonFiniteError} `NON_FINITE` for NaN/±Infinity in u, the ssm or the state
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a non-tensor input or bad option
 * @example
 * const ssm = s4dInit({ N: 16, channels: 2 });
 * const u = new Tensor(new Float64Array(3 * 50 * 2).fill(1), [3, 50, 2]); // [batch, L, H]
 * const { y, state } = ssmRecurrence(ssm, u);
 * const next = ssmRecurrence(ssm, u, { initialState: state }); // continues the 3 streams
 */
export function ssmRecurrence(ssm: DiagonalSsm, u: Tensor, options?: SsmRunOptions): SsmRunResult {
  const { d, seq, x } = _prepareRun(ssm, u, options);
  const y = _recurrence(d, seq, x);
  return { y: _writeSequences(seq, y), state: x };
}

/**
 * Shared input handling of {@link ssmRecurrence} and {@link ssmScan}: validates the ssm,
 * options, input and initial state, and discretizes. Internal.
 */
export function _prepareRun(
  ssm: DiagonalSsm,
  u: Tensor,
  options: SsmRunOptions | undefined,
): { d: DiscreteSsm; seq: _Sequences; x: ComplexArray } {
  const s = assertDiagonalSsm(ssm);
  const o = optionsObject('options', options);
  const method = assertOneOf('options.method', o.method ?? 'zoh', ['zoh', 'bilinear'] as const);
  const seq = _readSequences('u', u, s.channels, o.layout);
  const x = _initialState(o.initialState, seq.batch * s.channels * s.modes);
  const d = _discretize(s, method);
  return { d, seq, x };
}

/** Recurrence on validated input; advances `x` in place. Internal. */
export function _recurrence(d: DiscreteSsm, seq: _Sequences, x: ComplexArray): Float64Array {
  const { batch, L, H, data } = seq;
  const M = d.modes;
  const y = new Float64Array(batch * H * L);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < H; h++) {
      const o = (b * H + h) * L;
      const sOff = (b * H + h) * M;
      const pOff = h * M;
      const dh = d.D[h]!;
      for (let l = 0; l < L; l++) {
        const ul = data[o + l]!;
        let acc = 0;
        for (let n = 0; n < M; n++) {
          const xr = x.re[sOff + n]!;
          const xi = x.im[sOff + n]!;
          const ar = d.Abar.re[pOff + n]!;
          const ai = d.Abar.im[pOff + n]!;
          const nr = ar * xr - ai * xi + d.Bbar.re[pOff + n]! * ul;
          const ni = ar * xi + ai * xr + d.Bbar.im[pOff + n]! * ul;
          x.re[sOff + n] = nr;
          x.im[sOff + n] = ni;
          acc += d.C.re[pOff + n]! * nr - d.C.im[pOff + n]! * ni;
        }
        y[o + l] = 2 * acc + dh * ul;
      }
    }
  }
  return y;
}
