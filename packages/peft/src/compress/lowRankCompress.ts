import {
  assertInt,
  assertNumber,
  assertOneOf,
  checkAbort,
  describe,
  eigh,
  InvalidArgumentError,
  Matrix,
  matmul,
  normFro,
  optionsObject,
  ShapeError,
  singularValues,
  svd,
  truncatedSvd,
} from '@lr/core';
import {
  diffFro,
  finiteMatrix,
  functionArg,
  type NamedMatrices,
  namedEntries,
  now,
  orDefault,
  signalArg,
} from './_util.js';

/** Progress of {@link lowRankCompress}: one call per layer decomposed. */
export interface LowRankProgress {
  /** 0-based layer index. */
  index: number;
  total: number;
  name: string;
}

/** Data-aware option of {@link lowRankCompress}. */
export interface LowRankDataAware {
  /**
   * Input second-moment matrices C = E[x·xᵀ] ([in, in], symmetric PSD) per layer name.
   * Layers without one are compressed by plain SVD.
   */
  covariances: NamedMatrices;
  /**
   * Damping: C' = C + damp·mean(diag C)·I before the square root; default 0.01 (the
   * CorDA/GPTQ-style relative damping of REFERENCES.md).
   */
  damp?: number;
}

/** Options of {@link lowRankCompress}: give exactly one of `rank`, `energy`, `ratio`. */
export interface LowRankCompressOptions {
  /** Fixed rank for every layer, or per layer name (1 ≤ r ≤ min(out, in)). */
  rank?: number | Readonly<Record<string, number>>;
  /** Per layer, the smallest r with Σ_{i≤r} σᵢ² ≥ energy·Σ σᵢ² (energy in (0, 1]). */
  energy?: number;
  /**
   * Global parameter budget: stored parameters ≤ ratio·original parameters (ratio in
   * (0, 1]); ranks are chosen greedily across layers by error reduction per parameter.
   */
  ratio?: number;
  /**
   * How the global budget weighs layers: `'absolute'` (default) counts σᵢ², so the greedy
   * minimises the total squared Frobenius error Σ‖W − Ŵ‖² (the quantity behind the
   * result's `relativeError`); `'relative'` counts σᵢ²/‖W‖², so every layer's relative
   * error matters equally whatever its scale.
   */
  budgetWeighting?: 'relative' | 'absolute';
  /** Smallest rank any layer gets under `ratio`; default 1. */
  minRank?: number;
  /**
   * Factor split: `'sqrt'` (default) P = U√S, Q = √S Vᵀ (balanced scales, safe for half
   * precision storage); `'left'` P = U·S, Q = Vᵀ (LORD's "U·S" form).
   */
  split?: 'sqrt' | 'left';
  /** Whitening by input covariances (data-aware LORD/SVD-LLM-style compression). */
  dataAware?: LowRankDataAware;
  onProgress?: (info: LowRankProgress) => void;
  /** Stops with an `ABORTED` error (checked between layers). */
  signal?: AbortSignal;
}

/** One layer of a {@link LowRankCompressResult}. */
export interface CompressedLayer {
  name: string;
  /** [out, in]. */
  shape: [number, number];
  /** True when stored as P·Q; false when kept dense (r·(out + in) ≥ out·in). */
  lowRank: boolean;
  /** Rank of P·Q (min(out, in) when kept dense). */
  rank: number;
  /** [out, r] (null when dense). */
  P: Matrix | null;
  /** [r, in] (null when dense). */
  Q: Matrix | null;
  /** The input matrix itself (not copied, never modified) when kept dense; else null. */
  dense: Matrix | null;
  /** Measured ‖W − P·Q‖_F / ‖W‖_F (0 when dense or W = 0). */
  relativeError: number;
  /**
   * Data-aware only: measured ‖(W − P·Q)·C'^{1/2}‖_F / ‖W·C'^{1/2}‖_F, the relative output
   * error on inputs with second moment C'; null otherwise.
   */
  weightedRelativeError: number | null;
  /** Retained energy Σ_{i≤r} σᵢ² / Σ σᵢ² (of the whitened spectrum when data-aware). */
  energy: number;
  /** Stored parameters: r·(out + in), or out·in when dense. */
  params: number;
  /** out·in. */
  originalParams: number;
  /** Singular values of W (or of W·C'^{1/2} when data-aware), descending. */
  singularValues: Float64Array;
}

