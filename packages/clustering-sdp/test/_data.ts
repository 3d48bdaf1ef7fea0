import { Matrix, Rng } from '@lr/core';

/** Gaussian mixture sample: centers (k×d), per-cluster std, sizes; returns X and labels. */
export function mixture(
  centers: number[][],
  sizes: number[],
  scales: number[][] | number[],
  seed: number,
): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const d = centers[0]!.length;
  const n = sizes.reduce((a, b) => a + b, 0);
  const X = new Float64Array(n * d);
  const y = new Int32Array(n);
  let i = 0;
  sizes.forEach((m, c) => {
    for (let t = 0; t < m; t++, i++) {
      y[i] = c;
      const s = scales[c]!;
      for (let j = 0; j < d; j++) {
        const sj = typeof s === 'number' ? s : s[j]!;
        X[i * d + j] = centers[c]![j]! + sj * rng.normal();
      }
    }
  });
  return { X: Matrix.fromData(X, n, d), y };
}

/** Union of k random dim-dimensional subspaces of ℝ^ambient, m points each, Gaussian coefficients plus noise. */
export function subspaces(
  k: number,
  dim: number,
  ambient: number,
  m: number,
  noise: number,
  seed: number,
): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const n = k * m;
  const X = new Float64Array(n * ambient);
  const y = new Int32Array(n);
  for (let c = 0; c < k; c++) {
    const B = Array.from({ length: dim }, () =>
      Array.from({ length: ambient }, () => rng.normal()),
    );
    for (let t = 0; t < m; t++) {
      const i = c * m + t;
      y[i] = c;
      for (let a = 0; a < dim; a++) {
        const w = rng.normal();
        for (let j = 0; j < ambient; j++) X[i * ambient + j]! += w * B[a]![j]!;
      }
      for (let j = 0; j < ambient; j++) X[i * ambient + j]! += noise * rng.normal();
    }
  }
  return { X: Matrix.fromData(X, n, ambient), y };
}
