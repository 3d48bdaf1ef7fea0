// Right eigenvectors of a real Schur form T (quasi-upper-triangular, standardized 2×2
// blocks, as left by _eigFrancis) by back-substitution, transformed back by the Schur
// vectors Z: the algorithm of LAPACK dtrevc (SIDE = 'R', HOWMNY = 'B'), written here in
// complex arithmetic. Tiny pivots are perturbed to smin = max(ulp·|λ|, smlnum) as dlaln2
// does, and a vector whose entries grow past 2^500 is rescaled, so that eigenvectors of
// strongly non-normal matrices (HiPPO-LegS) stay finite. Assumes validated input.

const ULP = 2 ** -52;
const SMLNUM = 2 ** -1022 * (1 / ULP);
const BIG = 2 ** 500;

/**
 * Solves the complex 2×2 system [[a11 a12]; [a21 a22]]·x = r (entries re/im pairs) by
 * Gaussian elimination with complete pivoting, perturbing a pivot smaller than smin.
 * Returns [x1re, x1im, x2re, x2im].
 */
function solve2(
  a: readonly [number, number, number, number, number, number, number, number],
  r1r: number,
  r1i: number,
  r2r: number,
  r2i: number,
  smin: number,
): [number, number, number, number] {
  // a = [a11r, a11i, a12r, a12i, a21r, a21i, a22r, a22i]
  const m = [
    [a[0], a[1], a[2], a[3]],
    [a[4], a[5], a[6], a[7]],
  ];
  let rhs = [
    [r1r, r1i],
    [r2r, r2i],
  ];
  // pick the largest entry as pivot
  let bi = 0;
  let bj = 0;
  let best = -1;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const v = Math.abs(m[i]![2 * j]!) + Math.abs(m[i]![2 * j + 1]!);
      if (v > best) {
        best = v;
        bi = i;
        bj = j;
      }
    }
  }
  if (bi === 1) {
    m.reverse();
    rhs = [rhs[1]!, rhs[0]!];
  }
  // column permutation: unknown order
  const c0 = bj;
  const c1 = 1 - bj;
  let pr = m[0]![2 * c0]!;
  let pi = m[0]![2 * c0 + 1]!;
  if (Math.abs(pr) + Math.abs(pi) < smin) {
    pr = smin;
    pi = 0;
  }
  // l = m[1][c0] / pivot
  const pd = pr * pr + pi * pi;
  const l1r = m[1]![2 * c0]!;
  const l1i = m[1]![2 * c0 + 1]!;
  const lr = (l1r * pr + l1i * pi) / pd;
  const li = (l1i * pr - l1r * pi) / pd;
  const u12r = m[0]![2 * c1]!;
  const u12i = m[0]![2 * c1 + 1]!;
  let u22r = m[1]![2 * c1]! - (lr * u12r - li * u12i);
  let u22i = m[1]![2 * c1 + 1]! - (lr * u12i + li * u12r);
  if (Math.abs(u22r) + Math.abs(u22i) < smin) {
    u22r = smin;
    u22i = 0;
  }
  const y2r = rhs[1]![0]! - (lr * rhs[0]![0]! - li * rhs[0]![1]!);
  const y2i = rhs[1]![1]! - (lr * rhs[0]![1]! + li * rhs[0]![0]!);
  const ud = u22r * u22r + u22i * u22i;
  const x2r = (y2r * u22r + y2i * u22i) / ud;
  const x2i = (y2i * u22r - y2r * u22i) / ud;
  const t1r = rhs[0]![0]! - (u12r * x2r - u12i * x2i);
  const t1i = rhs[0]![1]! - (u12r * x2i + u12i * x2r);
  const x1r = (t1r * pr + t1i * pi) / pd;
  const x1i = (t1i * pr - t1r * pi) / pd;
  return c0 === 0 ? [x1r, x1i, x2r, x2i] : [x2r, x2i, x1r, x1i];
}

/**
 * Computes the right eigenvectors of A = Z·T·Zᵀ: column j of (vr, vi) (row-major n×n)
 * is the eigenvector of λ_j = wr[j] + i·wi[j], unnormalized. For a complex pair
 * (j, j+1) with wi[j] > 0 the second column is the conjugate of the first.
 */
