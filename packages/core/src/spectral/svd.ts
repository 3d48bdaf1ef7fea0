import { geqrf } from '../decomp/_qr.js';
import {
  arenaAlloc,
  arenaMark,
  arenaRelease,
  RESIDENT_MIN,
  residentAddress,
  workArray,
} from '../kernels/_wasmArena.js';
import { gemmStrided } from '../kernels/gemm.js';
import { asMatrix, Matrix } from '../matrix.js';
import { optionsObject } from '../validate.js';
import { _bidiagonalDC } from './_bidiagonalDC.js';
import {
  _applyBidiagonalP,
  _applyBidiagonalQ,
  _bidiagonalize,
  _bidiagonalizeBlocked,
  _formLeftQt,
  _formRightPt,
} from './_bidiagonalize.js';
import { _bidiagonalSvd } from './_bidiagonalSvd.js';
import { _applyReflectorsLeft } from './_blockReflector.js';
import {
  _booleanOption,
  _copyMatrix,
  _maxAbs,
  _normalizeColumnSigns,
  _normalizeSigns,
  _scaleIntoRange,
  _transpose,
} from './_input.js';
import { _spectralTuning } from './_tuning.js';

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Compute the singular values only (`U` and `Vt` are null); default false. */
  valuesOnly?: boolean;
  /**
   * Return square U (m×m) and Vt (n×n), completing the singular vectors to orthonormal
   * bases, as `numpy.linalg.svd(full_matrices=True)`; default false (the thin SVD, like
   * `full_matrices=False`).
   */
  full?: boolean;
}

/** Result of {@link svd}: A = U·diag(S)·Vt (with k = min(m, n)). */
export interface SvdResult {
  /** m×k orthonormal columns (m×m if `full`), float64 row-major; null when `valuesOnly`. */
  U: Matrix | null;
  /** The k singular values, non-negative and in descending order. */
  S: Float64Array;
  /** k×n orthonormal rows (n×n if `full`), float64 row-major; null when `valuesOnly`. */
  Vt: Matrix | null;
}

/**
 * When the work matrix has at least this many times more rows than columns, the left
 * rotations are accumulated on a k×k identity and applied with one GEMM (about 5k³ + 2·mm·k²
 * flops instead of about 5·mm·k² on the long rows). Measured on this machine
 * (rotation phase, best of 4): equal at 600×400, 3× faster at 1000×200, 5× at 3000×100.
 */
const GEMM_RATIO = 1.5;

/**
 * The left vectors Q·[U_B; 0] (rows×k, U_B k×k with the vectors as columns), followed when
 * `full` by Q·[0; I] (the rows − k completing columns), as a row-major rows×(k or rows)
 * array with the vectors as columns. The two parts are separate products so that the
 * leading k columns are bit-for-bit the same with and without `full`.
 */
function leftVectors(
  rows: number,
  k: number,
  ub: Float64Array,
  full: boolean,
  applyQ: (c: Float64Array, ldc: number, nc: number) => void,
): Float64Array {
  // formed in wasm memory where possible (Q's blocks then update it in place), then copied out
  const thin = workArray(rows * k);
  thin.set(ub.subarray(0, k * k));
  applyQ(thin, k, k);
  if (!full || rows === k) return residentAddress(thin) >= 0 ? thin.slice() : thin;
  const nc = rows - k;
  const rest = new Float64Array(rows * nc);
  for (let i = 0; i < nc; i++) rest[(k + i) * nc + i] = 1;
  applyQ(rest, nc, nc);
  const out = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    out.set(thin.subarray(i * k, i * k + k), i * rows);
    out.set(rest.subarray(i * nc, i * nc + nc), i * rows + k);
  }
  return out;
}

/**
 * Assembles the result from the work matrix's vectors as columns: uc (mm×rows) and vc
 * (k×k), with the sign rule of {@link svd} (largest entry of each column of U positive).
 */
