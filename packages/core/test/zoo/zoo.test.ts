// The accuracy zoo: every dense decomposition against a fixed set of awkward matrices,
// checked the LAPACK way (residuals scaled by norm, size and ε) and against numpy.
// Fixtures: zoo.json, written by make_zoo.py beside this file (numpy ≥ 1.24).
//
// Every ratio below is "error / (natural scale · n · ε)" and must stay under THRESHOLD,
// as in LAPACK's test suite (dchkqr, dchkee: threshold 30; we use 10). Set ZOO_REPORT=1
// to print every ratio in a table after the run.
import { readFileSync } from 'node:fs';
import { cholesky, det, EPS, eigh, lu, Matrix, pinv, qr, svd, zeros } from '@lr/core';
import { afterAll, describe, expect, it } from 'vitest';
import { diffFro, fro, naiveMatmul, orthogonalityError, scaledResidual } from '../helpers';

interface ZooCase {
  name: string;
  note: string;
  shape: [number, number];
  data: number[];
  singularValues: number[];
  /** 2-norm condition number σmax/σmin; null when infinite (singular or empty). */
  cond: number | null;
  rank: number;
  /** numpy's rank has a wide gap around its tolerance, so any sane rank estimate agrees. */
  rankClear: boolean;
  /** κ₂ ≤ 10: singular values are then checked to relative accuracy. */
  wellConditioned: boolean;
  symmetric: boolean;
  det?: number;
  eigenvalues?: number[];
  applies: Record<
    'qr' | 'qrPivoted' | 'lu' | 'det' | 'cholesky' | 'eigh' | 'svd' | 'pinv',
    boolean
  >;
}

const zoo = JSON.parse(readFileSync(new URL('./zoo.json', import.meta.url), 'utf8')) as {
  cases: ZooCase[];
};
const THRESHOLD = 10;
const eps = EPS.float64;

// ---------------------------------------------------------------------------- helpers

function load(c: ZooCase): Matrix {
  const [m, n] = c.shape;
  return Matrix.fromData(Float64Array.from(c.data), m, n);
}

function size(c: ZooCase): number {
  return Math.max(c.shape[0], c.shape[1], 1);
}

/** ‖A‖₂ from numpy's singular values. */
function norm2(c: ZooCase): number {
  return c.singularValues[0] ?? 0;
}

const ratios: { test: string; check: string; ratio: number }[] = [];

/** Soft-asserts `ratio < bound` (every failing ratio of a case is reported, not only the first). */
function check(test: string, label: string, ratio: number, bound = THRESHOLD): void {
  ratios.push({ test, check: label, ratio });
  expect
    .soft(ratio, `${test}: ${label} (ratio ${ratio.toExponential(2)}, bound ${bound})`)
    .toBeLessThan(bound);
}

/** error / scale, with 0/0 = 0 (exact answer for a zero input) and x/0 = ∞. */
function over(error: number, scale: number): number {
  if (scale === 0) return error === 0 ? 0 : Infinity;
  return error / scale;
}

function requireFn(fn: unknown, name: string): void {
  expect(typeof fn, `${name} must be exported from @lr/core`).toBe('function');
}

/** B[:, j] = A[:, perm[j]]. */
function permuteCols(A: Matrix, perm: ArrayLike<number>): Matrix {
  const B = zeros(A.rows, A.cols);
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) B.set(i, j, A.get(i, perm[j]!));
  return B;
}

/** B[i, :] = A[perm[i], :]. */
function permuteRows(A: Matrix, perm: ArrayLike<number>): Matrix {
  const B = zeros(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) B.set(i, j, A.get(perm[i]!, j));
  return B;
}

/** U · diag(s) for the first s.length columns of U. */
function scaleCols(U: Matrix, s: ArrayLike<number>): Matrix {
  const B = zeros(U.rows, s.length);
  for (let i = 0; i < U.rows; i++)
    for (let j = 0; j < s.length; j++) B.set(i, j, U.get(i, j) * s[j]!);
  return B;
}

function isPermutation(perm: ArrayLike<number>, n: number): boolean {
  if (perm.length !== n) return false;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = perm[i]!;
    if (!Number.isInteger(p) || p < 0 || p >= n || seen[p]) return false;
    seen[p] = 1;
  }
  return true;
}

/** (−1)^(number of transpositions) of a permutation. */
function parity(perm: ArrayLike<number>): number {
  const seen = new Uint8Array(perm.length);
  let sign = 1;
  for (let i = 0; i < perm.length; i++) {
    if (seen[i]) continue;
    let len = 0;
    for (let j = i; !seen[j]; j = perm[j]!) {
      seen[j] = 1;
      len++;
    }
    if (len % 2 === 0) sign = -sign;
  }
  return sign;
}

