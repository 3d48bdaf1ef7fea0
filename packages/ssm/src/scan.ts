import type { Tensor } from '@lr/core';
import type { _Sequences } from './_io.js';
import { _writeSequences } from './_io.js';
import type { ComplexArray } from './complex.js';
import type { DiagonalSsm } from './diagonalSsm.js';
import type { DiscreteSsm } from './discretize.js';
import { _prepareRun, type SsmRunOptions, type SsmRunResult } from './recurrence.js';

/**
 * Runs a bank of diagonal SSMs by the S5 associative parallel scan (Smith, Warrington &
 * Linderman 2023, §2.3/App. H): the elements e_k = (Ā, B̄·u_k) are combined with the
 * associative operator (a_i, b_i) • (a_j, b_j) = (a_j·a_i, a_j·b_i + b_j) (apply i, then
 * j), whose prefixes e_0 • … • e_k = (Ā^{k+1}, x_k) give every state at once. The scan is
 * Blelloch's work-efficient up-sweep / down-sweep (Blelloch 1990, "Prefix sums and their
 * applications") over the sequence padded to a power of two P with identities (1, 0):
 * log₂P levels of independent combines (the parallel structure; run here on one thread),
 * 2P combines in all, then x_k = excl_k • e_k applied to the initial state and
 * y_k = 2·Re(C·x_k) + D·u_k. Equals {@link ssmRecurrence} and {@link ssmConvolve} to rounding.
 *
 * @param ssm H diagonal SSMs (not modified)
 * @param u input [batch, L, H] (`'BLH'`, default) or [batch, H, L]; 2-d = batch 1
 * @param options `method` (default `'zoh'`), `layout`, `initialState`
 * @returns `{ y, state }`
 * @throws as {@link ssmRecurrence}
 * @example
 * const u = new Tensor(new Float64Array(50 * 2).fill(1), [50, 2]); // [L, H]
 * const { y } = ssmScan(s4dInit({ N: 16, channels: 2 }), u);
 */
export function ssmScan(ssm: DiagonalSsm, u: Tensor, options?: SsmRunOptions): SsmRunResult {
  const { d, seq, x } = _prepareRun(ssm, u, options);
  const y = _scan(d, seq, x);
  return { y: _writeSequences(seq, y), state: x };
}

/** Blelloch scan on validated input; writes the final state into `x`. Internal. */
export function _scan(d: DiscreteSsm, seq: _Sequences, x: ComplexArray): Float64Array {
  const { batch, L, H, data } = seq;
  const M = d.modes;
  let P = 1;
  while (P < L) P *= 2;
  // Element k of the scan occupies [k·M, (k + 1)·M) of each array (modes contiguous).
  const ar = new Float64Array(P * M);
  const ai = new Float64Array(P * M);
  const br = new Float64Array(P * M);
  const bi = new Float64Array(P * M);
  const y = new Float64Array(batch * H * L);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < H; h++) {
      const o = (b * H + h) * L;
      const pOff = h * M;
      const sOff = (b * H + h) * M;
      // Leaves: e_k = (Ā, B̄·u_k); padding = identity (1, 0).
      for (let k = 0; k < P; k++) {
        const uk = k < L ? data[o + k]! : 0;
        for (let n = 0; n < M; n++) {
          const e = k * M + n;
          if (k < L) {
            ar[e] = d.Abar.re[pOff + n]!;
            ai[e] = d.Abar.im[pOff + n]!;
            br[e] = d.Bbar.re[pOff + n]! * uk;
            bi[e] = d.Bbar.im[pOff + n]! * uk;
          } else {
            ar[e] = 1;
            ai[e] = 0;
            br[e] = 0;
            bi[e] = 0;
          }
        }
      }
      _blellochExclusive(ar, ai, br, bi, P, M);
      // Now element k holds the exclusive prefix (α, β) = e_0 • … • e_{k−1};
      // x_k = Ā·(α·x0 + β) + B̄·u_k.
      const dh = d.D[h]!;
      for (let k = 0; k < L; k++) {
        const uk = data[o + k]!;
        let acc = 0;
        for (let n = 0; n < M; n++) {
          const e = k * M + n;
          const x0r = x.re[sOff + n]!;
          const x0i = x.im[sOff + n]!;
          const pr = ar[e]! * x0r - ai[e]! * x0i + br[e]!;
          const pi = ar[e]! * x0i + ai[e]! * x0r + bi[e]!;
          const Ar = d.Abar.re[pOff + n]!;
          const Ai = d.Abar.im[pOff + n]!;
          const xr = Ar * pr - Ai * pi + d.Bbar.re[pOff + n]! * uk;
          const xi = Ar * pi + Ai * pr + d.Bbar.im[pOff + n]! * uk;
          acc += d.C.re[pOff + n]! * xr - d.C.im[pOff + n]! * xi;
          if (k === L - 1) {
            br[e] = xr; // stash the final state (the arrays are rebuilt per sequence)
            bi[e] = xi;
          }
        }
        y[o + k] = 2 * acc + dh * uk;
      }
      for (let n = 0; n < M; n++) {
        x.re[sOff + n] = br[(L - 1) * M + n]!;
        x.im[sOff + n] = bi[(L - 1) * M + n]!;
      }
    }
  }
  return y;
}

