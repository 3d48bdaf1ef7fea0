import { asMatrix, Matrix, ShapeError } from '@lr/core';

/** Options of {@link attentionReference} and the GPU attention. */
export interface AttentionOptions {
  /** Score scale; default 1/√d (Vaswani et al. 2017). */
  scale?: number;
  /** Query i sees keys j ≤ i only; default false. */
  causal?: boolean;
}

/**
 * CPU reference of single-head scaled softmax attention in float64:
 * `O = softmax(s·Q·Kᵀ [+ causal mask])·V`, each row stabilised by subtracting its max.
 *
 * @param Q n×d queries; @param K m×d keys; @param V m×dv values
 * @returns n×dv float64
 * @throws {ShapeError} when shapes disagree (causal needs n ≤ m)
 * @example
 * attentionReference(Q, K, V, { causal: true });
 */
export function attentionReference(
  Q: Matrix,
  K: Matrix,
  V: Matrix,
  options: AttentionOptions = {},
): Matrix {
  const q = asMatrix('Q', Q);
  const k = asMatrix('K', K);
  const v = asMatrix('V', V);
  checkAttentionShapes(q, k, v);
  const n = q.rows;
  const m = k.rows;
  const d = q.cols;
  const dv = v.cols;
  const scale = options.scale ?? 1 / Math.sqrt(d);
  const out = new Float64Array(n * dv);
  const s = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const jmax = options.causal ? i + 1 : m;
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < jmax; j++) {
      let t = 0;
      for (let c = 0; c < d; c++) t += q.get(i, c) * k.get(j, c);
      s[j] = scale * t;
      if (s[j]! > mx) mx = s[j]!;
    }
    let l = 0;
    for (let j = 0; j < jmax; j++) {
      s[j] = Math.exp(s[j]! - mx);
      l += s[j]!;
    }
    for (let j = 0; j < jmax; j++) {
      const p = s[j]! / l;
      for (let c = 0; c < dv; c++) out[i * dv + c]! += p * v.get(j, c);
    }
  }
  return Matrix.fromData(out, n, dv);
}

/** @internal */
export function checkAttentionShapes(
  Q: { rows: number; cols: number },
  K: { rows: number; cols: number },
  V: { rows: number; cols: number },
  causal = false,
): void {
  if (K.cols !== Q.cols)
    throw new ShapeError(`attention: K is ${K.rows}×${K.cols}, expected m×${Q.cols} (d of Q)`);
  if (V.rows !== K.rows)
    throw new ShapeError(`attention: V has ${V.rows} rows, expected ${K.rows} (rows of K)`);
  if (causal && K.rows < Q.rows)
    throw new ShapeError(
      `attention: causal needs at least as many keys (${K.rows}) as queries (${Q.rows})`,
    );
}
