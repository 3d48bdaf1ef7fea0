// Bundled by browser.test.ts for headless Chromium: runs GEMM, LoRA and attention on
// navigator.gpu and compares each with the CPU reference inside the page, using the same
// tolerances as the Node tests (see gemm.test.ts, lora.test.ts, attention.test.ts).
import { type Matrix, randn } from '@lr/core';
import {
  absMatrix,
  attention,
  attentionReference,
  EPS_F32,
  gemm,
  gemmReference,
  getGpu,
  lora,
  loraReference,
} from '../src/index.js';

interface CheckResult {
  name: string;
  ok: boolean;
  worst: number;
  detail: string;
}

function within(name: string, got: Matrix, ref: Matrix, bound: Matrix, gamma: number): CheckResult {
  let worst = 0;
  let bad = '';
  if (got.rows !== ref.rows || got.cols !== ref.cols) {
    return { name, ok: false, worst: Number.POSITIVE_INFINITY, detail: 'shape differs' };
  }
  for (let i = 0; i < ref.rows; i++)
    for (let j = 0; j < ref.cols; j++) {
      const err = Math.abs(got.get(i, j) - ref.get(i, j));
      const tol = gamma * bound.get(i, j);
      if (!(err <= tol) && !bad) bad = `(${i}, ${j}): error ${err} > ${tol}`;
      if (tol > 0) worst = Math.max(worst, err / tol);
    }
  return { name, ok: bad === '', worst, detail: bad };
}

function attentionGamma(Q: Matrix, K: Matrix, scale: number, causal: boolean): number {
  let g = 0;
  for (let i = 0; i < Q.rows; i++) {
    const jend = causal ? i + 1 : K.rows;
    let delta = 0;
    let smax = Number.NEGATIVE_INFINITY;
    let smin = Number.POSITIVE_INFINITY;
    for (let j = 0; j < jend; j++) {
      let dot = 0;
      let adot = 0;
      for (let c = 0; c < Q.cols; c++) {
        dot += Q.get(i, c) * K.get(j, c);
        adot += Math.abs(Q.get(i, c) * K.get(j, c));
      }
      delta = Math.max(delta, (Q.cols + 2) * EPS_F32 * Math.abs(scale) * adot);
      smax = Math.max(smax, scale * dot);
      smin = Math.min(smin, scale * dot);
    }
    const rho = 2 * delta + (3 + 2 * (smax - smin + delta)) * EPS_F32 + (jend + 4) * EPS_F32;
    g = Math.max(g, 2 * rho + (jend + 2) * EPS_F32);
  }
  return g;
}

async function runChecks(): Promise<{ adapter: string; source: string; results: CheckResult[] }> {
  const ctx = await getGpu({ timeoutMs: 15_000 });
  const results: CheckResult[] = [];
  try {
    const f = { dtype: 'float32' as const };
    const A = randn(33, 65, { seed: 1, ...f });
    const B = randn(65, 7, { seed: 2, ...f });
    const C = await gemm(ctx, A, B);
    results.push(
      within(
        'gemm 33×65·65×7',
        C,
        gemmReference(A, B),
        gemmReference(absMatrix(A), absMatrix(B)),
        67 * EPS_F32,
      ),
    );
    const Bt = randn(130, 65, { seed: 3, ...f });
    const Ct = await gemm(ctx, A, Bt, { transB: true });
    const o = { transB: true };
    results.push(
      within(
        'gemm 33×65·(130×65)ᵀ',
        Ct,
        gemmReference(A, Bt, o),
        gemmReference(absMatrix(A), absMatrix(Bt), o),
        67 * EPS_F32,
      ),
    );
    const x = randn(7, 33, { seed: 4, ...f });
    const W = randn(65, 33, { seed: 5, ...f });
    const La = randn(4, 33, { seed: 6, ...f });
    const Lb = randn(65, 4, { seed: 7, ...f });
    const y = await lora(ctx, x, W, La, Lb, { scale: 0.5 });
    results.push(
      within(
        'lora n=7 in=33 out=65 r=4',
        y,
        loraReference(x, W, La, Lb, 0.5),
        loraReference(absMatrix(x), absMatrix(W), absMatrix(La), absMatrix(Lb), 0.5),
        (2 * 33 + 4 + 6) * EPS_F32,
      ),
    );
    const Q = randn(65, 16, { seed: 8, ...f });
    const K = randn(65, 16, { seed: 9, ...f });
    const V = randn(65, 7, { seed: 10, ...f });
    const scale = Math.fround(1 / 4);
    for (const causal of [false, true]) {
      const O = await attention(ctx, Q, K, V, { causal });
      results.push(
        within(
          `attention n=65 d=16 causal=${causal}`,
          O,
          attentionReference(Q, K, V, { causal, scale }),
          attentionReference(Q, K, absMatrix(V), { causal, scale }),
          attentionGamma(Q, K, scale, causal),
        ),
      );
    }
    return {
      adapter: `${ctx.info.vendor} ${ctx.info.architecture} ${ctx.info.description}`.trim(),
      source: ctx.source,
      results,
    };
  } finally {
    ctx.dispose();
  }
}

(globalThis as { runChecks?: typeof runChecks }).runChecks = runChecks;
