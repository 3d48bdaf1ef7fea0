import {
  assertInt,
  assertNumber,
  checkAbort,
  eig,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  Rng,
  type Seed,
  singularValues,
} from '@lr/core';
import type { ComplexArray } from './complex.js';
import type { DiagonalSsm } from './diagonalSsm.js';
import { hippoLegS } from './hippo.js';
import { logUniformDt, S4D_INIT_DEFAULTS } from './inits.js';
import { PTD_TABLES } from './ptd-tables/index.js';

// Perturb-then-diagonalize (PTD; Yu, Nigmetov, Morozov, Mahoney & Erichson, ICLR 2024,
// "Robustifying State-space Models for Long Sequences via Approximate Diagonalization").
//
// What is minimised. The paper (and its reference code, AnnanYu/Approximate_Diagonal,
// `perturbation_trainer`: Adam on cond(V)² + λ‖E‖) trades the conditioning of the
// eigenvector matrix V of A + E against the size of E. κ₂(V) is not differentiable where
// singular values cross and depends on the arbitrary scaling of V's columns, so we
// minimise the Frobenius surrogate with unit columns,
//
//   J(E) = κ_F(V)²/n + δ·‖E‖_F,   κ_F(V)²/n = ‖V⁻¹‖_F² = Σ_i κ(λ_i)²,
//
// where κ(λ_i) = ‖x_i‖‖y_i‖/|y_iᴴx_i| is the condition number of eigenvalue i (x, y right
// and left eigenvectors). It is invariant to column scaling of V, smooth wherever the
// eigenvalues are simple, bounded below by n (V unitary), and κ₂(V) ≤ κ_F(V) ≤ n·κ₂(V);
// by van der Sluis' theorem unit columns are within √n of the best diagonal scaling, so
// minimising it minimises κ₂(V) up to those factors. The δ term is absolute, as in the
// reference code (so ‖E‖/‖A‖ shrinks as n grows: ‖A‖_F ≈ n²/√2).
//
// Gradient. With A + E = VΛW (W = V⁻¹), the eigenvector derivative is dV = V·(F∘(W·dE·V))
// with F_ij = 1/(λ_j − λ_i) (i ≠ j), 0 on the diagonal (the normalisation freedom, which
// J does not see). For φ(V) = Σ_i ‖v_i‖²‖w_i‖², dφ = 2⟨V̄, dV⟩ with
// VᴴV̄ = (VᴴV)·diag(a) − diag(b)·(WWᴴ), a_i = ‖w_i‖², b_i = ‖v_i‖²; hence
// ∇_E φ = 2·Re(Wᴴ·(F̄∘(VᴴV̄))·Vᴴ) (derived here; checked against finite differences in
// the tests). The optimizer is L-BFGS (memory 10) with an Armijo backtracking line search
// on x = E/‖A‖_F; steps that make eigenvalues collide give J = ∞ and are backtracked.

/** Options of {@link ptdPerturbation} and {@link ptdInit}. */
export interface PtdOptions {
  /** State size N (even; HiPPO-LegS of size N/2 is perturbed, M = N/2 modes). Default 64. */
  N?: number;
  /**
   * Weight δ of ‖E‖_F against Σκ(λ_i)² (absolute, as the reference code's λ‖E‖); default
   * 0.25 (REFERENCES.md: δ ≈ 0.2–0.3), which lands ‖E‖/‖A‖ inside the paper's range
   * [1e-2, 1] for N = 16…256 (measured values in the package README). Larger δ: smaller
   * E, larger κ(V).
   */
  delta?: number;
  /** L-BFGS iteration cap; default 500. */
  maxIterations?: number;
  /** Stop when J decreases by less than tol·J over 10 iterations; default 1e-7. */
  tolerance?: number;
  /** Relative size ‖E₀‖_F/‖A‖_F of the random starting perturbation; default 0.1. */
  initScale?: number;
  /** Seed of the starting perturbation E₀; default 0 (the shipped tables use 0). */
  perturbationSeed?: Seed;
  /**
   * Use the precomputed perturbation for N ∈ {16, 32, 64, 128, 256} when every
   * optimisation option is at its default; default true. False always optimises.
   */
  useTable?: boolean;
  /** Called after every L-BFGS iteration. */
  onProgress?: (p: { iteration: number; objective: number; kappaSum: number }) => void;
  /** Aborts the optimisation (throws `ABORTED`). */
  signal?: AbortSignal;
}

