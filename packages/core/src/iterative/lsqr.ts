import { EPS } from '../dtype.js';
import { ShapeError } from '../errors.js';
import { axpyStrided, norm2 } from '../kernels/blas1.js';
import type { Matrix } from '../matrix.js';
import type { LinearOperator } from '../operator.js';
import { assertInt, assertNumber, checkAbort, optionsObject } from '../validate.js';
import {
  boolArg,
  functionArg,
  orDefault,
  resolveOperator,
  signalArg,
  vectorArg,
} from './_shared.js';

/** What {@link lsqr} reports to `onProgress` after each iteration. */
export interface LsqrProgress {
  iteration: number;
  r1norm: number;
  r2norm: number;
  arnorm: number;
  acond: number;
}

/** Options of {@link lsqr}. Defaults follow `scipy.sparse.linalg.lsqr`. */
export interface LsqrOptions {
  /** Damping λ: solves min ‖A·x − b‖² + λ²‖x‖²; default 0 (scipy `damp`). */
  damp?: number;
  /** Stopping tolerance on the relative error in A; default 1e-6 (scipy). */
  atol?: number;
  /** Stopping tolerance on the relative error in b; default 1e-6 (scipy). */
  btol?: number;
  /** Stop when the estimate of cond(A) exceeds this; 0 disables; default 1e8 (scipy). */
  conlim?: number;
  /** Iteration cap; default 2·n, n the number of unknowns (scipy `iter_lim`). */
  maxIterations?: number;
  /** Starting guess, length n; default zeros. */
  x0?: Float64Array;
  /**
   * Right preconditioner P (n×p, a Matrix or an operator, e.g. R⁻¹ from a sketch's QR or
   * V·Σ⁻¹ from a sketch's SVD): LSQR runs on the operator A·P, returning x = x0 + P·y for
   * the y it finds. A well-chosen P makes A·P well conditioned, so LSQR needs few
   * iterations (Blendenpik, Avron et al. 2010; LSRN, Meng et al. 2014). With `damp`, the
   * penalty applies to ‖y‖, and `anorm`, `acond`, `arnorm`, `xnorm` describe A·P and y.
   * Default none (P = I).
   */
  preconditioner?: Matrix | LinearOperator;
  /** Also return the diagonal of (AᵀA + λ²I)⁻¹ estimate in `var`; default false (scipy `calc_var`). */
  calcVar?: boolean;
  /** Called after every iteration. */
  onProgress?: (info: LsqrProgress) => void;
  /** Stops the iteration with an `ABORTED` error when it fires. */
  signal?: AbortSignal;
}

/** Result of {@link lsqr}; the fields mirror scipy's return tuple. */
export interface LsqrResult {
  /** The solution, length n. */
  x: Float64Array;
  /**
   * Why it stopped, as scipy: 0 x = 0 is exact (b = 0 or Aᵀb = 0); 1 A·x = b within
   * atol/btol; 2 least-squares solution within atol; 3 cond(A) estimate > conlim;
   * 4 like 1 at machine precision; 5 like 2 at machine precision; 6 cond(A) > 1/ε;
   * 7 iteration cap reached.
   */
  istop: number;
  /** Iterations performed. */
  iterations: number;
  /** True for istop ∈ {0, 1, 2, 4, 5}. */
  converged: boolean;
  /** ‖b − A·x‖ (negative by scipy's convention if its estimate went below zero). */
  r1norm: number;
  /** sqrt(‖b − A·x‖² + damp²‖x‖²). */
  r2norm: number;
  /** Frobenius-norm estimate of [A; damp·I]. */
  anorm: number;
  /** Condition-number estimate of [A; damp·I]. */
  acond: number;
  /** ‖Aᵀ(b − A·x) − damp²·x‖ estimate. */
  arnorm: number;
  /** ‖x‖ estimate. */
  xnorm: number;
  /** Variance estimate (only with `calcVar`), length n. */
  var?: Float64Array;
  /** r2norm at iterations 0…iterations. */
  history: number[];
}

