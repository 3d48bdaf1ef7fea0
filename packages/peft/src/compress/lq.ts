import {
  assertInt,
  checkAbort,
  describe,
  gemm,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  Rng,
  randomizedSvd,
  type Seed,
  zeros,
} from '@lr/core';
import {
  finiteMatrix,
  functionArg,
  type NamedMatrices,
  namedEntries,
  now,
  orDefault,
  signalArg,
} from './_util.js';
import {
  dequantizeNf,
  type NfQuantized,
  nfMemoryBits,
  parseNfOptions,
  quantizeNfKernel,
} from './nf.js';

/** Progress of {@link lqDecompose}, after every iteration. */
export interface LqProgress {
  iteration: number;
  /** ‖W − Q − L1·L2‖_F at this iteration. */
  error: number;
}

/** Options of {@link lqDecompose}. Defaults follow LQ-LoRA (Guo et al. 2024) / QLoRA. */
export interface LqDecomposeOptions {
  /** Rank r of L1·L2, 1 ≤ r ≤ min(out, in) (required). */
  rank: number;
  /** NormalFloat bits of Q, in [2, 8]; default 4. */
  bits?: number;
  /** Absmax block size of Q; default 64 (QLoRA/LQ-LoRA). */
  blockSize?: number;
  /** Double quantisation of the scales (blocks of 256, 8-bit); default true. */
  doubleQuant?: boolean;
  /** Iteration cap; default 100 (LQ-LoRA). The loop also stops as soon as the error rises. */
  maxIter?: number;
  /** Seed of the randomized SVD; default 0. */
  seed?: Seed;
  /** Power iterations of the randomized SVD; default 2 (torch `svd_lowrank`'s `niter`). */
  niter?: number;
  /** Oversampling of the randomized SVD; default 10 (upper end of LQ-LoRA's 5–10). */
  oversample?: number;
  /** Called after every iteration. */
  onProgress?: (info: LqProgress) => void;
  /** Stops with an `ABORTED` error when it fires (checked every iteration). */
  signal?: AbortSignal;
}

/** Result of {@link lqDecompose}: W ≈ Q + L1·L2. */
export interface LqDecomposeResult {
  /** The quantised component, packed (see {@link quantizeNf}). */
  quantized: NfQuantized;
  /** The quantised component, dequantised, float64 [out, in]. */
  Q: Matrix;
  /** [out, r] = U_r·diag(√S_r). */
  L1: Matrix;
  /** [r, in] = diag(√S_r)·V_rᵀ. */
  L2: Matrix;
  /** ‖W − Q − L1·L2‖_F of the returned (best) iterate. */
  error: number;
  /** error / ‖W‖_F. */
  relativeError: number;
  /** ‖W − quantise(W)‖_F: quantisation alone at the same bits (the first iteration's Q). */
  quantizationError: number;
  /** ‖W − Q − L1·L2‖_F at every iteration done, including a final one that rose. */
  history: number[];
  /** Iterations done (= history.length). */
  iterations: number;
  /** 1-based iteration of the returned iterate. */
  bestIteration: number;
  /** Why the loop stopped: the error rose, it reached maxIter, or it hit zero. */
  stopReason: 'error-rose' | 'max-iter' | 'exact';
  /** Memory: quantised bits + 16-bit low-rank factors, per parameter of W. */
  bitsPerParam: number;
  seconds: number;
}

/**
 * LQ-LoRA's low-rank plus quantised decomposition (Guo et al. 2024, Alg. 1; as LoftQ):
 * starting from L = 0, alternate Q ← quantise_NF(W − L1·L2) and
 * L1·L2 ← SVD_r(W − Q) with the √S split (L1 = U√S, L2 = √S Vᵀ), the SVD randomized
 * (Halko et al. 2011, via {@link randomizedSvd}). The loop stops when the error
 * ‖W − Q − L1L2‖_F rises (the previous iterate is returned) or after `maxIter`.
 *
 * Memory in `bitsPerParam` counts the quantiser's exact storage plus 16 bits per low-rank
 * entry (the factors are kept in half precision while fine-tuning in LQ-LoRA).
 *
 * @param W weight [out, in] (any strides; not modified)
 * @param options `rank` (required), `bits` 4, `blockSize` 64, `maxIter` 100, `niter` 2,
 *   `oversample` 10, `seed` 0
 * @returns {@link LqDecomposeResult}
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a rank outside [1, min(out, in)],
 *   bits outside [2, 8] or other bad options
 * @throws {NonFiniteError} `NON_FINITE` if W holds NaN or ±Infinity
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * const { Q, L1, L2, history } = lqDecompose(W, { rank: 8, bits: 3, seed: 1 });
 * // W ≈ Q + L1·L2 with history non-increasing until the stop
 */
