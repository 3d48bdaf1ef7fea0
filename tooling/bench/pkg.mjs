// "Package" cases of `pnpm bench` (tooling/bench/run.mjs): whole algorithms of @lr/recovery,
// @lr/clustering-sdp and @lr/ot on real data, beside numpy / scikit-learn (peers.py) where a
// peer exists. Each case reports a time (lr and peer), the ratio peer/lr, and a quality
// column (RMSE, ARI, certificate, cost agreement), so a fast wrong answer shows.
//
//   als     one ALS iteration on MovieLens ml-latest-small, rank 10: lr altmin and
//           robust-altmin against a numpy ALS (peers.py) of the same model
//   kmeans  k-means on digits (k = 10, k-means++, 1 init) against scikit-learn KMeans
//   gmm     GMM on digits (k = 10, full covariance) against scikit-learn GaussianMixture
//   sdp     sdpKmeans (ADMM and Burer–Monteiro) on Gaussian mixtures as n grows; no peer
//   w2      W2 between the 10 digit class means by sinkhornGrid against dense sinkhorn
//           (POT is not installed, so no Python peer)
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const PKG_GROUPS = ['als', 'kmeans', 'gmm', 'sdp', 'w2'];

export const DATA = {
  movielens: '/work/shared/data/ratings/movielens-latest-small.csv',
  digits: '/work/shared/data/tabular/digits.csv.gz',
};

/** ALS model shared by lr and the numpy peer (documented in the report's notes). */
export const ALS = { rank: 10, lambda: 10, biases: true, timedIterations: 5 };
/** Settings shared by lr and scikit-learn (scikit-learn's defaults). */
export const KMEANS = { k: 10, nInit: 1, maxIterations: 300, tol: 1e-4, seed: 0 };
export const GMM = { k: 10, regCovar: 1e-6, tol: 1e-3, maxIterations: 100, nInit: 1, seed: 0 };
/** Entropic regularization of the W2 cases (grid spacing 1/(side − 1), cost in [0, 2]). */
export const W2 = { reg: 5e-3, numItermax: 5000, stopThr: 1e-9 };

export function buildPkgCases({ quick, only }) {
  const want = (g) => !only || only.includes(g);
  const cases = [];
  if (want('als')) {
    cases.push({
      op: 'als',
      id: 'als-movielens-altmin',
      method: 'altmin',
      label: `ALS (altmin) per iteration, MovieLens, rank ${ALS.rank}`,
      path: DATA.movielens,
    });
    cases.push({
      op: 'als',
      id: 'als-movielens-robust',
      method: 'robust-altmin',
      label: `robust-altmin per iteration, MovieLens, rank ${ALS.rank}`,
      path: DATA.movielens,
      lrOnly: true,
    });
  }
  if (want('kmeans'))
    cases.push({
      op: 'kmeans',
      id: 'kmeans-digits',
      label: 'k-means, digits (k = 10)',
      path: DATA.digits,
    });
  if (want('gmm'))
    cases.push({
      op: 'gmm',
      id: 'gmm-digits',
      label: 'GMM full, digits (k = 10)',
      path: DATA.digits,
    });
  if (want('sdp')) {
    const admm = quick ? [50, 100] : [50, 100, 200];
    const bm = quick ? [200, 500] : [200, 500, 1000, 2000];
    for (const n of admm)
      cases.push({
        op: 'sdp',
        id: `sdp-admm-${n}`,
        solver: 'admm',
        n,
        label: `SDP k-means ADMM, n = ${n}`,
        lrOnly: true,
      });
    for (const n of bm)
      cases.push({
        op: 'sdp',
        id: `sdp-bm-${n}`,
        solver: 'burer-monteiro',
        n,
        label: `SDP k-means Burer–Monteiro, n = ${n}`,
        lrOnly: true,
      });
  }
  if (want('w2')) {
    cases.push({
      op: 'w2',
      id: 'w2-digits-8',
      side: 8,
      up: 1,
      label: 'W2 digit class means 8×8 (45 pairs)',
      path: DATA.digits,
    });
    if (!quick)
      cases.push({
        op: 'w2',
        id: 'w2-digits-32',
        side: 32,
        up: 4,
        pairs: 9,
        label: 'W2 digit class means 32×32 (×4 upsampled, 9 pairs)',
        path: DATA.digits,
      });
  }
  return cases;
}

// ------------------------------------------------------------------ data

