import type { DiagonalSsm, DiscreteSsm } from '../src/index.js';

/** Machine epsilon of float64. */
export const EPS = 2 ** -52;

/** ‖a − b‖₂ / ‖b‖₂ (‖a − b‖₂ when b = 0). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    const d = a[i]! - b[i]!;
    num += d * d;
    den += b[i]! * b[i]!;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/** max |a − b|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Naive kernel by repeated multiplication in the state space, H·L row-major. */
export function naiveKernel(d: DiscreteSsm, L: number): Float64Array {
  const { channels: H, modes: M } = d;
  const out = new Float64Array(H * L);
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < M; n++) {
      const k = h * M + n;
      let xr = d.Bbar.re[k]!;
      let xi = d.Bbar.im[k]!;
      const ar = d.Abar.re[k]!;
      const ai = d.Abar.im[k]!;
      const cr = d.C.re[k]!;
      const ci = d.C.im[k]!;
      for (let l = 0; l < L; l++) {
        out[h * L + l]! += 2 * (cr * xr - ci * xi);
        const t = ar * xr - ai * xi;
        xi = ar * xi + ai * xr;
        xr = t;
      }
    }
  }
  return out;
}

/** Direct causal convolution y_l = Σ_{j≤l} k_j u_{l−j}. */
export function directConv(k: ArrayLike<number>, u: ArrayLike<number>): Float64Array {
  const L = u.length;
  const y = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    let s = 0;
    for (let j = 0; j <= l; j++) s += k[j]! * u[l - j]!;
    y[l] = s;
  }
  return y;
}

/** Deterministic pseudo-random values in [−1, 1) (a small LCG; tests only). */
export function noise(n: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** A small bank with explicit values (for hand checks). */
export function bankOf(
  A: [number, number][],
  B: [number, number][],
  C: [number, number][],
  D: number,
  logDt: number,
): DiagonalSsm {
  const f = (v: [number, number][], i: 0 | 1) => Float64Array.from(v.map((x) => x[i]));
  return {
    channels: 1,
    modes: A.length,
    A: { re: f(A, 0), im: f(A, 1) },
    B: { re: f(B, 0), im: f(B, 1) },
    C: { re: f(C, 0), im: f(C, 1) },
    D: Float64Array.of(D),
    logDt: Float64Array.of(logDt),
  };
}
