import { checkAbort, gemvStrided } from '@lr/core';
import { logSumExp } from './_validate.js';

// Dense Sinkhorn kernels. They assume validated input: a (n) and b (m) non-negative with
// equal mass, M row-major n×m and finite, reg > 0. None of them mutates its inputs.

/** Why a Sinkhorn loop stopped. */
export type SinkhornStatus = 'converged' | 'max-iterations' | 'numerical-error';

/** What Sinkhorn-type solvers report to `onProgress` at each marginal check. */
export interface SinkhornProgress {
  /** Iterations done so far (one iteration = one row and one column scaling). */
  iteration: number;
  /** Marginal error at this check. */
  error: number;
}

/** Validated inputs and resolved options of a dense Sinkhorn kernel. */
export interface KernelParams {
  a: Float64Array;
  b: Float64Array;
  M: Float64Array;
  n: number;
  m: number;
  reg: number;
  numItermax: number;
  stopThr: number;
  checkEvery: number;
  tau: number;
  /** Initial dual potentials (cost units), or undefined for POT's start. */
  warm: { f: Float64Array; g: Float64Array } | undefined;
  onProgress: ((p: SinkhornProgress) => void) | undefined;
  signal: AbortSignal | undefined;
}

/** What a dense Sinkhorn kernel returns; the public wrappers build plans from it. */
export interface KernelResult {
  /** log-scalings: f/reg and g/reg (−∞ where the mass is 0). */
  logu: Float64Array;
  logv: Float64Array;
  iterations: number;
  history: number[];
  status: SinkhornStatus;
}