/** Result of {@link lowRankCompress}. */
export interface LowRankCompressResult {
  layers: CompressedLayer[];
  originalParams: number;
  compressedParams: number;
  /** compressedParams / originalParams. */
  ratio: number;
  /** √(Σ‖W − Ŵ‖_F² / Σ‖W‖_F²) over all layers. */
  relativeError: number;
  /** Which option chose the ranks. */
  mode: 'rank' | 'energy' | 'ratio';
  split: 'sqrt' | 'left';
  dataAware: boolean;
  seconds: number;
}

interface Spectrum {
  name: string;
  W: Matrix;
  /** The matrix whose SVD is taken: W, or W·C'^{1/2} when data-aware. */
  target: Matrix;
  /** Singular vectors when computed up front (min(out, in) ≤ FULL_SVD_MAX), else null. */
  U: Matrix | null;
  S: Float64Array;
  Vt: Matrix | null;
  /** C'^{-1/2} when data-aware. */
  invSqrt: Matrix | null;
  sqrtC: Matrix | null;
  total: number;
}

/** Largest r with r·(out + in) < out·in: above it low rank does not save parameters. */
function maxUsefulRank(out: number, inp: number): number {
  return Math.min(Math.ceil((out * inp) / (out + inp)) - 1, Math.min(out, inp));
}

/**
 * Low-rank compression of named weight matrices (LORD, Kaushal et al. 2023): each
 * W [out, in] is replaced by P [out, r]·Q [r, in] from its truncated SVD, when that stores
 * fewer parameters than W (r·(out + in) < out·in); otherwise the layer is kept dense.
 *
 * Ranks come from one of: a fixed `rank`; an `energy` fraction per layer; or a global
 * parameter `ratio`, for which every layer starts at `minRank` and the step with the
 * largest error reduction per parameter (σ²_{r+1}/(out + in), or, once low rank stops
 * saving, the switch to dense with its whole remaining energy per extra parameter) is taken
 * until the next one does not fit. Steps are taken in one fixed order, so a larger budget
 * always contains a smaller one's choice: the error is non-increasing in the budget.
 *
 * Data-aware (`dataAware.covariances`): minimise ‖(W − Ŵ)·C'^{1/2}‖_F, the output error
 * on inputs with second moment C' = C + damp·mean(diag C)·I: SVD of W·C'^{1/2}, truncate,
 * then unwhiten Q ← Q·C'^{-1/2} (the whitening of SVD-LLM / CorDA, applied to LORD).
 *
 * Cost: one thin SVD per layer ({@link svd}) when min(out, in) ≤ 256; for larger layers
 * the singular values alone ({@link singularValues}) and then, only for the layers stored
 * low rank, the top-r triplets by {@link truncatedSvd}. Data-aware adds an
 * eigendecomposition of each C.
 *
 * @param weights named matrices [out, in] (a Map, record or [name, W] pairs; not modified)
 * @param options exactly one of `rank`, `energy`, `ratio`; `split` 'sqrt', `minRank` 1,
 *   `budgetWeighting` 'absolute', `dataAware` none
 * @returns per-layer factors and diagnostics, and totals (see {@link LowRankCompressResult})
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if not exactly one of rank/energy/ratio,
 *   a rank above min(out, in), energy or ratio outside (0, 1], or an impossible budget
 *   (ratio below what `minRank` in every layer needs)
 * @throws {ShapeError} `SHAPE_MISMATCH` if a covariance is not [in, in]
 * @throws {NonFiniteError} `NON_FINITE` for NaN or ±Infinity in a weight or covariance
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * const res = lowRankCompress({ 'mlp.up.weight': W }, { ratio: 0.5 });
 * res.ratio; // ≤ 0.5
 * const dense = expandCompressed(res).get('mlp.up.weight'); // ≈ W
 */