// Stable Givens rotation (Choi 2006, SymOrtho), as used by scipy's lsqr.
function symOrtho(a: number, b: number): [number, number, number] {
  if (b === 0) return [Math.sign(a), 0, Math.abs(a)];
  if (a === 0) return [0, Math.sign(b), Math.abs(b)];
  if (Math.abs(b) > Math.abs(a)) {
    const tau = a / b;
    const s = Math.sign(b) / Math.sqrt(1 + tau * tau);
    return [s * tau, s, b / s];
  }
  const tau = b / a;
  const c = Math.sign(a) / Math.sqrt(1 + tau * tau);
  return [c, c * tau, a / c];
}

/**
 * Least squares by LSQR (Paige & Saunders 1982): min ‖A·x − b‖₂ (or the damped
 * ‖A·x − b‖² + damp²‖x‖²) for any A — square, over- or under-determined, any rank — from
 * products with A and Aᵀ only (Golub–Kahan bidiagonalization). Converges to the
 * minimum-norm solution from x0 = 0. Stopping rules and `istop` codes are scipy's.
 *
 * Defaults (scipy.sparse.linalg.lsqr): `damp` 0, `atol` 1e-6, `btol` 1e-6, `conlim` 1e8,
 * `maxIterations` 2·n.
 *
 * @param A m×n matrix (any strided view) or a {@link LinearOperator}
 * @param b right-hand side, length m
 * @param options see {@link LsqrOptions}
 * @returns `{ x (length n), istop, iterations, converged, r1norm, r2norm, anorm, acond, arnorm, xnorm, var?, history }`
 * @throws {ShapeError} `SHAPE_MISMATCH` if b, x0 or the preconditioner do not fit A
 * @throws {NonFiniteError} `NON_FINITE` if A, b or x0 hold NaN/±∞, or a product returns them
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * const A = Matrix.from([[1, 0], [1, 1], [1, 2]]);
 * const { x, istop } = lsqr(A, new Float64Array([1, 2, 2]), { atol: 1e-12, btol: 1e-12 });
 * // x ≈ [7/6, 1/2], istop 2 (least-squares solution)
 */
export function lsqr(
  A: Matrix | LinearOperator,
  b: Float64Array,
  options?: LsqrOptions,
): LsqrResult {
  const { op: a } = resolveOperator('A', A);
  const m = a.rows;
  const n = a.cols;
  const bb = vectorArg('b', b, m);
  const opts = optionsObject('options', options);
  let op = a;
  let P: LinearOperator | null = null;
  if (opts.preconditioner !== undefined) {
    P = resolveOperator('options.preconditioner', opts.preconditioner).op;
    if (P.rows !== n) {
      throw new ShapeError(
        `options.preconditioner: expected ${n} rows (the columns of A), got ${P.rows}×${P.cols}`,
      );
    }
    const PP = P;
    op = {
      rows: m,
      cols: PP.cols,
      matvec: (y) => a.matvec(PP.matvec(y)),
      rmatvec: (u) => PP.rmatvec(a.rmatvec(u)),
    };
  }
  const defaults = {
    damp: 0,
    atol: 1e-6,
    btol: 1e-6,
    conlim: 1e8,
    maxIterations: 2 * op.cols,
    calcVar: false,
  };
  const damp = assertNumber('options.damp', orDefault(opts.damp, defaults.damp), 0);
  const atol = assertNumber('options.atol', orDefault(opts.atol, defaults.atol), 0);
  const btol = assertNumber('options.btol', orDefault(opts.btol, defaults.btol), 0);
  const conlim = assertNumber('options.conlim', orDefault(opts.conlim, defaults.conlim), 0);
  const maxIterations = assertInt(
    'options.maxIterations',
    orDefault(opts.maxIterations, defaults.maxIterations),
  );
  const x0 = opts.x0 === undefined ? null : vectorArg('options.x0', opts.x0, n);
  const calcVar = boolArg('options.calcVar', opts.calcVar, defaults.calcVar);
  const onProgress = functionArg('options.onProgress', opts.onProgress);
  const signal = signalArg('options.signal', opts.signal);
  checkAbort(signal);

  const bnorm = norm2(bb);
  if (bnorm === 0) {
    // b = 0: x = 0 is the exact (and minimum-norm) solution, whatever x0 is
    return {
      x: new Float64Array(n),
      istop: 0,
      iterations: 0,
      converged: true,
      r1norm: 0,
      r2norm: 0,
      anorm: 0,
      acond: 0,
      arnorm: 0,
      xnorm: 0,
      history: [0],
      ...(calcVar ? { var: new Float64Array(op.cols) } : {}),
    };
  }
  // With x0, solve for the correction: min ‖op·y − (b − A·x0)‖, x = x0 + P·y.
  let rhs = bb;
  if (x0?.some((v) => v !== 0)) {
    rhs = Float64Array.from(bb);
    axpyStrided(m, -1, a.matvec(x0), 0, 1, rhs, 0, 1);
  }
  const res = lsqrKernel(
    op,
    rhs,
    bnorm,
    damp,
    atol,
    btol,
    conlim,
    maxIterations,
    calcVar,
    onProgress,
    signal,
  );
  if (P) res.x = P.matvec(res.x);
  if (x0) for (let i = 0; i < n; i++) res.x[i] = res.x[i]! + x0[i]!;
  return res;
}

