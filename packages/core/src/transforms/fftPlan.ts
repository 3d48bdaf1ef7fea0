import { assertInt } from '../validate.js';

/** Largest prime radix done by a direct O(p²) butterfly; lengths with a larger prime factor use Bluestein. */
const MAX_DIRECT_RADIX = 61;

/** Plans kept in the cache (least recently used evicted first). */
const CACHE_SIZE = 48;

/** Longest supported transform (2²⁸ points: 2 GiB of scratch for a Bluestein plan). */
const MAX_LENGTH = 2 ** 28;

const cache = new Map<number, FftPlan>();

/** How an {@link FftPlan} computes its transform. */
export type FftAlgorithm = 'radix-2' | 'mixed-radix' | 'bluestein';

/**
 * A precomputed complex FFT of one length `n`: twiddle table, factorization and scratch,
 * built once by {@link fftPlan} and reused across calls (plans are cached per length).
 *
 * - `radix-2`: n = 2^k (including n = 1); iterative Stockham autosort with radix-4 and
 *   one radix-2 pass, no bit reversal.
 * - `mixed-radix`: every prime factor of n is ≤ 61; Stockham passes of radix 4, 2, 3 and
 *   direct O(p²) butterflies for the other primes (Cooley & Tukey 1965, decimation in
 *   frequency; Stockham ordering as in Van Loan, *Computational Frameworks for the FFT*,
 *   1992, §1.7).
 * - `bluestein`: n has a prime factor > 61; the chirp-z identity
 *   kf = (k² + f² − (f − k)²)/2 turns the DFT into a circular convolution of length
 *   M = 2^⌈log₂(2n − 1)⌉ done with a radix-2 plan (Bluestein 1970; Rabiner, Schafer &
 *   Rader 1969). Every length is therefore O(n log n).
 *
 * {@link FftPlan.execute} works in place on caller storage and assumes validated input; it
 * is the kernel that {@link fft}, {@link rfft} and {@link fftConvolve} call. A plan holds
 * scratch buffers, so one plan must not be used re-entrantly (JavaScript is single-threaded,
 * so this only matters inside callbacks of the plan itself, which there are none of).
 *
 * @example
 * const plan = fftPlan(1000);
 * const re = new Float64Array(1000), im = new Float64Array(1000);
 * re[1] = 1;
 * plan.execute(re, im);        // forward, unnormalized: re[k] = cos(2πk/1000)
 * plan.execute(re, im, true);  // inverse, unnormalized: 1000 · the input
 */
export class FftPlan {
  /** Transform length. */
  readonly n: number;
  /** Which algorithm {@link FftPlan.execute} runs. */
  readonly algorithm: FftAlgorithm;
  /** Stockham pass radices in order (product n); empty for n = 1 and for Bluestein. */
  readonly factors: readonly number[];

  // ω_n^j = cos[j] − i·sin[j], j < n (Stockham plans only).
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly bufRe: Float64Array;
  private readonly bufIm: Float64Array;
  private readonly genRe: Float64Array;
  private readonly genIm: Float64Array;
  // Bluestein: chirp c_k = exp(−iπk²/n), FFT of the conjugate chirp filter scaled by 1/M.
  private readonly inner: FftPlan | null;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly filterRe: Float64Array;
  private readonly filterIm: Float64Array;