let digitsCache = null;
/** digits.csv.gz: 1797 rows, 64 pixels then the label; no header. */
export function loadDigits() {
  if (digitsCache) return digitsCache;
  const text = gunzipSync(readFileSync(DATA.digits)).toString('utf8');
  const rows = text.split('\n').filter((l) => l.trim() !== '');
  const d = rows[0].split(',').length - 1;
  const X = new Float64Array(rows.length * d);
  const y = new Int32Array(rows.length);
  rows.forEach((line, i) => {
    const f = line.split(',').map(Number);
    for (let j = 0; j < d; j++) X[i * d + j] = f[j];
    y[i] = f[d];
  });
  digitsCache = { X, y, n: rows.length, d };
  return digitsCache;
}

/** Three unit-variance clusters in ℝ² at the corners of a triangle of side 8 (exact-recovery regime). */
function mixture(lr, n, seed) {
  const rng = new lr.Rng(seed);
  const side = 8;
  const C = [
    [0, 0],
    [side, 0],
    [side / 2, (side * Math.sqrt(3)) / 2],
  ];
  const X = new Float64Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y[i] = c;
    X[2 * i] = C[c][0] + rng.normal();
    X[2 * i + 1] = C[c][1] + rng.normal();
  }
  return { X: new lr.Matrix(X, n, 2), y };
}

/** Class means of digits as h×w histograms (mass 1), upsampled by `up` (nearest). */
function digitMeans(lr, up) {
  const { X, y, n, d } = loadDigits();
  const side = Math.round(Math.sqrt(d));
  const sums = Array.from({ length: 10 }, () => new Float64Array(d));
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sums[y[i]][j] += X[i * d + j];
  const S = side * up;
  return sums.map((s) => {
    const img = new Float64Array(S * S);
    let tot = 0;
    for (let r = 0; r < S; r++)
      for (let c = 0; c < S; c++) {
        const v = s[Math.floor(r / up) * side + Math.floor(c / up)];
        img[r * S + c] = v;
        tot += v;
      }
    for (let p = 0; p < img.length; p++) img[p] /= tot;
    return new lr.Matrix(img, S, S);
  });
}

// ------------------------------------------------------------------ lr runs

