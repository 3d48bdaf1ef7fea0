import { asMatrix, assertNumber, type Matrix, NonFiniteError, ShapeError } from '@lr/core';

/** Validated, contiguous float64 copies of the five tensor-attention operands. @internal */
export interface TensorAttentionArgs {
  q: Float64Array;
  k1: Float64Array;
  k2: Float64Array;
  v1: Float64Array;
  v2: Float64Array;
  nq: number;
  n1: number;
  n2: number;
  d: number;
  dv: number;
  /** Score scale; default 1/d. */
  scale: number;
}

function copy(name: string, m: Matrix): Float64Array {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) {
      const v = m.get(i, j);
      if (v - v !== 0)
        throw new NonFiniteError(`${name}: expected finite values, found ${v} at (${i}, ${j})`);
      out[i * m.cols + j] = v;
    }
  return out;
}

/**
 * Checks Q `[nq, d]`, K1 `[n1, d]`, K2 `[n2, d]`, V1 `[n1, dv]`, V2 `[n2, dv]` (n1, n2 ≥ 1,
 * d ≥ 1) and the `scale` option, and copies the operands to row-major float64.
 * @internal
 */
export function tensorAttentionArgs(
  Q: Matrix,
  K1: Matrix,
  K2: Matrix,
  V1: Matrix,
  V2: Matrix,
  scale: unknown,
): TensorAttentionArgs {
  const q = asMatrix('Q', Q);
  const k1 = asMatrix('K1', K1);
  const k2 = asMatrix('K2', K2);
  const v1 = asMatrix('V1', V1);
  const v2 = asMatrix('V2', V2);
  const d = q.cols;
  if (d < 1) throw new ShapeError(`Q: expected at least one column, got shape [${q.rows}, ${d}]`);
  if (k1.cols !== d)
    throw new ShapeError(`K1: expected ${d} columns (as Q), got shape [${k1.rows}, ${k1.cols}]`);
  if (k2.cols !== d)
    throw new ShapeError(`K2: expected ${d} columns (as Q), got shape [${k2.rows}, ${k2.cols}]`);
  if (k1.rows < 1 || k2.rows < 1)
    throw new ShapeError(
      `K1, K2: expected at least one key row each, got ${k1.rows} and ${k2.rows}`,
    );
  if (v1.rows !== k1.rows)
    throw new ShapeError(
      `V1: expected ${k1.rows} rows (as K1), got shape [${v1.rows}, ${v1.cols}]`,
    );
  if (v2.rows !== k2.rows)
    throw new ShapeError(
      `V2: expected ${k2.rows} rows (as K2), got shape [${v2.rows}, ${v2.cols}]`,
    );
  if (v2.cols !== v1.cols)
    throw new ShapeError(
      `V2: expected ${v1.cols} columns (as V1), got shape [${v2.rows}, ${v2.cols}]`,
    );
  const s = scale === undefined ? 1 / d : assertNumber('options.scale', scale);
  return {
    q: copy('Q', q),
    k1: copy('K1', k1),
    k2: copy('K2', k2),
    v1: copy('V1', v1),
    v2: copy('V2', v2),
    nq: q.rows,
    n1: k1.rows,
    n2: k2.rows,
    d,
    dv: v1.cols,
    scale: s,
  };
}
