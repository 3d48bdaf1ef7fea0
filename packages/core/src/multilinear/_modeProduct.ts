// The mode-n product kernel on contiguous float64 storage; assumes validated input.
import { gemmStrided } from '../kernels/gemm.js';
import type { Matrix } from '../matrix.js';
import { _prod } from './_tensorInput.js';

/** A contiguous C-order float64 tensor as raw parts. */
export interface _RawTensor {
  data: Float64Array;
  shape: number[];
}

/**
 * Y = X ×_n M with X contiguous C-order float64 and M a J×I_n matrix (any strides, any
 * dtype). Viewing X as [L, I_n, R] (L = Π_{k<n} I_k, R = Π_{k>n} I_k), each slab
 * Y[l] (J×R) = M·X[l] (I_n×R) is one GEMM; for the last mode (R = 1) the whole product
 * is the single GEMM Y (L×J) = X (L×I_n)·Mᵀ.
 */
export function _modeProduct(x: _RawTensor, M: Matrix, mode: number): _RawTensor {
  const shape = x.shape;
  const I = shape[mode]!;
  const J = M.rows;
  const L = _prod(shape.slice(0, mode));
  const R = _prod(shape.slice(mode + 1));
  const outShape = [...shape];
  outShape[mode] = J;
  const out = new Float64Array(L * J * R);
  if (out.length === 0) return { data: out, shape: outShape };
  const a = M.data;
  const ars = M.rowStride;
  const acs = M.colStride;
  if (R === 1) {
    // Y (L×J) = X (L×I) · Mᵀ, Mᵀ[p][j] = M[j][p]
    gemmStrided(L, J, I, 1, x.data, 0, I, 1, a, M.offset, acs, ars, 0, out, 0, J, 1);
  } else {
    for (let l = 0; l < L; l++) {
      gemmStrided(
        J,
        R,
        I,
        1,
        a,
        M.offset,
        ars,
        acs,
        x.data,
        l * I * R,
        R,
        1,
        0,
        out,
        l * J * R,
        R,
        1,
      );
    }
  }
  return { data: out, shape: outShape };
}

/**
 * X ×_0 op(U_0) ×_1 op(U_1) … over every mode except `skip` (−1: none), where op(U) = Uᵀ
 * when `transpose` (projection onto the factors) and U otherwise (reconstruction). Modes
 * are applied in the order that shrinks (or, reconstructing, grows) the tensor cheapest
 * first: largest reduction I_n/R_n first when projecting, smallest growth last otherwise.
 */
export function _multiModeProduct(
  x: _RawTensor,
  factors: readonly Matrix[],
  skip: number,
  transpose: boolean,
): _RawTensor {
  const modes: number[] = [];
  for (let n = 0; n < factors.length; n++) if (n !== skip) modes.push(n);
  const ratio = (n: number) => factors[n]!.cols / factors[n]!.rows; // R_n / I_n
  modes.sort((p, q) => (transpose ? ratio(p) - ratio(q) : ratio(q) - ratio(p)));
  let y = x;
  for (const n of modes) y = _modeProduct(y, transpose ? factors[n]!.T : factors[n]!, n);
  return y;
}

/** The mode-n unfolding (Kolda–Bader order) of a raw tensor, as row-major I_n × Π_{k≠n} I_k data. */
export function _unfoldRaw(x: _RawTensor, mode: number): Float64Array {
  // Kolda–Bader column order: remaining modes increasing, lowest fastest.
  const shape = x.shape;
  const N = shape.length;
  const I = shape[mode]!;
  const cols = x.data.length / (I || 1);
  const out = new Float64Array(x.data.length);
  const strides = new Array<number>(N);
  let s = 1;
  for (let k = N - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k]!;
  }
  // iterate column index j over the other modes, lowest fastest
  const others: number[] = [];
  for (let k = 0; k < N; k++) if (k !== mode) others.push(k);
  const idx = new Array<number>(others.length).fill(0);
  let base = 0;
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < I; i++) out[i * cols + j] = x.data[base + i * strides[mode]!]!;
    for (let q = 0; q < others.length; q++) {
      const k = others[q]!;
      idx[q]!++;
      base += strides[k]!;
      if (idx[q]! < shape[k]!) break;
      base -= idx[q]! * strides[k]!;
      idx[q] = 0;
    }
  }
  return out;
}