export function lqDecompose(W: Matrix, options: LqDecomposeOptions): LqDecomposeResult {
  const w = finiteMatrix('W', W);
  if (options === undefined || options === null)
    throw new InvalidArgumentError('options: expected an options object with rank, got undefined');
  const o = optionsObject('options', options);
  const rank = assertInt('options.rank', o.rank, 1, Math.min(w.rows, w.cols));
  const nf = parseNfOptions({ bits: o.bits, blockSize: o.blockSize, doubleQuant: o.doubleQuant });
  const maxIter = assertInt('options.maxIter', orDefault(o.maxIter, 100), 1);
  const niter = assertInt('options.niter', orDefault(o.niter, 2), 0);
  const oversample = assertInt('options.oversample', orDefault(o.oversample, 10), 0);
  const seed = orDefault(o.seed, 0);
  Rng.from(seed); // validate up front (INVALID_ARGUMENT), not after the first quantisation
  const onProgress = functionArg<(i: LqProgress) => void>('options.onProgress', o.onProgress);
  const signal = signalArg('options.signal', o.signal);
  const t0 = now();

  const rows = w.rows;
  const cols = w.cols;
  const x = w.toFloat64Array();
  let wNorm = 0;
  for (let i = 0; i < x.length; i++) wNorm += x[i]! * x[i]!;
  wNorm = Math.sqrt(wNorm);
  const resid = new Float64Array(x.length); // W − L1L2, then W − Q
  const lowRank = zeros(rows, cols);
  let best: { q: NfQuantized; Q: Matrix; L1: Matrix; L2: Matrix; err: number; it: number } | null =
    null;
  const history: number[] = [];
  let quantizationError = Number.NaN;
  let stopReason: LqDecomposeResult['stopReason'] = 'max-iter';
  for (let it = 1; it <= maxIter; it++) {
    checkAbort(signal);
    for (let i = 0; i < x.length; i++) resid[i] = x[i]! - lowRank.data[i]!;
    const q = quantizeNfKernel(resid, rows, cols, nf);
    const Q = dequantizeNf(q);
    const WmQ = new Matrix(new Float64Array(x.length), rows, cols);
    let qErr = 0;
    for (let i = 0; i < x.length; i++) {
      const d = x[i]! - Q.data[i]!;
      WmQ.data[i] = d;
      qErr += d * d;
    }
    if (it === 1) quantizationError = Math.sqrt(qErr);
    let L1: Matrix;
    let L2: Matrix;
    if (qErr === 0) {
      L1 = zeros(rows, rank);
      L2 = zeros(rank, cols);
    } else {
      const s = randomizedSvd(WmQ, {
        rank,
        oversample,
        powerIterations: niter,
        seed: typeof seed === 'number' ? seed + it : seed,
        signal,
      });
      L1 = s.U.clone('float64');
      L2 = s.Vt.clone('float64');
      for (let j = 0; j < rank; j++) {
        const r = Math.sqrt(s.S[j]!);
        for (let i = 0; i < rows; i++) L1.data[i * rank + j]! *= r;
        for (let c = 0; c < cols; c++) L2.data[j * cols + c]! *= r;
      }
    }
    gemm(L1, L2, lowRank);
    let err = 0;
    for (let i = 0; i < x.length; i++) {
      const d = WmQ.data[i]! - lowRank.data[i]!;
      err += d * d;
    }
    err = Math.sqrt(err);
    history.push(err);
    onProgress?.({ iteration: it, error: err });
    if (best !== null && err > best.err) {
      stopReason = 'error-rose';
      break;
    }
    best = { q, Q, L1, L2, err, it };
    if (err === 0) {
      stopReason = 'exact';
      break;
    }
  }
  const b = best!;
  const lrBits = 16 * rank * (rows + cols);
  return {
    quantized: b.q,
    Q: b.Q,
    L1: b.L1,
    L2: b.L2,
    error: b.err,
    relativeError: wNorm > 0 ? b.err / wNorm : 0,
    quantizationError,
    history,
    iterations: history.length,
    bestIteration: b.it,
    stopReason,
    bitsPerParam: (b.q.totalBits + lrBits) / (rows * cols),
    seconds: (now() - t0) / 1000,
  };
}