/** Options of {@link ptdInit}: {@link PtdOptions} plus the bank's channels and dt. */
export interface PtdInitOptions extends PtdOptions {
  /** H, the number of channels; default 1. */
  channels?: number;
  /** Smallest step; default 0.001 (S4D's). */
  dtMin?: number;
  /** Largest step; default 0.1 (S4D's). */
  dtMax?: number;
  /** Seed of log dt, C and D (drawn as {@link s4dInit} does); default 0. */
  seed?: Seed;
}

/** Defaults of {@link PtdOptions}. */
export const PTD_DEFAULTS = {
  N: 64,
  delta: 0.25,
  maxIterations: 500,
  tolerance: 1e-7,
  initScale: 0.1,
  perturbationSeed: 0,
} as const;

/** Diagnostics of a PTD perturbation. */
export interface PtdDiagnostics {
  /** κ₂(V), the 2-norm condition number of the unit-column eigenvector matrix. */
  kappaV: number;
  /** κ_F(V) = ‖V‖_F·‖V⁻¹‖_F. */
  kappaF: number;
  /** ‖E‖_F/‖A‖_F. */
  relPerturbation: number;
  /** ‖(A + E)·V − V·Λ‖_F/‖A‖_F (before Re Λ is made negative). */
  backwardError: number;
  /** L-BFGS iterations (0 when the table was used). */
  iterations: number;
  /** Whether the relative-decrease test stopped the iteration (true for tables). */
  converged: boolean;
  /** Eigenvalues with Re λ > 0 whose real part was reflected to −|Re λ|. */
  reflected: number;
  /** Whether the shipped table supplied E. */
  fromTable: boolean;
  /** Objective J per iteration (empty for tables). */
  history: number[];
}

/** Result of {@link ptdPerturbation}. */
export interface PtdResult {
  /** n = N/2. */
  n: number;
  /** The perturbation E (n×n, real). */
  E: Matrix;
  /** Λ with Re Λ ← −|Re Λ| (length n; the diagonal SSM's A for every channel). */
  lambda: ComplexArray;
  /** V: unit-column eigenvectors of A + E, row-major n×n (re, im). */
  V: ComplexArray;
  /** V⁻¹·B_HiPPO (length n): the input vector in the eigenbasis. */
  B: ComplexArray;
  diagnostics: PtdDiagnostics;
}

// ---------------------------------------------------------------------------------------
// small dense complex kernels (row-major n×n, split re/im); assume validated input

function cmm(
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  n: number,
): [Float64Array, Float64Array] {
  const cr = new Float64Array(n * n);
  const ci = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < n; k++) {
      const xr = ar[ri + k]!;
      const xi = ai[ri + k]!;
      if (xr === 0 && xi === 0) continue;
      const rk = k * n;
      for (let j = 0; j < n; j++) {
        const yr = br[rk + j]!;
        const yi = bi[rk + j]!;
        cr[ri + j] = cr[ri + j]! + xr * yr - xi * yi;
        ci[ri + j] = ci[ri + j]! + xr * yi + xi * yr;
      }
    }
  }
  return [cr, ci];
}

/** Conjugate transpose. */
function ch(ar: Float64Array, ai: Float64Array, n: number): [Float64Array, Float64Array] {
  const tr = new Float64Array(n * n);
  const ti = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      tr[j * n + i] = ar[i * n + j]!;
      ti[j * n + i] = -ai[i * n + j]!;
    }
  }
  return [tr, ti];
}

