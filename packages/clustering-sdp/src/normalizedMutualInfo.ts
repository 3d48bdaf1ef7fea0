import { contingencyMatrix } from './contingencyMatrix.js';

function entropy(counts: Float64Array, n: number): number {
  let h = 0;
  for (const v of counts) if (v > 0) h -= (v / n) * Math.log(v / n);
  return h;
}

/**
 * Normalized mutual information with arithmetic normalization, as scikit-learn's
 * `normalized_mutual_info_score` (default `average_method='arithmetic'`):
 * NMI = I(U; V) / ((H(U) + H(V)) / 2), natural logarithms. 1 when both labelings are a
 * single cluster (as scikit-learn), 0 when the mutual information is 0.
 *
 * @param labelsTrue length-n integer labels
 * @param labelsPred length-n integer labels
 * @returns the NMI in [0, 1]
 * @throws {ShapeError} `SHAPE_MISMATCH` when the lengths differ or are 0
 * @example
 * normalizedMutualInfo([0, 0, 1, 1], [5, 5, 3, 3]); // 1
 */
export function normalizedMutualInfo(
  labelsTrue: ArrayLike<number>,
  labelsPred: ArrayLike<number>,
): number {
  const { matrix, classes, clusters } = contingencyMatrix(labelsTrue, labelsPred);
  const n = labelsTrue.length;
  const r = classes.length;
  const c = clusters.length;
  if (r === 1 && c === 1) return 1;
  const rowSums = new Float64Array(r);
  const colSums = new Float64Array(c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const v = matrix.data[i * c + j]!;
      rowSums[i]! += v;
      colSums[j]! += v;
    }
  }
  let mi = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const v = matrix.data[i * c + j]!;
      if (v > 0) mi += (v / n) * Math.log((v * n) / (rowSums[i]! * colSums[j]!));
    }
  }
  if (mi <= 0) return 0;
  const norm = (entropy(rowSums, n) + entropy(colSums, n)) / 2;
  return Math.min(1, mi / norm);
}