function fromColumns(
  uc: Float64Array,
  vc: Float64Array,
  S: Float64Array,
  m: number,
  n: number,
  rows: number,
  trans: boolean,
): SvdResult {
  const k = S.length;
  if (!trans) {
    // A = uc·Σ·vcᵀ: U = uc (m×rows), Vt = vcᵀ
    const vt = _transpose(vc, k, k);
    _normalizeColumnSigns(uc, m, k, rows, vt, k, k);
    if (rows > k) _normalizeColumnSigns(uc.subarray(k), m, rows - k, rows);
    return { U: new Matrix(uc, m, rows), S, Vt: new Matrix(vt, k, k) };
  }
  // Aᵀ = uc·Σ·vcᵀ, so A = vc·Σ·ucᵀ: U = vc (m×m), Vt = ucᵀ (rows×n)
  const vt = _transpose(uc, n, rows);
  _normalizeColumnSigns(vc, k, k, k, vt, n, n);
  if (rows > k) _normalizeSigns(vt.subarray(k * n), n, rows - k, n, null, 0, 0);
  return { U: new Matrix(vc, k, k), S, Vt: new Matrix(vt, rows, n) };
}

function identity(n: number): Matrix {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return new Matrix(out, n, n);
}

/**
 * Singular value decomposition A = U·diag(S)·Vt.
 *
 * Algorithm (LAPACK dgesdd's path): A is copied into a fresh float64 work array (transposed
 * when m < n, so the work matrix is tall), scaled into the safe range when its entries are
 * extremely large or small, and, when it has at least 11/6 times more rows than columns,
 * QR-factorized first (blocked Householder QR) so that only the square R is reduced. The
 * (remaining) matrix is reduced to upper bidiagonal form B = QᵀAP by Householder reflectors
 * (Golub & Van Loan, *Matrix Computations*, 4th ed., Alg. 5.4.2), in panels of 32 whose
 * trailing updates are GEMMs (LAPACK dgebrd/dlabrd) from k = 65 on. The singular values of
 * B come from the Demmel–Kahan implicit QR iteration (zero-shift sweeps where a shift would
 * ruin relative accuracy, LAPACK dbdsqr's convergence criteria; Demmel & Kahan, SIAM J. Sci.
 * Stat. Comput. 11, 1990). Its singular vectors, for k = min(m, n) > 25, come from Gu &
 * Eisenstat's divide and conquer (SIAM J. Matrix Anal. Appl. 16, 1995; LAPACK dbdsdc),
 * mapped back by compact-WY blocks of Q and P (LAPACK dormbr), all GEMMs; for k ≤ 25 the
 * QR iteration's rotations are accumulated onto the Householder bases instead. Every
 * singular value is accurate to about ε·‖A‖₂ in absolute terms, and the bidiagonal's
 * singular values to high relative accuracy; `valuesOnly` gives bit-for-bit the same
 * values. Signs are fixed as scikit-learn's `svd_flip`: the entry of largest magnitude in
 * each column of U is positive (the first such entry on ties).
 *
 * @param A m×n matrix (any strides, float64 or float32; computed in float64)
 * @param options see {@link SvdOptions}
 * @returns `{ U, S, Vt }` with k = min(m, n): U m×k (m×m if `full`), S length k,
 *   Vt k×n (n×n if `full`); U and Vt null when `valuesOnly`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` when A is not a Matrix (or 2-d
 *   Tensor) or an option has the wrong type
 * @throws {NonFiniteError} `NON_FINITE` when A holds NaN or ±Infinity
 * @throws {NotConvergedError} `NOT_CONVERGED` if the bidiagonal QR iteration needs more
 *   than 6·k² inner steps (LAPACK's limit), or a secular equation of the divide and
 *   conquer more than 100 iterations (not expected to happen)
 * @example
 * const { U, S, Vt } = svd(Matrix.from([[3, 0], [4, 5]]));
 * // S ≈ [6.7082, 2.2361]; svdReconstruct({ U, S, Vt }) ≈ A
 */