const fmt = (x, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const sci = (x) => (Number.isFinite(x) ? x.toExponential(1) : String(x));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One lr ALS run of 1 + N iterations; per-iteration times from the onProgress stamps. */
function alsRun(recovery, observed, method) {
  const stamps = [];
  const t0 = performance.now();
  const fit = recovery.completeMatrix(observed, {
    method,
    rank: ALS.rank,
    lambda: ALS.lambda,
    biases: ALS.biases,
    init: 'spectral',
    maxIterations: 1 + ALS.timedIterations,
    tol: 0, // never stop early: a fixed number of iterations
    seed: 0,
    onProgress: () => stamps.push(performance.now()),
  });
  const perIt = [];
  for (let i = 1; i < stamps.length; i++) perIt.push(stamps[i] - stamps[i - 1]);
  return { fit, firstMs: stamps[0] - t0, perIt, totalMs: performance.now() - t0 };
}

/**
 * Runs the lr side of a package case: returns { median_ms, min_ms, runs, quality, details }
 * or { skipped }.
 */
export async function runLrPkg(c, { libs, timeIt, reps }) {
  if (c.path && !existsSync(c.path)) return { skipped: `${c.path} is absent` };
  const { lr, recovery, clustering, ot } = libs;
  if (c.op === 'als') {
    if (!recovery) return { skipped: '@lr/recovery could not be loaded' };
    const text = readFileSync(c.path, 'utf8');
    const { observed } = recovery.parseRatings(text);
    c.shape = `${observed.rows}×${observed.cols}, ${observed.nnz} ratings`;
    const all = [];
    const firsts = [];
    let last = alsRun(recovery, observed, c.method); // warm-up (JIT), not counted
    for (let r = 0; r < reps; r++) {
      last = alsRun(recovery, observed, c.method);
      all.push(...last.perIt);
      firsts.push(last.firstMs);
    }
    const tr = last.fit.history.trainRmse;
    return {
      median_ms: median(all),
      min_ms: Math.min(...all),
      runs: all.length,
      quality: `train RMSE ${fmt(tr.at(-1), 4)} after ${tr.length} it; init + 1st it ${(median(firsts) / 1e3).toFixed(2)} s`,
      details: { trainRmse: tr, firstMs: firsts, perIterationMs: all, shape: c.shape },
    };
  }
  if (c.op === 'kmeans' || c.op === 'gmm') {
    if (!clustering) return { skipped: '@lr/clustering-sdp could not be loaded' };
    const { X, y, n, d } = loadDigits();
    const M = new lr.Matrix(X, n, d);
    const call =
      c.op === 'kmeans'
        ? () =>
            clustering.kmeans(M, {
              k: KMEANS.k,
              init: 'k-means++',
              nInit: KMEANS.nInit,
              maxIterations: KMEANS.maxIterations,
              tol: KMEANS.tol,
              seed: KMEANS.seed,
            })
        : () =>
            clustering.gmm(M, {
              k: GMM.k,
              covarianceType: 'full',
              regCovar: GMM.regCovar,
              tol: GMM.tol,
              maxIterations: GMM.maxIterations,
              nInit: GMM.nInit,
              init: 'kmeans',
              seed: GMM.seed,
            });
    let out;
    const t = await timeIt(() => {
      out = call(); // the last timed run's answer is the one judged (no extra run)
    });
    const ari = clustering.adjustedRandIndex(y, out.labels);
    const extra =
      c.op === 'kmeans'
        ? `inertia ${out.inertia.toExponential(4)}`
        : `lower bound ${fmt(out.lowerBound, 2)}${out.converged ? '' : ', not converged'}`;
    return {
      ...t,
      quality: `ARI ${fmt(ari)}, ${out.iterations} it, ${extra}`,
      details: { ari, iterations: out.iterations, converged: out.converged },
    };
  }
  if (c.op === 'sdp') {
    if (!clustering) return { skipped: '@lr/clustering-sdp could not be loaded' };
    const { X, y } = mixture(lr, c.n, 1);
    const call = () => clustering.sdpKmeans(X, { k: 3, solver: c.solver, seed: 0 });
    let out;
    const t = await timeIt(() => {
      out = call();
    });
    const cert = out.certificate;
    const miss = clustering.misclusteringRate(y, out.labels);
    const gap = cert.relativeGap === null ? '' : `gap ${sci(cert.relativeGap)}, `;
    return {
      ...t,
      quality: `${out.iterations} it${out.converged ? '' : ' (not converged)'}, ${gap}row-sum res ${sci(cert.rowSumResidual)}, miscl. ${fmt(miss)}`,
      details: {
        iterations: out.iterations,
        converged: out.converged,
        certificate: cert,
        misclustering: miss,
      },
    };
  }
  if (c.op === 'w2') {
    if (!ot) return { skipped: '@lr/ot could not be loaded' };
    const imgs = digitMeans(lr, c.up);
    const S = imgs[0].rows;
    const pairs = [];
    for (let i = 0; i < 10; i++) for (let j = i + 1; j < 10; j++) pairs.push([i, j]);
    const use = c.pairs ? pairs.filter(([i]) => i === 0).slice(0, c.pairs) : pairs;
    const opt = { reg: W2.reg, numItermax: W2.numItermax, stopThr: W2.stopThr };
    // grid: pixel (r, c) at (r, c)·spacing, spacing 1/(S − 1) (sinkhornGrid's default)
    const grid = () =>
      use.map(([i, j]) => ot.sinkhornGrid(imgs[i], imgs[j], { ...opt, densePlanLimit: 0 }));
    const coords = new Float64Array(S * S * 2);
    for (let r = 0; r < S; r++)
      for (let q = 0; q < S; q++) {
        coords[2 * (r * S + q)] = r / (S - 1);
        coords[2 * (r * S + q) + 1] = q / (S - 1);
      }
    const P = new lr.Matrix(coords, S * S, 2);
    const M = ot.costMatrix(P, P);
    const hist = imgs.map((m) => m.toFloat64Array());
    const dense = () => use.map(([i, j]) => ot.sinkhorn(hist[i], hist[j], M, opt));
    let g;
    let dn;
    const tg = await timeIt(() => {
      g = grid();
    });
    const td = await timeIt(() => {
      dn = dense();
    });
    let worst = 0;
    for (let p = 0; p < g.length; p++)
      worst = Math.max(worst, Math.abs(g[p].cost - dn[p].cost) / dn[p].cost);
    const conv = g.filter((r) => r.converged).length;
    const convD = dn.filter((r) => r.converged).length;
    let exact = '';
    let exactErr = null;
    if (S * S <= 100) {
      // exact W2² by the network simplex, to show the entropic bias at this reg
      exactErr = 0;
      for (const [p, [i, j]] of use.entries()) {
        const e = ot.emd(hist[i], hist[j], M);
        exactErr = Math.max(exactErr, Math.abs(g[p].cost - e.cost) / e.cost);
      }
      exact = `; vs exact W2² (emd) max rel diff ${sci(exactErr)}`;
    }
    const meanW2 = g.reduce((s, r) => s + Math.sqrt(r.cost), 0) / g.length;
    const per = (t) => ({
      ...t,
      median_ms: t.median_ms / use.length,
      min_ms: t.min_ms / use.length,
    });
    return {
      ...per(tg),
      quality: `mean W2 ${fmt(meanW2, 4)}; grid vs dense cost max rel diff ${sci(worst)}${exact}; converged ${conv}/${g.length}`,
      details: { pairs: use.length, worstRelDiff: worst, exactRelDiff: exactErr, meanW2 },
      peer: {
        name: 'lr dense sinkhorn',
        ...per(td),
        quality: `converged ${convD}/${dn.length}; ${S * S}×${S * S} cost matrix`,
      },
    };
  }
  return { skipped: `no lr call for ${c.op}` };
}

// ------------------------------------------------------------------ report

export function pkgMarkdown(cases, { fmtMs, fmtRatio }) {
  const lines = [];
  lines.push('## Package cases', '');
  lines.push(
    'Times: ALS per iteration (median over the timed iterations), W2 per pair, otherwise per full fit. Ratio = peer time / lr time.',
    '',
  );
  lines.push('| case | lr | lr result | peer | peer time · ratio | peer result |');
  lines.push('| --- | --- | --- | --- | --- | --- |');
  const foot = [];
  const note = (s) => {
    foot.push(s);
    return `[p${foot.length}]`;
  };
  for (const c of cases) {
    const ours = c.results.lr;
    const lrCell = !ours
      ? '–'
      : ours.skipped
        ? `skipped ${note(ours.skipped)}`
        : fmtMs(ours.median_ms);
    const lrQ = ours?.quality ?? '';
    const peer = c.results.peer;
    let name = '–';
    let pt = '–';
    let pq = '';
    if (peer) {
      name = peer.name ?? '–';
      if (peer.skipped) pt = `skipped ${note(peer.skipped)}`;
      else if (peer.median_ms !== undefined) {
        pt = fmtMs(peer.median_ms);
        if (ours?.median_ms) pt += ` · ${fmtRatio(peer.median_ms / ours.median_ms)}`;
      }
      pq = peer.quality ?? '';
    } else if (c.noPeer) name = c.noPeer;
    lines.push(`| ${c.label} | ${lrCell} | ${lrQ} | ${name} | ${pt} | ${pq} |`);
  }
  if (foot.length) {
    lines.push('');
    for (const [i, f] of foot.entries()) lines.push(`[p${i + 1}] ${f}`);
  }
  lines.push('');
  lines.push('Package-case settings:');
  lines.push(
    `- als: all ${'ratings'} of ml-latest-small (no split), rank ${ALS.rank}, λ = ${ALS.lambda} (ridge on every row of [U, b] and [V, c]), biases on (global mean μ, then 3 ridge sweeps for b, c, then b and c refitted jointly with U, V as an extra column), spectral init (lr: randomized SVD; numpy: scipy.sparse.linalg.svds), then 1 + ${ALS.timedIterations} iterations (lr: after one uncounted warm-up run; 1 measured run with --quick, 2 otherwise, both sides); one iteration = U-step + V-step (exact per-row normal equations) + train RMSE. numpy peer: per-row k'×k' normal matrices (k' = k + 1) by one batched outer product and np.add.reduceat, then one batched np.linalg.solve. Per-iteration time is the median of the timed iterations (the first, with the init, is reported separately). robust-altmin: 3 warm-started CG steps per row (lr only, no numpy version).`,
  );
  lines.push(
    `- kmeans: k = ${KMEANS.k}, k-means++, 1 init, max ${KMEANS.maxIterations} iterations, tol ${KMEANS.tol} (both; scikit-learn algorithm='lloyd', random_state=0; different random streams, so different seeds of k-means++). gmm: k = ${GMM.k}, full covariance, reg_covar ${GMM.regCovar}, tol ${GMM.tol}, max ${GMM.maxIterations} iterations, 1 init from k-means (both). Raw digits pixels (not standardized); ARI against the digit labels.`,
  );
  lines.push(
    '- sdp: 3 unit-variance Gaussian clusters in ℝ² at the corners of a triangle of side 8 (n/3 points each), sdpKmeans defaults (ADMM: tol 1e-5, ≤ 3000 iterations; BM: rank 2k, β = 10, ≤ 300 updates). No peer: no SDP k-means solver is installed for Python here (no cvxpy / SCS / MOSEK). "gap" is the relative duality gap of ADMM\'s certificate (slightly negative: Z is feasible to 1e-5); BM has no dual bound, only residuals.',
  );
  lines.push(
    `- w2: the 10 digit class means as histograms (mass 1), squared-Euclidean ground cost with pixel spacing 1/(side − 1), reg ${W2.reg}, stopThr ${W2.stopThr}, numItermax ${W2.numItermax}; W2 = √cost. Peer: lr's own dense sinkhorn on the same (side²)×(side²) cost matrix — POT (Python Optimal Transport) is not installed here, so no Python peer.`,
  );
  return lines;
}
