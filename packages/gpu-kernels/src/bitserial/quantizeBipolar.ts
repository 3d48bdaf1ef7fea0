import {
  asMatrix,
  assertInt,
  assertOneOf,
  describe,
  InvalidArgumentError,
  Matrix,
  NonFiniteError,
  optionsObject,
} from '@lr/core';
import { now } from '../runtime/_time.js';

/**
 * How {@link quantizeBipolar} picks each group's scale s.
 * - `'absmax'`: s = max|x| / (2^b − 1), so the largest magnitude maps onto the largest
 *   code and nothing is clipped (the paper's symmetric quantisation).
 * - `'mse'`: minimises Σ(x − s·q(x/s))² over s: a grid of 20 clipping ratios
 *   c·max|x|/(2^b − 1), c = 0.05, 0.10, …, 1, then Lloyd steps s ← ⟨x, q⟩/⟨q, q⟩ (each step
 *   never increases the error) until the codes stop changing or 20 steps.
 */
export type BipolarScaleMethod = 'absmax' | 'mse';

/** Options of {@link quantizeBipolar}. */
export interface QuantizeBipolarOptions {
  /** Bits per value b, an integer in [1, 8] (required; the paper covers 1–8-bit weights). */
  bits: number;
  /**
   * Consecutive elements of a row that share one scale. Default: `cols` (one scale per
   * row, i.e. per output channel). A value below `cols` must be a multiple of 32, so that
   * groups start on a packed word and the bit-serial matmul can switch scales between words.
   */
  groupSize?: number;
  /** `'absmax'` (default) or `'mse'`; see {@link BipolarScaleMethod}. */
  scaleMethod?: BipolarScaleMethod;
}

/**
 * A matrix in b-bit bipolar-INT format with bit-plane packing.
 *
 * Element (r, k) is x̂ = s[r, ⌊k / groupSize⌋] · q with the odd integer
 * q = Σ_{i<b} 2^i·t_i, t_i = 2β_i − 1 ∈ {−1, +1}, so q ∈ {−(2^b−1), …, −1, 1, …, 2^b−1}
 * (symmetric, no zero, no offset). The stored bit β_i is bit i of u = (q + 2^b − 1)/2.
 *
 * `planes[(i·rows + r)·wordsPerRow + (k >> 5)]` holds β_i of element (r, k) at bit `k & 31`
 * (plane i is the whole matrix's bit i, packed 32 elements per u32 along the columns).
 * The pad bits past `cols` in each row's last word are 0 in every plane.
 */
export interface BipolarMatrix {
  /** Packed bit planes, length `bits · rows · wordsPerRow`. */
  planes: Uint32Array;
  /** Bits per value b ∈ [1, 8]. */
  bits: number;
  rows: number;
  cols: number;
  /** ⌈cols / 32⌉. */
  wordsPerRow: number;
  /** Elements per scale along a row (`cols` when there is one scale per row). */
  groupSize: number;
  /** ⌈cols / groupSize⌉ scales per row. */
  groups: number;
  /** Scales s, row-major `[rows, groups]`, stored in float32 (as the GPU reads them). */
  scales: Float32Array;
}

/** Result of {@link quantizeBipolar}: the packed matrix and its quantisation error. */
export interface QuantizeBipolarResult extends BipolarMatrix {
  scaleMethod: BipolarScaleMethod;
  /** ‖W − Ŵ‖_F / ‖W‖_F (0 for a zero matrix). */
  relativeError: number;
  /** max |W − Ŵ|. */
  maxAbsError: number;
  /** Wall-clock seconds. */
  seconds: number;
}

/** Nearest odd integer to y, clamped to [−qmax, qmax] (qmax = 2^b − 1 is odd). */
function nearestOdd(y: number, qmax: number): number {
  const q = 2 * Math.floor(y / 2) + 1; // the odd integer in [y − 1, y + 1) nearest to y
  return Math.min(qmax, Math.max(-qmax, q));
}