export function lowRankCompress(
  weights: NamedMatrices,
  options: LowRankCompressOptions,
): LowRankCompressResult {
  const entries = namedEntries('weights', weights);
  if (options === undefined || options === null)
    throw new InvalidArgumentError('options: expected one of rank, energy or ratio, got undefined');
  const o = optionsObject('options', options);
  const given = (['rank', 'energy', 'ratio'] as const).filter(
    (k) => o[k] !== undefined && o[k] !== null,
  );
  if (given.length !== 1)
    throw new InvalidArgumentError(
      `options: expected exactly one of rank, energy or ratio, got ${given.length === 0 ? 'none' : given.join(', ')}`,
    );
  const mode = given[0]!;
  const split = assertOneOf('options.split', orDefault(o.split, 'sqrt'), ['sqrt', 'left'] as const);
  const weighting = assertOneOf(
    'options.budgetWeighting',
    orDefault(o.budgetWeighting, 'absolute'),
    ['relative', 'absolute'] as const,
  );
  const onProgress = functionArg<(i: LowRankProgress) => void>('options.onProgress', o.onProgress);
  const signal = signalArg('options.signal', o.signal);
  const t0 = now();

  // ranks / energy / ratio validation before any work
  const fixedRank = new Map<string, number>();
  let energy = 1;
  let ratio = 1;
  let minRank = 1;
  if (mode === 'rank') {
    const r = o.rank;
    for (const [name, W] of entries) {
      const v =
        typeof r === 'number'
          ? r
          : r !== null && typeof r === 'object'
            ? (r as Record<string, number>)[name]
            : r;
      fixedRank.set(
        name,
        assertInt(
          `options.rank${typeof r === 'number' ? '' : `[${JSON.stringify(name)}]`}`,
          v,
          1,
          Math.min(W.rows, W.cols),
        ),
      );
    }
  } else if (mode === 'energy') {
    energy = assertNumber('options.energy', o.energy, 0, 1);
    if (energy === 0)
      throw new InvalidArgumentError('options.energy: expected a number in (0, 1], got 0');
  } else {
    ratio = assertNumber('options.ratio', o.ratio, 0, 1);
    if (ratio === 0)
      throw new InvalidArgumentError('options.ratio: expected a number in (0, 1], got 0');
    minRank = assertInt('options.minRank', orDefault(o.minRank, 1), 1);
  }
  let covs: Map<string, Matrix> | null = null;
  let damp = 0.01;
  if (o.dataAware !== undefined && o.dataAware !== null) {
    const da = optionsObject('options.dataAware', o.dataAware);
    covs = new Map(namedEntries('options.dataAware.covariances', da.covariances));
    damp = assertNumber('options.dataAware.damp', orDefault(da.damp, 0.01), 0);
    for (const [name, C] of covs) {
      const W = entries.find(([n]) => n === name)?.[1];
      if (W === undefined)
        throw new InvalidArgumentError(
          `options.dataAware.covariances: ${JSON.stringify(name)} is not a layer of weights`,
        );
      if (C.rows !== W.cols || C.cols !== W.cols)
        throw new ShapeError(
          `options.dataAware.covariances[${JSON.stringify(name)}]: expected [${W.cols}, ${W.cols}], got shape [${C.rows}, ${C.cols}]`,
        );
    }
  }
  let originalParams = 0;
  for (const [, W] of entries) originalParams += W.rows * W.cols;
  if (mode === 'ratio') checkBudget(entries, ratio, minRank, originalParams);

  const spectra = spectraOf(entries, covs, damp, onProgress, signal);

  // ranks
  const ranks = new Map<string, number>();
  if (mode === 'rank') for (const [k, v] of fixedRank) ranks.set(k, v);
  else if (mode === 'energy') {
    for (const sp of spectra) {
      let acc = 0;
      let r = sp.S.length;
      for (let i = 0; i < sp.S.length; i++) {
        acc += sp.S[i]! * sp.S[i]!;
        if (acc >= energy * sp.total * (1 - 1e-15)) {
          r = i + 1;
          break;
        }
      }
      ranks.set(sp.name, Math.max(1, r));
    }
  } else {
    for (const [k, v] of greedyRanks(spectra, ratio * originalParams, minRank, weighting).ranks)
      ranks.set(k, v);
  }

  // assemble
  let compressedParams = 0;
  let errNum = 0;
  let errDen = 0;
  const layers: CompressedLayer[] = spectra.map((sp) => {
    const W = sp.W;
    const out = W.rows;
    const inp = W.cols;
    const r = ranks.get(sp.name)!;
    const wn = normFro(W);
    errDen += wn * wn;
    let kept = 0;
    for (let i = 0; i < r; i++) kept += sp.S[i]! * sp.S[i]!;
    if (r > maxUsefulRank(out, inp)) {
      compressedParams += out * inp;
      return {
        name: sp.name,
        shape: [out, inp],
        lowRank: false,
        rank: Math.min(out, inp),
        P: null,
        Q: null,
        dense: W,
        relativeError: 0,
        weightedRelativeError: sp.sqrtC ? 0 : null,
        energy: 1,
        params: out * inp,
        originalParams: out * inp,
        singularValues: sp.S,
      };
    }
    checkAbort(signal);
    let U = sp.U;
    let Vt = sp.Vt;
    let Sv = sp.S;
    if (U === null || Vt === null) {
      const t = truncatedSvd(sp.target, { rank: r, signal });
      U = t.U;
      Vt = t.Vt;
      Sv = t.S;
    }
    const P = new Matrix(new Float64Array(out * r), out, r);
    let Q = new Matrix(new Float64Array(r * inp), r, inp);
    for (let j = 0; j < r; j++) {
      const s = Sv[j]!;
      const a = split === 'sqrt' ? Math.sqrt(s) : s;
      const b = split === 'sqrt' ? Math.sqrt(s) : 1;
      for (let i = 0; i < out; i++) P.data[i * r + j] = U.get(i, j) * a;
      for (let c = 0; c < inp; c++) Q.data[j * inp + c] = Vt.get(j, c) * b;
    }
    if (sp.invSqrt) Q = matmul(Q, sp.invSqrt);
    const What = matmul(P, Q);
    const e = diffFro(W, What);
    errNum += e * e;
    let weighted: number | null = null;
    if (sp.sqrtC) {
      const D = new Matrix(W.toFloat64Array(), out, inp);
      for (let i = 0; i < D.data.length; i++) D.data[i]! -= What.data[i]!;
      const num = normFro(matmul(D, sp.sqrtC));
      weighted = sp.total > 0 ? num / Math.sqrt(sp.total) : 0;
    }
    compressedParams += r * (out + inp);
    return {
      name: sp.name,
      shape: [out, inp],
      lowRank: true,
      rank: r,
      P,
      Q,
      dense: null,
      relativeError: wn > 0 ? e / wn : 0,
      weightedRelativeError: weighted,
      energy: sp.total > 0 ? kept / sp.total : 1,
      params: r * (out + inp),
      originalParams: out * inp,
      singularValues: sp.S,
    };
  });
  return {
    layers,
    originalParams,
    compressedParams,
    ratio: compressedParams / originalParams,
    relativeError: errDen > 0 ? Math.sqrt(errNum / errDen) : 0,
    mode,
    split,
    dataAware: covs !== null,
    seconds: (now() - t0) / 1000,
  };
}