/** Inverse by Gauss–Jordan elimination with partial pivoting; null if singular. */
function cinv(ar: Float64Array, ai: Float64Array, n: number): [Float64Array, Float64Array] | null {
  const w = 2 * n;
  const mr = new Float64Array(n * w);
  const mi = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      mr[i * w + j] = ar[i * n + j]!;
      mi[i * w + j] = ai[i * n + j]!;
    }
    mr[i * w + n + i] = 1;
  }
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = -1;
    for (let i = k; i < n; i++) {
      const m = Math.hypot(mr[i * w + k]!, mi[i * w + k]!);
      if (m > best) {
        best = m;
        p = i;
      }
    }
    if (!(best > 0)) return null;
    if (p !== k) {
      for (let j = 0; j < w; j++) {
        let t = mr[k * w + j]!;
        mr[k * w + j] = mr[p * w + j]!;
        mr[p * w + j] = t;
        t = mi[k * w + j]!;
        mi[k * w + j] = mi[p * w + j]!;
        mi[p * w + j] = t;
      }
    }
    const pr = mr[k * w + k]!;
    const pi = mi[k * w + k]!;
    const d = pr * pr + pi * pi;
    const qr = pr / d;
    const qi = -pi / d;
    for (let j = 0; j < w; j++) {
      const xr = mr[k * w + j]!;
      const xi = mi[k * w + j]!;
      mr[k * w + j] = xr * qr - xi * qi;
      mi[k * w + j] = xr * qi + xi * qr;
    }
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const fr = mr[i * w + k]!;
      const fi = mi[i * w + k]!;
      if (fr === 0 && fi === 0) continue;
      for (let j = 0; j < w; j++) {
        const xr = mr[k * w + j]!;
        const xi = mi[k * w + j]!;
        mr[i * w + j] = mr[i * w + j]! - (fr * xr - fi * xi);
        mi[i * w + j] = mi[i * w + j]! - (fr * xi + fi * xr);
      }
    }
  }
  const rr = new Float64Array(n * n);
  const ri = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      rr[i * n + j] = mr[i * w + n + j]!;
      ri[i * n + j] = mi[i * w + n + j]!;
    }
  }
  for (let k = 0; k < rr.length; k++) {
    if (!Number.isFinite(rr[k]!) || !Number.isFinite(ri[k]!)) return null;
  }
  return [rr, ri];
}

function fro(x: Float64Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k]! * x[k]!;
  return Math.sqrt(s);
}

// ---------------------------------------------------------------------------------------

/** What {@link _ptdObjective} returns. */
export interface _PtdEval {
  /** J(E); Infinity where the eigen-decomposition breaks down. */
  f: number;
  /** Σ_i κ(λ_i)² = ‖V⁻¹‖_F² (unit columns). */
  kappaSum: number;
  /** ∇J with respect to E (n×n), when asked for. */
  grad: Float64Array | null;
}

/**
 * J(E) = ‖V⁻¹‖_F² + δ·‖E‖_F for A + E = VΛV⁻¹ (unit columns) and its gradient
 * (see the file comment). `a` and `e` are row-major n×n.
 */
