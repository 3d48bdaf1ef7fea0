import { Matrix, optionsObject } from '@lr/core';
import { now } from '../runtime/_time.js';
import { type BitSerialPlan, planBitSerial } from './_plan.js';
import { popcount32 } from './_popcount.js';
import type { BipolarMatrix } from './quantizeBipolar.js';

/** Options of {@link bitSerialMatmulCpu}. */
export interface BitSerialMatmulOptions {
  /**
   * Also return the integer accumulators Σ_k q_A[m,k]·q_B[n,k] per segment; default false.
   */
  returnAccumulators?: boolean;
}

/** Result of {@link bitSerialMatmulCpu}. */
export interface BitSerialMatmulResult {
  /** C = Â·B̂ᵀ, float64 `M × N` (Â, B̂ the dequantised operands). */
  c: Matrix;
  /**
   * With `returnAccumulators`: the exact integer dot products of the codes per segment,
   * `[M, N, segments]` row-major (segments = 1 when both operands have one scale per row).
   */
  accumulators?: Float64Array;
  /** Column segments (one per pair of scale groups). */
  segments: number;
  /** Columns per segment. */
  segmentSize: number;
  /** b_A · b_B binary products per output element. */
  planePairs: number;
  /** XOR + popcount word operations done (M·N·⌈K/32⌉·b_A·b_B). */
  wordOps: number;
  /** Wall-clock seconds. */
  seconds: number;
}

/**
 * Integer accumulators of one output element, one per segment, into `acc[0..nSeg)`.
 * Assumes a validated plan. Bipolar planes: t·u = 1 − 2·[t ≠ u] for t, u ∈ {±1}, so the
 * plane-pair dot over a segment of `cnt` real columns is cnt − 2·popcount(a ⊕ b) (pad bits
 * are 0 in both operands, their XOR is 0 and they are not counted in cnt), and
 * q_A·q_B = Σ_{i,j} 2^(i+j)·(cnt − 2·popc_ij) = cnt·(2^b_A − 1)(2^b_B − 1) − 2·Σ 2^(i+j)·popc_ij.
 * @internal
 */
export function _bitSerialDot(
  qa: BipolarMatrix,
  qb: BipolarMatrix,
  plan: BitSerialPlan,
  m: number,
  n: number,
  acc: Float64Array,
): void {
  const { K, words, segSize, nSeg, segWords } = plan;
  const A = qa.planes;
  const B = qb.planes;
  const ba = qa.bits;
  const bb = qb.bits;
  const full = (2 ** ba - 1) * (2 ** bb - 1);
  for (let s = 0; s < nSeg; s++) {
    const w0 = s * segWords;
    const w1 = Math.min(words, w0 + segWords);
    const cnt = Math.min(segSize, K - s * segSize);
    let weighted = 0;
    for (let i = 0; i < ba; i++) {
      const aOff = (i * qa.rows + m) * words;
      for (let j = 0; j < bb; j++) {
        const bOff = (j * qb.rows + n) * words;
        let pc = 0;
        for (let w = w0; w < w1; w++) pc += popcount32(A[aOff + w]! ^ B[bOff + w]!);
        weighted += pc * 2 ** (i + j);
      }
    }
    acc[s] = cnt * full - 2 * weighted;
  }
}

/**
 * Bit-serial product C = A·Bᵀ of two bipolar-INT matrices (CPU reference of the WGSL
 * kernel): A `[M, K]` with b_A bits, B `[N, K]` with b_B bits, each bit width 1–8
 * independently. Every output is Σ_segments s_A·s_B·Σ_{i<b_A, j<b_B} 2^(i+j)·(A_i·B_jᵀ),
 * where A_i, B_j are the ±1 bit planes and each binary product is K − 2·popcount(XOR) — the
 * bit-level decomposition and recovery of Ma et al. (2024). The integer part is exact
 * (JavaScript numbers hold it exactly below 2^53); the result equals the float64 product
 * of the dequantised matrices up to float64 rounding of the scale products.
 *
 * @param qa A in bipolar format ({@link quantizeBipolar}), `M × K`
 * @param qb B in bipolar format, `N × K` (same K; group sizes must nest)
 * @param options `returnAccumulators` (default false)
 * @returns `c` (float64 `M × N`), optional `accumulators`, and counts / timing
 * @throws {ShapeError} `SHAPE_MISMATCH` if qa.cols ≠ qb.cols
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if an operand is not a consistent
 * BipolarMatrix or the two group sizes do not nest
 * @throws {NonFiniteError} `NON_FINITE` if a scale is NaN or infinite
 * @example
 * import { Matrix } from '@lr/core';
 * const qa = quantizeBipolar(Matrix.from([[1, -3], [3, 3]]), { bits: 2 });
 * const qb = quantizeBipolar(Matrix.from([[1, 1]]), { bits: 1 });
 * bitSerialMatmulCpu(qa, qb).c.toArray(); // [[-2], [6]]
 */
export function bitSerialMatmulCpu(
  qa: BipolarMatrix,
  qb: BipolarMatrix,
  options?: BitSerialMatmulOptions,
): BitSerialMatmulResult {
  const t0 = now();
  const opts = optionsObject('options', options);
  const plan = planBitSerial(qa, qb);
  const { M, N, nSeg } = plan;
  const c = new Float64Array(M * N);
  const keep = opts.returnAccumulators === true;
  const accAll = keep ? new Float64Array(M * N * nSeg) : undefined;
  const acc = new Float64Array(Math.max(nSeg, 1));
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      _bitSerialDot(qa, qb, plan, m, n, acc);
      let sum = 0;
      for (let s = 0; s < nSeg; s++) {
        const col = s * plan.segSize;
        const sa = qa.scales[m * qa.groups + Math.floor(col / qa.groupSize)]!;
        const sb = qb.scales[n * qb.groups + Math.floor(col / qb.groupSize)]!;
        sum += sa * sb * acc[s]!;
        if (accAll) accAll[(m * N + n) * nSeg + s] = acc[s]!;
      }
      c[m * N + n] = sum;
    }
  }
  const result: BitSerialMatmulResult = {
    c: new Matrix(c, M, N),
    segments: nSeg,
    segmentSize: plan.segSize,
    planePairs: qa.bits * qb.bits,
    wordOps: M * N * plan.words * qa.bits * qb.bits,
    seconds: (now() - t0) / 1000,
  };
  if (accAll) result.accumulators = accAll;
  return result;
}
