import { Matrix } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { gmm, ilaSdp, kmeans, misclusteringRate, sdpKmeans } from '../src/index.js';
import { mixture } from './_data.js';

describe('iLA-SDP (paper #8): heterogeneous clusters', () => {
  // an elongated cluster (σ = 4 along x, 0.4 along y) of 30 and a compact one (σ = 0.4) of 15,
  // centers 3 apart along y: k-means and SDP k-means cut the long cluster in half
  const { X, y } = mixture(
    [
      [0, 0],
      [0, 3],
    ],
    [30, 15],
    [
      [4, 0.4],
      [0.4, 0.4],
    ],
    1,
  );

  it('mis-clusters less than k-means and SDP k-means (EM reported)', () => {
    const km = misclusteringRate(y, kmeans(X, { k: 2, nInit: 10 }).labels);
    const sdp = misclusteringRate(y, sdpKmeans(X, { k: 2, tol: 1e-3 }).labels);
    const em = misclusteringRate(y, gmm(X, { k: 2 }).labels);
    const r = ilaSdp(X, { k: 2 });
    const ila = misclusteringRate(y, r.labels);
    process.stdout.write(
      `iLA-SDP claim (n = 45): k-means ${km.toFixed(3)}, SDP ${sdp.toFixed(3)}, EM ${em.toFixed(3)}, iLA-SDP ${ila.toFixed(3)}\n`,
    );
    expect(km).toBeGreaterThan(0.3);
    expect(sdp).toBeGreaterThan(0.3);
    expect(ila).toBeLessThan(0.05);
    expect(ila).toBeLessThan(Math.min(km, sdp));
    expect(r.converged).toBe(true);
    // the profile likelihood improves along the outer iterations
    const h = r.objectiveHistory;
    expect(h.at(-1)!).toBeLessThan(h[0]!);
    // memberships: rows of Σ_k Z_k·1 sum to 1, soft labels agree with the labels
    for (let i = 0; i < X.rows; i++) {
      const s = r.softLabels.get(i, 0) + r.softLabels.get(i, 1);
      expect(Math.abs(s - 1)).toBeLessThan(1e-9);
      expect(r.softLabels.get(i, r.labels[i]!)).toBeGreaterThanOrEqual(0.5);
    }
    expect(r.memberships).toHaveLength(2);
  });

  it('keeps exact labels as a fixed point; rejects bad input', () => {
    const r = ilaSdp(X, { k: 2, initLabels: y, maxOuterIterations: 2 });
    expect(misclusteringRate(y, r.labels)).toBeLessThan(0.05);
    expect(() => ilaSdp(X, { k: 2, initLabels: [0, 1] })).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
    expect(() => ilaSdp(X, { k: 2, initLabels: Array(45).fill(5) })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => ilaSdp(X, { k: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() =>
      ilaSdp(
        Matrix.from([
          [0, Number.NaN],
          [1, 1],
        ]),
        { k: 2 },
      ),
    ).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
  });
});