export function _ptdObjective(
  a: Float64Array,
  e: Float64Array,
  n: number,
  delta: number,
  wantGrad: boolean,
): _PtdEval {
  const m = new Float64Array(n * n);
  for (let k = 0; k < m.length; k++) m[k] = a[k]! + e[k]!;
  let r: ReturnType<typeof eig>;
  try {
    r = eig(new Matrix(m, n, n));
  } catch {
    return { f: Infinity, kappaSum: Infinity, grad: null };
  }
  const vr = r.vectors!.re.data as Float64Array;
  const vi = r.vectors!.im.data as Float64Array;
  const inv = cinv(vr, vi, n);
  if (!inv) return { f: Infinity, kappaSum: Infinity, grad: null };
  const [wr, wi] = inv;
  const av = new Float64Array(n); // ‖w_i‖² (rows of W)
  const bv = new Float64Array(n); // ‖v_i‖² (columns of V), 1 up to rounding
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      av[i] = av[i]! + wr[i * n + k]! ** 2 + wi[i * n + k]! ** 2;
      bv[i] = bv[i]! + vr[k * n + i]! ** 2 + vi[k * n + i]! ** 2;
    }
  }
  let kappaSum = 0;
  for (let i = 0; i < n; i++) kappaSum += av[i]! * bv[i]!;
  const normE = fro(e);
  const f = kappaSum + delta * normE;
  if (!Number.isFinite(f)) return { f: Infinity, kappaSum: Infinity, grad: null };
  if (!wantGrad) return { f, kappaSum, grad: null };
  const lr = r.values.re;
  const li = r.values.im;
  const [vhr, vhi] = ch(vr, vi, n);
  const [whr, whi] = ch(wr, wi, n);
  const [pr, pi] = cmm(vhr, vhi, vr, vi, n); // VᴴV
  const [qr, qi] = cmm(wr, wi, whr, whi, n); // WWᴴ
  // M = conj(F) ∘ G, G = 2(VᴴV)diag(a) − 2diag(b)(WWᴴ), F_ij = 1/(λ_j − λ_i)
  const mr = new Float64Array(n * n);
  const mi = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const k = i * n + j;
      const gr = 2 * pr[k]! * av[j]! - 2 * bv[i]! * qr[k]!;
      const gi = 2 * pi[k]! * av[j]! - 2 * bv[i]! * qi[k]!;
      const dr = lr[j]! - lr[i]!;
      const di = li[j]! - li[i]!;
      const dd = dr * dr + di * di;
      if (!(dd > 0)) return { f: Infinity, kappaSum: Infinity, grad: null };
      // conj(1/d) = d/|d|²
      mr[k] = (gr * dr - gi * di) / dd;
      mi[k] = (gr * di + gi * dr) / dd;
    }
  }
  const [tr, ti] = cmm(whr, whi, mr, mi, n);
  const [gr] = cmm(tr, ti, vhr, vhi, n);
  const scale = normE > 0 ? delta / normE : 0;
  for (let k = 0; k < gr.length; k++) gr[k] = gr[k]! + scale * e[k]!;
  return { f, kappaSum, grad: gr };
}