/**
 * Blelloch's exclusive scan, in place, over P (a power of two) elements of M independent
 * complex modes each, element k at [k·M, (k + 1)·M) of the four arrays, under the S5
 * operator (a_i, b_i) • (a_j, b_j) = (a_j·a_i, a_j·b_i + b_j). Afterwards element k holds
 * e_0 • … • e_{k−1} (the identity (1, 0) for k = 0). Up-sweep: for s = 1, 2, 4, …:
 * e[i] ← e[i − s] • e[i] (i ≡ −1 mod 2s); down-sweep: root ← identity, then for
 * s = P/2, …, 1: (e[i − s], e[i]) ← (e[i], e[i] • e[i − s]). Each level's combines are
 * independent (the parallel structure). Internal; assumes validated input.
 */
export function _blellochExclusive(
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  P: number,
  M: number,
): void {
  for (let s = 1; s < P; s *= 2) {
    for (let i = 2 * s - 1; i < P; i += 2 * s) combineInto(ar, ai, br, bi, (i - s) * M, i * M, M);
  }
  for (let n = 0; n < M; n++) {
    const e = (P - 1) * M + n;
    ar[e] = 1;
    ai[e] = 0;
    br[e] = 0;
    bi[e] = 0;
  }
  for (let s = P / 2; s >= 1; s /= 2) {
    for (let i = 2 * s - 1; i < P; i += 2 * s) swapCombine(ar, ai, br, bi, (i - s) * M, i * M, M);
  }
}

/** e[j] ← e[i] • e[j] = (a_j·a_i, a_j·b_i + b_j), for M modes at offsets i, j. */
function combineInto(
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  i: number,
  j: number,
  M: number,
): void {
  for (let n = 0; n < M; n++) {
    const ajr = ar[j + n]!;
    const aji = ai[j + n]!;
    const air = ar[i + n]!;
    const aii = ai[i + n]!;
    const bir = br[i + n]!;
    const bii = bi[i + n]!;
    ar[j + n] = ajr * air - aji * aii;
    ai[j + n] = ajr * aii + aji * air;
    br[j + n] = ajr * bir - aji * bii + br[j + n]!;
    bi[j + n] = ajr * bii + aji * bir + bi[j + n]!;
  }
}

/** (e[i], e[j]) ← (e[j], e[j] • e[i]) for M modes: the down-sweep step. */
function swapCombine(
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  i: number,
  j: number,
  M: number,
): void {
  for (let n = 0; n < M; n++) {
    // t = e[i] (left subtree's total), p = e[j] (prefix before the left subtree)
    const tar = ar[i + n]!;
    const tai = ai[i + n]!;
    const tbr = br[i + n]!;
    const tbi = bi[i + n]!;
    const par = ar[j + n]!;
    const pai = ai[j + n]!;
    const pbr = br[j + n]!;
    const pbi = bi[j + n]!;
    ar[i + n] = par;
    ai[i + n] = pai;
    br[i + n] = pbr;
    bi[i + n] = pbi;
    // p • t = (t_a·p_a, t_a·p_b + t_b)
    ar[j + n] = tar * par - tai * pai;
    ai[j + n] = tar * pai + tai * par;
    br[j + n] = tar * pbr - tai * pbi + tbr;
    bi[j + n] = tar * pbi + tai * pbr + tbi;
  }
}
