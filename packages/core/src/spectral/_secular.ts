// Roots of the secular equation of a symmetric rank-one modification D + ρ·z·zᵀ,
//   f(λ) = 1/ρ + Σⱼ zⱼ²/(dⱼ − λ) = 0,
// the kernel of Cuppen's divide and conquer (LAPACK dlaed4's contract). Each root is found
// relative to its nearer pole d_o, λ = d_o + τ, so that every difference dⱼ − λ is computed
// as (dⱼ − d_o) − τ to high relative accuracy: what the Gu–Eisenstat eigenvector formula
// needs (M. Gu & S. Eisenstat, "A stable and efficient algorithm for the rank-one
// modification of the symmetric eigenproblem", SIAM J. Matrix Anal. Appl. 15, 1994).
// The iteration is R.-C. Li's "middle way" (LAPACK Working Note 89, 1994): f is modelled by
// c + s/(δ_a − η) + S/(δ_b − η) through the two poles around the root, matching f and f′,
// and the model's root in the bracket is taken; a Newton step replaces a step that points
// the wrong way and bisection one that leaves the bracket, so the iteration cannot escape.
// The same code serves the bidiagonal divide and conquer, whose secular equation
// 1/ρ + Σ zⱼ²/(dⱼ² − σ²) = 0 is this one with poles dⱼ², when every difference of poles is
// formed as (dⱼ − dᵢ)·(dⱼ + dᵢ) (Gu & Eisenstat, SIAM J. Matrix Anal. Appl. 16, 1995; the
// role of LAPACK dlasd4): then dⱼ² − σ² is again accurate to a few ulps.
// Private engine of the spectral folder; assumes validated input.
import { NotConvergedError } from '../errors.js';

const EPS = 2 ** -53;
/**
 * Iterations per root before giving up; the model converges quadratically (measured: 3.8
 * evaluations of f per root on average for n = 1000, convergence check included).
 */
const MAXIT = 100;

/** The root in (δ_a, δ_b) of c·η² − a·η + b (the model's root between its two poles). */
function rootBetween(c: number, a: number, b: number): number {
  const disc = Math.sqrt(Math.max(a * a - 4 * b * c, 0));
  if (c === 0) return a !== 0 ? b / a : Number.NaN;
  return a <= 0 ? (a - disc) / (2 * c) : (2 * b) / (a + disc);
}

/** The root right of both poles of c·η² − a·η + b (the last root; needs c > 0). */
function rootRight(c: number, a: number, b: number): number {
  if (!(c > 0)) return Number.NaN;
  const disc = Math.sqrt(Math.max(a * a - 4 * b * c, 0));
  return a >= 0 ? (a + disc) / (2 * c) : (2 * b) / (a - disc);
}

/** dd[j] = d[j] − d[o] (or (sv[j] − sv[o])·(sv[j] + sv[o]) for squared poles), dd[o] = 0. */
function differences(
  K: number,
  d: Float64Array,
  sv: Float64Array | null,
  o: number,
  dd: Float64Array,
): void {
  if (sv) {
    const so = sv[o]!;
    for (let j = 0; j < K; j++) dd[j] = (sv[j]! - so) * (sv[j]! + so);
  } else {
    const dO = d[o]!;
    for (let j = 0; j < K; j++) dd[j] = d[j]! - dO;
  }
  dd[o] = 0;
}

/**
 * The k-th root (0-based, ascending) of f(λ) = 1/ρ + Σ zⱼ²/(dⱼ − λ) for `d[0..K)` strictly
 * increasing, ρ > 0, every zⱼ ≠ 0 and Σ zⱼ² = 1 (so dₖ < λₖ < d_{k+1}, and
 * d_{K−1} < λ_{K−1} ≤ d_{K−1} + ρ). Writes dⱼ − λₖ to `delta[off + j]` for every j and
 * returns λₖ. `dd` is K scratch. When `sv` is given, the poles are squares, d = sv², and
 * every pole difference is computed as (svⱼ − svᵢ)(svⱼ + svᵢ).
 *
 * @throws {NotConvergedError} if 100 iterations do not meet the rounding-error bound
 *   (not expected: the bracketing makes every step shrink the interval)
 */