  /**
   * Builds an uncached plan; prefer {@link fftPlan}, which caches plans per length.
   * @throws {InvalidArgumentError} if `n` is not an integer in [1, 2²⁸]
   */
  constructor(n: number) {
    this.n = assertInt('n', n, 1, MAX_LENGTH);
    const factors = factorize(n);
    const maxPrime = factors.reduce((a, b) => Math.max(a, b), 1);
    const empty = new Float64Array(0);
    if (maxPrime <= MAX_DIRECT_RADIX) {
      this.algorithm = (n & (n - 1)) === 0 ? 'radix-2' : 'mixed-radix';
      this.factors = Object.freeze(factors);
      this.cos = new Float64Array(n);
      this.sin = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const t = (2 * Math.PI * j) / n;
        this.cos[j] = Math.cos(t);
        this.sin[j] = Math.sin(t);
      }
      fixSymmetry(this.cos, this.sin, n);
      this.bufRe = new Float64Array(n);
      this.bufIm = new Float64Array(n);
      const maxRadix = factors.reduce((a, b) => Math.max(a, b), 0);
      this.genRe = new Float64Array(maxRadix);
      this.genIm = new Float64Array(maxRadix);
      this.inner = null;
      this.chirpRe = this.chirpIm = this.filterRe = this.filterIm = empty;
    } else {
      this.algorithm = 'bluestein';
      this.factors = Object.freeze([]);
      this.cos = this.sin = this.genRe = this.genIm = empty;
      let m = 1;
      while (m < 2 * n - 1) m *= 2;
      const inner = fftPlan(m);
      this.inner = inner;
      this.chirpRe = new Float64Array(n);
      this.chirpIm = new Float64Array(n);
      // k² mod 2n by the recurrence (k+1)² = k² + 2k + 1 keeps the angle exact for large k.
      let q = 0;
      for (let k = 0; k < n; k++) {
        const t = (Math.PI * q) / n;
        this.chirpRe[k] = Math.cos(t);
        this.chirpIm[k] = -Math.sin(t);
        q = (q + 2 * k + 1) % (2 * n);
      }
      const fr = new Float64Array(m);
      const fi = new Float64Array(m);
      fr[0] = 1;
      for (let k = 1; k < n; k++) {
        fr[k] = fr[m - k] = this.chirpRe[k]!;
        fi[k] = fi[m - k] = -this.chirpIm[k]!;
      }
      inner.execute(fr, fi);
      const s = 1 / m;
      for (let j = 0; j < m; j++) {
        fr[j]! *= s;
        fi[j]! *= s;
      }
      this.filterRe = fr;
      this.filterIm = fi;
      this.bufRe = new Float64Array(m);
      this.bufIm = new Float64Array(m);
    }
  }

  /**
   * Unnormalized DFT in place: X_f = Σ_k x_k·exp(∓2πi·kf/n) (− forward, + inverse).
   * Assumes `re` and `im` are Float64Arrays of length `n` (not checked: this is a kernel).
   *
   * @param re real parts, overwritten with the result's real parts
   * @param im imaginary parts, overwritten with the result's imaginary parts
   * @param inverse true for the inverse transform (no 1/n factor); default false
   */
  execute(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.n;
    if (n === 1) return;
    if (inverse) for (let j = 0; j < n; j++) im[j] = -im[j]!;
    if (this.inner === null) this.stockham(re, im);
    else this.bluestein(re, im);
    if (inverse) for (let j = 0; j < n; j++) im[j] = -im[j]!;
  }

  private stockham(re: Float64Array, im: Float64Array): void {
    const n = this.n;
    let xr = re;
    let xi = im;
    let yr = this.bufRe;
    let yi = this.bufIm;
    let s = 1;
    for (const p of this.factors) {
      const m = n / (s * p);
      if (p === 4) this.pass4(m, s, xr, xi, yr, yi);
      else if (p === 2) this.pass2(m, s, xr, xi, yr, yi);
      else if (p === 3) this.pass3(m, s, xr, xi, yr, yi);
      else this.passGeneric(p, m, s, xr, xi, yr, yi);
      const tr = xr;
      const ti = xi;
      xr = yr;
      xi = yi;
      yr = tr;
      yi = ti;
      s *= p;
    }
    if (xr !== re) {
      re.set(xr);
      im.set(xi);
    }
  }

  // One Stockham pass of radix p on the s interleaved subsequences of length m·p:
  // y[q + s(pk + t)] = ω_{mp}^{kt} · Σ_r x[q + s(k + rm)]·ω_p^{rt}.
  private pass2(
    m: number,
    s: number,
    xr: Float64Array,
    xi: Float64Array,
    yr: Float64Array,
    yi: Float64Array,
  ): void {
    const c = this.cos;
    const sn = this.sin;
    const half = s * m;
    for (let k = 0; k < m; k++) {
      const wr = c[s * k]!;
      const wi = -sn[s * k]!;
      const i0 = s * k;
      const o0 = 2 * s * k;
      for (let q = 0; q < s; q++) {
        const a = i0 + q;
        const b = a + half;
        const ar = xr[a]!;
        const ai = xi[a]!;
        const br = xr[b]!;
        const bi = xi[b]!;
        const o = o0 + q;
        yr[o] = ar + br;
        yi[o] = ai + bi;
        const dr = ar - br;
        const di = ai - bi;
        yr[o + s] = dr * wr - di * wi;
        yi[o + s] = dr * wi + di * wr;
      }
    }
  }

  private pass3(
    m: number,
    s: number,
    xr: Float64Array,
    xi: Float64Array,
    yr: Float64Array,
    yi: Float64Array,
  ): void {
    const c = this.cos;
    const sn = this.sin;
    const h = Math.sqrt(3) / 2;
    const sm = s * m;
    for (let k = 0; k < m; k++) {
      const w1r = c[s * k]!;
      const w1i = -sn[s * k]!;
      const w2r = c[2 * s * k]!;
      const w2i = -sn[2 * s * k]!;
      const i0 = s * k;
      const o0 = 3 * s * k;
      for (let q = 0; q < s; q++) {
        const a = i0 + q;
        const a0r = xr[a]!;
        const a0i = xi[a]!;
        const a1r = xr[a + sm]!;
        const a1i = xi[a + sm]!;
        const a2r = xr[a + 2 * sm]!;
        const a2i = xi[a + 2 * sm]!;
        const tr = a1r + a2r;
        const ti = a1i + a2i;
        const dr = h * (a1r - a2r);
        const di = h * (a1i - a2i);
        const mr = a0r - 0.5 * tr;
        const mi = a0i - 0.5 * ti;
        const b1r = mr + di;
        const b1i = mi - dr;
        const b2r = mr - di;
        const b2i = mi + dr;
        const o = o0 + q;
        yr[o] = a0r + tr;
        yi[o] = a0i + ti;
        yr[o + s] = b1r * w1r - b1i * w1i;
        yi[o + s] = b1r * w1i + b1i * w1r;
        yr[o + 2 * s] = b2r * w2r - b2i * w2i;
        yi[o + 2 * s] = b2r * w2i + b2i * w2r;
      }
    }
  }

  private pass4(
    m: number,
    s: number,
    xr: Float64Array,
    xi: Float64Array,
    yr: Float64Array,
    yi: Float64Array,
  ): void {
    const c = this.cos;
    const sn = this.sin;
    const sm = s * m;
    for (let k = 0; k < m; k++) {
      const j1 = s * k;
      const w1r = c[j1]!;
      const w1i = -sn[j1]!;
      const w2r = c[2 * j1]!;
      const w2i = -sn[2 * j1]!;
      const w3r = c[3 * j1]!;
      const w3i = -sn[3 * j1]!;
      const o0 = 4 * s * k;
      for (let q = 0; q < s; q++) {
        const a = j1 + q;
        const a0r = xr[a]!;
        const a0i = xi[a]!;
        const a1r = xr[a + sm]!;
        const a1i = xi[a + sm]!;
        const a2r = xr[a + 2 * sm]!;
        const a2i = xi[a + 2 * sm]!;
        const a3r = xr[a + 3 * sm]!;
        const a3i = xi[a + 3 * sm]!;
        const t0r = a0r + a2r;
        const t0i = a0i + a2i;
        const t1r = a0r - a2r;
        const t1i = a0i - a2i;
        const t2r = a1r + a3r;
        const t2i = a1i + a3i;
        const t3r = a1r - a3r;
        const t3i = a1i - a3i;
        // b1 = t1 − i·t3, b3 = t1 + i·t3 (ω₄ = −i)
        const b1r = t1r + t3i;
        const b1i = t1i - t3r;
        const b2r = t0r - t2r;
        const b2i = t0i - t2i;
        const b3r = t1r - t3i;
        const b3i = t1i + t3r;
        const o = o0 + q;
        yr[o] = t0r + t2r;
        yi[o] = t0i + t2i;
        yr[o + s] = b1r * w1r - b1i * w1i;
        yi[o + s] = b1r * w1i + b1i * w1r;
        yr[o + 2 * s] = b2r * w2r - b2i * w2i;
        yi[o + 2 * s] = b2r * w2i + b2i * w2r;
        yr[o + 3 * s] = b3r * w3r - b3i * w3i;
        yi[o + 3 * s] = b3r * w3i + b3i * w3r;
      }
    }
  }

  private passGeneric(
    p: number,
    m: number,
    s: number,
    xr: Float64Array,
    xi: Float64Array,
    yr: Float64Array,
    yi: Float64Array,
  ): void {
    const n = this.n;
    const c = this.cos;
    const sn = this.sin;
    const gr = this.genRe;
    const gi = this.genIm;
    const sm = s * m;
    const stepP = n / p; // ω_p^u = ω_n^{u·n/p}
    for (let k = 0; k < m; k++) {
      const o0 = p * s * k;
      for (let q = 0; q < s; q++) {
        const a = s * k + q;
        for (let r = 0; r < p; r++) {
          gr[r] = xr[a + r * sm]!;
          gi[r] = xi[a + r * sm]!;
        }
        for (let t = 0; t < p; t++) {
          let sr = gr[0]!;
          let si = gi[0]!;
          let u = 0;
          for (let r = 1; r < p; r++) {
            u += t;
            if (u >= p) u -= p;
            const j = u * stepP;
            const wr = c[j]!;
            const wi = -sn[j]!;
            sr += gr[r]! * wr - gi[r]! * wi;
            si += gr[r]! * wi + gi[r]! * wr;
          }
          const j = s * k * t;
          const wr = c[j]!;
          const wi = -sn[j]!;
          const o = o0 + q + t * s;
          yr[o] = sr * wr - si * wi;
          yi[o] = sr * wi + si * wr;
        }
      }
    }
  }

  private bluestein(re: Float64Array, im: Float64Array): void {
    const n = this.n;
    const inner = this.inner!;
    const m = inner.n;
    const wr = this.bufRe;
    const wi = this.bufIm;
    const cr = this.chirpRe;
    const ci = this.chirpIm;
    for (let k = 0; k < n; k++) {
      const xr = re[k]!;
      const xi = im[k]!;
      wr[k] = xr * cr[k]! - xi * ci[k]!;
      wi[k] = xr * ci[k]! + xi * cr[k]!;
    }
    wr.fill(0, n);
    wi.fill(0, n);
    inner.execute(wr, wi);
    const fr = this.filterRe;
    const fi = this.filterIm;
    for (let j = 0; j < m; j++) {
      const ar = wr[j]!;
      const ai = wi[j]!;
      wr[j] = ar * fr[j]! - ai * fi[j]!;
      wi[j] = ar * fi[j]! + ai * fr[j]!;
    }
    inner.execute(wr, wi, true);
    for (let k = 0; k < n; k++) {
      const ar = wr[k]!;
      const ai = wi[k]!;
      re[k] = ar * cr[k]! - ai * ci[k]!;
      im[k] = ar * ci[k]! + ai * cr[k]!;
    }
  }
}