/** Options of {@link chooseBits}. */
export interface ChooseBitsOptions {
  /**
   * Budget of the quantised part in bits per parameter, averaged over all matrices
   * (exact storage from {@link nfMemoryBits}; the low-rank factors are the same for every
   * choice and are not counted) (required).
   */
  budgetBitsPerParam: number;
  /** Candidate bit widths; default [2, 3, 4, 8]. */
  candidates?: readonly number[];
  /** Rank of the LQ decomposition used to score each choice; default 64 capped at min(out, in). */
  rank?: number;
  /** Block size; default 64. */
  blockSize?: number;
  /** Iteration cap of each scoring {@link lqDecompose}; default 100. */
  maxIter?: number;
  /** Seed; default 0. */
  seed?: number;
  /** Budget resolution of the knapsack: units per total budget; default 20000. */
  resolution?: number;
  /** Called after each matrix is scored. */
  onProgress?: (info: { index: number; total: number; name: string }) => void;
  signal?: AbortSignal;
}

/** One matrix's choice in {@link ChooseBitsResult}. */
export interface BitChoice {
  name: string;
  bits: number;
  /** ‖W − Q − L1L2‖_F² at the chosen bits. */
  squaredError: number;
  /** Exact quantised storage in bits. */
  memoryBits: number;
  /** Scored candidates: bits → { squaredError, memoryBits }. */
  candidates: { bits: number; squaredError: number; memoryBits: number }[];
}

/** Result of {@link chooseBits}. */
export interface ChooseBitsResult {
  choices: BitChoice[];
  /** Σ squared errors of the choice. */
  totalSquaredError: number;
  /** Σ memory / Σ numel of the choice (≤ budget). */
  bitsPerParam: number;
  budgetBitsPerParam: number;
}

/**
 * Per-matrix bit widths under a total memory budget, minimising the summed squared LQ
 * error (LQ-LoRA §3.2). LQ-LoRA poses this as an integer linear program; it is a
 * multiple-choice knapsack, which we solve exactly by dynamic programming over the memory
 * axis after rounding each choice's exact storage **up** to units of
 * total budget / `resolution` (so the returned choice always fits the real budget, and
 * is optimal up to that rounding). Each (matrix, bits) pair is scored by
 * {@link lqDecompose} with the given rank.
 *
 * @param weights named matrices ([name, W] pairs, a Map or a record)
 * @param options `budgetBitsPerParam` (required), `candidates` [2, 3, 4, 8], `rank` 64 (capped),
 *   `blockSize` 64, `maxIter` 100, `seed` 0, `resolution` 20000
 * @returns the choice per matrix, its total error and memory
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad candidates/options, or a budget
 *   below the smallest candidate's memory (impossible budget)
 * @throws {NonFiniteError} `NON_FINITE` if a matrix holds NaN or ±Infinity
 * @example
 * const { choices } = chooseBits([['q', Wq], ['k', Wk]], { budgetBitsPerParam: 3.5, rank: 8 });
 */
