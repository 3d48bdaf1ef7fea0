import { csrOperator, NotConvergedError, type Rng, randomizedSvd } from '@lr/core';
import { type Model, predictOne } from './_model.js';
import { ObservedEntries } from './observed.js';

export interface SvtState {
  /** Y on Ω (Y is zero off Ω). */
  y: Float64Array;
  /** M − baseline on Ω. */
  target: Float64Array;
  tau: number;
  delta: number;
  rng: Rng;
  powerIterations: number;
}

/**
 * SVT start (Cai, Candès & Shen 2010, §5.1.1): Y⁰ = k₀·δ·P_Ω(M) with
 * k₀ = ⌈τ / (δ‖P_Ω(M)‖₂)⌉, which skips the iterations whose threshold zeroes everything.
 */
export function svtInit(
  md: Model,
  e: ObservedEntries,
  tau: number,
  delta: number,
  rng: Rng,
  powerIterations: number,
): SvtState {
  const target = new Float64Array(e.nnz);
  for (let p = 0; p < e.nnz; p++) {
    target[p] = e.values[p]! - md.mean - md.rowBias[e.row[p]!]! - md.colBias[e.col[p]!]!;
  }
  const top = randomizedSvd(
    csrOperator(new ObservedEntries(md.m, md.n, e.row, e.col, target).toCsr()),
    {
      rank: 1,
      seed: rng.fork(),
    },
  ).S[0]!;
  const k0 = top > 0 ? Math.max(1, Math.ceil(tau / (delta * top))) : 1;
  const y = new Float64Array(e.nnz);
  for (let p = 0; p < e.nnz; p++) y[p] = k0 * delta * target[p]!;
  return { y, target, tau, delta, rng, powerIterations };
}

/**
 * One SVT iteration: X = D_τ(Y) (the rank-k randomized SVD of the sparse Y, singular values
 * shrunk by τ; `rank` caps the rank of X), then Y ← Y + δ·P_Ω(M − X). Returns 0 (SVT has
 * no objective beyond the fit).
 */
export function svtStep(md: Model, e: ObservedEntries, st: SvtState): number {
  const k = md.k;
  const Y = new ObservedEntries(md.m, md.n, e.row, e.col, st.y).toCsr();
  const svd = randomizedSvd(csrOperator(Y), {
    rank: k,
    seed: st.rng.fork(),
    powerIterations: st.powerIterations,
  });
  for (let a = 0; a < k; a++) {
    const s = Math.sqrt(Math.max(svd.S[a]! - st.tau, 0));
    for (let i = 0; i < md.m; i++) md.U[i * k + a] = svd.U.get(i, a) * s;
    for (let j = 0; j < md.n; j++) md.V[j * k + a] = svd.Vt.get(a, j) * s;
  }
  for (let p = 0; p < e.nnz; p++) {
    const x =
      predictOne(md, e.row[p]!, e.col[p]!) -
      md.mean -
      md.rowBias[e.row[p]!]! -
      md.colBias[e.col[p]!]!;
    st.y[p] = st.y[p]! + st.delta * (st.target[p]! - x);
    if (!Number.isFinite(st.y[p]!)) {
      throw new NotConvergedError(
        `svt: the iterates diverged (Y is not finite at entry ${p}); use a smaller options.stepSize (below 2 always converges, Cai, Candès & Shen 2010, Thm. 4.2)`,
      );
    }
  }
  return 0;
}