/** C' = C + damp·mean(diag C)·I; returns C'^{1/2} and C'^{-1/2} by {@link eigh}. */
function whitening(C: Matrix, damp: number): { sqrtC: Matrix; invSqrt: Matrix } {
  const n = C.rows;
  let md = 0;
  for (let i = 0; i < n; i++) md += C.get(i, i);
  md /= n;
  const Cd = new Matrix(C.toFloat64Array(), n, n);
  for (let i = 0; i < n; i++) Cd.data[i * n + i]! += damp * md;
  const { values, vectors } = eigh(Cd);
  const V = vectors!;
  const lmax = Math.max(...values, 0);
  if (!(lmax > 0))
    throw new InvalidArgumentError(
      'options.dataAware.covariances: a covariance is zero (nothing to whiten by)',
    );
  const floor = lmax * 1e-12;
  const A = new Matrix(new Float64Array(n * n), n, n); // V·diag(λ^{1/4})
  const B = new Matrix(new Float64Array(n * n), n, n); // V·diag(λ^{-1/4})
  for (let j = 0; j < n; j++) {
    const l = Math.max(values[j]!, floor);
    const q = Math.sqrt(Math.sqrt(l));
    for (let i = 0; i < n; i++) {
      A.data[i * n + j] = V.get(i, j) * q;
      B.data[i * n + j] = V.get(i, j) / q;
    }
  }
  return { sqrtC: matmul(A, A.T), invSqrt: matmul(B, B.T) };
}

/**
 * The fixed-order greedy of {@link lowRankCompress}'s `ratio` mode: every layer starts at
 * `minRank` (or dense when that does not save), then the step with the largest gain per
 * parameter is taken while it fits the budget. Returns the final ranks.
 */
