import {
  assertInt,
  assertNumber,
  fftConvolve,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  type Seed,
  ShapeError,
} from '@lr/core';
import { denseKernel } from './denseKernel.js';
import type { DiagonalSsm } from './diagonalSsm.js';
import { hippoLegS } from './hippo.js';
import { S4D_INIT_DEFAULTS } from './inits.js';
import { ssmKernel } from './kernel.js';
import {
  _bankFromDiagonalization,
  type PtdResult,
  ptdDiagonalize,
  ptdPerturbation,
} from './ptd.js';

// Tools of the PTD paper's comparisons (Yu et al., ICLR 2024, §4–5): how far a diagonal
// SSM's kernel is from the kernel of the (undiagonalized) HiPPO-LegS system it stands for,
// and how much its output moves when the input is perturbed by one Fourier mode.

/** Result of {@link kernelDistance}. */
export interface KernelDistance {
  /** ‖K_h − R_h‖₂/‖R_h‖₂ over l < L, per channel. */
  perChannel: Float64Array;
  /** Mean over channels. */
  mean: number;
  /** Largest over channels. */
  max: number;
}

/**
 * Relative L2 distance between two banks of kernels, channel by channel:
 * ‖K_h − R_h‖₂/‖R_h‖₂ over l = 0…L−1 (L = the common length).
 *
 * @param K H×L kernels (e.g. {@link ssmKernel}'s)
 * @param reference H×L reference kernels (e.g. {@link denseKernel}'s HiPPO kernels)
 * @returns `{ perChannel, mean, max }`
 * @throws {ShapeError} `SHAPE_MISMATCH` when the shapes differ
 * @example
 * kernelDistance(Matrix.from([[1, 1]]), Matrix.from([[1, 0]])).mean; // 1
 */
export function kernelDistance(K: Matrix, reference: Matrix): KernelDistance {
  if (!(K instanceof Matrix) || !(reference instanceof Matrix)) {
    throw new InvalidArgumentError('K, reference: expected H×L Matrices');
  }
  if (K.rows !== reference.rows || K.cols !== reference.cols) {
    throw new ShapeError(
      `K: expected the reference's shape [${reference.rows}, ${reference.cols}], got [${K.rows}, ${K.cols}]`,
    );
  }
  const H = K.rows;
  const per = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    let num = 0;
    let den = 0;
    for (let l = 0; l < K.cols; l++) {
      const r = reference.get(h, l);
      const d = K.get(h, l) - r;
      num += d * d;
      den += r * r;
    }
    per[h] = Math.sqrt(num) / Math.sqrt(den);
  }
  let mean = 0;
  let max = 0;
  for (let h = 0; h < H; h++) {
    mean += per[h]! / H;
    max = Math.max(max, per[h]!);
  }
  return { perChannel: per, mean, max };
}

/**
 * Diagonalizations of HiPPO-LegS (size n = N/2) compared in the PTD paper:
 * - `'ptd'`: A + E with E from {@link ptdPerturbation} (κ(V) small, ‖E‖ small)
 * - `'unperturbed'`: A itself (E = 0): exact in exact arithmetic, but κ(V) grows
 *   exponentially with n, so B = V⁻¹B and C = cV are huge and the computed kernel is
 *   dominated by rounding
 * - `'s4d-legs'`: A + P·Pᵀ, the normal part S of the NPLR form (P_n = √(n + ½)), with B
 *   halved as in S4D's convergence theorem, i.e.
 *   S4D-LegS / DSS: E = P·Pᵀ is the rank-one term S4D drops (the reference code's
 *   README: "recover the S4D model by setting the perturbation to the rank-1 part")
 */
export type HippoDiagonalizationKind = 'ptd' | 'unperturbed' | 's4d-legs';

