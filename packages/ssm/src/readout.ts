import {
  assertInt,
  assertNumber,
  cholesky,
  choleskySolve,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  type Seed,
  ShapeError,
} from '@lr/core';
import { assertDiagonalSsm, type DiagonalSsm } from './diagonalSsm.js';
import { type DiscretizeMethod, discretize } from './discretize.js';
import { s4dInit } from './inits.js';
import { ptdInit } from './ptd.js';

// A diagonal SSM as a fixed (untrained) feature map, with a linear readout fitted in
// closed form: the reservoir-computing use of S4D-type layers. Only the readout C, D
// is learned, by ridge regression, so inits can be compared on real series without
// gradient training.

/** Options of {@link ssmStateFeatures}. */
export interface SsmFeatureOptions {
  /** Discretization; default `'zoh'` (S4D's). */
  method?: DiscretizeMethod;
}

/**
 * State features of a bank of H diagonal SSMs driven by one input sequence u (every
 * channel reads the same u): x_h[t+1] = Ā_h·x_h[t] + B̄_h·u[t], x_h[0] = 0, and row t of
 * the result is [Re x_1[t+1], Im x_1[t+1], …, Re x_H[t+1], Im x_H[t+1]] (the state after
 * reading u[0…t]), 2·H·M real features per time step. Any readout y[t] = 2·Re(C·x[t+1]) +
 * D·u[t] is linear in these features and u[t].
 *
 * @param ssm bank of diagonal SSMs (not modified)
 * @param u input sequence, length T
 * @param options see {@link SsmFeatureOptions}
 * @returns T×(2·H·M) Matrix
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a non-array u or a bad method
 * @example
 * const F = ssmStateFeatures(s4dInit({ N: 8, channels: 2 }), new Float64Array(100).fill(1));
 * F.cols; // 16
 */
export function ssmStateFeatures(
  ssm: DiagonalSsm,
  u: Float64Array | Float32Array,
  options?: SsmFeatureOptions,
): Matrix {
  const s = assertDiagonalSsm(ssm);
  if (!(u instanceof Float64Array || u instanceof Float32Array)) {
    throw new InvalidArgumentError('u: expected a Float64Array or Float32Array');
  }
  const o = optionsObject('options', options);
  const d = discretize(s, { method: o.method ?? 'zoh' });
  const HM = s.channels * s.modes;
  const T = u.length;
  const F = 2 * HM;
  const out = new Float64Array(T * F);
  const xr = new Float64Array(HM);
  const xi = new Float64Array(HM);
  const ar = d.Abar.re;
  const ai = d.Abar.im;
  const br = d.Bbar.re;
  const bi = d.Bbar.im;
  for (let t = 0; t < T; t++) {
    const ut = u[t]!;
    const row = t * F;
    for (let k = 0; k < HM; k++) {
      const r = ar[k]! * xr[k]! - ai[k]! * xi[k]! + br[k]! * ut;
      const i = ar[k]! * xi[k]! + ai[k]! * xr[k]! + bi[k]! * ut;
      xr[k] = r;
      xi[k] = i;
      out[row + 2 * k] = r;
      out[row + 2 * k + 1] = i;
    }
  }
  return new Matrix(out, T, F);
}

/** Options of {@link fitRidgeReadout}. */
export interface RidgeReadoutOptions {
  /**
   * Candidate penalties λ, relative to the mean diagonal of the training Gram matrix XᵀX
   * (so they do not depend on the features' scale); default 10^-10 … 10^2 in decades.
   */
  lambdas?: number[];
  /**
   * Fraction of the rows, taken from the end (the most recent samples: no look-ahead),
   * held out to choose λ; default 0.2. The final fit uses all rows with the chosen λ.
   */
  validationFraction?: number;
}

/** Result of {@link fitRidgeReadout}: ŷ = X·weights + bias. */
export interface RidgeReadout {
  weights: Float64Array;
  bias: number;
  /** The chosen λ (relative, as in the options). */
  lambda: number;
  /** Validation MSE of every candidate λ, in the order of `lambdas`. */
  validationMse: Float64Array;
  lambdas: number[];
}

/** Raw moments of rows [from, to) of X and y: Σxxᵀ (lower triangle), Σx, Σxy, Σy, count. */
interface Moments {
  xx: Float64Array;
  x: Float64Array;
  xy: Float64Array;
  y: number;
  count: number;
}

function moments(x: Float64Array, F: number, y: Float64Array, from: number, to: number): Moments {
  const xx = new Float64Array(F * F);
  const sx = new Float64Array(F);
  const xy = new Float64Array(F);
  let sy = 0;
  for (let t = from; t < to; t++) {
    const row = t * F;
    const yt = y[t]!;
    sy += yt;
    for (let i = 0; i < F; i++) {
      const xi = x[row + i]!;
      sx[i] = sx[i]! + xi;
      xy[i] = xy[i]! + xi * yt;
      const gi = i * F;
      for (let j = 0; j <= i; j++) xx[gi + j] = xx[gi + j]! + xi * x[row + j]!;
    }
  }
  return { xx, x: sx, xy, y: sy, count: to - from };
}