/** Largest |X(i,j)| over the entries with `keep(i, j)` true (0 if none). */
function maxWhere(X: Matrix, keep: (i: number, j: number) => boolean): number {
  let d = 0;
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) if (keep(i, j)) d = Math.max(d, Math.abs(X.get(i, j)));
  return d;
}

/** max_i |x_i − y_i|. */
function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

/** ‖X‖₂ by power iteration on XᵀX from a fixed start (small matrices; 300 steps). */
function spectralNorm(X: Matrix): number {
  const n = X.cols;
  if (X.rows === 0 || n === 0) return 0;
  let v = new Float64Array(n);
  for (let j = 0; j < n; j++) v[j] = 1 + j / n;
  let est = 0;
  for (let it = 0; it < 300; it++) {
    const w = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += X.get(i, j) * v[j]!;
      w[i] = s;
    }
    const z = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < X.rows; i++) s += X.get(i, j) * w[i]!;
      z[j] = s;
    }
    let nz = 0;
    for (let j = 0; j < n; j++) nz += z[j]! ** 2;
    nz = Math.sqrt(nz);
    if (nz === 0) return 0;
    est = Math.sqrt(nz);
    for (let j = 0; j < n; j++) z[j] /= nz;
    v = z;
  }
  return est;
}

function unchanged(A: Matrix, c: ZooCase, label: string): void {
  expect.soft(Array.from(A.data), `${c.name}: ${label} mutated its input`).toEqual(c.data);
}

const applicable = (k: keyof ZooCase['applies']) => zoo.cases.filter((c) => c.applies[k]);

afterAll(() => {
  if (!process.env.ZOO_REPORT) return;
  const rows = ratios.map(
    (r) => `${r.test.padEnd(28)} ${r.check.padEnd(34)} ${r.ratio.toExponential(2)}`,
  );
  process.stdout.write(`\nzoo ratios (bound ${THRESHOLD}):\n${rows.join('\n')}\n`);
});

// ---------------------------------------------------------------------------- the fixtures

describe('zoo fixtures', () => {
  it('cover the shapes and conditions the checks rely on', () => {
    const names = zoo.cases.map((c) => c.name);
    for (const n of [
      'random_30x30',
      'tall_40x12',
      'wide_12x40',
      'one_1x1',
      'empty_0x5',
      'empty_5x0',
      'zero_6x6',
      'hilbert_12',
      'spd_diagdom_20',
    ]) {
      expect(names).toContain(n);
    }
    for (const c of zoo.cases) expect(c.data.length, c.name).toBe(c.shape[0] * c.shape[1]);
  });
});

// ---------------------------------------------------------------------------- QR