/** L-BFGS (memory 10) with Armijo backtracking, on validated input. */
function _lbfgs(
  a: Float64Array,
  e0: Float64Array,
  n: number,
  delta: number,
  normA: number,
  maxIterations: number,
  tolerance: number,
  onProgress: PtdOptions['onProgress'],
  signal: AbortSignal | undefined,
): { e: Float64Array; iterations: number; converged: boolean; history: number[] } {
  const len = n * n;
  // optimise over x = E/‖A‖_F: the gradient in x is ‖A‖_F·∇_E J
  let x = Float64Array.from(e0, (v) => v / normA);
  const evalAt = (xx: Float64Array, wantGrad: boolean): _PtdEval => {
    const e = Float64Array.from(xx, (v) => v * normA);
    const r = _ptdObjective(a, e, n, delta, wantGrad);
    if (r.grad) for (let k = 0; k < len; k++) r.grad[k] = r.grad[k]! * normA;
    return r;
  };
  let cur = evalAt(x, true);
  if (!cur.grad) {
    throw new InvalidArgumentError(
      'ptd: the starting perturbation gives a defective A + E; change perturbationSeed or initScale',
    );
  }
  let g = cur.grad;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const history = [cur.f];
  let iterations = 0;
  let converged = false;
  const MEM = 10;
  const WINDOW = 10;
  for (let it = 1; it <= maxIterations; it++) {
    checkAbort(signal);
    // two-loop recursion: d = −H·g
    const q = Float64Array.from(g);
    const alpha = new Array<number>(S.length);
    for (let k = S.length - 1; k >= 0; k--) {
      let s = 0;
      for (let t = 0; t < len; t++) s += S[k]![t]! * q[t]!;
      alpha[k] = rho[k]! * s;
      for (let t = 0; t < len; t++) q[t] = q[t]! - alpha[k]! * Y[k]![t]!;
    }
    let gamma: number;
    if (S.length > 0) {
      const sk = S[S.length - 1]!;
      const yk = Y[Y.length - 1]!;
      let sy = 0;
      let yy = 0;
      for (let t = 0; t < len; t++) {
        sy += sk[t]! * yk[t]!;
        yy += yk[t]! * yk[t]!;
      }
      gamma = sy / yy;
    } else {
      // first step: move x by 1% of its unit scale along −g
      gamma = 0.01 / fro(g);
    }
    for (let t = 0; t < len; t++) q[t] = q[t]! * gamma;
    for (let k = 0; k < S.length; k++) {
      let s = 0;
      for (let t = 0; t < len; t++) s += Y[k]![t]! * q[t]!;
      const beta = rho[k]! * s;
      for (let t = 0; t < len; t++) q[t] = q[t]! + (alpha[k]! - beta) * S[k]![t]!;
    }
    let slope = 0;
    for (let t = 0; t < len; t++) slope -= g[t]! * q[t]!;
    if (!(slope < 0)) {
      // not a descent direction (curvature pairs gone stale): restart from −g
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      const sc = 0.01 / fro(g);
      slope = 0;
      for (let t = 0; t < len; t++) {
        q[t] = g[t]! * sc;
        slope -= g[t]! * q[t]!;
      }
    }
    // Armijo backtracking along −q
    let step = 1;
    let next: _PtdEval | null = null;
    let xn = x;
    for (let bt = 0; bt < 40; bt++) {
      xn = Float64Array.from(x, (v, t) => v - step * q[t]!);
      const r = evalAt(xn, false);
      if (r.f <= cur.f + 1e-4 * step * slope) {
        next = evalAt(xn, true);
        break;
      }
      step *= 0.5;
    }
    iterations = it;
    if (!next?.grad) {
      converged = true; // no further decrease possible along a descent direction
      break;
    }
    const s = Float64Array.from(xn, (v, t) => v - x[t]!);
    const y = Float64Array.from(next.grad, (v, t) => v - g[t]!);
    let sy = 0;
    for (let t = 0; t < len; t++) sy += s[t]! * y[t]!;
    if (sy > 1e-12 * fro(s) * fro(y)) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > MEM) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    x = xn;
    cur = next;
    g = next.grad;
    history.push(cur.f);
    onProgress?.({ iteration: it, objective: cur.f, kappaSum: cur.kappaSum });
    if (history.length > WINDOW) {
      const old = history[history.length - 1 - WINDOW]!;
      if (old - cur.f <= tolerance * cur.f) {
        converged = true;
        break;
      }
    }
  }
  return { e: Float64Array.from(x, (v) => v * normA), iterations, converged, history };
}

function decodeFloat32Base64(s: string): Float64Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lookup = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) lookup[alphabet.charCodeAt(i)] = i;
  const clean = s.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    acc = (acc << 6) | lookup[clean.charCodeAt(i)]!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[o++] = (acc >> bits) & 0xff;
    }
  }
  const view = new DataView(bytes.buffer);
  const out = new Float64Array(bytes.length / 4);
  for (let k = 0; k < out.length; k++) out[k] = view.getFloat32(4 * k, true);
  return out;
}

function resolve(o: PtdOptions): {
  N: number;
  delta: number;
  maxIterations: number;
  tolerance: number;
  initScale: number;
  perturbationSeed: Seed;
  useTable: boolean;
} {
  const N = assertInt('options.N', o.N ?? PTD_DEFAULTS.N, 2, 1024);
  if (N % 2 !== 0) {
    throw new InvalidArgumentError(`options.N: expected an even state size, got ${N}`);
  }
  const delta = assertNumber('options.delta', o.delta ?? PTD_DEFAULTS.delta, 0);
  const maxIterations = assertInt(
    'options.maxIterations',
    o.maxIterations ?? PTD_DEFAULTS.maxIterations,
    0,
  );
  const tolerance = assertNumber('options.tolerance', o.tolerance ?? PTD_DEFAULTS.tolerance, 0);
  const initScale = assertNumber('options.initScale', o.initScale ?? PTD_DEFAULTS.initScale, 0);
  if (!(initScale > 0)) {
    throw new InvalidArgumentError(`options.initScale: expected a number > 0, got ${initScale}`);
  }
  const perturbationSeed = o.perturbationSeed ?? PTD_DEFAULTS.perturbationSeed;
  const useTable = o.useTable ?? true;
  if (typeof useTable !== 'boolean') {
    throw new InvalidArgumentError('options.useTable: expected true or false');
  }
  return { N, delta, maxIterations, tolerance, initScale, perturbationSeed, useTable };
}