// Radix order: 4s first, then one 2, then 3, then the other primes ascending.
function factorize(n: number): number[] {
  const out: number[] = [];
  let r = n;
  while (r % 4 === 0) {
    out.push(4);
    r /= 4;
  }
  if (r % 2 === 0) {
    out.push(2);
    r /= 2;
  }
  for (let p = 3; p * p <= r; p += 2) {
    while (r % p === 0) {
      out.push(p);
      r /= p;
    }
  }
  if (r > 1) out.push(r);
  return out;
}

// Makes the table exactly symmetric (cos(2π − t) = cos t, sin(2π − t) = −sin t) and exact at
// the quarter points, so that real input gives exactly Hermitian output where it should.
function fixSymmetry(c: Float64Array, s: Float64Array, n: number): void {
  for (let j = 1; 2 * j < n; j++) {
    c[n - j] = c[j]!;
    s[n - j] = -s[j]!;
  }
  if (n % 2 === 0) {
    c[n / 2] = -1;
    s[n / 2] = 0;
  }
  if (n % 4 === 0) {
    c[n / 4] = 0;
    s[n / 4] = 1;
    c[(3 * n) / 4] = 0;
    s[(3 * n) / 4] = -1;
  }
}

/**
 * The cached {@link FftPlan} for length `n`, built on first use. Reusing a plan (or simply
 * calling {@link fft} repeatedly with one length) pays for the twiddles, factorization and,
 * for Bluestein lengths, the chirp filter's FFT only once.
 *
 * @param n transform length, an integer in [1, 2²⁸]
 * @returns the plan (shared: do not rely on identity across cache evictions)
 * @throws {InvalidArgumentError} if `n` is not an integer in [1, 2²⁸]
 * @example
 * const plan = fftPlan(1009);  // prime: Bluestein with an inner length-2048 radix-2 plan
 * plan.algorithm;              // 'bluestein'
 */
export function fftPlan(n: number): FftPlan {
  assertInt('n', n, 1, MAX_LENGTH);
  const hit = cache.get(n);
  if (hit !== undefined) {
    cache.delete(n);
    cache.set(n, hit);
    return hit;
  }
  const plan = new FftPlan(n);
  cache.set(n, plan);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return plan;
}
