// GEMV, dot and axpy on the TypeScript and WebAssembly paths against kernel-free
// references: odd sizes, both orientations, strided matrices and vectors, α/β (β = 0 must
// overwrite NaN in y), f32 and f64.
import {
  axpyStrided,
  type DType,
  dotStrided,
  EPS,
  type FloatArray,
  gemv,
  gemvStrided,
  randn,
} from '@lr/core';
import { afterAll, describe, expect, it } from 'vitest';
import { resetBackend, use } from './_paths';

afterAll(resetBackend);

const SIZES = [1, 7, 63, 65, 257];
const DTYPES: DType[] = ['float64', 'float32'];
const VECTOR_PATHS = ['ts', 'wasm'] as const;

function vector(n: number, seed: number, dtype: DType): FloatArray {
  return randn(n, 1, { seed, dtype }).data;
}

describe.each(DTYPES)('gemvStrided %s', (dtype) => {
  it.each(SIZES)('size %i: both orientations, strided A, x and y, α/β', (s) => {
    const [m, n] = [s, s + 2];
    // A is a block of a bigger matrix; trans reads it through its transpose.
    const big = randn(m + 4, n + 3, { seed: s, dtype });
    const A = big.block(1, 2, m, n);
    for (const trans of [false, true]) {
      const op = trans ? A.T : A;
      const [rows, cols] = [op.rows, op.cols];
      // x with stride 2 and y with stride 3, both at an offset.
      const xs = vector(2 * cols + 1, s + 10, dtype);
      const y0 = vector(3 * rows + 2, s + 11, dtype);
      for (const [alpha, beta] of [
        [1, 0],
        [-1.5, 0.5],
      ] as const) {
        const ref = new Float64Array(rows);
        const scale = new Float64Array(rows);
        for (let i = 0; i < rows; i++) {
          let acc = 0;
          let abs = 0;
          for (let j = 0; j < cols; j++) {
            acc += op.get(i, j) * xs[1 + 2 * j]!;
            abs += Math.abs(op.get(i, j) * xs[1 + 2 * j]!);
          }
          const yi = beta === 0 ? 0 : y0[2 + 3 * i]!;
          ref[i] = alpha * acc + beta * yi;
          scale[i] = Math.abs(alpha) * abs + Math.abs(beta * yi);
        }
        for (const path of VECTOR_PATHS) {
          const y = y0.slice();
          if (beta === 0) for (let i = 0; i < rows; i++) y[2 + 3 * i] = Number.NaN;
          const untouched = y.slice();
          use(path);
          try {
            gemvStrided(
              rows,
              cols,
              alpha,
              op.data,
              op.offset,
              op.rowStride,
              op.colStride,
              xs,
              1,
              2,
              beta,
              y,
              2,
              3,
            );
          } finally {
            resetBackend();
          }
          const label = `${path} trans=${trans} α=${alpha} β=${beta}`;
          const gamma = (cols + 2) * EPS[dtype];
          for (let i = 0; i < rows; i++) {
            const err = Math.abs(y[2 + 3 * i]! - ref[i]!);
            expect(err, `${label} y[${i}]`).toBeLessThanOrEqual(gamma * scale[i]!);
          }
          for (let q = 0; q < y.length; q++)
            if ((q - 2) % 3 !== 0 || q < 2 || q >= 2 + 3 * rows)
              expect(y[q], `${label}: y outside its stride`).toBe(untouched[q]);
        }
      }
    }
  });
});

describe('gemv', () => {
  it.each(VECTOR_PATHS)('%s: gemv(A.T) agrees with gemv of a transposed copy', (path) => {
    const A = randn(70, 90, { seed: 4 });
    const x = vector(70, 5, 'float64');
    use(path);
    try {
      const y1 = gemv(A, x, { trans: true });
      const y2 = gemv(A.T.clone(), x);
      for (let i = 0; i < 90; i++) expect(y1[i]).toBeCloseTo(y2[i]!, 12);
    } finally {
      resetBackend();
    }
  });
});

describe.each(DTYPES)('dot and axpy %s', (dtype) => {
  it.each([...SIZES, 1000, 4099])('length %i on every path, contiguous and strided', (n) => {
    const x = vector(2 * n, n, dtype);
    const y = vector(2 * n, n + 1, dtype);
    for (const inc of [1, 2]) {
      let ref = 0;
      let abs = 0;
      for (let i = 0; i < n; i++) {
        ref += x[i * inc]! * y[i * inc]!;
        abs += Math.abs(x[i * inc]! * y[i * inc]!);
      }
      for (const path of VECTOR_PATHS) {
        use(path);
        let d: number;
        const z = y.slice();
        try {
          d = dotStrided(n, x, 0, inc, y, 0, inc);
          axpyStrided(n, -0.75, x, 0, inc, z, 0, inc);
        } finally {
          resetBackend();
        }
        const label = `${path} inc=${inc}`;
        expect(Math.abs(d - ref), `${label} dot`).toBeLessThanOrEqual((n + 2) * EPS[dtype] * abs);
        for (let i = 0; i < 2 * n; i++) {
          const want = i % inc === 0 && i / inc < n ? y[i]! - 0.75 * x[i]! : y[i]!;
          // one multiply and one add, each rounded in the array's precision
          expect(Math.abs(z[i]! - want), `${label} axpy[${i}]`).toBeLessThanOrEqual(
            2 * EPS[dtype] * (Math.abs(want) + Math.abs(0.75 * x[i]!)),
          );
        }
      }
    }
  });
});