/** Options of {@link hippoDiagonalBank}. */
export interface HippoDiagonalBankOptions {
  /** State size N (HiPPO-LegS of size N/2); default 64. */
  N?: number;
  /** H; default 1. */
  channels?: number;
  /** Smallest step; default 0.001. */
  dtMin?: number;
  /** Largest step; default 0.1. */
  dtMax?: number;
  /** Seed of log dt, c and D; default 0 (the same draws for every kind). */
  seed?: Seed;
}

/** Result of {@link hippoDiagonalBank}. */
export interface HippoDiagonalBank {
  /** The diagonal bank: A = Λ, B = V⁻¹B_HiPPO, C_h = c_h·V. */
  ssm: DiagonalSsm;
  /** The diagonalization (E, Λ, V, V⁻¹B, diagnostics). */
  diagonalization: PtdResult;
  /**
   * H×n real output vectors 2·Re c_h of the undiagonalized HiPPO system whose kernel
   * (bilinear, same dt) the bank approximates: pass them to {@link denseKernel}.
   */
  hippoC: Matrix;
}

/**
 * A bank of H diagonal SSMs from one of the HiPPO-LegS diagonalizations of the PTD paper,
 * together with the output vectors of the exact HiPPO system it approximates. Every kind
 * uses the same draws of log dt, c and D for a given seed, so their kernels are directly
 * comparable with each other and with the HiPPO kernel.
 *
 * @param kind see {@link HippoDiagonalizationKind}
 * @param options see {@link HippoDiagonalBankOptions}
 * @returns `{ ssm, diagonalization, hippoC }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad kind or option
 * @example
 * const { ssm, hippoC } = hippoDiagonalBank('ptd', { N: 32, channels: 2 });
 * const K = ssmKernel(ssm, { L: 512, method: 'bilinear' }).K;
 * const R = denseKernel(hippoLegS(16).A, hippoLegS(16).B, hippoC, ssm.logDt, 512);
 * kernelDistance(K, R).mean; // ≈ 0.4 (S4D-LegS's diagonal: ≈ 4)
 */
export function hippoDiagonalBank(
  kind: HippoDiagonalizationKind,
  options?: HippoDiagonalBankOptions,
): HippoDiagonalBank {
  const o = optionsObject('options', options);
  const N = assertInt('options.N', o.N ?? 64, 2, 1024);
  if (N % 2 !== 0) throw new InvalidArgumentError(`options.N: expected an even size, got ${N}`);
  const H = assertInt('options.channels', o.channels ?? 1, 1, 1 << 20);
  const n = N / 2;
  let diag: PtdResult;
  if (kind === 'ptd') {
    diag = ptdPerturbation({ N });
  } else if (kind === 'unperturbed') {
    diag = ptdDiagonalize(new Matrix(new Float64Array(n * n), n, n));
  } else if (kind === 's4d-legs') {
    const e = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) e[i * n + j] = Math.sqrt(i + 0.5) * Math.sqrt(j + 0.5);
    }
    diag = ptdDiagonalize(new Matrix(e, n, n));
  } else {
    throw new InvalidArgumentError(
      `kind: expected 'ptd', 'unperturbed' or 's4d-legs', got ${String(kind)}`,
    );
  }
  const { ssm, c } = _bankFromDiagonalization(
    diag,
    H,
    o.dtMin ?? S4D_INIT_DEFAULTS.dtMin,
    o.dtMax ?? S4D_INIT_DEFAULTS.dtMax,
    o.seed ?? 0,
  );
  if (kind === 's4d-legs') {
    // S4D's theorem pairs the normal part S with ½·B: the kernel of (S, ½B) tends to the
    // HiPPO-LegS kernel as N grows (with B itself it tends to twice it; see claims.test.ts).
    for (let i = 0; i < ssm.B.re.length; i++) {
      ssm.B.re[i]! *= 0.5;
      ssm.B.im[i]! *= 0.5;
    }
  }
  const hc = Float64Array.from(c.re, (v) => 2 * v);
  return { ssm, diagonalization: diag, hippoC: new Matrix(hc, H, n) };
}

