// Balancing of a general real matrix (Parlett & Reinsch, Numer. Math. 13, 1969; LAPACK
// dgebal with JOB = 'B'): first a permutation similarity that isolates eigenvalues —
// rows with no off-diagonal entry in the active block go to the bottom, columns to the
// top, leaving a block upper triangular matrix whose isolated eigenvalues are its
// diagonal entries, exactly — then a diagonal similarity of powers of two (exact) on the
// active block so that its rows and columns have comparable 2-norms (the 2-norm variant
// of LAPACK ≥ 3.5). Assumes validated input.

/** What {@link _eigBalance} did: B = D⁻¹·Pᵀ·A·P·D. */
export interface _EigBalancing {
  /** Diagonal of D (1 outside the active block). */
  d: Float64Array;
  /** Row/column swaps in the order applied: pairs (i, j) flattened. */
  swaps: number[];
}

function swap(a: Float64Array, n: number, i: number, j: number): void {
  if (i === j) return;
  for (let k = 0; k < n; k++) {
    const t = a[k * n + i]!;
    a[k * n + i] = a[k * n + j]!;
    a[k * n + j] = t;
  }
  for (let k = 0; k < n; k++) {
    const t = a[i * n + k]!;
    a[i * n + k] = a[j * n + k]!;
    a[j * n + k] = t;
  }
}

/** Balances the row-major n×n `a` in place (see the file comment). */
export function _eigBalance(a: Float64Array, n: number): _EigBalancing {
  const swaps: number[] = [];
  let ilo = 0;
  let ihi = n - 1;
  // rows isolating an eigenvalue: push them to the bottom of the active block
  let found = true;
  while (found && ihi > 0) {
    found = false;
    for (let j = ihi; j >= ilo; j--) {
      let zero = true;
      for (let k = ilo; k <= ihi && zero; k++) if (k !== j && a[j * n + k] !== 0) zero = false;
      if (zero) {
        swap(a, n, j, ihi);
        swaps.push(j, ihi);
        ihi--;
        found = true;
        break;
      }
    }
  }
  // columns isolating an eigenvalue: push them to the top
  found = true;
  while (found && ilo < ihi) {
    found = false;
    for (let j = ilo; j <= ihi; j++) {
      let zero = true;
      for (let k = ilo; k <= ihi && zero; k++) if (k !== j && a[k * n + j] !== 0) zero = false;
      if (zero) {
        swap(a, n, j, ilo);
        swaps.push(j, ilo);
        ilo++;
        found = true;
        break;
      }
    }
  }
  const d = new Float64Array(n).fill(1);
  const SFMIN = 2 ** -1000;
  const SFMAX = 2 ** 1000;
  let changed = true;
  for (let sweep = 0; changed && sweep < 100; sweep++) {
    changed = false;
    for (let i = ilo; i <= ihi; i++) {
      let c = 0;
      let r = 0;
      for (let k = ilo; k <= ihi; k++) {
        if (k === i) continue;
        c += a[k * n + i]! ** 2;
        r += a[i * n + k]! ** 2;
      }
      c = Math.sqrt(c);
      r = Math.sqrt(r);
      if (c === 0 || r === 0) continue;
      const s = c + r;
      let f = 1;
      let cc = c;
      let rr = r;
      while (cc < rr / 2 && d[i]! * f < SFMAX) {
        f *= 2;
        cc *= 2;
        rr /= 2;
      }
      while (cc >= rr * 2 && d[i]! * f > SFMIN) {
        f /= 2;
        cc /= 2;
        rr *= 2;
      }
      // accept only a clear improvement (dgebal's factor 0.95)
      if (cc + rr >= 0.95 * s) continue;
      changed = true;
      d[i] = d[i]! * f;
      const g = 1 / f;
      for (let k = 0; k < n; k++) a[i * n + k] = a[i * n + k]! * g;
      for (let k = 0; k < n; k++) a[k * n + i] = a[k * n + i]! * f;
    }
  }
  return { d, swaps };
}

/** Eigenvectors of A from those of B (rows of the row-major n×m `v`): v ← P·D·v. */
export function _eigUnbalance(bal: _EigBalancing, v: Float64Array, n: number, m: number): void {
  const { d, swaps } = bal;
  for (let r = 0; r < n; r++) {
    const f = d[r]!;
    if (f !== 1) for (let j = 0; j < m; j++) v[r * m + j] = v[r * m + j]! * f;
  }
  for (let s = swaps.length - 2; s >= 0; s -= 2) {
    const i = swaps[s]!;
    const j = swaps[s + 1]!;
    if (i === j) continue;
    for (let k = 0; k < m; k++) {
      const t = v[i * m + k]!;
      v[i * m + k] = v[j * m + k]!;
      v[j * m + k] = t;
    }
  }
}