function greedyRanks(
  spectra: readonly Spectrum[],
  budget: number,
  minRank: number,
  weighting: 'relative' | 'absolute',
): { ranks: Map<string, number> } {
  const state = spectra.map((sp) => {
    const out = sp.W.rows;
    const inp = sp.W.cols;
    const rmax = maxUsefulRank(out, inp);
    const r0 = Math.min(minRank, Math.min(out, inp));
    const norm = weighting === 'relative' ? (sp.total > 0 ? sp.total : 1) : 1;
    // tail[i] = Σ_{j ≥ i} σ_j²
    const tail = new Float64Array(sp.S.length + 1);
    for (let i = sp.S.length - 1; i >= 0; i--) tail[i] = tail[i + 1]! + sp.S[i]! * sp.S[i]!;
    const dense = r0 > rmax;
    return { sp, out, inp, rmax, r: dense ? Math.min(out, inp) : r0, dense, norm, tail };
  });
  let used = 0;
  for (const s of state) used += s.dense ? s.out * s.inp : s.r * (s.out + s.inp);
  for (;;) {
    let best = -1;
    let bestRatio = -1;
    let bestCost = 0;
    for (let k = 0; k < state.length; k++) {
      const s = state[k]!;
      if (s.dense) continue;
      let gain: number;
      let cost: number;
      if (s.r < s.rmax) {
        gain = (s.sp.S[s.r]! * s.sp.S[s.r]!) / s.norm;
        cost = s.out + s.inp;
      } else {
        gain = s.tail[s.r]! / s.norm;
        cost = s.out * s.inp - s.r * (s.out + s.inp);
      }
      const q = gain / cost;
      if (q > bestRatio) {
        bestRatio = q;
        best = k;
        bestCost = cost;
      }
    }
    if (best < 0 || used + bestCost > budget) break;
    const s = state[best]!;
    used += bestCost;
    if (s.r < s.rmax) s.r++;
    else {
      s.dense = true;
      s.r = Math.min(s.out, s.inp);
    }
  }
  return {
    ranks: new Map(state.map((s) => [s.sp.name, s.dense ? Math.min(s.out, s.inp) : s.r])),
  };
}

/** Options of {@link lowRankCurve}. */
export interface LowRankCurveOptions {
  /** Parameter budgets as fractions of the original, each in (0, 1] (required). */
  ratios: readonly number[];
  /** As {@link LowRankCompressOptions.budgetWeighting}; default 'absolute'. */
  budgetWeighting?: 'relative' | 'absolute';
  /** As {@link LowRankCompressOptions.minRank}; default 1. */
  minRank?: number;
  onProgress?: (info: LowRankProgress) => void;
  signal?: AbortSignal;
}

/** One point of {@link lowRankCurve}. */
export interface LowRankCurvePoint {
  /** The requested budget. */
  budget: number;
  /** compressedParams / originalParams actually used. */
  ratio: number;
  compressedParams: number;
  /** √(Σ‖W − Ŵ‖_F² / Σ‖W‖_F²), from the singular values (Eckart–Young). */
  relativeError: number;
  /** Rank per layer (min(out, in) for a layer kept dense). */
  ranks: Map<string, number>;
}

/**
 * The size/error curve of {@link lowRankCompress}'s global-budget mode for many budgets at
 * the cost of one SVD per layer: the greedy takes its steps in one fixed order, so every
 * budget's choice is a prefix of the same sequence and the error is non-increasing in the
 * budget. Each point's ranks equal those `lowRankCompress(weights, { ratio })` picks; its
 * error comes from the singular values (equal to the measured one up to rounding).
 *
 * @param weights named matrices [out, in] (not modified)
 * @param options `ratios` (required), `budgetWeighting` 'absolute', `minRank` 1
 * @returns one point per ratio, in the given order
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a ratio outside (0, 1] or below what
 *   `minRank` in every layer needs
 * @throws {NonFiniteError} `NON_FINITE` for NaN or ±Infinity in a weight
 * @example
 * for (const p of lowRankCurve(weights, { ratios: [0.2, 0.5, 0.8] }))
 *   console.log(p.ratio, p.relativeError);
 */
