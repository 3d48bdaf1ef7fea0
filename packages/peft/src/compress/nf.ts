import { assertInt, describe, InvalidArgumentError, Matrix, optionsObject } from '@lr/core';
import { normalQuantile } from './_normal.js';
import { finiteMatrix, orDefault } from './_util.js';

/**
 * The quantile offset of a k-bit NormalFloat code book:
 * δ_k = 1 − ½·(1/(2·(2^k − 1)) + 1/(2·2^k)).
 *
 * QLoRA (Dettmers et al. 2023, §3 and `create_normal_map` of bitsandbytes) uses
 * δ = 0.9677083 for 4 bits, the mean of the two "half-bin" quantiles 1 − 1/(2·15) and
 * 1 − 1/(2·16) of its 15 negative-side and 16 positive-side bins. We generalise that rule
 * to k bits by replacing 15, 16 with 2^k − 1, 2^k; for k = 4 it gives exactly
 * 0.96770833…
 *
 * @param bits k in [2, 8]
 * @returns δ_k in (0.5, 1)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if bits is not an integer in [2, 8]
 * @example
 * nfOffset(4); // 0.9677083333…
 */
export function nfOffset(bits: number): number {
  const k = assertInt('bits', bits, 2, 8);
  const n = 2 ** k;
  return 1 - 0.5 * (1 / (2 * (n - 1)) + 1 / (2 * n));
}

/**
 * The 2^k NormalFloat levels (NF-k), sorted ascending in [−1, 1], with an exact 0.
 *
 * Construction (QLoRA's asymmetric NF4 recipe, generalised): with δ = {@link nfOffset}(k),
 * h = 2^(k−1), the positive levels are Φ⁻¹ of h equally spaced probabilities from δ down to
 * ½ (exclusive of ½) — `linspace(δ, ½, h + 1)[:-1]` — and the negative levels are
 * −Φ⁻¹ of `linspace(δ, ½, h)[:-1]` (h − 1 of them), plus 0; all divided by Φ⁻¹(δ) so the
 * extremes are ±1. For k = 4 these are QLoRA's published NF4 values (checked to 1e-6 in
 * the tests against a scipy computation of the same recipe).
 *
 * @param bits k in [2, 8]; default 4
 * @returns a fresh Float64Array of length 2^k, ascending, levels[2^(k−1) − 1] = 0
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if bits is not an integer in [2, 8]
 * @example
 * const nf4 = nfLevels(4); // [-1, -0.6962, …, 0, 0.0796, …, 0.7230, 1]
 */
export function nfLevels(bits = 4): Float64Array {
  const k = assertInt('bits', bits, 2, 8);
  const h = 2 ** (k - 1);
  const off = nfOffset(k);
  const top = normalQuantile(off);
  const out = new Float64Array(2 * h);
  // negative side: linspace(off, 0.5, h)[:-1] → h − 1 values, stored ascending
  for (let i = 0; i < h - 1; i++) {
    const p = off + ((0.5 - off) * i) / (h - 1);
    out[i] = -normalQuantile(p) / top;
  }
  out[h - 1] = 0;
  // positive side: linspace(off, 0.5, h + 1)[:-1] → h values
  for (let i = 0; i < h; i++) {
    const p = off + ((0.5 - off) * i) / h;
    out[2 * h - 1 - i] = normalQuantile(p) / top;
  }
  out[0] = -1;
  out[2 * h - 1] = 1;
  return out;
}

/** Options of {@link quantizeNf}. Defaults follow QLoRA (Dettmers et al. 2023). */
export interface QuantizeNfOptions {
  /** Bits per weight k in [2, 8]; default 4 (NF4). */
  bits?: number;
  /** Weights per absmax block (row-major flattening of W); default 64 (QLoRA). */
  blockSize?: number;
  /**
   * Double quantisation of the block scales; default true (QLoRA §3). The scales minus
   * their mean are quantised to symmetric linear int8 by absmax per block of
   * `scaleBlockSize`; the fp32 block absmaxes and the fp32 mean are stored. (bitsandbytes
   * uses its 8-bit dynamic-tree code here; the memory is the same, 8 bits per scale.)
   */
  doubleQuant?: boolean;
  /** Scales per second-level block; default 256 (QLoRA). */
  scaleBlockSize?: number;
}

