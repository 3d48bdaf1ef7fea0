import type { Matrix } from '@lr/core';
import { asMatrix, ShapeError } from '@lr/core';

/** How close a model's next-token distributions are to a reference's, position by position. */
export interface LogitComparison {
  /** Mean over positions of KL(p_reference ‖ p_other), in nats. */
  kl: number;
  /** Largest per-position KL. */
  maxKl: number;
  /** Fraction of positions where the two arg-max tokens agree. */
  top1Agreement: number;
  /** Number of positions compared. */
  positions: number;
}

function logSoftmax(row: Float64Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of row) if (v > max) max = v;
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  const lse = max + Math.log(sum);
  return row.map((v) => v - lse);
}

function argMax(row: Float64Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/**
 * Compares two [T, vocab] logit matrices (e.g. the original and a compressed model on the
 * same tokens): mean and worst next-token KL divergence and top-1 agreement.
 * @throws {ShapeError} when the shapes differ
 * @example
 * const { kl, top1Agreement } = compareLogits(original.forward(tokens), compressed.forward(tokens));
 */
export function compareLogits(reference: Matrix, other: Matrix): LogitComparison {
  const a = asMatrix('reference', reference);
  const b = asMatrix('other', other);
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(`compareLogits: ${a.rows}×${a.cols} vs ${b.rows}×${b.cols}`);
  }
  let kl = 0;
  let maxKl = 0;
  let agree = 0;
  for (let t = 0; t < a.rows; t++) {
    const ra = a.rowArray(t);
    const rb = b.rowArray(t);
    const la = logSoftmax(ra);
    const lb = logSoftmax(rb);
    let k = 0;
    for (let i = 0; i < la.length; i++) k += Math.exp(la[i]!) * (la[i]! - lb[i]!);
    k = Math.max(0, k);
    kl += k;
    if (k > maxKl) maxKl = k;
    if (argMax(ra) === argMax(rb)) agree++;
  }
  const n = a.rows;
  return { kl: n ? kl / n : 0, maxKl, top1Agreement: n ? agree / n : 1, positions: n };
}