function l2diff(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - y[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

function isBad(x: number): boolean {
  return x - x !== 0;
}

/**
 * Plain Sinkhorn–Knopp (Cuturi 2013; POT `sinkhorn_knopp`): v ← b ⊘ Kᵀu, u ← a ⊘ Kv with
 * K = exp(−M/reg) formed once; Kᵀu and Kv by the GEMV kernel. On a zero in Kᵀu or Kv, or a
 * non-finite or underflowed (0 where the mass is positive) scaling, it restores the previous iterate and stops with 'numerical-error'
 * (POT warns "numerical errors" and does the same).
 */
export function sinkhornPlainKernel(p: KernelParams): KernelResult {
  const { a, b, M, n, m, reg } = p;
  const K = new Float64Array(n * m);
  for (let k = 0; k < n * m; k++) K[k] = Math.exp(-M[k] / reg);
  let u = new Float64Array(n);
  let v = new Float64Array(m);
  if (p.warm) {
    for (let i = 0; i < n; i++) u[i] = Math.exp(p.warm.f[i] / reg);
    for (let j = 0; j < m; j++) v[j] = Math.exp(p.warm.g[j] / reg);
  } else {
    u.fill(1 / n);
    v.fill(1 / m);
  }
  let un = new Float64Array(n);
  let vn = new Float64Array(m);
  const ktu = new Float64Array(m);
  const kv = new Float64Array(n);
  const col = new Float64Array(m);
  const history: number[] = [];
  let ktuFresh = false;
  let status: SinkhornStatus = 'max-iterations';
  let it = 0;
  while (it < p.numItermax) {
    checkAbort(p.signal);
    if (!ktuFresh) gemvStrided(m, n, 1, K, 0, 1, m, u, 0, 1, 0, ktu, 0, 1);
    let bad = false;
    for (let j = 0; j < m; j++) {
      vn[j] = b[j] === 0 ? 0 : b[j] / ktu[j];
      if (ktu[j] === 0 || isBad(vn[j]) || (vn[j] === 0 && b[j] > 0)) bad = true;
    }
    gemvStrided(n, m, 1, K, 0, m, 1, vn, 0, 1, 0, kv, 0, 1);
    for (let i = 0; i < n; i++) {
      un[i] = a[i] === 0 ? 0 : a[i] / kv[i];
      if (isBad(un[i]) || (un[i] === 0 && a[i] > 0)) bad = true;
    }
    if (bad) {
      status = 'numerical-error';
      break;
    }
    [u, un] = [un, u];
    [v, vn] = [vn, v];
    ktuFresh = false;
    const check = it % p.checkEvery === 0;
    it++;
    if (check) {
      gemvStrided(m, n, 1, K, 0, 1, m, u, 0, 1, 0, ktu, 0, 1);
      ktuFresh = true;
      for (let j = 0; j < m; j++) col[j] = v[j] * ktu[j];
      const err = l2diff(col, b);
      history.push(err);
      p.onProgress?.({ iteration: it, error: err });
      if (!(err >= p.stopThr)) {
        status = Number.isNaN(err) ? 'numerical-error' : 'converged';
        break;
      }
    }
  }
  const logu = new Float64Array(n);
  const logv = new Float64Array(m);
  for (let i = 0; i < n; i++) logu[i] = Math.log(u[i]);
  for (let j = 0; j < m; j++) logv[j] = Math.log(v[j]);
  return { logu, logv, iterations: it, history, status };
}

/**
 * Column log-sums: out_j = LSE_i (logu_i − Mᵀ_ji / reg), with MT the m×n transpose.
 * Assumes the shifted exponents stay finite.
 */
function colLse(
  MT: Float64Array,
  logu: Float64Array,
  n: number,
  m: number,
  reg: number,
  tmp: Float64Array,
  out: Float64Array,
): void {
  for (let j = 0; j < m; j++) {
    const off = j * n;
    for (let i = 0; i < n; i++) tmp[i] = logu[i] - MT[off + i] / reg;
    out[j] = logSumExp(tmp, 0, 1, n);
  }
}

/**
 * Log-domain Sinkhorn (POT `sinkhorn_log`): the same iterates as plain Sinkhorn, held as
 * log-scalings and updated by log-sum-exp, so no exponential ever overflows.
 */
export function sinkhornLogKernel(p: KernelParams): KernelResult {
  const { a, b, M, n, m, reg } = p;
  const MT = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) MT[j * n + i] = M[i * m + j];
  const loga = a.map(Math.log);
  const logb = b.map(Math.log);
  const logu = new Float64Array(n);
  const logv = new Float64Array(m);
  if (p.warm) {
    for (let i = 0; i < n; i++) logu[i] = p.warm.f[i] / reg;
    for (let j = 0; j < m; j++) logv[j] = p.warm.g[j] / reg;
  }
  const tmpN = new Float64Array(n);
  const tmpM = new Float64Array(m);
  const lcol = new Float64Array(m);
  const col = new Float64Array(m);
  colLse(MT, logu, n, m, reg, tmpN, lcol);
  const history: number[] = [];
  let status: SinkhornStatus = 'max-iterations';
  let it = 0;
  while (it < p.numItermax) {
    checkAbort(p.signal);
    for (let j = 0; j < m; j++) logv[j] = logb[j] - lcol[j];
    for (let i = 0; i < n; i++) {
      const off = i * m;
      for (let j = 0; j < m; j++) tmpM[j] = logv[j] - M[off + j] / reg;
      logu[i] = loga[i] - logSumExp(tmpM, 0, 1, m);
    }
    colLse(MT, logu, n, m, reg, tmpN, lcol);
    const check = it % p.checkEvery === 0;
    it++;
    if (check) {
      for (let j = 0; j < m; j++) col[j] = Math.exp(logv[j] + lcol[j]);
      const err = l2diff(col, b);
      history.push(err);
      p.onProgress?.({ iteration: it, error: err });
      if (!(err >= p.stopThr)) {
        status = Number.isNaN(err) ? 'numerical-error' : 'converged';
        break;
      }
    }
  }
  return { logu, logv, iterations: it, history, status };
}

/**
 * Stabilized Sinkhorn (Schmitzer 2019; POT `sinkhorn_stabilized`): scalings u, v on top of
 * potentials α, β with K = exp((α ⊕ β − M)/reg); when max(u, v) > tau they are absorbed
 * (α += reg·log u, u = 1) and K is rebuilt. Deviations from POT, both documented in
 * `sinkhorn`: the absorbed scalings restart at 1 (POT restarts at 1/n, which rescales the
 * plan seen by the next check), and where a product Kᵀu or Kv underflows to 0 (POT
 * returns NaN) that half-step is done exactly in the log domain and absorbed.
 */
export function sinkhornStabilizedKernel(p: KernelParams): KernelResult {
  const { a, b, M, n, m, reg, tau } = p;
  const alpha = new Float64Array(n);
  const beta = new Float64Array(m);
  if (p.warm) {
    alpha.set(p.warm.f);
    beta.set(p.warm.g);
  }
  const K = new Float64Array(n * m);
  const rebuild = () => {
    for (let i = 0; i < n; i++) {
      const off = i * m;
      for (let j = 0; j < m; j++) K[off + j] = Math.exp((alpha[i] + beta[j] - M[off + j]) / reg);
    }
  };
  rebuild();
  const u = new Float64Array(n).fill(1);
  const v = new Float64Array(m).fill(1);
  for (let i = 0; i < n; i++) if (a[i] === 0) u[i] = 0;
  const ktu = new Float64Array(m);
  const kv = new Float64Array(n);
  const col = new Float64Array(m);
  const tmpN = new Float64Array(n);
  const tmpM = new Float64Array(m);
  const history: number[] = [];
  let ktuFresh = false;
  let status: SinkhornStatus = 'max-iterations';
  // Absorbs the scalings into the potentials (α += reg·log u, β += reg·log v, u = v = 1).
  const absorb = () => {
    for (let i = 0; i < n; i++) {
      alpha[i] = a[i] === 0 ? -Infinity : alpha[i] + reg * Math.log(u[i]);
      u[i] = a[i] === 0 ? 0 : 1;
    }
    for (let j = 0; j < m; j++) {
      beta[j] = b[j] === 0 ? -Infinity : beta[j] + reg * Math.log(v[j]);
      v[j] = 1;
    }
    rebuild();
    ktuFresh = false;
  };
  let it = 0;
  while (it < p.numItermax) {
    checkAbort(p.signal);
    if (!ktuFresh) gemvStrided(m, n, 1, K, 0, 1, m, u, 0, 1, 0, ktu, 0, 1);
    let bad = false;
    for (let j = 0; j < m; j++) {
      v[j] = b[j] === 0 ? 0 : b[j] / ktu[j];
      if (isBad(v[j]) || (v[j] === 0 && b[j] > 0)) bad = true;
    }
    if (bad) {
      // exact log-domain column step: β_j = reg·(log b_j − LSE_i(log u_i + (α_i − M_ij)/reg))
      for (let j = 0; j < m; j++) {
        for (let i = 0; i < n; i++) tmpN[i] = Math.log(u[i]) + (alpha[i] - M[i * m + j]) / reg;
        beta[j] = b[j] === 0 ? -Infinity : reg * (Math.log(b[j]) - logSumExp(tmpN, 0, 1, n));
        v[j] = 1;
      }
      for (let i = 0; i < n; i++) {
        alpha[i] = a[i] === 0 ? -Infinity : alpha[i] + reg * Math.log(u[i]);
        u[i] = a[i] === 0 ? 0 : 1;
      }
      rebuild();
    }
    gemvStrided(n, m, 1, K, 0, m, 1, v, 0, 1, 0, kv, 0, 1);
    bad = false;
    for (let i = 0; i < n; i++) {
      u[i] = a[i] === 0 ? 0 : a[i] / kv[i];
      if (isBad(u[i]) || (u[i] === 0 && a[i] > 0)) bad = true;
    }
    if (bad) {
      // exact log-domain row step: α_i = reg·(log a_i − LSE_j(log v_j + (β_j − M_ij)/reg))
      for (let i = 0; i < n; i++) {
        const off = i * m;
        for (let j = 0; j < m; j++) tmpM[j] = Math.log(v[j]) + (beta[j] - M[off + j]) / reg;
        alpha[i] = a[i] === 0 ? -Infinity : reg * (Math.log(a[i]) - logSumExp(tmpM, 0, 1, m));
        u[i] = a[i] === 0 ? 0 : 1;
      }
      for (let j = 0; j < m; j++) {
        beta[j] = b[j] === 0 ? -Infinity : beta[j] + reg * Math.log(v[j]);
        v[j] = 1;
      }
      rebuild();
    }
    ktuFresh = false;
    let mx = 0;
    for (let i = 0; i < n; i++) if (u[i] > mx) mx = u[i];
    for (let j = 0; j < m; j++) if (v[j] > mx) mx = v[j];
    if (mx > tau) absorb();
    const check = it % p.checkEvery === 0;
    it++;
    if (check) {
      gemvStrided(m, n, 1, K, 0, 1, m, u, 0, 1, 0, ktu, 0, 1);
      ktuFresh = true;
      for (let j = 0; j < m; j++) col[j] = v[j] * ktu[j];
      const err = l2diff(col, b);
      history.push(err);
      p.onProgress?.({ iteration: it, error: err });
      if (!(err >= p.stopThr)) {
        status = Number.isNaN(err) ? 'numerical-error' : 'converged';
        break;
      }
    }
  }
  const logu = new Float64Array(n);
  const logv = new Float64Array(m);
  for (let i = 0; i < n; i++) logu[i] = alpha[i] / reg + Math.log(u[i]);
  for (let j = 0; j < m; j++) logv[j] = beta[j] / reg + Math.log(v[j]);
  return { logu, logv, iterations: it, history, status };
}