/**
 * A NormalFloat-quantised matrix. Weight i (row-major) has code `c_i` stored LSB-first at
 * bit i·bits of `codes`; its value is `levels[c_i] · scales[⌊i / blockSize⌋]`.
 */
export interface NfQuantized {
  /** [rows, cols] of the original matrix. */
  shape: [number, number];
  bits: number;
  blockSize: number;
  /** The code book ({@link nfLevels}), ascending. */
  levels: Float64Array;
  /** Bit-packed codes, ⌈numel·bits/8⌉ bytes. */
  codes: Uint8Array;
  /** The effective (dequantised) scale of every block, length ⌈numel/blockSize⌉. */
  scales: Float64Array;
  doubleQuant: boolean;
  scaleBlockSize: number;
  /** int8 codes of (scale − mean) when `doubleQuant`, else null. */
  scaleCodes: Int8Array | null;
  /** fp32 absmax of (scale − mean) per block of `scaleBlockSize` when `doubleQuant`; else the fp32 scales. */
  scaleAbsmax: Float32Array;
  /** fp32 mean of the scales (0 without double quantisation). */
  scaleMean: number;
  /** Exact storage in bits: 8·codes.length + scale storage (see {@link nfMemoryBits}). */
  totalBits: number;
  /** totalBits / numel. */
  bitsPerParam: number;
}

/**
 * Exact storage of an NF-quantised tensor of `numel` weights: 8·⌈numel·bits/8⌉ code bits,
 * plus 32 bits per block scale without double quantisation, or with it 8 bits per block
 * scale + 32 bits per scale block + 32 bits for the mean. NF4 / 64 / double quantisation
 * tends to 4 + 8/64 + 32/(64·256) ≈ 4.127 bits per parameter, QLoRA's figure.
 *
 * @param numel number of weights (≥ 1)
 * @param options as {@link quantizeNf}
 * @returns `{ totalBits, bitsPerParam }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad sizes or options
 * @example
 * nfMemoryBits(4096 * 4096).bitsPerParam; // ≈ 4.127
 */
export function nfMemoryBits(
  numel: number,
  options?: QuantizeNfOptions,
): { totalBits: number; bitsPerParam: number } {
  const n = assertInt('numel', numel, 1);
  const o = parseNfOptions(options);
  const totalBits = storageBits(n, o);
  return { totalBits, bitsPerParam: totalBits / n };
}

interface ParsedNf {
  bits: number;
  blockSize: number;
  doubleQuant: boolean;
  scaleBlockSize: number;
}

/** Validates {@link QuantizeNfOptions} (shared with LQ-LoRA). */
export function parseNfOptions(options: QuantizeNfOptions | undefined): ParsedNf {
  const o = optionsObject('options', options);
  const bits = assertInt('options.bits', orDefault(o.bits, 4), 2, 8);
  const blockSize = assertInt('options.blockSize', orDefault(o.blockSize, 64), 1);
  const dq = orDefault(o.doubleQuant, true);
  if (typeof dq !== 'boolean')
    throw new InvalidArgumentError(`options.doubleQuant: expected a boolean, got ${describe(dq)}`);
  const scaleBlockSize = assertInt('options.scaleBlockSize', orDefault(o.scaleBlockSize, 256), 1);
  return { bits, blockSize, doubleQuant: dq, scaleBlockSize };
}

function storageBits(n: number, o: ParsedNf): number {
  const codeBits = 8 * Math.ceil((n * o.bits) / 8);
  const nb = Math.ceil(n / o.blockSize);
  const scaleBits = o.doubleQuant ? 8 * nb + 32 * Math.ceil(nb / o.scaleBlockSize) + 32 : 32 * nb;
  return codeBits + scaleBits;
}

