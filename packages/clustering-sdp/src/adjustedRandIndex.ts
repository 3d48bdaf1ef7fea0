import { contingencyMatrix } from './contingencyMatrix.js';

/**
 * Adjusted Rand index (Hubert & Arabie 1985), as scikit-learn's `adjusted_rand_score`:
 * 1 for identical partitions (up to relabeling), about 0 for independent ones, can be
 * negative. Special case as scikit-learn: 1 when both labelings are a single cluster or
 * both are all singletons.
 *
 * @param labelsTrue length-n integer labels
 * @param labelsPred length-n integer labels
 * @returns the ARI, a number in [−1, 1]
 * @throws {ShapeError} `SHAPE_MISMATCH` when the lengths differ or are 0
 * @example
 * adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 * adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]); // -0.5
 */
export function adjustedRandIndex(
  labelsTrue: ArrayLike<number>,
  labelsPred: ArrayLike<number>,
): number {
  const { matrix, classes, clusters } = contingencyMatrix(labelsTrue, labelsPred);
  const n = labelsTrue.length;
  const r = classes.length;
  const c = clusters.length;
  if ((r === c && (r === 1 || r === n)) || n === 1) return 1;
  const comb2 = (x: number) => (x * (x - 1)) / 2;
  let sumCells = 0;
  const rowSums = new Float64Array(r);
  const colSums = new Float64Array(c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const v = matrix.data[i * c + j]!;
      sumCells += comb2(v);
      rowSums[i]! += v;
      colSums[j]! += v;
    }
  }
  let sumA = 0;
  let sumB = 0;
  for (const v of rowSums) sumA += comb2(v);
  for (const v of colSums) sumB += comb2(v);
  const expected = (sumA * sumB) / comb2(n);
  const maxIndex = (sumA + sumB) / 2;
  if (maxIndex === expected) return 1;
  return (sumCells - expected) / (maxIndex - expected);
}