/** Σ (x − s·q(x/s))² for one group; assumes s > 0. */
function groupSse(x: Float64Array, len: number, s: number, qmax: number): number {
  let e = 0;
  for (let k = 0; k < len; k++) {
    const d = x[k]! - s * nearestOdd(x[k]! / s, qmax);
    e += d * d;
  }
  return e;
}

/** Chooses one group's scale (already rounded to float32). Assumes finite input. */
function chooseScale(
  x: Float64Array,
  len: number,
  qmax: number,
  method: BipolarScaleMethod,
): number {
  let amax = 0;
  for (let k = 0; k < len; k++) amax = Math.max(amax, Math.abs(x[k]!));
  if (amax === 0) return 0;
  const sAbs = Math.fround(amax / qmax);
  if (method === 'absmax' || sAbs === 0 || sAbs === Infinity) return sAbs;
  let best = sAbs;
  let bestErr = groupSse(x, len, sAbs, qmax);
  for (let c = 1; c < 20; c++) {
    const s = Math.fround((c * 0.05 * amax) / qmax);
    if (s === 0) continue;
    const e = groupSse(x, len, s, qmax);
    if (e < bestErr) {
      bestErr = e;
      best = s;
    }
  }
  // Lloyd steps: for fixed codes the best scale is ⟨x, q⟩/⟨q, q⟩.
  for (let it = 0; it < 20; it++) {
    let xq = 0;
    let qq = 0;
    for (let k = 0; k < len; k++) {
      const q = nearestOdd(x[k]! / best, qmax);
      xq += x[k]! * q;
      qq += q * q;
    }
    const s = Math.fround(xq / qq);
    if (!(s > 0)) break;
    const e = groupSse(x, len, s, qmax);
    if (!(e < bestErr)) break;
    bestErr = e;
    best = s;
  }
  return best;
}

/**
 * Quantises a matrix to b-bit bipolar-INT (1 ≤ b ≤ 8) and packs it into bit planes, the
 * input layout of {@link bitSerialMatmulCpu} and `bitSerialMatmul`.
 *
 * Bipolar-INT (Ma et al., "Efficient Arbitrary Precision Acceleration for Large Language
 * Models on GPU Tensor Cores", 2024): every bit is read as ±1, so a b-bit code is the odd
 * integer q = Σ 2^i·t_i, t_i ∈ {−1, +1}, covering the symmetric set ±1, ±3, …, ±(2^b − 1)
 * with no wasted code and no zero-point. A value is x̂ = s·q with one scale s per row or
 * per `groupSize` elements; q is the nearest odd integer to x/s, clamped. Because every
 * bit plane is a ±1 matrix, a product of two such matrices splits into b_a·b_b binary
 * products (XOR + popcount), which {@link bitSerialMatmulCpu} recombines with weights 2^(i+j).
 *
 * @param matrix W, `rows × cols` (any strides; float32 or float64; not modified)
 * @param options `bits` (required), `groupSize` (default cols), `scaleMethod` (default `'absmax'`)
 * @returns the {@link BipolarMatrix} plus `relativeError`, `maxAbsError`, `seconds`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if `matrix` is not a Matrix, `bits` is
 * not an integer in [1, 8], `groupSize` is not an integer ≥ 1 that is a multiple of 32
 * (when below `cols`), or a scale would overflow float32 (|x| ≳ 3.4e38·(2^b − 1))
 * @throws {NonFiniteError} `NON_FINITE` if W holds NaN or ±Infinity
 * @example
 * import { Matrix } from '@lr/core';
 * const W = Matrix.from([[0.5, -1, 0.25], [2, 0, -2]]);
 * const q = quantizeBipolar(W, { bits: 2 });
 * q.scales; // Float32Array [≈1/3, ≈2/3]: absmax / (2^2 − 1) per row, in float32
 * bipolarCodes(q); // Int16Array [1, -3, 1, 3, 1, -3]
 * dequantizeBipolar(q).toArray(); // ≈ [[1/3, -1, 1/3], [2, 2/3, -2]]
 */