export function chooseBits(weights: NamedMatrices, options: ChooseBitsOptions): ChooseBitsResult {
  const entries = namedEntries('weights', weights);
  if (options === undefined || options === null)
    throw new InvalidArgumentError('options: expected an options object with budgetBitsPerParam');
  const o = optionsObject('options', options);
  const budget = o.budgetBitsPerParam;
  if (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0)
    throw new InvalidArgumentError(
      `options.budgetBitsPerParam: expected a finite number > 0, got ${describe(budget)}`,
    );
  const cands = orDefault(o.candidates, [2, 3, 4, 8]);
  if (!Array.isArray(cands) || cands.length === 0)
    throw new InvalidArgumentError(
      `options.candidates: expected a non-empty array, got ${describe(cands)}`,
    );
  const bitsList = [
    ...new Set(cands.map((b, i) => assertInt(`options.candidates[${i}]`, b, 2, 8))),
  ].sort((a, b) => a - b);
  const blockSize = assertInt('options.blockSize', orDefault(o.blockSize, 64), 1);
  const maxIter = assertInt('options.maxIter', orDefault(o.maxIter, 100), 1);
  const resolution = assertInt('options.resolution', orDefault(o.resolution, 20000), 1);
  const seed = assertInt('options.seed', orDefault(o.seed, 0));
  const onProgress = functionArg<(i: { index: number; total: number; name: string }) => void>(
    'options.onProgress',
    o.onProgress,
  );
  const signal = signalArg('options.signal', o.signal);
  const rankOpt = o.rank === undefined ? undefined : assertInt('options.rank', o.rank, 1);
  let totalN = 0;
  for (const [, W] of entries) totalN += W.rows * W.cols;
  const totalBudget = budget * totalN;
  // feasibility first (fail fast, before any decomposition)
  let minBits = 0;
  for (const [, W] of entries)
    minBits += nfMemoryBits(W.rows * W.cols, { bits: bitsList[0]!, blockSize }).totalBits;
  if (minBits > totalBudget)
    throw new InvalidArgumentError(
      `options.budgetBitsPerParam: ${budget} is impossible, the smallest candidate (${bitsList[0]} bits) needs ${(minBits / totalN).toFixed(4)} bits per parameter`,
    );
  const scored: BitChoice['candidates'][] = [];
  entries.forEach(([name, W], index) => {
    checkAbort(signal);
    const rank = Math.min(rankOpt ?? 64, W.rows, W.cols);
    scored.push(
      bitsList.map((bits) => {
        const r = lqDecompose(W, { rank, bits, blockSize, maxIter, seed, signal });
        return { bits, squaredError: r.error * r.error, memoryBits: r.quantized.totalBits };
      }),
    );
    onProgress?.({ index, total: entries.length, name });
  });
  // multiple-choice knapsack DP: cap units, cost rounded up
  const unit = totalBudget / resolution;
  const cap = resolution;
  const m = entries.length;
  let dp = new Float64Array(cap + 1).fill(Infinity);
  dp[0] = 0;
  const pick: Int8Array[] = [];
  const costTables: number[][] = [];
  for (let i = 0; i < m; i++) {
    const next = new Float64Array(cap + 1).fill(Infinity);
    const pk = new Int8Array(cap + 1).fill(-1);
    const cs = scored[i]!;
    const costs = cs.map((c) => Math.ceil(c.memoryBits / unit - 1e-9));
    for (let u = 0; u <= cap; u++) {
      const base = dp[u]!;
      if (base === Infinity) continue;
      for (let j = 0; j < cs.length; j++) {
        const v = u + costs[j]!;
        if (v > cap) continue;
        const e = base + cs[j]!.squaredError;
        if (e < next[v]!) {
          next[v] = e;
          pk[v] = j;
        }
      }
    }
    pick.push(pk);
    costTables.push(costs);
    dp = next;
  }
  let bestU = -1;
  for (let u = 0; u <= cap; u++) if (dp[u]! < (bestU < 0 ? Infinity : dp[bestU]!)) bestU = u;
  if (bestU < 0)
    throw new InvalidArgumentError(
      `options.budgetBitsPerParam: ${budget} is impossible after rounding to the knapsack resolution; raise options.resolution`,
    );
  const chosen = new Array<number>(m);
  let u = bestU;
  for (let i = m - 1; i >= 0; i--) {
    const j = pick[i]![u]!;
    chosen[i] = j;
    u -= costTables[i]![j]!;
  }
  let totErr = 0;
  let totMem = 0;
  const choices = entries.map(([name], i) => {
    const c = scored[i]![chosen[i]!]!;
    totErr += c.squaredError;
    totMem += c.memoryBits;
    return {
      name,
      bits: c.bits,
      squaredError: c.squaredError,
      memoryBits: c.memoryBits,
      candidates: scored[i]!,
    };
  });
  return {
    choices,
    totalSquaredError: totErr,
    bitsPerParam: totMem / totalN,
    budgetBitsPerParam: budget,
  };
}