function addMoments(a: Moments, b: Moments): Moments {
  return {
    xx: a.xx.map((v, k) => v + b.xx[k]!),
    x: a.x.map((v, k) => v + b.x[k]!),
    xy: a.xy.map((v, k) => v + b.xy[k]!),
    y: a.y + b.y,
    count: a.count + b.count,
  };
}

/** Ridge solution on centred moments (the bias is not penalised). */
function ridgeSolve(m: Moments, F: number, lambdaRel: number): { w: Float64Array; b: number } {
  const n = m.count;
  const mu = m.x.map((v) => v / n);
  const ym = m.y / n;
  const G = new Float64Array(F * F);
  const rhs = new Float64Array(F);
  let tr = 0;
  for (let i = 0; i < F; i++) {
    rhs[i] = m.xy[i]! - n * mu[i]! * ym;
    for (let j = 0; j <= i; j++) G[i * F + j] = m.xx[i * F + j]! - n * mu[i]! * mu[j]!;
    tr += G[i * F + i]!;
  }
  const lam = lambdaRel * (tr / F) + 1e-300;
  for (let i = 0; i < F; i++) {
    G[i * F + i] = G[i * F + i]! + lam;
    for (let j = 0; j < i; j++) G[j * F + i] = G[i * F + j]!;
  }
  const Lc = cholesky(new Matrix(G, F, F));
  const w = choleskySolve(Lc, rhs);
  let b = ym;
  for (let j = 0; j < F; j++) b -= w[j]! * mu[j]!;
  return { w, b };
}

/**
 * Ridge regression readout, closed form: minimises ‖X·w + b − y‖² + λ‖w‖² by the
 * normal equations (XᵀX + λI)·w = Xᵀy on centred data, solved with core's `cholesky` /
 * `choleskySolve`; λ is chosen among `lambdas` by the MSE on a held-out tail of the rows.
 *
 * @param X T×F features
 * @param y targets, length T
 * @param options see {@link RidgeReadoutOptions}
 * @returns `{ weights, bias, lambda, validationMse, lambdas }`
 * @throws {ShapeError} `SHAPE_MISMATCH` when y's length differs from X's rows
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad option or too few rows
 * @example
 * const X = Matrix.from([[0], [1], [2], [3], [4], [5]]);
 * fitRidgeReadout(X, Float64Array.of(1, 3, 5, 7, 9, 11)).weights[0]; // ≈ 2
 */
export function fitRidgeReadout(
  X: Matrix,
  y: Float64Array,
  options?: RidgeReadoutOptions,
): RidgeReadout {
  if (!(X instanceof Matrix)) throw new InvalidArgumentError('X: expected a T×F Matrix');
  if (!(y instanceof Float64Array) || y.length !== X.rows) {
    throw new ShapeError(`y: expected a Float64Array of length ${X.rows}`);
  }
  const o = optionsObject('options', options);
  const lambdas = o.lambdas ?? [
    1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100,
  ];
  const vf = assertNumber('options.validationFraction', o.validationFraction ?? 0.2, 0, 0.9);
  const Xr =
    X.offset === 0 && X.rowStride === X.cols && X.colStride === 1 && X.data instanceof Float64Array
      ? X
      : contiguous(X);
  const T = X.rows;
  const nFit = Math.floor(T * (1 - vf));
  if (nFit < 2 || (vf > 0 && T - nFit < 1)) {
    throw new InvalidArgumentError(`X: too few rows (${T}) for validationFraction ${vf}`);
  }
  const F = X.cols;
  const x = Xr.data as Float64Array;
  const mse = new Float64Array(lambdas.length);
  let best = 0;
  const fitM = moments(x, F, y, 0, nFit);
  const allM = nFit < T ? addMoments(fitM, moments(x, F, y, nFit, T)) : fitM;
  if (vf > 0 && lambdas.length > 1) {
    for (let k = 0; k < lambdas.length; k++) {
      const { w, b } = ridgeSolve(fitM, F, assertNumber(`options.lambdas[${k}]`, lambdas[k], 0));
      let s = 0;
      for (let t = nFit; t < T; t++) {
        let p = b;
        for (let j = 0; j < F; j++) p += x[t * F + j]! * w[j]!;
        s += (p - y[t]!) ** 2;
      }
      mse[k] = s / (T - nFit);
      if (mse[k]! < mse[best]!) best = k;
    }
  }
  const { w, b } = ridgeSolve(allM, F, lambdas[best]!);
  return { weights: w, bias: b, lambda: lambdas[best]!, validationMse: mse, lambdas };
}

