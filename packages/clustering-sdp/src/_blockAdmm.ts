import { checkAbort, eigh, gemm, Matrix } from '@lr/core';
import { _projectSimplex } from './_dense.js';

/** Over-relaxation parameter α ∈ [1.5, 1.8] (Boyd et al. 2011, §3.4.3; Eckstein 1994). */
const RELAX = 1.6;

/** Progress report of the SDP solvers, after each iteration. */
export interface SdpProgress {
  iteration: number;
  /** Relative primal residual of the iteration (meaning depends on the solver). */
  primalResidual: number;
  /** Relative dual residual (ADMM) or step size (Burer–Monteiro). */
  dualResidual: number;
}

/** Output of {@link _blockAdmm} (private). */
export interface _BlockAdmmOut {
  /** B blocks n×n row-major, PSD with the requested traces. */
  Z: Float64Array[];
  /** The nonnegative, row-sum–feasible copies. */
  W: Float64Array[];
  /** Multipliers ρ·U of the consensus constraints Z_b = W_b. */
  Y: Float64Array[];
  iterations: number;
  converged: boolean;
  primalHistory: number[];
  /** Σ_b ⟨C_b, Z_b⟩ (in the scale of the given C_b). */
  objective: number;
  /** A lower bound on the optimal value from the multipliers (weak duality). */
  dualBound: number;
}

/** Projects the symmetric part of M (n×n, row-major) onto {Z ⪰ 0, tr Z = t}; returns Z and its eigenvalues. */
export function _projectPsdTrace(M: Float64Array, n: number, t: number): Float64Array {
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) S[i * n + j] = 0.5 * (M[i * n + j]! + M[j * n + i]!);
  const { values, vectors } = eigh(Matrix.fromData(S, n, n));
  const lam = Float64Array.from(values);
  _projectSimplex(lam, t);
  const keep: number[] = [];
  for (let j = 0; j < n; j++) if (lam[j]! > 0) keep.push(j);
  const r = keep.length;
  const V = new Float64Array(n * r);
  const VL = new Float64Array(n * r);
  const vec = vectors!;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < r; c++) {
      const v = vec.get(i, keep[c]!);
      V[i * r + c] = v;
      VL[i * r + c] = v * lam[keep[c]!]!;
    }
  }
  const Z = new Float64Array(n * n);
  if (r > 0)
    gemm(Matrix.fromData(VL, n, r), Matrix.fromData(V, n, r), Matrix.fromData(Z, n, n), {
      transB: true,
    });
  return Z;
}

/** Smallest eigenvalue of the symmetric part of M. */
function lambdaMin(M: Float64Array, n: number): number {
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) S[i * n + j] = 0.5 * (M[i * n + j]! + M[j * n + i]!);
  return eigh(Matrix.fromData(S, n, n), { valuesOnly: true }).values[0]!;
}

/**
 * ADMM for the block SDP  min Σ_b ⟨C_b, Z_b⟩  s.t.  Z_b ⪰ 0, tr Z_b = t_b, Z_b ≥ 0,
 * Σ_b Z_b·1 = 1  (B blocks of size n×n). Splitting (Boyd et al. 2011, §5): Z_b carries the
 * PSD-with-trace constraint (projection by eigh and a simplex projection of the
 * eigenvalues), W_b the nonnegativity and the coupled row sums (for each row i, the
 * concatenation of the rows i of all W_b is projected onto the probability simplex), with
 * Z_b = W_b enforced by scaled multipliers U_b; ρ adapts by residual balancing (§3.4.1).
 * Weak-duality certificate: for any multipliers Y_b = ρU_b,
 * Σ_b t_b·λ_min(C_b + Y_b) + Σ_i min_{b,j} (−Y_b)_{ij} ≤ optimum.
 * Assumes validated input; the C_b should be of order 1 (callers scale).
 */