/**
 * The diagonalization of a perturbed HiPPO-LegS matrix A + E = V·Λ·V⁻¹ of size n,
 * given E: Λ (Re Λ ← −|Re Λ|), unit-column V, V⁻¹·B_HiPPO and the diagnostics.
 *
 * @param E n×n real perturbation (n ≥ 1)
 * @returns {@link PtdResult} with `iterations` 0
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` when A + E is numerically defective
 * @example
 * const r = ptdDiagonalize(ptdPerturbation({ N: 16 }).E);
 * r.diagnostics.kappaV; // ≈ 2
 */
export function ptdDiagonalize(E: Matrix): PtdResult {
  if (!(E instanceof Matrix) || E.rows !== E.cols) {
    throw new InvalidArgumentError('E: expected a square Matrix');
  }
  const n = E.rows;
  const { A, B } = hippoLegS(n);
  const a = A.data as Float64Array;
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) e[i * n + j] = E.get(i, j);
  const m = Float64Array.from(a, (v, k) => v + e[k]!);
  const r = eig(new Matrix(m, n, n));
  // order the modes by imaginary part, then real part (deterministic, readable)
  const order = Array.from({ length: n }, (_, k) => k).sort(
    (p, q) => r.values.im[p]! - r.values.im[q]! || r.values.re[p]! - r.values.re[q]!,
  );
  const vr0 = r.vectors!.re.data as Float64Array;
  const vi0 = r.vectors!.im.data as Float64Array;
  const vr = new Float64Array(n * n);
  const vi = new Float64Array(n * n);
  const lre = new Float64Array(n);
  const lim = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const s = order[j]!;
    lre[j] = r.values.re[s]!;
    lim[j] = r.values.im[s]!;
    for (let i = 0; i < n; i++) {
      vr[i * n + j] = vr0[i * n + s]!;
      vi[i * n + j] = vi0[i * n + s]!;
    }
  }
  const inv = cinv(vr, vi, n);
  if (!inv) throw new InvalidArgumentError('E: A + E is numerically defective (V is singular)');
  const [wr, wi] = inv;
  // backward error ‖(A+E)V − VΛ‖_F/‖A‖_F
  let res = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < n; k++) {
        sr += m[i * n + k]! * vr[k * n + j]!;
        si += m[i * n + k]! * vi[k * n + j]!;
      }
      sr -= vr[i * n + j]! * lre[j]! - vi[i * n + j]! * lim[j]!;
      si -= vr[i * n + j]! * lim[j]! + vi[i * n + j]! * lre[j]!;
      res += sr * sr + si * si;
    }
  }
  const normA = fro(a);
  // κ₂(V) from the singular values of the real embedding [[Re, −Im], [Im, Re]]
  const emb = new Float64Array(4 * n * n);
  const w2 = 2 * n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      emb[i * w2 + j] = vr[i * n + j]!;
      emb[i * w2 + n + j] = -vi[i * n + j]!;
      emb[(n + i) * w2 + j] = vi[i * n + j]!;
      emb[(n + i) * w2 + n + j] = vr[i * n + j]!;
    }
  }
  const sv = singularValues(new Matrix(emb, w2, w2));
  const kappaV = sv[0]! / sv[sv.length - 1]!;
  const kappaF = Math.sqrt(n) * Math.sqrt(fro(wr) ** 2 + fro(wi) ** 2);
  let reflected = 0;
  for (let j = 0; j < n; j++) {
    if (lre[j]! > 0) reflected++;
    lre[j] = -Math.abs(lre[j]!);
  }
  const Br = new Float64Array(n);
  const Bi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      Br[i] = Br[i]! + wr[i * n + k]! * B[k]!;
      Bi[i] = Bi[i]! + wi[i * n + k]! * B[k]!;
    }
  }
  return {
    n,
    E: new Matrix(e, n, n),
    lambda: { re: lre, im: lim },
    V: { re: vr, im: vi },
    B: { re: Br, im: Bi },
    diagnostics: {
      kappaV,
      kappaF,
      relPerturbation: fro(e) / normA,
      backwardError: Math.sqrt(res) / normA,
      iterations: 0,
      converged: true,
      reflected,
      fromTable: false,
      history: [],
    },
  };
}