export function svd(A: Matrix, options?: SvdOptions): SvdResult {
  // The work matrix goes into wasm memory where it can (kernels/_wasmArena.ts), so that
  // the blocked reductions' GEMMs and GEMVs run on it in place; nothing returned lives
  // there, and everything taken is released here.
  const mark = arenaMark();
  try {
    return svdImpl(A, options);
  } finally {
    arenaRelease(mark);
  }
}

// A copy of `w` in wasm memory, or `w` itself when the arena is unavailable.
function resident(w: Float64Array): Float64Array {
  const r = w.length >= RESIDENT_MIN ? arenaAlloc(w.length, false) : null;
  if (!r) return w;
  r.set(w);
  return r;
}

function svdImpl(A: Matrix, options?: SvdOptions): SvdResult {
  const a = asMatrix('A', A);
  const opts = optionsObject('options', options);
  const valuesOnly = _booleanOption('options.valuesOnly', opts.valuesOnly, false);
  const full = _booleanOption('options.full', opts.full, false);
  const m = a.rows;
  const n = a.cols;
  const trans = m < n;
  const mm = trans ? n : m; // work matrix is mm×k, mm ≥ k
  const k = trans ? m : n;
  const qrFirst = k > 0 && mm > k && mm >= _spectralTuning.qrRatio * k;
  // row-major copy of the work matrix, or column-major (the other orientation) for the QR
  const w = resident(_copyMatrix('A', a, qrFirst ? !trans : trans));

  if (k === 0) {
    const S = new Float64Array(0);
    if (valuesOnly) return { U: null, S, Vt: null };
    return {
      U: full ? identity(m) : new Matrix(new Float64Array(0), m, 0),
      S,
      Vt: full ? identity(n) : new Matrix(new Float64Array(0), 0, n),
    };
  }

  const sigma = _scaleIntoRange(w, mm * k, _maxAbs(w, mm * k));
  // tall work matrix: QR first, then the k×k R is bidiagonalized (LAPACK dgesdd's path
  // for m ≥ 11n/6); w then holds the QR's reflectors (column-major) and r the R
  let r = w;
  let rr = mm; // rows of the matrix that is bidiagonalized
  let tauQr: Float64Array | null = null;
  if (qrFirst) {
    tauQr = new Float64Array(k);
    geqrf(w, mm, k, tauQr);
    r = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) r[i * k + j] = w[j * mm + i]!;
    rr = k;
  }
  const d = new Float64Array(k);
  const e = new Float64Array(k);
  const tauq = new Float64Array(k);
  const taup = new Float64Array(k);
  if (k > _spectralTuning.blockMin) _bidiagonalizeBlocked(r, rr, k, d, e, tauq, taup);
  else _bidiagonalize(r, rr, k, d, e, tauq, taup);

  if (valuesOnly) {
    _bidiagonalSvd(k, d, e, null, 0, 0, null, 0, 0);
    if (sigma !== 1) for (let i = 0; i < k; i++) d[i] = d[i]! / sigma;
    return { U: null, S: d, Vt: null };
  }

  // left vectors of the work matrix as rows (qt: rows×mm), right vectors as rows (pt: k×k)
  const rows = full ? mm : k;
  // The vectors of the work matrix: as columns (uc: mm×rows, vc: k×k) on the divide and
  // conquer and QR-first paths, as rows (qt: rows×mm, pt: k×k) on the small path.
  let uc: Float64Array | null = null;
  let vc: Float64Array | null = null;
  let qt: Float64Array | null = null;
  let pt: Float64Array | null = null;
  if (k > _spectralTuning.dcMin) {
    // divide and conquer on B, then U = Q·U_B and V = P·V_B by compact-WY blocks.
    // The values come from the Demmel–Kahan iteration (O(k²), without vectors) on a copy:
    // they keep the bidiagonal's high relative accuracy, which the divide and conquer's
    // absolute deflation tolerance does not, and they are bit-for-bit those of
    // `valuesOnly`. Both are sorted and accurate to O(ε·‖B‖), so pairing them with the
    // divide-and-conquer vectors moves the residual by O(ε·‖B‖) only.
    const ds = d.slice();
    _bidiagonalSvd(k, ds, e.slice(), null, 0, 0, null, 0, 0);
    const ub = new Float64Array(k * k);
    vc = new Float64Array(k * k);
    _bidiagonalDC(k, d, e, ub, k, vc, k);
    d.set(ds);
    uc = leftVectors(rr, k, ub, !qrFirst && full, (c, ldc, nc) =>
      _applyBidiagonalQ(r, rr, k, tauq, c, ldc, nc),
    );
    const vr = resident(vc);
    _applyBidiagonalP(r, k, taup, vr, k, k);
    if (vr !== vc) vc.set(vr);
  } else {
    // small k: implicit QR with the rotations accumulated onto the Householder bases
    const qrows = qrFirst ? k : rows;
    qt = new Float64Array(qrows * rr);
    _formLeftQt(r, rr, k, tauq, qt, qrows);
    pt = new Float64Array(k * k);
    _formRightPt(r, k, taup, pt);
    if (rr >= GEMM_RATIO * k) {
      // tall work matrix: rotate a k×k identity instead of the k long rows of qt, then one
      // GEMM (k·rr·k multiply-adds) maps it onto the Householder basis
      const ub = new Float64Array(k * k);
      for (let i = 0; i < k; i++) ub[i * k + i] = 1;
      _bidiagonalSvd(k, d, e, pt, k, k, ub, k, k);
      const lt = new Float64Array(qrows * rr);
      gemmStrided(k, rr, k, 1, ub, 0, k, 1, qt, 0, rr, 1, 0, lt, 0, rr, 1);
      lt.set(qt.subarray(k * rr), k * rr);
      qt = lt;
    } else {
      _bidiagonalSvd(k, d, e, pt, k, k, qt, rr, rr);
    }
  }
  if (qrFirst) {
    // U of the work matrix = Q_qr·[U_R; 0] (and Q_qr's trailing columns when full)
    const ur = uc ?? _transpose(qt!, k, k);
    uc = leftVectors(mm, k, ur, full, (c, ldc, nc) =>
      _applyReflectorsLeft(
        false,
        k,
        mm,
        0,
        w,
        0,
        mm,
        1,
        tauQr!,
        c,
        ldc,
        nc,
        _spectralTuning.applyNb,
      ),
    );
    vc ??= _transpose(pt!, k, k);
  }
  if (sigma !== 1) for (let i = 0; i < k; i++) d[i] = d[i]! / sigma;
  if (uc && vc) return fromColumns(uc, vc, d, m, n, rows, trans);
  qt = qt!;
  pt = pt!;

  if (!trans) {
    // A = qtᵀ·Σ·pt: U = qtᵀ (m×rows), Vt = pt (k×k = n×n)
    _normalizeSigns(qt, mm, k, mm, pt, k, k);
    if (rows > k) _normalizeSigns(qt.subarray(k * mm), mm, rows - k, mm, null, 0, 0);
    return { U: new Matrix(_transpose(qt, rows, mm), m, rows), S: d, Vt: new Matrix(pt, k, k) };
  }
  // Aᵀ = qtᵀ·Σ·pt, so A = ptᵀ·Σ·qt: U = ptᵀ (k×k = m×m), Vt = qt (rows×n)
  _normalizeSigns(pt, k, k, k, qt, mm, mm);
  if (rows > k) _normalizeSigns(qt.subarray(k * mm), mm, rows - k, mm, null, 0, 0);
  return { U: new Matrix(_transpose(pt, k, k), k, k), S: d, Vt: new Matrix(qt, rows, n) };
}
