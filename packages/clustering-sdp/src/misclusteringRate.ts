import { _hungarian } from './_hungarian.js';
import { contingencyMatrix } from './contingencyMatrix.js';

/**
 * Mis-clustering rate: the fraction of samples whose predicted cluster disagrees with
 * their class under the best one-to-one matching of clusters to classes,
 * 1 − max_σ Σ_j N[σ(j), j] / n, where N is the contingency table. The matching is found
 * exactly by the Hungarian algorithm (Kuhn 1955) on −N (padded when the numbers of
 * classes and clusters differ; unmatched clusters count as errors).
 *
 * @param labelsTrue length-n integer labels
 * @param labelsPred length-n integer labels
 * @returns the rate in [0, 1]
 * @throws {ShapeError} `SHAPE_MISMATCH` when the lengths differ or are 0
 * @example
 * misclusteringRate([0, 0, 1, 1, 2], [2, 2, 0, 0, 0]); // 0.2
 */
export function misclusteringRate(
  labelsTrue: ArrayLike<number>,
  labelsPred: ArrayLike<number>,
): number {
  const { matrix, classes, clusters } = contingencyMatrix(labelsTrue, labelsPred);
  const n = labelsTrue.length;
  const r = classes.length;
  const c = clusters.length;
  const transpose = r > c;
  const rows = transpose ? c : r;
  const cols = transpose ? r : c;
  const cost = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      cost[i * cols + j] = -(transpose ? matrix.data[j * c + i]! : matrix.data[i * c + j]!);
    }
  }
  const assign = _hungarian(cost, rows, cols);
  let matched = 0;
  for (let i = 0; i < rows; i++) matched -= cost[i * cols + assign[i]!]!;
  return 1 - matched / n;
}