export function lowRankCurve(
  weights: NamedMatrices,
  options: LowRankCurveOptions,
): LowRankCurvePoint[] {
  const entries = namedEntries('weights', weights);
  if (options === undefined || options === null)
    throw new InvalidArgumentError(
      'options: expected an options object with ratios, got undefined',
    );
  const o = optionsObject('options', options);
  if (!Array.isArray(o.ratios) || o.ratios.length === 0)
    throw new InvalidArgumentError(
      `options.ratios: expected a non-empty array, got ${describe(o.ratios)}`,
    );
  const ratios = o.ratios.map((r, i) => {
    const v = assertNumber(`options.ratios[${i}]`, r, 0, 1);
    if (v === 0)
      throw new InvalidArgumentError(`options.ratios[${i}]: expected a number in (0, 1], got 0`);
    return v;
  });
  const weighting = assertOneOf(
    'options.budgetWeighting',
    orDefault(o.budgetWeighting, 'absolute'),
    ['relative', 'absolute'] as const,
  );
  const minRank = assertInt('options.minRank', orDefault(o.minRank, 1), 1);
  const onProgress = functionArg<(i: LowRankProgress) => void>('options.onProgress', o.onProgress);
  const signal = signalArg('options.signal', o.signal);
  let originalParams = 0;
  for (const [, W] of entries) originalParams += W.rows * W.cols;
  for (const r of ratios) checkBudget(entries, r, minRank, originalParams);
  const spectra = spectraOf(entries, null, 0, onProgress, signal, true);
  let den = 0;
  for (const sp of spectra) den += sp.total;
  return ratios.map((ratio) => {
    const { ranks } = greedyRanks(spectra, ratio * originalParams, minRank, weighting);
    let used = 0;
    let num = 0;
    for (const sp of spectra) {
      const r = ranks.get(sp.name)!;
      const out = sp.W.rows;
      const inp = sp.W.cols;
      if (r > maxUsefulRank(out, inp)) used += out * inp;
      else {
        used += r * (out + inp);
        for (let i = r; i < sp.S.length; i++) num += sp.S[i]! * sp.S[i]!;
      }
    }
    return {
      budget: ratio,
      ratio: used / originalParams,
      compressedParams: used,
      relativeError: den > 0 ? Math.sqrt(num / den) : 0,
      ranks,
    };
  });
}

function checkBudget(
  entries: [string, Matrix][],
  ratio: number,
  minRank: number,
  originalParams: number,
): void {
  let base = 0;
  for (const [, W] of entries) {
    const r = Math.min(minRank, Math.min(W.rows, W.cols));
    base += r <= maxUsefulRank(W.rows, W.cols) ? r * (W.rows + W.cols) : W.rows * W.cols;
  }
  if (base > ratio * originalParams)
    throw new InvalidArgumentError(
      `options.ratio: ${ratio} is impossible, rank ${minRank} in every layer already needs ${(base / originalParams).toPrecision(4)} of the parameters`,
    );
}

/**
 * Up to this min(out, in) one full thin SVD gives values and vectors at once; above it the
 * singular values are computed alone (about 4× cheaper than with vectors) and the vectors
 * only for the layers stored low rank, by {@link truncatedSvd} at the chosen rank.
 */
const FULL_SVD_MAX = 256;

function spectraOf(
  entries: [string, Matrix][],
  covs: Map<string, Matrix> | null,
  damp: number,
  onProgress: ((i: LowRankProgress) => void) | undefined,
  signal: AbortSignal | undefined,
  valuesOnly = false,
): Spectrum[] {
  return entries.map(([name, W], index) => {
    checkAbort(signal);
    const C = covs?.get(name);
    let target = W;
    let invSqrt: Matrix | null = null;
    let sqrtC: Matrix | null = null;
    if (C !== undefined) {
      ({ sqrtC, invSqrt } = whitening(C, damp));
      target = matmul(W, sqrtC);
    }
    const full = !valuesOnly && Math.min(W.rows, W.cols) <= FULL_SVD_MAX;
    const { U, S, Vt } = full ? svd(target) : { U: null, S: singularValues(target), Vt: null };
    let total = 0;
    for (const s of S) total += s * s;
    onProgress?.({ index, total: entries.length, name });
    return { name, W, target, U, S, Vt, invSqrt, sqrtC, total };
  });
}

/**
 * Dense weights of a {@link lowRankCompress} result: Ŵ = P·Q for low-rank layers, a copy of
 * W for dense ones.
 *
 * @param result a result of {@link lowRankCompress} (not modified)
 * @returns a Map name → fresh float64 Matrix [out, in], in layer order
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if result is not such a result
 * @example
 * const W2 = expandCompressed(lowRankCompress(weights, { energy: 0.9 }));
 */
export function expandCompressed(result: LowRankCompressResult): Map<string, Matrix> {
  if (result === null || typeof result !== 'object' || !Array.isArray(result.layers))
    throw new InvalidArgumentError(
      `result: expected a result of lowRankCompress, got ${describe(result)}`,
    );
  const out = new Map<string, Matrix>();
  for (const l of result.layers) {
    if (l.lowRank)
      out.set(l.name, matmul(finiteMatrix(`${l.name}.P`, l.P), finiteMatrix(`${l.name}.Q`, l.Q)));
    else
      out.set(
        l.name,
        new Matrix(
          finiteMatrix(`${l.name}.dense`, l.dense).toFloat64Array(),
          l.shape[0],
          l.shape[1],
        ),
      );
  }
  return out;
}