export function _secularRoot(
  K: number,
  d: Float64Array,
  z: Float64Array,
  rho: number,
  k: number,
  delta: Float64Array,
  off: number,
  dd: Float64Array,
  sv: Float64Array | null = null,
): number {
  const rhoinv = 1 / rho;
  if (K === 1) {
    const t = rho * z[0]! * z[0]!;
    delta[off] = -t;
    return d[0]! + t;
  }
  const last = k === K - 1;
  // the two poles of the model: (ka, kb) = (k, k + 1) inside, (K − 2, K − 1) for the last
  const ka = last ? K - 2 : k;
  const kb = ka + 1;
  let o: number; // origin: the pole the root is measured from
  let lo: number; // bracket for τ = λ − d_o
  let hi: number;
  let tau: number;
  const za = z[ka]! * z[ka]!;
  const zb = z[kb]! * z[kb]!;
  if (!last) {
    // f at the midpoint of (d_k, d_{k+1}) tells which pole is nearer to the root
    differences(K, d, sv, ka, dd);
    const gap = dd[kb]!;
    const mid = gap / 2;
    let c = rhoinv;
    for (let j = 0; j < K; j++) {
      if (j === ka || j === kb) continue;
      c += (z[j]! * z[j]!) / (dd[j]! - mid);
    }
    const fmid = c - za / mid + zb / (gap - mid);
    // initial guess: the two-pole model with the far poles frozen at the midpoint
    if (fmid >= 0) {
      o = ka;
      lo = 0;
      hi = mid;
      tau = rootBetween(c, c * gap + za + zb, za * gap);
    } else {
      o = kb;
      lo = -mid;
      hi = 0;
      tau = rootBetween(c, -c * gap + za + zb, -zb * gap);
      differences(K, d, sv, o, dd);
    }
  } else {
    o = kb;
    lo = 0;
    hi = rho; // f(d_{K−1} + ρ) ≥ 0 because Σ zⱼ² = 1
    differences(K, d, sv, o, dd);
    const gap = -dd[ka]!;
    const t0 = rho / 2;
    let c = rhoinv;
    for (let j = 0; j < ka; j++) c += (z[j]! * z[j]!) / (dd[j]! - t0);
    const f0 = c - za / (gap + t0) - zb / t0;
    if (f0 <= 0) lo = t0;
    else hi = t0;
    tau = rootRight(c, -c * gap + za + zb, -zb * gap);
  }
  if (!(tau > lo && tau < hi)) tau = (lo + hi) / 2;

  const dOrigin = d[o]!;
  for (let iter = 0; ; iter++) {
    // δⱼ = dⱼ − λ; ψ, ψ′ over the poles left of the bracket (j ≤ ka), φ, φ′ over the rest
    let psi = 0;
    let dpsi = 0;
    let phi = 0;
    let dphi = 0;
    let abs = 0;
    for (let j = 0; j < K; j++) {
      const dj = dd[j]! - tau;
      const t = z[j]! / dj;
      const term = z[j]! * t;
      abs += Math.abs(term);
      if (j <= ka) {
        psi += term;
        dpsi += t * t;
      } else {
        phi += term;
        dphi += t * t;
      }
    }
    const w = rhoinv + psi + phi;
    const dw = dpsi + dphi;
    // bound on the rounding error of w (each term and the shifts dⱼ − d_o − τ)
    const erretm = 8 * (abs + rhoinv) + Math.abs(tau) * dw;
    if (Math.abs(w) <= EPS * erretm || w === 0) break;
    if (iter >= MAXIT) {
      throw new NotConvergedError(
        `divide and conquer: the secular equation did not converge in ${MAXIT} iterations ` +
          `(root ${k} of ${K})`,
      );
    }
    // f increases with λ: the sign of w says on which side of τ the root lies
    if (w < 0) lo = Math.max(lo, tau);
    else hi = Math.min(hi, tau);
    const da = dd[ka]! - tau;
    const db = dd[kb]! - tau;
    const c = w - da * dpsi - db * dphi;
    const a = (da + db) * w - da * db * dw;
    const b = da * db * w;
    let eta = last ? rootRight(c, a, b) : rootBetween(c, a, b);
    if (!Number.isFinite(eta) || w * eta >= 0) eta = -w / dw;
    let next = tau + eta;
    if (!(next > lo && next < hi) && !(last && next === hi)) {
      next = w < 0 ? (tau + hi) / 2 : (lo + tau) / 2;
    }
    if (next === tau) break;
    tau = next;
  }
  for (let j = 0; j < K; j++) delta[off + j] = dd[j]! - tau;
  return dOrigin + tau;
}