describe('qr', () => {
  it.each(applicable('qr').map((c) => [c.name, c] as const))(
    '%s: reduced, complete and R-only',
    (_, c) => {
      requireFn(qr, 'qr');
      const A = load(c);
      const [m, n] = c.shape;
      const k = Math.min(m, n);
      const t = `qr ${c.name}`;

      const red = qr(A);
      unchanged(A, c, 'qr');
      expect(red.Q, t).not.toBeNull();
      const Q = red.Q!;
      expect([Q.rows, Q.cols, red.R.rows, red.R.cols], `${t} reduced shapes`).toEqual([m, k, k, n]);
      expect(red.perm, `${t} perm without pivoting`).toBeNull();
      check(t, '‖A − QR‖/(‖A‖·n·ε)', scaledResidual(A, naiveMatmul(Q, red.R)));
      check(t, '‖QᵀQ − I‖/(n·ε)', orthogonalityError(Q));
      expect(
        maxWhere(red.R, (i, j) => i > j),
        `${t} R is upper trapezoidal`,
      ).toBe(0);

      const full = qr(A, { mode: 'complete' });
      const Qc = full.Q!;
      expect([Qc.rows, Qc.cols, full.R.rows, full.R.cols], `${t} complete shapes`).toEqual([
        m,
        m,
        m,
        n,
      ]);
      check(t, 'complete ‖A − QR‖/(‖A‖·n·ε)', scaledResidual(A, naiveMatmul(Qc, full.R)));
      check(t, 'complete ‖QᵀQ − I‖/(n·ε)', orthogonalityError(Qc));
      expect(
        maxWhere(full.R, (i, j) => i > j),
        `${t} complete R is upper trapezoidal`,
      ).toBe(0);

      // mode 'r': no Q; RᵀR = AᵀA up to rounding (R is unique up to row signs)
      const ronly = qr(A, { mode: 'r' });
      expect(ronly.Q, `${t} mode r has no Q`).toBeNull();
      expect([ronly.R.rows, ronly.R.cols], `${t} mode r shape`).toEqual([k, n]);
      const AtA = naiveMatmul(A.T, A);
      const RtR = naiveMatmul(ronly.R.T, ronly.R);
      check(
        t,
        "mode 'r' ‖AᵀA − RᵀR‖/(‖A‖²·n·ε)",
        over(diffFro(AtA, RtR), fro(A) ** 2 * size(c) * eps),
      );
    },
  );

  it.each(applicable('qrPivoted').map((c) => [c.name, c] as const))(
    '%s: column pivoting',
    (_, c) => {
      requireFn(qr, 'qr');
      const A = load(c);
      const [m, n] = c.shape;
      const k = Math.min(m, n);
      const t = `qrp ${c.name}`;

      const res = qr(A, { pivoting: true });
      unchanged(A, c, 'qr(pivoting)');
      expect(res.perm, t).not.toBeNull();
      const perm = res.perm!;
      expect(isPermutation(perm, n), `${t} perm is a permutation of 0…${n - 1}`).toBe(true);
      const Q = res.Q!;
      expect([Q.rows, Q.cols, res.R.rows, res.R.cols], `${t} shapes`).toEqual([m, k, k, n]);
      check(
        t,
        '‖A[:,p] − QR‖/(‖A‖·n·ε)',
        scaledResidual(permuteCols(A, perm), naiveMatmul(Q, res.R)),
      );
      check(t, '‖QᵀQ − I‖/(n·ε)', orthogonalityError(Q));
      expect(
        maxWhere(res.R, (i, j) => i > j),
        `${t} R is upper trapezoidal`,
      ).toBe(0);

      // Businger–Golub pivoting makes |R_ii| non-increasing; downdated column norms may be
      // off by ~√ε relative, and the tail past the rank is rounding noise of size ~n·ε·|R_00|.
      const r0 = k > 0 ? Math.abs(res.R.get(0, 0)) : 0;
      let worst = 0;
      for (let i = 0; i + 1 < k; i++) {
        const excess = Math.abs(res.R.get(i + 1, i + 1)) - Math.abs(res.R.get(i, i)) * (1 + 1e-6);
        worst = Math.max(worst, over(Math.max(0, excess), r0 * size(c) * eps));
      }
      check(t, '|R_ii| non-increasing: excess/(|R_00|·n·ε)', worst);

      if (c.rankClear) expect(res.rank, `${t} rank vs numpy matrix_rank`).toBe(c.rank);
      else expect(res.rank, `${t} rank within 0…min(m, n)`).toBeLessThanOrEqual(k);
    },
  );
});

// ---------------------------------------------------------------------------- LU and det

describe('lu', () => {
  it.each(applicable('lu').map((c) => [c.name, c] as const))('%s', (_, c) => {
    requireFn(lu, 'lu');
    const A = load(c);
    const n = c.shape[0];
    const t = `lu ${c.name}`;
    const { L, U, perm, sign, singular } = lu(A);
    unchanged(A, c, 'lu');
    expect([L.rows, L.cols, U.rows, U.cols], `${t} shapes`).toEqual([n, n, n, n]);
    expect(isPermutation(perm, n), `${t} perm is a permutation`).toBe(true);
    expect(sign, `${t} sign = parity of perm`).toBe(parity(perm));
    check(t, '‖A[p,:] − LU‖/(‖A‖·n·ε)', scaledResidual(permuteRows(A, perm), naiveMatmul(L, U)));
    expect(
      maxWhere(L, (i, j) => i < j),
      `${t} L is lower triangular`,
    ).toBe(0);
    expect(
      maxWhere(U, (i, j) => i > j),
      `${t} U is upper triangular`,
    ).toBe(0);
    for (let i = 0; i < n; i++) expect(L.get(i, i), `${t} L has a unit diagonal`).toBe(1);
    // partial pivoting: every multiplier is at most 1 in magnitude
    expect(
      maxWhere(L, (i, j) => i > j),
      `${t} |L_ij| ≤ 1`,
    ).toBeLessThanOrEqual(1);
    if (c.rank === 0) expect(singular, `${t} zero matrix is singular`).toBe(true);
    if (c.cond !== null && c.cond < 1e8)
      expect(singular, `${t} well-conditioned matrix is not singular`).toBe(false);
  });
});

