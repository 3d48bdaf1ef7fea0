import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Matrix, readCsv } from '@lr/core';

const here = fileURLToPath(new URL('.', import.meta.url));

/** scikit-learn reference values made by fixtures/make_fixtures.py. */
// biome-ignore lint/suspicious/noExplicitAny: JSON fixture
export const fx: any = JSON.parse(readFileSync(`${here}fixtures/clustering.json`, 'utf8'));

export const dataDir = `${here}../../../../shared/data/tabular/`;

/** Whether a real data table is present (tests skip with a message when it is not). */
export function hasTable(name: string): boolean {
  const ok = existsSync(dataDir + name);
  if (!ok) process.stdout.write(`skipping: ${dataDir + name} is absent\n`);
  return ok;
}

/** Features (n×d) and integer labels (last column) of a table in ../shared/data/tabular. */
export function loadTable(name: string): { X: Matrix; y: Int32Array } {
  const { matrix } = readCsv(readFileSync(dataDir + name, 'utf8'), { skipRows: 1, header: false });
  const n = matrix.rows;
  const d = matrix.cols - 1;
  const X = new Float64Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) X[i * d + j] = matrix.get(i, j);
    y[i] = matrix.get(i, d);
  }
  return { X: Matrix.fromData(X, n, d), y };
}

/** Rows of a matrix as a new matrix. */
export function rows(X: Matrix, idx: number[]): Matrix {
  return Matrix.from(idx.map((i) => Array.from(X.rowArray(i))));
}

/** Max |a − b| over two equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