export function _eigVectors(
  t: Float64Array,
  z: Float64Array,
  n: number,
  wr: Float64Array,
  wi: Float64Array,
  vr: Float64Array,
  vi: Float64Array,
): void {
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  const T = (i: number, j: number): number => t[i * n + j]!;
  let ki = n - 1;
  while (ki >= 0) {
    const pair = ki > 0 && wi[ki]! < 0;
    const top = pair ? ki - 1 : ki;
    const lr = wr[top]!;
    const li = pair ? wi[top]! : 0;
    const smin = Math.max(ULP * (Math.abs(lr) + Math.abs(li)), SMLNUM);
    xr.fill(0);
    xi.fill(0);
    if (!pair) {
      xr[ki] = 1;
      for (let k = 0; k < ki; k++) xr[k] = -T(k, ki);
    } else {
      // eigenvector of the standardized 2×2 block for λ = a + i·wi (dtrevc's choice)
      if (Math.abs(T(ki - 1, ki)) >= Math.abs(T(ki, ki - 1))) {
        xr[ki - 1] = 1;
        xi[ki] = li / T(ki - 1, ki);
      } else {
        xr[ki - 1] = -li / T(ki, ki - 1);
        xi[ki] = 1;
      }
      const ar = xr[ki - 1]!;
      const bi = xi[ki]!;
      for (let k = 0; k < ki - 1; k++) {
        xr[k] = -ar * T(k, ki - 1);
        xi[k] = -bi * T(k, ki);
      }
    }
    // back-substitution over rows top−1 … 0 (x[0…top−1] hold the right-hand sides)
    let j = top - 1;
    while (j >= 0) {
      const block = j > 0 && T(j, j - 1) !== 0;
      let scaleMax = 0;
      if (!block) {
        let dr = T(j, j) - lr;
        let di = -li;
        if (Math.abs(dr) + Math.abs(di) < smin) {
          dr = smin;
          di = 0;
        }
        const d = dr * dr + di * di;
        const rr = xr[j]!;
        const ri = xi[j]!;
        const sr = (rr * dr + ri * di) / d;
        const si = (ri * dr - rr * di) / d;
        xr[j] = sr;
        xi[j] = si;
        for (let k = 0; k < j; k++) {
          const tk = T(k, j);
          xr[k] = xr[k]! - tk * sr;
          xi[k] = xi[k]! - tk * si;
        }
        scaleMax = Math.abs(sr) + Math.abs(si);
      } else {
        const s = solve2(
          [T(j - 1, j - 1) - lr, -li, T(j - 1, j), 0, T(j, j - 1), 0, T(j, j) - lr, -li],
          xr[j - 1]!,
          xi[j - 1]!,
          xr[j]!,
          xi[j]!,
          smin,
        );
        xr[j - 1] = s[0];
        xi[j - 1] = s[1];
        xr[j] = s[2];
        xi[j] = s[3];
        for (let k = 0; k < j - 1; k++) {
          const a = T(k, j - 1);
          const b = T(k, j);
          xr[k] = xr[k]! - a * s[0] - b * s[2];
          xi[k] = xi[k]! - a * s[1] - b * s[3];
        }
        scaleMax = Math.max(Math.abs(s[0]) + Math.abs(s[1]), Math.abs(s[2]) + Math.abs(s[3]));
      }
      if (scaleMax > BIG) {
        // keep the vector finite: rescale everything computed so far and the rhs
        const f = 1 / scaleMax;
        for (let k = 0; k <= ki; k++) {
          xr[k] = xr[k]! * f;
          xi[k] = xi[k]! * f;
        }
      }
      j -= block ? 2 : 1;
    }
    // back-transform: v = Z[:, 0…ki]·x
    for (let r = 0; r < n; r++) {
      const zr = r * n;
      let sr = 0;
      let si = 0;
      for (let k = 0; k <= ki; k++) {
        const zk = z[zr + k]!;
        sr += zk * xr[k]!;
        si += zk * xi[k]!;
      }
      vr[r * n + top] = sr;
      vi[r * n + top] = si;
      if (pair) {
        vr[r * n + ki] = sr;
        vi[r * n + ki] = -si;
      }
    }
    ki = top - 1;
  }
}