/** One row of {@link hippoKernelComparison}. */
export interface HippoComparisonRow {
  kind: HippoDiagonalizationKind;
  N: number;
  /** Kernel distance to the HiPPO kernel (bilinear, same dt, B, C). */
  distance: KernelDistance;
  /** κ₂(V) of the diagonalization. */
  kappaV: number;
  /** ‖E‖_F/‖A‖_F. */
  relPerturbation: number;
}

/**
 * Kernel distance to the exact HiPPO-LegS kernel for several diagonalizations: the
 * reference is the dense bilinear recurrence of (A, B, 2·Re c_h) with the bank's dt
 * ({@link denseKernel}); each bank's kernel is {@link ssmKernel} with `method: 'bilinear'`
 * (bilinear discretization commutes with the similarity V, so the two agree exactly
 * when E = 0 in exact arithmetic).
 *
 * @param options `N`, `channels`, `seed`, `dtMin`, `dtMax` as {@link hippoDiagonalBank};
 *   `L` kernel length (default 1024); `kinds` (default all three)
 * @returns one row per kind
 * @example
 * hippoKernelComparison({ N: 32, L: 256 }).map((r) => [r.kind, r.distance.mean]);
 */
export function hippoKernelComparison(
  options?: HippoDiagonalBankOptions & { L?: number; kinds?: HippoDiagonalizationKind[] },
): HippoComparisonRow[] {
  const o = optionsObject('options', options);
  const L = assertInt('options.L', o.L ?? 1024, 1, 1 << 22);
  const kinds = o.kinds ?? (['s4d-legs', 'unperturbed', 'ptd'] as HippoDiagonalizationKind[]);
  const N = o.N ?? 64;
  const { A, B } = hippoLegS(N / 2);
  const rows: HippoComparisonRow[] = [];
  let ref: Matrix | null = null;
  for (const kind of kinds) {
    const bank = hippoDiagonalBank(kind, o);
    // the draws are shared, so the reference is the same for every kind
    ref ??= denseKernel(A, B, bank.hippoC, bank.ssm.logDt, L, 'bilinear');
    const K = ssmKernel(bank.ssm, { L, method: 'bilinear' }).K;
    rows.push({
      kind,
      N,
      distance: kernelDistance(K, ref),
      kappaV: bank.diagonalization.diagnostics.kappaV,
      relPerturbation: bank.diagonalization.diagnostics.relPerturbation,
    });
  }
  return rows;
}

/** Options of {@link fourierModeResponse}. */
export interface FourierModeOptions {
  /** Frequencies f (cycles per L samples); default 1, 2, 4, …, L/2. */
  frequencies?: number[];
  /** Amplitude ε of the perturbation ε·sin(2πfl/L + φ), relative to RMS(u); default 0.1. */
  epsilon?: number;
  /** Phase φ; default 0. */
  phase?: number;
  /**
   * Skip terms D (length H) added to the outputs; default none (the same D for every
   * init only dilutes the comparison).
   */
  D?: Float64Array;
}

/** Result of {@link fourierModeResponse}. */
export interface FourierModeResponse {
  frequencies: number[];
  /**
   * ‖y(u + ε·s_f) − y(u)‖₂/‖y(u)‖₂ averaged over channels, per frequency, where y = K∗u
   * (+ D·u) is the causal convolution over l < L.
   */
  relChange: Float64Array;
  /**
   * ‖y(u + ε·s_f) − y(u)‖₂ = ‖K∗s_f (+ D·s_f)‖₂ averaged over channels, per frequency: the
   * absolute output change (divide by another kernel's to compare gains).
   */
  absChange: Float64Array;
  /** relChange per channel, [F, H] row-major. */
  perChannel: Float64Array;
}

