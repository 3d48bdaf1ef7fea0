import { assertInt, checkAbort, Matrix, NotConvergedError, optionsObject } from '@lr/core';
import {
  assertEqualMass,
  costArg,
  functionArg,
  histogramArg,
  now,
  orDefault,
  signalArg,
} from './_validate.js';

/** Options of {@link emd}. */
export interface EmdOptions {
  /** Cap on simplex pivots; default 100000 (POT `ot.emd` `numItermax`). */
  numItermax?: number;
  /** Throw `NOT_CONVERGED` when the cap is hit instead of returning `converged: false`. */
  throwOnNotConverged?: boolean;
  /** Called every 100 pivots with the current cost. */
  onProgress?: (info: { iteration: number; cost: number }) => void;
  /** Stops the run with an `ABORTED` error (checked every 100 pivots). */
  signal?: AbortSignal;
}

/** Result of {@link emd}. */
export interface EmdResult {
  /** Optimal plan n×m (a vertex: at most n + m − 1 non-zeros). */
  plan: Matrix;
  /** Optimal cost ⟨P, M⟩. */
  cost: number;
  /**
   * Dual potentials with f_i + g_j ≤ M_ij and equality on the plan's support (gauge f₀ = 0);
   * Σa·f + Σb·g = cost at optimality.
   */
  potentials: { f: Float64Array; g: Float64Array };
  /** Simplex pivots done. */
  iterations: number;
  /** True when no reduced cost is negative (the plan is optimal). */
  converged: boolean;
  /** Wall-clock seconds. */
  seconds: number;
}

// A flow value x + k·ε of the perturbed problem (Orden 1956): supplies a_i + ε and the last
// demand b_m + n·ε make every basic solution non-degenerate, so no pivot is degenerate and
// the simplex cannot cycle. ε is symbolic: values compare lexicographically (x, then k).

/**
 * Exact optimal transport (earth mover's distance) by the transportation (network)
 * simplex: north-west-corner start, block-search pricing (the candidate-block rule of
 * network simplex codes), spanning-tree cycles, and Orden's lexicographic perturbation
 * as the anti-cycling rule. For small and medium problems (each pivot costs O(n + m) plus
 * pricing; a few hundred points per side is practical).
 *
 * Defaults (POT `ot.emd`): `numItermax` 100000.
 *
 * @param a source histogram, length n (`[]` = uniform)
 * @param b target histogram, length m, same total mass as `a` (relative tolerance 1e-6;
 *   b is rescaled to Σa exactly)
 * @param M cost matrix n×m
 * @param options see {@link EmdOptions}
 * @returns `{ plan, cost, potentials: { f, g }, iterations, converged, seconds }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for negative or unequal masses
 * @throws {ShapeError} `SHAPE_MISMATCH` if a, b do not match M
 * @throws {NonFiniteError} `NON_FINITE` for NaN/±∞ in a, b or M
 * @throws {NotConvergedError} `NOT_CONVERGED` only with `throwOnNotConverged`
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { Matrix } from '@lr/core';
 * import { emd } from '@lr/ot';
 * const M = Matrix.from([[0, 1], [1, 0]]);
 * emd([0.5, 0.5], [0.2, 0.8], M).cost; // 0.3
 */
export function emd(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: Matrix,
  options?: EmdOptions,
): EmdResult {
  const t0 = now();
  const { M: C, n, m } = costArg('M', M);
  const aa = histogramArg('a', a, n);
  const bb = histogramArg('b', b, m);
  assertEqualMass(aa, bb);
  const opts = optionsObject('options', options);
  const defaults = { numItermax: 100000 }; // POT ot.emd numItermax
  const numItermax = assertInt(
    'options.numItermax',
    orDefault(opts.numItermax, defaults.numItermax),
  );
  const onProgress = functionArg('options.onProgress', opts.onProgress);
  const signal = signalArg('options.signal', opts.signal);
  checkAbort(signal);
  let sa = 0;
  let sb = 0;
  for (const x of aa) sa += x;
  for (const x of bb) sb += x;
  for (let j = 0; j < m; j++) bb[j] *= sa / sb;
  const res = networkSimplex(aa, bb, C, n, m, sa, numItermax, onProgress, signal);
  if (!res.converged && opts.throwOnNotConverged)
    throw new NotConvergedError(`emd: no optimal plan after ${res.iterations} pivots`);
  return { ...res, seconds: now() - t0 };
}