describe('det', () => {
  it.each(applicable('det').map((c) => [c.name, c] as const))('%s', (_, c) => {
    requireFn(det, 'det');
    const A = load(c);
    const t = `det ${c.name}`;
    const d = det(A);
    unchanged(A, c, 'det');
    const ref = c.det!;
    if (ref === 0) {
      expect(d, `${t} of a zero matrix`).toBe(0);
      return;
    }
    // first-order perturbation: |Δdet|/|det| ≲ n·ε·κ for a backward-stable LU
    const kappa = c.cond ?? Infinity;
    check(
      t,
      '|Δdet|/(|det|·n·ε·κ)',
      Math.abs(d - ref) / (Math.abs(ref) * size(c) * eps * Math.max(1, kappa)),
    );
    expect(Math.sign(d), `${t} sign`).toBe(Math.sign(ref));
  });
});

// ---------------------------------------------------------------------------- Cholesky

describe('cholesky', () => {
  it.each(applicable('cholesky').map((c) => [c.name, c] as const))('%s (SPD)', (_, c) => {
    requireFn(cholesky, 'cholesky');
    const A = load(c);
    const n = c.shape[0];
    const t = `chol ${c.name}`;
    const L = cholesky(A);
    unchanged(A, c, 'cholesky');
    expect([L.rows, L.cols], `${t} shape`).toEqual([n, n]);
    expect(
      maxWhere(L, (i, j) => i < j),
      `${t} L is lower triangular`,
    ).toBe(0);
    for (let i = 0; i < n; i++)
      expect(L.get(i, i), `${t} L has a positive diagonal`).toBeGreaterThan(0);
    check(t, '‖A − LLᵀ‖/(‖A‖·n·ε)', scaledResidual(A, naiveMatmul(L, L.T)));
  });

  const indefinite = zoo.cases.filter(
    (c) => c.symmetric && !c.applies.cholesky && (c.eigenvalues?.[0] ?? 0) < 0,
  );
  it.each(indefinite.map((c) => [c.name, c] as const))('%s (indefinite) is rejected', (_, c) => {
    requireFn(cholesky, 'cholesky');
    expect(() => cholesky(load(c))).toThrow();
  });
});

// ---------------------------------------------------------------------------- symmetric eigen

describe('eigh', () => {
  it.each(applicable('eigh').map((c) => [c.name, c] as const))('%s', (_, c) => {
    requireFn(eigh, 'eigh');
    const A = load(c);
    const n = c.shape[0];
    const t = `eigh ${c.name}`;
    const { values, vectors } = eigh(A);
    unchanged(A, c, 'eigh');
    expect(values.length, `${t} number of eigenvalues`).toBe(n);
    for (let i = 0; i + 1 < n; i++)
      expect(values[i]!, `${t} ascending`).toBeLessThanOrEqual(values[i + 1]!);
    expect(vectors, t).not.toBeNull();
    const V = vectors!;
    expect([V.rows, V.cols], `${t} vectors shape`).toEqual([n, n]);
    check(t, '‖AV − VΛ‖/(‖A‖·n·ε)', scaledResidual(naiveMatmul(A, V), scaleCols(V, values)));
    check(t, '‖VᵀV − I‖/(n·ε)', orthogonalityError(V));
    // Weyl: a backward-stable method moves each eigenvalue by at most ‖E‖₂ ≈ n·ε·‖A‖₂
    const ref = c.eigenvalues!;
    check(t, 'max|Δλ| vs numpy/(n·ε·‖A‖₂)', over(maxDiff(values, ref), size(c) * eps * norm2(c)));

    const only = eigh(A, { valuesOnly: true });
    expect(only.vectors, `${t} valuesOnly has no vectors`).toBeNull();
    check(
      t,
      'valuesOnly max|Δλ|/(n·ε·‖A‖₂)',
      over(maxDiff(only.values, ref), size(c) * eps * norm2(c)),
    );
  });
});

// ---------------------------------------------------------------------------- SVD

