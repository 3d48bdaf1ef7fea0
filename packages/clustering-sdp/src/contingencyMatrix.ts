import { type Matrix, ShapeError, zeros } from '@lr/core';
import { _labels } from './_dense.js';

/** Result of {@link contingencyMatrix}. */
export interface ContingencyResult {
  /** classes×clusters counts: entry (i, j) counts samples of class `classes[i]` in cluster `clusters[j]`. */
  matrix: Matrix;
  /** The distinct true labels, ascending. */
  classes: Int32Array;
  /** The distinct predicted labels, ascending. */
  clusters: Int32Array;
}

/** Sorted distinct values and the index of each label among them (private). */
export function _encode(labels: Int32Array): { values: Int32Array; codes: Int32Array } {
  const values = Int32Array.from(new Set(labels)).sort();
  const index = new Map<number, number>();
  for (let i = 0; i < values.length; i++) index.set(values[i]!, i);
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) codes[i] = index.get(labels[i]!)!;
  return { values, codes };
}

/**
 * Contingency table of two labelings (scikit-learn's `contingency_matrix`, dense): rows
 * are the distinct true labels in ascending order, columns the distinct predicted labels.
 *
 * @param labelsTrue length-n integer labels
 * @param labelsPred length-n integer labels
 * @returns `{ matrix, classes, clusters }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for non-integer labels
 * @throws {ShapeError} `SHAPE_MISMATCH` when the lengths differ or are 0
 * @example
 * const { matrix } = contingencyMatrix([0, 0, 1, 1], [1, 1, 1, 0]);
 * // matrix = [[0, 2], [1, 1]]
 */
export function contingencyMatrix(
  labelsTrue: ArrayLike<number>,
  labelsPred: ArrayLike<number>,
): ContingencyResult {
  const t = _labels('labelsTrue', labelsTrue);
  const p = _labels('labelsPred', labelsPred, t.length);
  if (t.length === 0) throw new ShapeError('labelsTrue: expected at least one label, got 0');
  const a = _encode(t);
  const b = _encode(p);
  const m = zeros(a.values.length, b.values.length);
  const cols = b.values.length;
  for (let i = 0; i < t.length; i++) m.data[a.codes[i]! * cols + b.codes[i]!]! += 1;
  return { matrix: m, classes: a.values, clusters: b.values };
}