function contiguous(X: Matrix): Matrix {
  const out = new Float64Array(X.rows * X.cols);
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) out[i * X.cols + j] = X.get(i, j);
  return new Matrix(out, X.rows, X.cols);
}

/** Initializations compared by {@link readoutExperiment}. */
export type ReadoutInit = 's4d-lin' | 's4d-inv' | 's4d-legs' | 'ptd' | 'random';

/** All {@link ReadoutInit} values. */
export const READOUT_INITS: readonly ReadoutInit[] = [
  's4d-lin',
  's4d-inv',
  's4d-legs',
  'ptd',
  'random',
];

/** Options of {@link readoutExperiment}. */
export interface ReadoutExperimentOptions {
  /** Inits to compare; default all of {@link READOUT_INITS}. */
  inits?: readonly ReadoutInit[];
  /** State size N; default 32 (M = 16 modes per channel). */
  N?: number;
  /** Channels H (each with its own dt); default 4. */
  channels?: number;
  /** Smallest dt; default 0.001 (S4D's). */
  dtMin?: number;
  /** Largest dt; default 0.1 (S4D's). */
  dtMax?: number;
  /** Fraction of the series used for training (the rest is the test); default 0.7. */
  trainFraction?: number;
  /** Seed of the inits' random draws; default 0. */
  seed?: Seed;
  /** Fourier-mode perturbation amplitude ε (× the input's std); default 0.1. */
  epsilon?: number;
  /** Frequencies (cycles per test length) of the perturbations; default 1, 4, 16, 64, 256. */
  frequencies?: number[];
}

/** One row of {@link readoutExperiment}'s table. */
export interface ReadoutRow {
  init: ReadoutInit | 'last-value' | 'mean';
  /** Test MSE / variance of the test targets (1 = predicting the test mean). */
  nmse: number;
  /** The chosen ridge λ (relative); NaN for the baselines. */
  lambda: number;
  /**
   * Mean over the frequencies of ‖ŷ(u + ε·σ·s_f) − ŷ(u)‖/‖ŷ(u) − mean‖ on the test part:
   * how much the fitted predictor moves under a Fourier-mode input perturbation.
   */
  fourierSensitivity: number;
  /** Test NMSE of the predictions from the perturbed inputs, averaged over frequencies. */
  perturbedNmse: number;
}

function bank(
  init: ReadoutInit,
  o: Required<Pick<ReadoutExperimentOptions, 'N' | 'channels' | 'dtMin' | 'dtMax'>> & {
    seed: Seed;
  },
): DiagonalSsm {
  const common = { N: o.N, channels: o.channels, dtMin: o.dtMin, dtMax: o.dtMax, seed: o.seed };
  if (init === 'ptd') return ptdInit(common).ssm;
  const kind =
    init === 's4d-lin'
      ? 'lin'
      : init === 's4d-inv'
        ? 'inv'
        : init === 's4d-legs'
          ? 'legs'
          : 'random';
  return s4dInit({ ...common, init: kind });
}

/**
 * One-step-ahead prediction of a scalar series with a fixed SSM feature map and a ridge
 * readout, for several inits: the series is standardised with the training part's mean
 * and std, the features at time t are {@link ssmStateFeatures} after reading s[0…t] plus
 * s[t] itself (the D term), the target is s[t+1]; the readout is fitted on the training
 * part ({@link fitRidgeReadout}, λ by the training part's last 20%) and scored on the
 * rest. Baselines: the last value (ŝ[t+1] = s[t]) and the training mean. Robustness: the
 * whole input is perturbed by ε·σ·sin(2πf·t/T_test) and the test predictions compared.
 *
 * @param series the scalar series (length ≥ 20)
 * @param options see {@link ReadoutExperimentOptions}
 * @returns one {@link ReadoutRow} per init, then `last-value` and `mean`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad option or a too short series
 * @example
 * const s = Float64Array.from({ length: 600 }, (_, t) => Math.sin(t / 7));
 * readoutExperiment(s, { inits: ['s4d-lin'] })[0].nmse; // ≪ 1
 */