// LSQR on validated input; returns the iterate of the (preconditioned) problem in `x`.
// `bnorm` is ‖b‖ of the original right-hand side (scipy uses it in the stopping tests even
// when x0 shifts the right-hand side).
function lsqrKernel(
  op: LinearOperator,
  b: Float64Array,
  bnorm: number,
  damp: number,
  atol: number,
  btol: number,
  conlim: number,
  iterLim: number,
  calcVar: boolean,
  onProgress: ((info: LsqrProgress) => void) | undefined,
  signal: AbortSignal | undefined,
): LsqrResult {
  const m = op.rows;
  const n = op.cols;
  const eps = EPS.float64;
  const ctol = conlim > 0 ? 1 / conlim : 0;
  const dampsq = damp * damp;
  let anorm = 0;
  let acond = 0;
  let ddnorm = 0;
  let res2 = 0;
  let xnorm = 0;
  let xxnorm = 0;
  let z = 0;
  let cs2 = -1;
  let sn2 = 0;
  let istop = 0;
  let itn = 0;
  const x = new Float64Array(n);
  const variance = calcVar ? new Float64Array(n) : undefined;

  let u: Float64Array = Float64Array.from(b);
  let beta = norm2(u);
  let v: Float64Array;
  let alpha = 0;
  if (beta > 0) {
    for (let i = 0; i < m; i++) u[i] = u[i]! / beta;
    v = op.rmatvec(u);
    alpha = norm2(v);
  } else {
    v = new Float64Array(n);
  }
  if (alpha > 0) for (let i = 0; i < n; i++) v[i] = v[i]! / alpha;
  const w = Float64Array.from(v);
  let rhobar = alpha;
  let phibar = beta;
  let rnorm = beta;
  let r1norm = rnorm;
  let r2norm = rnorm;
  let arnorm = alpha * beta;
  const history = [r2norm];
  const done = (): LsqrResult => ({
    x,
    istop,
    iterations: itn,
    converged: [0, 1, 2, 4, 5].includes(istop),
    r1norm,
    r2norm,
    anorm,
    acond,
    arnorm,
    xnorm,
    history,
    ...(variance ? { var: variance } : {}),
  });
  if (arnorm === 0) return done();

  while (itn < iterLim) {
    checkAbort(signal);
    itn++;
    // Golub–Kahan step: β u = A v − α u, α v = Aᵀ u − β v
    const Av = op.matvec(v);
    axpyStrided(m, -alpha, u, 0, 1, Av, 0, 1);
    u = Av;
    beta = norm2(u);
    if (beta > 0) {
      for (let i = 0; i < m; i++) u[i] = u[i]! / beta;
      anorm = Math.sqrt(anorm * anorm + alpha * alpha + beta * beta + dampsq);
      const Atu = op.rmatvec(u);
      axpyStrided(n, -beta, v, 0, 1, Atu, 0, 1);
      v = Atu;
      alpha = norm2(v);
      if (alpha > 0) for (let i = 0; i < n; i++) v[i] = v[i]! / alpha;
    }
    // a plane rotation eliminates the damping term
    let rhobar1 = rhobar;
    let psi = 0;
    if (damp > 0) {
      rhobar1 = Math.sqrt(rhobar * rhobar + dampsq);
      const cs1 = rhobar / rhobar1;
      const sn1 = damp / rhobar1;
      psi = sn1 * phibar;
      phibar = cs1 * phibar;
    }
    // a plane rotation eliminates the subdiagonal β of the bidiagonal matrix
    const [cs, sn, rho] = symOrtho(rhobar1, beta);
    const theta = sn * alpha;
    rhobar = -cs * alpha;
    const phi = cs * phibar;
    phibar = sn * phibar;
    const tau = sn * phi;

    // update x and w
    const t1 = phi / rho;
    const t2 = -theta / rho;
    const wn = norm2(w);
    ddnorm += (wn / rho) * (wn / rho);
    if (variance) for (let i = 0; i < n; i++) variance[i] = variance[i]! + (w[i]! / rho) ** 2;
    axpyStrided(n, t1, w, 0, 1, x, 0, 1);
    for (let i = 0; i < n; i++) w[i] = v[i]! + t2 * w[i]!;

    // estimate ‖x‖ with a second rotation (Paige & Saunders 1982, §5)
    const delta = sn2 * rho;
    const gambar = -cs2 * rho;
    const rhs = phi - delta * z;
    const zbar = rhs / gambar;
    xnorm = Math.sqrt(xxnorm + zbar * zbar);
    const gamma = Math.sqrt(gambar * gambar + theta * theta);
    cs2 = gambar / gamma;
    sn2 = theta / gamma;
    z = rhs / gamma;
    xxnorm += z * z;

    // norms and stopping tests (scipy's order: the smallest istop that holds wins)
    acond = anorm * Math.sqrt(ddnorm);
    const res1 = phibar * phibar;
    res2 += psi * psi;
    rnorm = Math.sqrt(res1 + res2);
    arnorm = alpha * Math.abs(tau);
    const r1sq = rnorm * rnorm - dampsq * xxnorm;
    r1norm = Math.sqrt(Math.abs(r1sq));
    if (r1sq < 0) r1norm = -r1norm;
    r2norm = rnorm;
    history.push(r2norm);

    const test1 = rnorm / bnorm;
    const test2 = arnorm / (anorm * rnorm + eps);
    const test3 = 1 / (acond + eps);
    const t1s = test1 / (1 + (anorm * xnorm) / bnorm);
    const rtol = btol + (atol * anorm * xnorm) / bnorm;
    if (itn >= iterLim) istop = 7;
    if (1 + test3 <= 1) istop = 6;
    if (1 + test2 <= 1) istop = 5;
    if (1 + t1s <= 1) istop = 4;
    if (test3 <= ctol) istop = 3;
    if (test2 <= atol) istop = 2;
    if (test1 <= rtol) istop = 1;
    onProgress?.({ iteration: itn, r1norm, r2norm, arnorm, acond });
    if (istop !== 0) break;
  }
  // maxIterations = 0 with a nonzero problem: report the cap, as scipy does not iterate
  if (istop === 0 && itn >= iterLim) istop = 7;
  return done();
}
