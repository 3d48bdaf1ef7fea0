import { rq } from '../decomp/rq.js';
import { EPS } from '../dtype.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { norm2 } from '../kernels/blas1.js';
import { Matrix } from '../matrix.js';
import { svd } from '../spectral/svd.js';
import { _finiteMatrix } from './_input.js';

/** Result of {@link decomposeProjection}: P = scale·K·[R | t]. */
export interface ProjectionDecomposition {
  /** 3×3 upper-triangular calibration matrix with positive diagonal and K[2][2] = 1: [[f_x, s, p_x], [0, f_y, p_y], [0, 0, 1]]. */
  K: Matrix;
  /** 3×3 rotation (orthogonal, det +1), world → camera. */
  R: Matrix;
  /** Translation t (length 3), world origin in camera coordinates: P = scale·K·[R | t]. */
  t: Float64Array;
  /** Camera centre C (length 3) in world coordinates: P·[C; 1] = 0, C = −Rᵀ·t. */
  center: Float64Array;
  /** The projective scale (sign included) removed from P: P = scale·K·[R | t]. */
  scale: number;
  /** ‖RᵀR − I‖_F: orthonormality of the recovered rotation (rounding level for valid P). */
  rotationResidual: number;
  /** ‖P/scale − K·[R | t]‖_F / ‖P/scale‖_F: how well the factors reproduce P. */
  reprojectionResidual: number;
}

/**
 * Decomposes a finite projective camera P = [M | p₄] (3×4) into intrinsics K, rotation R
 * and translation t with P = scale·K·[R | t] (Hartley & Zisserman, *Multiple View Geometry*,
 * 2nd ed., §6.2.4): the RQ factorization M = K̃·Q ({@link rq}) gives an upper-triangular K̃
 * and an orthogonal Q; the signs are fixed with D = diag(sign K̃_ii) (K̃·D has a positive
 * diagonal and D·Q stays orthogonal, D² = I), the overall sign of P is chosen so that
 * det R = +1 (P and −P are the same camera: the scale carries the sign), and K is scaled so
 * that K[2][2] = 1. Then t = K⁻¹·p₄/scale and the centre C = −Rᵀ·t, the right null vector
 * of P (H&Z eq. 6.13, C = −M⁻¹·p₄). The residuals are the orthonormality check that the
 * geometric-constraint calibration loss of "Camera Calibration through Geometric
 * Constraints from Rotation and Projection Matrices" (2024) is built on, and the relative
 * reconstruction error of P.
 *
 * @param P 3×4 camera matrix (any strides, any non-zero scale or sign; not modified)
 * @returns `{ K, R, t, center, scale, rotationResidual, reprojectionResidual }`, K and R 3×3, t and center length 3
 * @throws {InvalidArgumentError} if `P` is not a Matrix, or its left 3×3 block M is singular
 *   to working precision (σ_min(M) ≤ 3·ε·σ_max(M): a camera at infinity, or P = 0)
 * @throws {ShapeError} if `P` is not 3×4
 * @throws {NonFiniteError} if `P` holds NaN or ±Infinity
 * @example
 * const { K, R, t, center } = decomposeProjection(P);
 * K.get(0, 0); // f_x
 */
export function decomposeProjection(P: Matrix): ProjectionDecomposition {
  const p = _finiteMatrix('P', P);
  if (p.rows !== 3 || p.cols !== 4) {
    throw new ShapeError(`P: expected a 3×4 camera matrix, got shape [${p.rows}, ${p.cols}]`);
  }
  const M = p.colRange(0, 3);
  const sv = svd(M, { valuesOnly: true }).S;
  if (!(sv[2]! > 3 * EPS.float64 * sv[0]!)) {
    throw new InvalidArgumentError(
      `P: expected a finite camera with a non-singular left 3×3 block M, got singular values [${Array.from(sv, (v) => v.toPrecision(6)).join(', ')}]`,
    );
  }
  const { R: Kt, Q } = rq(M);
  // D = diag(sign K̃_ii): K̃·D has a positive diagonal, D·Q is still orthogonal
  const d = [0, 1, 2].map((i) => (Kt.get(i, i) < 0 ? -1 : 1));
  const K = new Matrix(new Float64Array(9), 3, 3);
  const R = new Matrix(new Float64Array(9), 3, 3);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      K.set(i, j, j >= i ? Kt.get(i, j) * d[j]! : 0);
      R.set(i, j, d[i]! * Q.get(i, j));
    }
  }
  // det(K̃·D) > 0, so sign det(D·Q) = sign det M; P ↦ −P flips it to a proper rotation
  const sign = det3(R) < 0 ? -1 : 1;
  if (sign < 0) for (let k = 0; k < 9; k++) R.data[k] = -R.data[k]!;
  const k22 = K.get(2, 2);
  const scale = sign * k22;
  for (let k = 0; k < 9; k++) K.data[k] = K.data[k]! / k22;
  // t = K⁻¹·p₄/scale by back substitution (K upper triangular)
  const t = new Float64Array(3);
  for (let i = 2; i >= 0; i--) {
    let s = p.get(i, 3) / scale;
    for (let j = i + 1; j < 3; j++) s -= K.get(i, j) * t[j]!;
    t[i] = s / K.get(i, i);
  }
  const center = new Float64Array(3);
  for (let j = 0; j < 3; j++)
    center[j] = -(R.get(0, j) * t[0]! + R.get(1, j) * t[1]! + R.get(2, j) * t[2]!);

  const rt = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += R.get(k, i) * R.get(k, j);
      rt[i * 3 + j] = s - (i === j ? 1 : 0);
    }
  }
  const diff = new Float64Array(12);
  const ps = new Float64Array(12);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let k = i; k < 3; k++) s += K.get(i, k) * (j < 3 ? R.get(k, j) : t[k]!);
      ps[i * 4 + j] = p.get(i, j) / scale;
      diff[i * 4 + j] = ps[i * 4 + j]! - s;
    }
  }
  return {
    K,
    R,
    t,
    center,
    scale,
    rotationResidual: norm2(rt),
    reprojectionResidual: norm2(diff) / norm2(ps),
  };
}

function det3(A: Matrix): number {
  return (
    A.get(0, 0) * (A.get(1, 1) * A.get(2, 2) - A.get(1, 2) * A.get(2, 1)) -
    A.get(0, 1) * (A.get(1, 0) * A.get(2, 2) - A.get(1, 2) * A.get(2, 0)) +
    A.get(0, 2) * (A.get(1, 0) * A.get(2, 1) - A.get(1, 1) * A.get(2, 0))
  );
}