export function readoutExperiment(
  series: Float64Array | Float32Array,
  options?: ReadoutExperimentOptions,
): ReadoutRow[] {
  if (!(series instanceof Float64Array || series instanceof Float32Array) || series.length < 20) {
    throw new InvalidArgumentError('series: expected a Float64Array/Float32Array of length ≥ 20');
  }
  const o = optionsObject('options', options);
  const N = assertInt('options.N', o.N ?? 32, 2, 1024);
  const H = assertInt('options.channels', o.channels ?? 4, 1, 1024);
  const dtMin = o.dtMin ?? 0.001;
  const dtMax = o.dtMax ?? 0.1;
  const tf = assertNumber('options.trainFraction', o.trainFraction ?? 0.7, 0.1, 0.95);
  const eps = assertNumber('options.epsilon', o.epsilon ?? 0.1, 0);
  const freqs = o.frequencies ?? [1, 4, 16, 64, 256];
  const inits = o.inits ?? READOUT_INITS;
  const T = series.length - 1; // (input s[t], target s[t+1]) pairs
  const nTrain = Math.floor(T * tf);
  let mean = 0;
  for (let t = 0; t < nTrain; t++) mean += series[t]! / nTrain;
  let sd = 0;
  for (let t = 0; t < nTrain; t++) sd += (series[t]! - mean) ** 2 / nTrain;
  sd = Math.sqrt(sd) || 1;
  const s = Float64Array.from(series, (v) => (v - mean) / sd);
  const u = s.subarray(0, T);
  const y = s.subarray(1, T + 1);
  const nTest = T - nTrain;
  let tm = 0;
  for (let t = nTrain; t < T; t++) tm += y[t]! / nTest;
  let tv = 0;
  for (let t = nTrain; t < T; t++) tv += (y[t]! - tm) ** 2 / nTest;
  const nmse = (pred: (t: number) => number): number => {
    let e = 0;
    for (let t = nTrain; t < T; t++) e += (pred(t) - y[t]!) ** 2 / nTest;
    return e / tv;
  };
  const perturbations = freqs.map((f) =>
    Float64Array.from(u, (v, t) => v + eps * Math.sin((2 * Math.PI * f * (t - nTrain)) / nTest)),
  );
  const rows: ReadoutRow[] = [];
  for (const init of inits) {
    const ssm = bank(init, { N, channels: H, dtMin, dtMax, seed: o.seed ?? 0 });
    const predictor = (input: Float64Array): Float64Array => {
      const Fm = ssmStateFeatures(ssm, input);
      return withInput(Fm, input);
    };
    const X = predictor(u);
    const F = X.length / T;
    const Xtrain = new Matrix(X.subarray(0, nTrain * F), nTrain, F);
    const fit = fitRidgeReadout(Xtrain, Float64Array.from(y.subarray(0, nTrain)));
    const predictAll = (feat: Float64Array): Float64Array => {
      const p = new Float64Array(T);
      for (let t = nTrain; t < T; t++) {
        let v = fit.bias;
        for (let j = 0; j < F; j++) v += feat[t * F + j]! * fit.weights[j]!;
        p[t] = v;
      }
      return p;
    };
    const p0 = predictAll(X);
    let sens = 0;
    let pn = 0;
    for (const up of perturbations) {
      const p1 = predictAll(predictor(up));
      let num = 0;
      let den = 0;
      for (let t = nTrain; t < T; t++) {
        num += (p1[t]! - p0[t]!) ** 2;
        den += (p0[t]! - tm) ** 2;
      }
      sens += Math.sqrt(num / den) / perturbations.length;
      pn += nmse((t) => p1[t]!) / perturbations.length;
    }
    rows.push({
      init,
      nmse: nmse((t) => p0[t]!),
      lambda: fit.lambda,
      fourierSensitivity: sens,
      perturbedNmse: pn,
    });
  }
  // baselines; their sensitivity: the last value moves with the input, the mean does not
  let lastSens = 0;
  let lastPn = 0;
  for (const up of perturbations) {
    let num = 0;
    let den = 0;
    for (let t = nTrain; t < T; t++) {
      num += (up[t]! - u[t]!) ** 2;
      den += (u[t]! - tm) ** 2;
    }
    lastSens += Math.sqrt(num / den) / perturbations.length;
    lastPn += nmse((t) => up[t]!) / perturbations.length;
  }
  rows.push({
    init: 'last-value',
    nmse: nmse((t) => u[t]!),
    lambda: Number.NaN,
    fourierSensitivity: lastSens,
    perturbedNmse: lastPn,
  });
  const m0 = nmse(() => 0); // training mean is 0 after standardisation
  rows.push({
    init: 'mean',
    nmse: m0,
    lambda: Number.NaN,
    fourierSensitivity: 0,
    perturbedNmse: m0,
  });
  return rows;
}

/** Appends the input u[t] (the D term) as a last feature column. */
function withInput(Fm: Matrix, u: Float64Array): Float64Array {
  const T = Fm.rows;
  const F0 = Fm.cols;
  const F = F0 + 1;
  const src = Fm.data as Float64Array;
  const out = new Float64Array(T * F);
  for (let t = 0; t < T; t++) {
    out.set(src.subarray(t * F0, (t + 1) * F0), t * F);
    out[t * F + F0] = u[t]!;
  }
  return out;
}