export function quantizeBipolar(
  matrix: Matrix,
  options: QuantizeBipolarOptions,
): QuantizeBipolarResult {
  const t0 = now();
  const W = asMatrix('matrix', matrix);
  const opts = optionsObject('options', options);
  const bits = assertInt('options.bits', opts.bits, 1, 8);
  const scaleMethod = assertOneOf<BipolarScaleMethod>(
    'options.scaleMethod',
    opts.scaleMethod ?? 'absmax',
    ['absmax', 'mse'],
  );
  const { rows, cols } = W;
  let groupSize = cols;
  if (opts.groupSize !== undefined) {
    groupSize = assertInt('options.groupSize', opts.groupSize, 1);
    if (groupSize >= cols) groupSize = cols;
    else if (groupSize % 32 !== 0)
      throw new InvalidArgumentError(
        `options.groupSize: expected a multiple of 32 (or ≥ cols = ${cols}), got ${describe(opts.groupSize)}`,
      );
  }
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < cols; k++) {
      const v = W.get(r, k);
      if (v - v !== 0)
        throw new NonFiniteError(`matrix: expected finite values, found ${v} at (${r}, ${k})`);
    }

  const qmax = 2 ** bits - 1;
  const wordsPerRow = Math.ceil(cols / 32);
  const groups = cols === 0 ? 0 : Math.ceil(cols / Math.max(groupSize, 1));
  const planes = new Uint32Array(bits * rows * wordsPerRow);
  const scales = new Float32Array(rows * groups);
  const buf = new Float64Array(Math.max(groupSize, 1));
  let errSq = 0;
  let normSq = 0;
  let maxAbsError = 0;
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < groups; g++) {
      const k0 = g * groupSize;
      const len = Math.min(groupSize, cols - k0);
      for (let k = 0; k < len; k++) buf[k] = W.get(r, k0 + k);
      const s = chooseScale(buf, len, qmax, scaleMethod);
      if (s === Infinity)
        throw new InvalidArgumentError(
          `matrix: row ${r} (group ${g}) has values too large for a float32 scale (|x|/(2^bits − 1) > 3.4e38)`,
        );
      scales[r * groups + g] = s;
      for (let k = 0; k < len; k++) {
        const x = buf[k]!;
        // With s = 0 the group is all zeros; any code dequantises to 0 (take q = +1).
        const q = s > 0 ? nearestOdd(x / s, qmax) : 1;
        const u = (q + qmax) >> 1;
        const col = k0 + k;
        const word = col >> 5;
        const bit = 1 << (col & 31);
        for (let i = 0; i < bits; i++)
          if ((u >> i) & 1) planes[(i * rows + r) * wordsPerRow + word]! |= bit;
        const d = x - s * q;
        errSq += d * d;
        normSq += x * x;
        maxAbsError = Math.max(maxAbsError, Math.abs(d));
      }
    }
  }
  return {
    planes,
    bits,
    rows,
    cols,
    wordsPerRow,
    groupSize,
    groups,
    scales,
    scaleMethod,
    relativeError: normSq === 0 ? 0 : Math.sqrt(errSq / normSq),
    maxAbsError,
    seconds: (now() - t0) / 1000,
  };
}

/**
 * Checks that `value` is a consistent {@link BipolarMatrix} (field types, lengths, group
 * layout, zero pad bits). Assumes nothing; O(bits·rows) beyond the field checks.
 * @internal
 */