describe('svd', () => {
  it.each(applicable('svd').map((c) => [c.name, c] as const))('%s', (_, c) => {
    requireFn(svd, 'svd');
    const A = load(c);
    const [m, n] = c.shape;
    const k = Math.min(m, n);
    const t = `svd ${c.name}`;
    const ref = c.singularValues;
    const scale = size(c) * eps * norm2(c);

    const { U, S, Vt } = svd(A);
    unchanged(A, c, 'svd');
    expect(S.length, `${t} number of singular values`).toBe(k);
    for (let i = 0; i < k; i++) expect(S[i]!, `${t} σ ≥ 0`).toBeGreaterThanOrEqual(0);
    for (let i = 0; i + 1 < k; i++)
      expect(S[i]!, `${t} descending`).toBeGreaterThanOrEqual(S[i + 1]!);
    expect(U, t).not.toBeNull();
    expect(Vt, t).not.toBeNull();
    expect([U!.rows, U!.cols, Vt!.rows, Vt!.cols], `${t} thin shapes`).toEqual([m, k, k, n]);
    check(t, '‖A − UΣVᵀ‖/(‖A‖·n·ε)', scaledResidual(A, naiveMatmul(scaleCols(U!, S), Vt!)));
    check(t, '‖UᵀU − I‖/(n·ε)', orthogonalityError(U!));
    check(t, '‖VᵀV − I‖/(n·ε)', orthogonalityError(Vt!.T));
    check(t, 'max|Δσ| vs numpy/(n·ε·σmax)', over(maxDiff(S, ref), scale));
    if (c.wellConditioned) {
      let rel = 0;
      for (let i = 0; i < k; i++) rel = Math.max(rel, Math.abs(S[i]! - ref[i]!) / ref[i]!);
      check(t, 'max|Δσ|/σ vs numpy/(n·ε) (κ ≤ 10)', rel / (size(c) * eps));
    }

    const only = svd(A, { valuesOnly: true });
    expect(only.U, `${t} valuesOnly has no U`).toBeNull();
    expect(only.Vt, `${t} valuesOnly has no Vt`).toBeNull();
    check(t, 'valuesOnly max|Δσ|/(n·ε·σmax)', over(maxDiff(only.S, ref), scale));

    const full = svd(A, { full: true });
    const Uf = full.U!;
    const Vf = full.Vt!;
    expect([Uf.rows, Uf.cols, Vf.rows, Vf.cols], `${t} full shapes`).toEqual([m, m, n, n]);
    check(t, 'full ‖UᵀU − I‖/(n·ε)', orthogonalityError(Uf));
    check(t, 'full ‖VᵀV − I‖/(n·ε)', orthogonalityError(Vf.T));
    check(
      t,
      'full ‖A − UΣVᵀ‖/(‖A‖·n·ε)',
      scaledResidual(A, naiveMatmul(scaleCols(Uf.colRange(0, k), full.S), Vf.rowRange(0, k))),
    );
  });
});

// ---------------------------------------------------------------------------- pseudo-inverse

describe('pinv', () => {
  it.each(applicable('pinv').map((c) => [c.name, c] as const))('%s: Penrose conditions', (_, c) => {
    requireFn(pinv, 'pinv');
    const A = load(c);
    const [m, n] = c.shape;
    const t = `pinv ${c.name}`;
    const X = pinv(A);
    unchanged(A, c, 'pinv');
    expect([X.rows, X.cols], `${t} shape`).toEqual([n, m]);
    if (c.rank === 0) {
      expect(
        maxWhere(X, () => true),
        `${t} of a zero/empty matrix is zero`,
      ).toBe(0);
      return;
    }
    // Each condition is broken by O(n·ε·κ_r), κ_r = ‖A‖₂‖A⁺‖₂ the condition number of the
    // kept part (a backward error E in the SVD gives XAX − X = −XEX, AX − (AX)ᵀ = XᵀEᵀ − EX …).
    const kr = norm2(c) * spectralNorm(X);
    const s = size(c) * eps * kr;
    const AX = naiveMatmul(A, X);
    const XA = naiveMatmul(X, A);
    check(t, '‖AXA − A‖/(‖A‖·n·ε·κ_r)', over(diffFro(naiveMatmul(AX, A), A), fro(A) * s));
    check(t, '‖XAX − X‖/(‖X‖·n·ε·κ_r)', over(diffFro(naiveMatmul(XA, X), X), fro(X) * s));
    check(t, '‖AX − (AX)ᵀ‖/(‖AX‖·n·ε·κ_r)', over(diffFro(AX, AX.T), fro(AX) * s));
    check(t, '‖XA − (XA)ᵀ‖/(‖XA‖·n·ε·κ_r)', over(diffFro(XA, XA.T), fro(XA) * s));
    // full-rank, well-separated cases keep every singular value: rank(AX) = rank(A)
    if (c.rankClear) {
      let trace = 0;
      for (let i = 0; i < m; i++) trace += AX.get(i, i);
      expect(Math.round(trace), `${t} trace(AX) = rank`).toBe(c.rank);
    }
  });
});