// Assumes validated input with Σa = Σb = mass.
function networkSimplex(
  a: Float64Array,
  b: Float64Array,
  C: Float64Array,
  n: number,
  m: number,
  mass: number,
  numItermax: number,
  onProgress: ((info: { iteration: number; cost: number }) => void) | undefined,
  signal: AbortSignal | undefined,
): Omit<EmdResult, 'seconds'> {
  const E = n + m - 1;
  const ei = new Int32Array(E); // row of basic edge e
  const ej = new Int32Array(E); // column of basic edge e
  const fx = new Float64Array(E); // flow, real part
  const fk = new Float64Array(E); // flow, ε coefficient
  const basic = new Uint8Array(n * m);
  const tol = 1e-13 * mass;
  let maxC = 0;
  for (let k = 0; k < n * m; k++) maxC = Math.max(maxC, Math.abs(C[k]));
  const ctol = 1e-12 * (maxC + Number.MIN_VALUE);
  // lexicographic compare of (x1, k1) and (x2, k2) with a tolerance on x
  const cmp = (x1: number, k1: number, x2: number, k2: number) =>
    Math.abs(x1 - x2) > tol ? x1 - x2 : k1 - k2;

  // north-west corner start on the perturbed problem
  {
    let i = 0;
    let j = 0;
    let rx = a[0];
    let rk = 1;
    let cx = b[0];
    let ck = m === 1 ? n : 0;
    let e = 0;
    const add = (x: number, k: number) => {
      ei[e] = i;
      ej[e] = j;
      fx[e] = Math.abs(x) <= tol ? 0 : x;
      fk[e] = k;
      basic[i * m + j] = 1;
      e++;
    };
    for (;;) {
      if (i === n - 1 && j === m - 1) {
        add(rx, rk);
        break;
      }
      if (i === n - 1 || (j < m - 1 && cmp(rx, rk, cx, ck) > 0)) {
        add(cx, ck);
        rx -= cx;
        rk -= ck;
        j++;
        cx = b[j];
        ck = j === m - 1 ? n : 0;
      } else {
        add(rx, rk);
        cx -= rx;
        ck -= rk;
        i++;
        rx = a[i];
        rk = 1;
      }
    }
  }

  const N = n + m; // nodes: rows 0..n−1, columns n..n+m−1
  const pot = new Float64Array(N);
  const parent = new Int32Array(N); // parent node
  const pedge = new Int32Array(N); // edge to parent
  const depth = new Int32Array(N);
  const adjStart = new Int32Array(N + 1);
  const adj = new Int32Array(2 * E);
  const queue = new Int32Array(N);
  const fill = new Int32Array(N);
  // Rebuilds the tree (parents, depths) and the potentials pot_i + pot_{n+j} = C_ij.
  const buildTree = () => {
    adjStart.fill(0);
    for (let e = 0; e < E; e++) {
      adjStart[ei[e] + 1]++;
      adjStart[n + ej[e] + 1]++;
    }
    for (let v = 0; v < N; v++) adjStart[v + 1] += adjStart[v];
    fill.set(adjStart.subarray(0, N));
    for (let e = 0; e < E; e++) {
      adj[fill[ei[e]]++] = e;
      adj[fill[n + ej[e]]++] = e;
    }
    parent.fill(-2);
    parent[0] = -1;
    pedge[0] = -1;
    depth[0] = 0;
    pot[0] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = 0;
    while (head < tail) {
      const v = queue[head++];
      for (let q = adjStart[v]; q < adjStart[v + 1]; q++) {
        const e = adj[q];
        const w = v < n ? n + ej[e] : ei[e];
        if (parent[w] !== -2) continue;
        parent[w] = v;
        pedge[w] = e;
        depth[w] = depth[v] + 1;
        pot[w] = C[ei[e] * m + ej[e]] - pot[v];
        queue[tail++] = w;
      }
    }
  };

  const block = Math.max(16, Math.ceil(Math.sqrt(n * m)));
  let cursor = 0;
  let iterations = 0;
  let converged = false;
  const pathA: number[] = [];
  const pathB: number[] = [];
  for (;;) {
    buildTree();
    // block-search pricing: scan blocks cyclically, pivot on the best cell of the first
    // block that holds a negative reduced cost
    let best = -ctol;
    let bi = -1;
    let bj = -1;
    let scanned = 0;
    const total = n * m;
    while (scanned < total) {
      const end = Math.min(scanned + block, total);
      for (; scanned < end; scanned++) {
        const c = cursor;
        cursor = cursor + 1 === total ? 0 : cursor + 1;
        if (basic[c]) continue;
        const i = (c / m) | 0;
        const j = c - i * m;
        const r = C[c] - pot[i] - pot[n + j];
        if (r < best) {
          best = r;
          bi = i;
          bj = j;
        }
      }
      if (bi >= 0) break;
    }
    if (bi < 0) {
      converged = true;
      break;
    }
    if (iterations >= numItermax) break;
    iterations++;
    if (iterations % 100 === 0) {
      checkAbort(signal);
      if (onProgress) onProgress({ iteration: iterations, cost: flowCost() });
    }
    // tree path between row node bi and column node n + bj
    pathA.length = 0; // edges from the column node up to the common ancestor
    pathB.length = 0; // edges from the row node up to the common ancestor
    let x = n + bj;
    let y = bi;
    while (x !== y) {
      if (depth[x] >= depth[y]) {
        pathA.push(pedge[x]);
        x = parent[x];
      } else {
        pathB.push(pedge[y]);
        y = parent[y];
      }
    }
    for (let q = pathB.length - 1; q >= 0; q--) pathA.push(pathB[q]);
    // signs alternate −, +, −, … starting at the column node; θ = lexicographic min of −
    let leave = -1;
    let tx = 0;
    let tk = 0;
    for (let q = 0; q < pathA.length; q += 2) {
      const e = pathA[q];
      if (leave < 0 || cmp(fx[e], fk[e], tx, tk) < 0) {
        leave = e;
        tx = fx[e];
        tk = fk[e];
      }
    }
    for (let q = 0; q < pathA.length; q++) {
      const e = pathA[q];
      if (e === leave) continue;
      const s = q % 2 === 0 ? -1 : 1;
      const nx = fx[e] + s * tx;
      fx[e] = Math.abs(nx) <= tol ? 0 : nx;
      fk[e] += s * tk;
    }
    basic[ei[leave] * m + ej[leave]] = 0;
    ei[leave] = bi;
    ej[leave] = bj;
    fx[leave] = tx;
    fk[leave] = tk;
    basic[bi * m + bj] = 1;
  }

  function flowCost(): number {
    let s = 0;
    for (let e = 0; e < E; e++) s += fx[e] * C[ei[e] * m + ej[e]];
    return s;
  }

  const P = new Float64Array(n * m);
  let cost = 0;
  for (let e = 0; e < E; e++) {
    const x = Math.max(0, fx[e]);
    P[ei[e] * m + ej[e]] += x;
    cost += x * C[ei[e] * m + ej[e]];
  }
  return {
    plan: new Matrix(P, n, m),
    cost,
    potentials: { f: pot.slice(0, n), g: pot.slice(n) },
    iterations,
    converged,
  };
}