/**
 * Perturb-then-diagonalize (PTD; Yu et al., ICLR 2024, §3–4): finds a small real E such
 * that HiPPO-LegS A (size n = N/2) plus E has a well-conditioned eigenvector matrix, by
 * L-BFGS on J(E) = Σκ(λ_i)² + δ·‖E‖_F (the Frobenius surrogate of the reference
 * code's cond(V)² + δ‖E‖; see the comment at the top of ptd.ts), then diagonalizes
 * A + E = VΛV⁻¹ with core's {@link eig}. For N ∈ {16, 32, 64, 128, 256} and default
 * optimisation options, E comes from the shipped tables (made by
 * `packages/ssm/scripts/make-ptd-tables.mjs` with these defaults) and only the
 * eigen-decomposition is computed. Otherwise each L-BFGS iteration costs one or two
 * eigen-decompositions and a few complex n×n products (≈ 60n³ flops): measured 2–5 s for
 * N ≤ 64, ≈ 50 s for N = 128 and ≈ 5 min for N = 256 (500 iterations).
 *
 * @param options see {@link PtdOptions} (defaults in {@link PTD_DEFAULTS})
 * @returns {@link PtdResult}: E, Λ (Re < 0), V, V⁻¹B and diagnostics
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for an odd or out-of-range N or a bad option
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * const { lambda, diagnostics } = ptdPerturbation({ N: 64 });
 * diagnostics.kappaV; // ≈ 4.4 (HiPPO-LegS of size 32 diagonalized as is: ≈ 2.5e19)
 */
export function ptdPerturbation(options?: PtdOptions): PtdResult {
  const o = optionsObject('options', options);
  const r = resolve(o);
  const n = r.N / 2;
  const isDefault =
    r.delta === PTD_DEFAULTS.delta &&
    r.maxIterations === PTD_DEFAULTS.maxIterations &&
    r.tolerance === PTD_DEFAULTS.tolerance &&
    r.initScale === PTD_DEFAULTS.initScale &&
    r.perturbationSeed === PTD_DEFAULTS.perturbationSeed;
  const table = PTD_TABLES[r.N];
  if (r.useTable && isDefault && table) {
    const out = ptdDiagonalize(new Matrix(decodeFloat32Base64(table.E), n, n));
    out.diagnostics.fromTable = true;
    out.diagnostics.iterations = table.iterations;
    out.diagnostics.converged = table.converged;
    return out;
  }
  const { A } = hippoLegS(n);
  const a = A.data as Float64Array;
  const normA = fro(a);
  const rng = Rng.from(r.perturbationSeed);
  const e0 = new Float64Array(n * n);
  rng.fillNormal(e0);
  const s0 = (r.initScale * normA) / fro(e0);
  for (let k = 0; k < e0.length; k++) e0[k] = e0[k]! * s0;
  const opt = _lbfgs(
    a,
    e0,
    n,
    r.delta,
    normA,
    r.maxIterations,
    r.tolerance,
    o.onProgress,
    o.signal,
  );
  const out = ptdDiagonalize(new Matrix(opt.e, n, n));
  out.diagnostics.iterations = opt.iterations;
  out.diagnostics.converged = opt.converged;
  out.diagnostics.history = opt.history;
  return out;
}

/** Result of {@link ptdInit}. */
export interface PtdInitResult {
  /** The bank of H diagonal SSMs, M = N/2 modes each. */
  ssm: DiagonalSsm;
  /** The perturbation and its diagnostics. */
  ptd: PtdResult;
}