/**
 * Blockwise NormalFloat quantisation (QLoRA, Dettmers et al. 2023): W is flattened
 * row-major into blocks of `blockSize`; each block is scaled by its absmax and every
 * weight is replaced by the nearest NF-k level ({@link nfLevels}). With double
 * quantisation the block scales are themselves quantised (see
 * {@link QuantizeNfOptions.doubleQuant}); the weight codes are chosen against the scale
 * that is actually stored, so every weight dequantises to the nearest representable value
 * of its block.
 *
 * @param W matrix [out, in] (any strides, float32 or float64; not modified)
 * @param options `bits` (4), `blockSize` (64), `doubleQuant` (true), `scaleBlockSize` (256)
 * @returns an {@link NfQuantized} with packed codes, scales and exact memory
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options or an empty W
 * @throws {NonFiniteError} `NON_FINITE` if W holds NaN or ±Infinity
 * @example
 * const q = quantizeNf(W, { bits: 4 });
 * const Wq = dequantizeNf(q); // ‖W − Wq‖ small; q.bitsPerParam ≈ 4.127
 */
export function quantizeNf(W: Matrix, options?: QuantizeNfOptions): NfQuantized {
  const w = finiteMatrix('W', W);
  const o = parseNfOptions(options);
  return quantizeNfKernel(w.toFloat64Array(), w.rows, w.cols, o);
}

/** Assumes validated input; `x` is the row-major data. */
export function quantizeNfKernel(
  x: Float64Array,
  rows: number,
  cols: number,
  o: ParsedNf,
): NfQuantized {
  const n = x.length;
  const levels = nfLevels(o.bits);
  const nb = Math.ceil(n / o.blockSize);
  const absmax = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    let m = 0;
    const end = Math.min(n, (b + 1) * o.blockSize);
    for (let i = b * o.blockSize; i < end; i++) m = Math.max(m, Math.abs(x[i]!));
    absmax[b] = m;
  }
  let scaleCodes: Int8Array | null = null;
  let scaleAbsmax: Float32Array;
  let scaleMean = 0;
  const scales = new Float64Array(nb);
  if (o.doubleQuant) {
    let mean = 0;
    for (let b = 0; b < nb; b++) mean += absmax[b]!;
    scaleMean = Math.fround(mean / nb);
    const nsb = Math.ceil(nb / o.scaleBlockSize);
    scaleAbsmax = new Float32Array(nsb);
    scaleCodes = new Int8Array(nb);
    for (let s = 0; s < nsb; s++) {
      const end = Math.min(nb, (s + 1) * o.scaleBlockSize);
      let m = 0;
      for (let b = s * o.scaleBlockSize; b < end; b++)
        m = Math.max(m, Math.abs(absmax[b]! - scaleMean));
      scaleAbsmax[s] = m;
      const a = scaleAbsmax[s]!;
      for (let b = s * o.scaleBlockSize; b < end; b++) {
        const c =
          a > 0
            ? Math.max(-127, Math.min(127, Math.round(((absmax[b]! - scaleMean) / a) * 127)))
            : 0;
        scaleCodes[b] = c;
      }
    }
    decodeScales(scaleCodes, scaleAbsmax, scaleMean, o.scaleBlockSize, scales);
  } else {
    scaleAbsmax = Float32Array.from(absmax);
    for (let b = 0; b < nb; b++) scales[b] = scaleAbsmax[b]!;
  }
  // midpoints between consecutive levels for nearest-level search
  const L = levels.length;
  const mids = new Float64Array(L - 1);
  for (let j = 0; j < L - 1; j++) mids[j] = 0.5 * (levels[j]! + levels[j + 1]!);
  const zeroCode = L / 2 - 1;
  const codes = new Uint8Array(Math.ceil((n * o.bits) / 8));
  for (let b = 0; b < nb; b++) {
    const s = scales[b]!;
    const end = Math.min(n, (b + 1) * o.blockSize);
    for (let i = b * o.blockSize; i < end; i++) {
      let c: number;
      if (!(s > 0)) c = zeroCode;
      else {
        const v = x[i]! / s;
        // first midpoint ≥ v: binary search
        let lo = 0;
        let hi = L - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (mids[mid]! < v) lo = mid + 1;
          else hi = mid;
        }
        c = lo;
      }
      writeCode(codes, i, o.bits, c);
    }
  }
  const totalBits = storageBits(n, o);
  return {
    shape: [rows, cols],
    bits: o.bits,
    blockSize: o.blockSize,
    levels,
    codes,
    scales,
    doubleQuant: o.doubleQuant,
    scaleBlockSize: o.scaleBlockSize,
    scaleCodes,
    scaleAbsmax,
    scaleMean,
    totalBits,
    bitsPerParam: totalBits / n,
  };
}