export function assertBipolarMatrix(name: string, value: unknown): BipolarMatrix {
  if (value === null || typeof value !== 'object')
    throw new InvalidArgumentError(`${name}: expected a BipolarMatrix, got ${describe(value)}`);
  const q = value as BipolarMatrix;
  if (!(q.planes instanceof Uint32Array))
    throw new InvalidArgumentError(
      `${name}.planes: expected a Uint32Array, got ${describe(q.planes)}`,
    );
  if (!(q.scales instanceof Float32Array))
    throw new InvalidArgumentError(
      `${name}.scales: expected a Float32Array, got ${describe(q.scales)}`,
    );
  const bits = assertInt(`${name}.bits`, q.bits, 1, 8);
  const rows = assertInt(`${name}.rows`, q.rows);
  const cols = assertInt(`${name}.cols`, q.cols);
  const wpr = assertInt(`${name}.wordsPerRow`, q.wordsPerRow);
  const groupSize = assertInt(`${name}.groupSize`, q.groupSize, cols === 0 ? 0 : 1);
  const groups = assertInt(`${name}.groups`, q.groups);
  const expectGroups = cols === 0 ? 0 : Math.ceil(cols / groupSize);
  if (
    wpr !== Math.ceil(cols / 32) ||
    groups !== expectGroups ||
    groupSize > cols ||
    (groupSize < cols && groupSize % 32 !== 0)
  )
    throw new InvalidArgumentError(
      `${name}: inconsistent layout (cols ${cols}, wordsPerRow ${wpr}, groupSize ${groupSize}, groups ${groups})`,
    );
  if (q.planes.length !== bits * rows * wpr)
    throw new InvalidArgumentError(
      `${name}.planes: expected bits·rows·wordsPerRow = ${bits * rows * wpr} words, got ${q.planes.length}`,
    );
  if (q.scales.length !== rows * groups)
    throw new InvalidArgumentError(
      `${name}.scales: expected rows·groups = ${rows * groups} scales, got ${q.scales.length}`,
    );
  for (let i = 0; i < q.scales.length; i++) {
    const s = q.scales[i]!;
    if (s - s !== 0)
      throw new NonFiniteError(`${name}.scales: expected finite values, found ${s} at ${i}`);
  }
  const tail = cols & 31;
  if (tail !== 0) {
    const padMask = ~((1 << tail) - 1) >>> 0;
    for (let p = 0; p < bits * rows; p++)
      if ((q.planes[p * wpr + wpr - 1]! & padMask) !== 0)
        throw new InvalidArgumentError(
          `${name}.planes: pad bits past column ${cols} must be 0 (plane ${Math.floor(p / rows)}, row ${p % rows})`,
        );
  }
  return q;
}

/**
 * The odd integer codes q of a bipolar matrix, row-major `rows × cols` (values in
 * [−(2^b−1), 2^b−1]); x̂ = s·q. Useful for exact integer checks of the bit-serial product.
 *
 * @param q a {@link BipolarMatrix}
 * @returns Int16Array of length rows·cols
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if `q` is not a consistent BipolarMatrix
 * @example
 * import { Matrix } from '@lr/core';
 * bipolarCodes(quantizeBipolar(Matrix.from([[1, -1, 0.3]]), { bits: 1 })); // Int16Array [1, -1, 1]
 */
export function bipolarCodes(q: BipolarMatrix): Int16Array {
  const { bits, rows, cols, wordsPerRow, planes } = assertBipolarMatrix('q', q);
  const qmax = 2 ** bits - 1;
  const out = new Int16Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < cols; k++) {
      let u = 0;
      for (let i = 0; i < bits; i++)
        u |= ((planes[(i * rows + r) * wordsPerRow + (k >> 5)]! >>> (k & 31)) & 1) << i;
      out[r * cols + k] = 2 * u - qmax;
    }
  return out;
}

/**
 * Dequantises a bipolar matrix: Ŵ[r, k] = s[r, ⌊k/groupSize⌋]·q[r, k], exactly (in float64).
 *
 * @param q a {@link BipolarMatrix} (e.g. the result of {@link quantizeBipolar})
 * @returns a new float64 `rows × cols` Matrix
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if `q` is not a consistent BipolarMatrix
 * @example
 * import { Matrix } from '@lr/core';
 * const q = quantizeBipolar(Matrix.from([[3, -1]]), { bits: 2 });
 * dequantizeBipolar(q).toArray(); // [[3, -1]]
 */
export function dequantizeBipolar(q: BipolarMatrix): Matrix {
  const codes = bipolarCodes(q);
  const { rows, cols, groupSize, groups, scales } = q;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < cols; k++)
      out[r * cols + k] = scales[r * groups + Math.floor(k / groupSize)]! * codes[r * cols + k]!;
  return new Matrix(out, rows, cols);
}
