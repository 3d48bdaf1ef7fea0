import { type Rng, randomizedSvd } from '@lr/core';
import { sparsePlusLowRank } from './_lowRankOperator.js';
import { type Model, predictOne } from './_model.js';
import { ObservedEntries } from './observed.js';

export interface SoftImputeState {
  d: Float64Array;
  rng: Rng;
  powerIterations: number;
}

/**
 * One SoftImpute iteration (Mazumder, Hastie & Tibshirani 2010, Alg. 1):
 * Z ← S_λ(P_Ω(M) + P_Ω⊥(Z)) = S_λ(P_Ω(M − Z) + Z), with the rank-k randomized SVD of the
 * sparse-plus-low-rank operator and soft-thresholded singular values max(σ − λ, 0).
 * Updates md.U = A·√d, md.V = B·√d. Returns the objective's penalty 2λ‖Z‖_*.
 */
export function softImputeStep(
  md: Model,
  e: ObservedEntries,
  lambda: number,
  st: SoftImputeState,
): number {
  const k = md.k;
  const res = new Float64Array(e.nnz);
  for (let p = 0; p < e.nnz; p++) res[p] = e.values[p]! - predictOne(md, e.row[p]!, e.col[p]!);
  const S = new ObservedEntries(md.m, md.n, e.row, e.col, res).toCsr();
  const op = sparsePlusLowRank(S, md.U, md.V, k);
  const svd = randomizedSvd(op, {
    rank: k,
    seed: st.rng.fork(),
    powerIterations: st.powerIterations,
  });
  const d = new Float64Array(k);
  let nuc = 0;
  for (let a = 0; a < k; a++) {
    d[a] = Math.max(svd.S[a]! - lambda, 0);
    nuc += d[a]!;
  }
  for (let a = 0; a < k; a++) {
    const s = Math.sqrt(d[a]!);
    for (let i = 0; i < md.m; i++) md.U[i * k + a] = svd.U.get(i, a) * s;
    for (let j = 0; j < md.n; j++) md.V[j * k + a] = svd.Vt.get(a, j) * s;
  }
  st.d = d;
  return 2 * lambda * nuc;
}
