/** How the exp polynomial is built. */
export type ExpPolyMethod = 'chebyshev' | 'taylor';

/** Points of the grid on which the relative error of the exp polynomial is measured. */
export const EXP_POLY_GRID = 4001;

/**
 * Monomial coefficients c_0..c_g (in x) of a degree-g approximation of exp on [−R, R]:
 * `'taylor'` is Σ x^m/m!; `'chebyshev'` interpolates exp(R·y) at the g+1 Chebyshev points
 * of [−1, 1] (near-minimax) and converts T_0..T_g to monomials, then c_m = c'_m / R^m.
 * @internal
 */
export function expPolyCoefficients(R: number, g: number, method: ExpPolyMethod): Float64Array {
  const c = new Float64Array(g + 1);
  if (method === 'taylor' || R === 0) {
    let f = 1;
    for (let m = 0; m <= g; m++) {
      if (m > 0) f /= m;
      c[m] = f;
    }
    if (R === 0) c.fill(0, 1);
    return c;
  }
  const n = g + 1;
  const fk = new Float64Array(n);
  for (let k = 0; k < n; k++) fk[k] = Math.exp(R * Math.cos((Math.PI * (k + 0.5)) / n));
  const a = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += fk[k]! * Math.cos((Math.PI * j * (k + 0.5)) / n);
    a[j] = ((j === 0 ? 1 : 2) * s) / n;
  }
  // T_j as monomial coefficient arrays: T_{j+1} = 2y·T_j − T_{j−1}.
  let tPrev = new Float64Array(n);
  let tCur = new Float64Array(n);
  tPrev[0] = 1; // T_0
  const cy = new Float64Array(n);
  cy[0] = a[0]!;
  if (n > 1) {
    tCur[1] = 1; // T_1
    cy[1] += a[1]!;
  }
  for (let j = 2; j < n; j++) {
    const tNext = new Float64Array(n);
    for (let m = 0; m < n; m++) {
      tNext[m] = (m > 0 ? 2 * tCur[m - 1]! : 0) - tPrev[m]!;
    }
    for (let m = 0; m < n; m++) cy[m] += a[j]! * tNext[m]!;
    tPrev = tCur;
    tCur = tNext;
  }
  let rp = 1;
  for (let m = 0; m <= g; m++) {
    c[m] = cy[m]! / rp;
    rp *= R;
  }
  return c;
}

/** p(x) by Horner. @internal */
export function evalPoly(c: Float64Array, x: number): number {
  let p = 0;
  for (let m = c.length - 1; m >= 0; m--) p = p * x + c[m]!;
  return p;
}

/** max |p(x)·e^(−x) − 1| over an {@link EXP_POLY_GRID}-point grid of [−R, R]. @internal */
export function expPolyRelError(c: Float64Array, R: number): number {
  let worst = 0;
  const n = R === 0 ? 1 : EXP_POLY_GRID;
  for (let t = 0; t < n; t++) {
    const x = n === 1 ? 0 : -R + (2 * R * t) / (n - 1);
    const e = Math.abs(evalPoly(c, x) * Math.exp(-x) - 1);
    if (!(e <= worst)) worst = e; // NaN propagates as the worst
  }
  return worst;
}