/**
 * An S4-PTD initialization (Yu et al., ICLR 2024; the reference code's `S4_PTD_Kernel`):
 * A = Λ from {@link ptdPerturbation} (HiPPO-LegS of size N/2 perturbed and diagonalized,
 * Re Λ ← −|Re Λ|), B = V⁻¹·B_HiPPO, C_h = c_h·V with c_h complex standard normal
 * (Re, Im ~ N(0, ½)), D ~ N(0, 1), log dt log-uniform in [dtMin, dtMax]. As in the
 * reference code, all N/2 eigenvalues of the size-N/2 matrix become the M = N/2 modes
 * (the halving is in the size: HiPPO of size N/2 instead of N with half the spectrum;
 * with complex C, 2·Re of the M complex states is a real system of size N, as S4D's).
 * The draws, in order from one
 * stream seeded by `seed`: log dt [H], c [H, M] (re, im per element), D [H].
 *
 * @param options see {@link PtdInitOptions}
 * @returns `{ ssm, ptd }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad option
 * @throws {AbortedError} `ABORTED` when `signal` fires during an optimisation
 * @example
 * const { ssm, ptd } = ptdInit({ N: 64, channels: 4, seed: 1 });
 * ssm.modes; // 32
 * ptd.diagnostics.relPerturbation; // ≈ 0.068
 */
export function ptdInit(options?: PtdInitOptions): PtdInitResult {
  const o = optionsObject('options', options);
  const H = assertInt('options.channels', o.channels ?? 1, 1, 1 << 20);
  const dtMin = o.dtMin ?? S4D_INIT_DEFAULTS.dtMin;
  const dtMax = o.dtMax ?? S4D_INIT_DEFAULTS.dtMax;
  const ptd = ptdPerturbation(o);
  const { ssm } = _bankFromDiagonalization(ptd, H, dtMin, dtMax, o.seed ?? 0);
  return { ssm, ptd };
}

/**
 * A bank of H SSMs on a diagonalization A + E = VΛV⁻¹ of HiPPO-LegS (size n): A = Λ,
 * B = V⁻¹B_HiPPO, C_h = c_h·V, D, log dt as {@link ptdInit} describes. Also returns the
 * draws c_h (H×n, re and im), so that the undiagonalized HiPPO system with output vector
 * 2·Re c_h has exactly the kernel the bank approximates (the imaginary part of c_h
 * meets only real states there). Assumes validated input.
 */
export function _bankFromDiagonalization(
  r: PtdResult,
  H: number,
  dtMin: number,
  dtMax: number,
  seed: Seed,
): { ssm: DiagonalSsm; c: ComplexArray } {
  const M = r.n;
  const rng = Rng.from(seed);
  const logDt = logUniformDt(H, dtMin, dtMax, rng);
  const A: ComplexArray = { re: new Float64Array(H * M), im: new Float64Array(H * M) };
  const B: ComplexArray = { re: new Float64Array(H * M), im: new Float64Array(H * M) };
  const C: ComplexArray = { re: new Float64Array(H * M), im: new Float64Array(H * M) };
  const c: ComplexArray = { re: new Float64Array(H * M), im: new Float64Array(H * M) };
  const { re: vr, im: vi } = r.V;
  for (let h = 0; h < H; h++) {
    A.re.set(r.lambda.re, h * M);
    A.im.set(r.lambda.im, h * M);
    B.re.set(r.B.re, h * M);
    B.im.set(r.B.im, h * M);
    for (let k = 0; k < M; k++) {
      c.re[h * M + k] = Math.SQRT1_2 * rng.normal();
      c.im[h * M + k] = Math.SQRT1_2 * rng.normal();
    }
    // C_h = c_h·V (row vector times matrix)
    for (let j = 0; j < M; j++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < M; k++) {
        const xr = vr[k * M + j]!;
        const xi = vi[k * M + j]!;
        const ar = c.re[h * M + k]!;
        const ai = c.im[h * M + k]!;
        sr += ar * xr - ai * xi;
        si += ar * xi + ai * xr;
      }
      C.re[h * M + j] = sr;
      C.im[h * M + j] = si;
    }
  }
  const D = new Float64Array(H);
  for (let h = 0; h < H; h++) D[h] = rng.normal();
  return { ssm: { channels: H, modes: M, A, B, C, D, logDt }, c };
}
