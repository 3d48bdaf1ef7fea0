import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, kmeans } from '../src/index.js';
import { hasTable, loadTable } from './_fixtures.js';

/** scikit-learn KMeans / GaussianMixture on the z-scored tables (fixtures/make_real_data.py). */
// biome-ignore lint/suspicious/noExplicitAny: JSON fixture
const real: any = JSON.parse(
  readFileSync(fileURLToPath(new URL('fixtures/realData.json', import.meta.url)), 'utf8'),
);

/** Z-scores every column (population std), as make_real_data.py does. */
function standardize(name: string) {
  const { X, y } = loadTable(name);
  const n = X.rows;
  const d = X.cols;
  const Z = X.clone();
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += X.get(i, j) / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X.get(i, j) - m) ** 2 / n;
    const s = v > 0 ? Math.sqrt(v) : 1;
    for (let i = 0; i < n; i++) Z.set(i, j, (X.get(i, j) - m) / s);
  }
  return { X: Z, y };
}

for (const name of ['iris.csv', 'wine_data.csv']) {
  describe.skipIf(!hasTable(name))(`kmeans on standardized ${name} vs scikit-learn`, () => {
    it('k-means++ with 10 inits: ARI within 0.02 and inertia no worse than KMeans(n_init=10)', () => {
      const { X, y } = standardize(name);
      const ref = real.tables[name];
      const r = kmeans(X, { k: ref.k, nInit: 10, seed: 0 });
      expect(Math.abs(adjustedRandIndex(y, r.labels) - ref.kmeans_ari)).toBeLessThan(0.02);
      expect(r.inertia).toBeLessThanOrEqual(ref.kmeans_inertia * (1 + 1e-6));
    });
  });
}
