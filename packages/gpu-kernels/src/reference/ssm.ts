import { asMatrix, InvalidArgumentError, Matrix, ShapeError } from '@lr/core';

/**
 * Discretised diagonal SSM parameters for H channels × N/2 complex states (S4D / S5
 * conjugate-symmetric half): each field is an H×(N/2) matrix, `D` has H entries.
 */
export interface SsmParams {
  /** Re Ā (discrete state multiplier, e.g. ZOH exp(dt·A)). */
  AbarRe: Matrix;
  /** Im Ā. */
  AbarIm: Matrix;
  /** Re B̄. */
  BbarRe: Matrix;
  /** Im B̄. */
  BbarIm: Matrix;
  /** Re C. */
  CRe: Matrix;
  /** Im C. */
  CIm: Matrix;
  /** Skip term D, one per channel. */
  D: ArrayLike<number>;
}

/** @internal Validates the parameter shapes against u (H×L); returns [H, N2]. */
export function ssmDims(u: Matrix, p: SsmParams): [number, number] {
  return [u.rows, ssmParamCols(u.rows, p)];
}

/** Checks the parameters for H channels and returns N/2 (the state pairs). @internal */
export function ssmParamCols(H: number, p: SsmParams): number {
  if (p == null || typeof p !== 'object')
    throw new InvalidArgumentError('ssm: params must be an object');
  const names = ['AbarRe', 'AbarIm', 'BbarRe', 'BbarIm', 'CRe', 'CIm'] as const;
  const first = asMatrix('AbarRe', p.AbarRe);
  const N2 = first.cols;
  for (const nm of names) {
    const m = asMatrix(nm, p[nm]);
    if (m.rows !== H || m.cols !== N2)
      throw new ShapeError(
        `ssm: ${nm} is ${m.rows}×${m.cols}, expected ${H}×${N2} (H channels × N/2 states)`,
      );
  }
  if (p.D == null || p.D.length !== H)
    throw new ShapeError(`ssm: D must have ${H} entries, got ${p.D?.length}`);
  return N2;
}

/**
 * CPU reference of the diagonal SSM scan in float64 (S4D / S5 recurrent view):
 * for each channel h and state n, `x_k = Ā·x_{k−1} + B̄·u_k` (x_{−1} = 0, complex), and
 * `y_k = 2·Re(Σ_n C_n·x_{k,n}) + D·u_k`.
 *
 * @param u H×L inputs (channel rows, time along columns)
 * @param params see {@link SsmParams}
 * @returns `{ y, bound }`: y H×L, and `bound` H×L = 2·Σ_n |C_n|·S_{k,n} + |D·u_k| with
 *   S_{k,n} = Σ_{j≤k} |Ā_n|^{k−j}·|B̄_n|·|u_j| — the magnitude that rounding errors scale
 *   with (used by the tests' tolerances)
 * @example
 * const { y } = ssmScanReference(u, params);
 */
export function ssmScanReference(u: Matrix, params: SsmParams): { y: Matrix; bound: Matrix } {
  const U = asMatrix('u', u);
  const [H, N2] = ssmDims(U, params);
  const L = U.cols;
  const y = new Float64Array(H * L);
  const bound = new Float64Array(H * L);
  for (let h = 0; h < H; h++) {
    const d = params.D[h]!;
    for (let k = 0; k < L; k++) {
      y[h * L + k] = d * U.get(h, k);
      bound[h * L + k] = Math.abs(d * U.get(h, k));
    }
    for (let n = 0; n < N2; n++) {
      const ar = params.AbarRe.get(h, n);
      const ai = params.AbarIm.get(h, n);
      const br = params.BbarRe.get(h, n);
      const bi = params.BbarIm.get(h, n);
      const cr = params.CRe.get(h, n);
      const ci = params.CIm.get(h, n);
      const amag = Math.hypot(ar, ai);
      const bmag = Math.hypot(br, bi);
      const cmag = Math.hypot(cr, ci);
      let xr = 0;
      let xi = 0;
      let sabs = 0;
      for (let k = 0; k < L; k++) {
        const uk = U.get(h, k);
        const nr = ar * xr - ai * xi + br * uk;
        const ni = ar * xi + ai * xr + bi * uk;
        xr = nr;
        xi = ni;
        sabs = amag * sabs + bmag * Math.abs(uk);
        y[h * L + k]! += 2 * (cr * xr - ci * xi);
        bound[h * L + k]! += 2 * cmag * sabs;
      }
    }
  }
  return { y: Matrix.fromData(y, H, L), bound: Matrix.fromData(bound, H, L) };
}