function decodeScales(
  codes: Int8Array,
  absmax: Float32Array,
  mean: number,
  sbs: number,
  out: Float64Array,
): void {
  for (let b = 0; b < codes.length; b++) {
    out[b] = mean + (codes[b]! * absmax[Math.floor(b / sbs)]!) / 127;
  }
}

function writeCode(buf: Uint8Array, i: number, bits: number, c: number): void {
  let pos = i * bits;
  let rem = bits;
  let v = c;
  while (rem > 0) {
    const byte = pos >>> 3;
    const sh = pos & 7;
    const take = Math.min(rem, 8 - sh);
    buf[byte] = buf[byte]! | ((v & ((1 << take) - 1)) << sh);
    v >>>= take;
    pos += take;
    rem -= take;
  }
}

function readCode(buf: Uint8Array, i: number, bits: number): number {
  let pos = i * bits;
  let rem = bits;
  let v = 0;
  let got = 0;
  while (rem > 0) {
    const byte = pos >>> 3;
    const sh = pos & 7;
    const take = Math.min(rem, 8 - sh);
    v |= ((buf[byte]! >>> sh) & ((1 << take) - 1)) << got;
    got += take;
    pos += take;
    rem -= take;
  }
  return v;
}

/**
 * Unpacks the codes of an {@link NfQuantized} (one per weight, row-major).
 *
 * @param q a result of {@link quantizeNf}
 * @returns a fresh Uint8Array of numel codes in [0, 2^bits)
 * @example
 * const c = unpackNfCodes(quantizeNf(W)); // c[i] indexes q.levels
 */
export function unpackNfCodes(q: NfQuantized): Uint8Array {
  const n = q.shape[0] * q.shape[1];
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = readCode(q.codes, i, q.bits);
  return out;
}

/**
 * Dequantises an {@link NfQuantized}: W̃_i = levels[c_i]·scale_block(i), where the block
 * scales are decoded from the stored (double-quantised) representation.
 *
 * @param q a result of {@link quantizeNf} (not modified)
 * @returns a fresh float64 Matrix of `q.shape`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if q is malformed
 * @example
 * const Wq = dequantizeNf(quantizeNf(W, { bits: 3 }));
 */
export function dequantizeNf(q: NfQuantized): Matrix {
  if (
    q === null ||
    typeof q !== 'object' ||
    !Array.isArray(q.shape) ||
    !(q.codes instanceof Uint8Array)
  )
    throw new InvalidArgumentError(`q: expected a result of quantizeNf, got ${describe(q)}`);
  const [rows, cols] = q.shape;
  const n = rows * cols;
  const nb = Math.ceil(n / q.blockSize);
  if (q.codes.length !== Math.ceil((n * q.bits) / 8) || q.levels.length !== 2 ** q.bits)
    throw new InvalidArgumentError('q: codes or levels do not match shape and bits');
  const scales = new Float64Array(nb);
  if (q.doubleQuant) {
    if (q.scaleCodes === null || q.scaleCodes.length !== nb)
      throw new InvalidArgumentError('q: scaleCodes do not match the number of blocks');
    decodeScales(q.scaleCodes, q.scaleAbsmax, q.scaleMean, q.scaleBlockSize, scales);
  } else {
    if (q.scaleAbsmax.length !== nb)
      throw new InvalidArgumentError('q: scales do not match the number of blocks');
    for (let b = 0; b < nb; b++) scales[b] = q.scaleAbsmax[b]!;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = scales[Math.floor(i / q.blockSize)]!;
    out[i] = s > 0 ? q.levels[readCode(q.codes, i, q.bits)]! * s : 0;
  }
  return new Matrix(out, rows, cols);
}