/**
 * Response of a bank of convolution kernels to Fourier-mode input perturbations (the PTD
 * paper's robustness test, §5): u ↦ u + ε·RMS(u)·sin(2πfl/L + φ) for each frequency f,
 * output change relative to the unperturbed output. By linearity the change is
 * ε·RMS(u)·(K∗s_f), so this measures the gain |G| of each kernel near frequency f,
 * normalised by the response to u.
 *
 * @param K H×L kernels (each channel filters the same input u)
 * @param u input, length L
 * @param options see {@link FourierModeOptions}
 * @returns `{ frequencies, relChange, absChange, perChannel }`
 * @throws {ShapeError} `SHAPE_MISMATCH` when u's length differs from K's columns
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad option
 * @example
 * const u = Float64Array.from({ length: 256 }, (_, l) => Math.sin(l / 9));
 * fourierModeResponse(ssmKernel(s4dInit({ N: 16 }), { L: 256 }).K, u).relChange;
 */
export function fourierModeResponse(
  K: Matrix,
  u: Float64Array,
  options?: FourierModeOptions,
): FourierModeResponse {
  if (!(K instanceof Matrix)) throw new InvalidArgumentError('K: expected an H×L Matrix');
  const L = K.cols;
  const H = K.rows;
  if (!(u instanceof Float64Array) || u.length !== L) {
    throw new ShapeError(`u: expected a Float64Array of length L = ${L}`);
  }
  const o = optionsObject('options', options);
  const eps = assertNumber('options.epsilon', o.epsilon ?? 0.1, 0);
  const phase = assertNumber('options.phase', o.phase ?? 0);
  const freqs = o.frequencies ?? defaultFrequencies(L);
  const D = o.D;
  if (D !== undefined && (!(D instanceof Float64Array) || D.length !== H)) {
    throw new ShapeError(`options.D: expected a Float64Array of length H = ${H}`);
  }
  let rms = 0;
  for (let l = 0; l < L; l++) rms += u[l]! * u[l]!;
  rms = Math.sqrt(rms / L);
  const amp = eps * rms;
  const per = new Float64Array(freqs.length * H);
  const rel = new Float64Array(freqs.length);
  const abs = new Float64Array(freqs.length);
  const kernels: Float64Array[] = [];
  const base: Float64Array[] = [];
  for (let h = 0; h < H; h++) {
    const k = K.rowArray(h);
    kernels.push(k);
    const y = fftConvolve(k, u).subarray(0, L);
    if (D) for (let l = 0; l < L; l++) y[l] = y[l]! + D[h]! * u[l]!;
    base.push(y);
  }
  const s = new Float64Array(L);
  for (let fi = 0; fi < freqs.length; fi++) {
    const f = freqs[fi]!;
    if (!Number.isFinite(f))
      throw new InvalidArgumentError(`options.frequencies[${fi}]: not finite`);
    for (let l = 0; l < L; l++) s[l] = amp * Math.sin((2 * Math.PI * f * l) / L + phase);
    for (let h = 0; h < H; h++) {
      // y(u + s) − y(u) = K∗s (+ D·s) by linearity
      const dy = fftConvolve(kernels[h]!, s).subarray(0, L);
      let num = 0;
      let den = 0;
      for (let l = 0; l < L; l++) {
        const d = dy[l]! + (D ? D[h]! * s[l]! : 0);
        num += d * d;
        den += base[h]![l]! ** 2;
      }
      const r = Math.sqrt(num) / Math.sqrt(den);
      per[fi * H + h] = r;
      rel[fi] = rel[fi]! + r / H;
      abs[fi] = abs[fi]! + Math.sqrt(num) / H;
    }
  }
  return { frequencies: freqs, relChange: rel, absChange: abs, perChannel: per };
}

function defaultFrequencies(L: number): number[] {
  const out: number[] = [];
  for (let f = 1; f <= L / 2; f *= 2) out.push(f);
  return out;
}