export function _blockAdmm(
  C: Float64Array[],
  n: number,
  traces: number[],
  maxIterations: number,
  tol: number,
  rho0: number,
  onProgress?: (p: SdpProgress) => void,
  signal?: AbortSignal,
  warm?: { W: Float64Array[]; Y: Float64Array[] },
): _BlockAdmmOut {
  const B = C.length;
  const nn = n * n;
  let rho = rho0;
  let Z: Float64Array[] = C.map(() => new Float64Array(nn));
  // start at a feasible point of the W-set: uniform rows
  let W: Float64Array[] = warm
    ? warm.W.map((w) => w.slice())
    : C.map(() => new Float64Array(nn).fill(1 / (n * B)));
  const U: Float64Array[] = warm
    ? warm.Y.map((y) => y.map((v) => v / rho))
    : C.map(() => new Float64Array(nn));
  const row = new Float64Array(B * n);
  const history: number[] = [];
  let converged = false;
  let it = 0;
  for (it = 1; it <= maxIterations; it++) {
    checkAbort(signal);
    Z = C.map((Cb, b) => {
      const M = new Float64Array(nn);
      const Wb = W[b]!;
      const Ub = U[b]!;
      for (let i = 0; i < nn; i++) M[i] = Wb[i]! - Ub[i]! - Cb[i]! / rho;
      return _projectPsdTrace(M, n, traces[b]!);
    });
    const Wold = W;
    W = C.map(() => new Float64Array(nn));
    // over-relaxation (Boyd et al. 2011, §3.4.3): Ẑ = αZ + (1 − α)W_old
    const Zh = Z.map((Zb, b) => {
      const Wo = Wold[b]!;
      return Zb.map((v, i) => RELAX * v + (1 - RELAX) * Wo[i]!);
    });
    for (let i = 0; i < n; i++) {
      for (let b = 0; b < B; b++) {
        const Zb = Zh[b]!;
        const Ub = U[b]!;
        for (let j = 0; j < n; j++) row[b * n + j] = Zb[i * n + j]! + Ub[i * n + j]!;
      }
      _projectSimplex(row, 1);
      for (let b = 0; b < B; b++) W[b]!.set(row.subarray(b * n, b * n + n), i * n);
    }
    let r2 = 0;
    let s2 = 0;
    let zn = 0;
    let wn = 0;
    let un = 0;
    for (let b = 0; b < B; b++) {
      const Zb = Z[b]!;
      const Zr = Zh[b]!;
      const Wb = W[b]!;
      const Ub = U[b]!;
      const Wo = Wold[b]!;
      for (let i = 0; i < nn; i++) {
        const r = Zb[i]! - Wb[i]!;
        Ub[i]! += Zr[i]! - Wb[i]!;
        r2 += r * r;
        const s = Wb[i]! - Wo[i]!;
        s2 += s * s;
        zn += Zb[i]! * Zb[i]!;
        wn += Wb[i]! * Wb[i]!;
        un += Ub[i]! * Ub[i]!;
      }
    }
    const r = Math.sqrt(r2);
    const s = rho * Math.sqrt(s2);
    const primalRel = r / Math.max(Math.sqrt(zn), Math.sqrt(wn), 1e-300);
    const dualRel = s / Math.max(rho * Math.sqrt(un), 1e-300);
    history.push(primalRel);
    onProgress?.({ iteration: it, primalResidual: primalRel, dualResidual: dualRel });
    if (primalRel < tol && dualRel < tol) {
      converged = true;
      break;
    }
    // residual balancing (Boyd et al. 2011, eq. 3.13), every 10 iterations
    if (it % 10 === 0) {
      let f = 1;
      if (r > 10 * s) f = 2;
      else if (s > 10 * r) f = 0.5;
      if (f !== 1) {
        rho *= f;
        for (const Ub of U) for (let i = 0; i < nn; i++) Ub[i] = Ub[i]! / f;
      }
    }
  }
  if (it > maxIterations) it = maxIterations;
  const Y = U.map((Ub) => Ub.map((v) => rho * v));
  let objective = 0;
  let dual = 0;
  for (let b = 0; b < B; b++) {
    const Cb = C[b]!;
    const Zb = Z[b]!;
    const M = new Float64Array(nn);
    for (let i = 0; i < nn; i++) {
      objective += Cb[i]! * Zb[i]!;
      M[i] = Cb[i]! + Y[b]![i]!;
    }
    dual += traces[b]! * lambdaMin(M, n);
  }
  for (let i = 0; i < n; i++) {
    let m = Number.POSITIVE_INFINITY;
    for (let b = 0; b < B; b++) for (let j = 0; j < n; j++) m = Math.min(m, -Y[b]![i * n + j]!);
    dual += m;
  }
  return { Z, W, Y, iterations: it, converged, primalHistory: history, objective, dualBound: dual };
}
