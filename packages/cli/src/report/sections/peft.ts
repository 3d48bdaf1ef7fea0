import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Matrix } from '@lr/core';
import {
  expandCompressed,
  loadTensor,
  lowRankCompress,
  memoryStore,
  openModel,
  selectTargets,
} from '@lr/peft';
import { formatBytes, formatSeconds } from '../../format.js';
import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';
import { linePlot, PALETTE } from '../svg.js';

/** Parameter budgets (`lr compress --ratio`) the tour runs on stories260K. */
export const COMPRESS_RATIOS = [0.2, 0.5, 0.8] as const;

/** One point of a size/error curve. */
export interface SizePoint {
  /** Stored parameters of the compressed matrices / their original count. */
  size: number;
  /** √(Σ‖W − Ŵ‖² / Σ‖W‖²) over the matrices. */
  error: number;
  /** The setting that gave it (rank, energy or ratio). */
  setting: number;
}

interface Spectrum {
  rows: number;
  cols: number;
  S: Float64Array;
  total: number;
}

/**
 * Size/error of a per-layer rank rule, from the singular values alone (what lr compress
 * gives, since the truncated SVD is optimal): rank `pick(spectrum)` per layer, kept dense
 * where r·(out + in) ≥ out·in, as lowRankCompress does.
 */
export function curveFromSpectra(
  spectra: readonly Spectrum[],
  pick: (s: Spectrum) => number,
): { size: number; error: number } {
  let params = 0;
  let orig = 0;
  let err = 0;
  let norm = 0;
  for (const s of spectra) {
    const full = s.rows * s.cols;
    const r = pick(s);
    orig += full;
    norm += s.total;
    if (r * (s.rows + s.cols) >= full) {
      params += full;
      continue;
    }
    params += r * (s.rows + s.cols);
    let tail = 0;
    for (let i = r; i < s.S.length; i++) tail += s.S[i]! ** 2;
    err += tail;
  }
  return { size: params / orig, error: Math.sqrt(err / norm) };
}

function energyRank(s: Spectrum, e: number): number {
  let cum = 0;
  for (let i = 0; i < s.S.length; i++) {
    cum += s.S[i]! ** 2;
    if (cum >= e * s.total) return i + 1;
  }
  return s.S.length;
}

/**
 * The tour's section for @lr/peft: how far low-rank compression (`lr compress`, LORD) can
 * shrink the weights of stories260K, and at what error, for three ways of choosing ranks.
 */
export const peftSection: ReportSection = {
  id: 'peft',
  title: 'Compressing a language model with lr compress',
  order: 35,
  intro:
    'lr compress replaces each weight matrix W of a model folder by two thin factors P·Q from its truncated SVD (LORD), and lr peft builds PiSSA-style adapters from the same spectra. Here are the tail energies of stories260K’s 35 projection matrices and the size/error trade-off of three ways to choose the ranks: one rank for all, a per-layer energy threshold, and a global parameter budget.',
  async render(ctx) {
    const dir = join(ctx.assetsDir, 'stories260K');
    const store = memoryStore({
      'config.json': readFileSync(join(dir, 'config.json')),
      'model.safetensors': new Uint8Array(readFileSync(join(dir, 'model.safetensors'))),
    });
    const model = await openModel(store);
    const targets = selectTargets(model, 'all-linear');
    const Ws = new Map<string, Matrix>();
    for (const t of targets)
      Ws.set(t.weight, (await loadTensor(model, t.weight, { dtype: 'float64' })) as Matrix);

    // Budgets with lr compress's own function; the first run also gives the spectra.
    const runs = COMPRESS_RATIOS.map((ratio, i) => {
      ctx.progress.update('lr compress budgets', i + 1, COMPRESS_RATIOS.length);
      return ctx.time(`lowRankCompress ratio ${ratio}`, () => lowRankCompress(Ws, { ratio }));
    });
    const spent = ctx.timings.slice(-runs.length).reduce((s, t) => s + t.seconds, 0);
    const spectra: Spectrum[] = runs[0]!.layers.map((l) => ({
      rows: l.shape[0],
      cols: l.shape[1],
      S: l.singularValues,
      total: l.singularValues.reduce((s, x) => s + x * x, 0),
    }));
    // The reported error is the error of the expanded model (checked on the middle run).
    const mid = runs[1]!;
    const dense = expandCompressed(mid);
    let e2 = 0;
    let w2 = 0;
    for (const [name, W] of Ws) {
      const D = dense.get(name)!;
      for (let i = 0; i < W.data.length; i++) {
        e2 += (W.data[i]! - D.data[i]!) ** 2;
        w2 += W.data[i]! ** 2;
      }
    }
    const checked = Math.sqrt(e2 / w2);

    const kmax = Math.max(...spectra.map((s) => Math.min(s.rows, s.cols)));
    const uniform = Array.from({ length: kmax }, (_, i) => ({
      ...curveFromSpectra(spectra, (s) => Math.min(i + 1, s.S.length)),
      setting: i + 1,
    }));
    const energies = [0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999];
    const byEnergy = energies.map((e) => ({
      ...curveFromSpectra(spectra, (s) => energyRank(s, e)),
      setting: e,
    }));
    const budget: SizePoint[] = runs.map((r, i) => ({
      size: r.compressedParams / r.originalParams,
      error: r.relativeError,
      setting: COMPRESS_RATIOS[i]!,
    }));

    // Tail energy: the squared relative error of the best rank-r approximation, per matrix.
    const projections = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];
    const seen = new Set<string>();
    const tails = runs[0]!.layers.map((l, i) => {
      const s = spectra[i]!;
      const p = /\.(\w+)_proj\.weight$/.exec(l.name)?.[1] ?? 'other';
      const first = !seen.has(p);
      seen.add(p);
      let rest = s.total;
      const y: number[] = [];
      for (let k = 0; k < s.S.length; k++) {
        rest -= s.S[k]! ** 2;
        y.push(Math.max(rest / s.total, 1e-12));
      }
      return {
        name: p,
        x: y.map((_, k) => (k + 1) / s.S.length),
        y,
        color: PALETTE[Math.max(0, projections.indexOf(p)) % PALETTE.length]!,
        legend: first,
      };
    });
    const tailPlot = linePlot(
      tails.map((t) => ({ ...t, y: t.y.slice(0, -1), x: t.x.slice(0, -1) })),
      {
        title: 'Energy left out by the best rank-r approximation',
        width: 450,
        x: { label: 'r / min(m, n)', min: 0, max: 1 },
        y: { label: 'Σᵢ₍>r₎ σᵢ² / ‖W‖² (log)', log: true },
      },
    );
    const pct = (v: number) => 100 * v;
    const curvePlot = linePlot(
      [
        {
          name: 'one rank for all (--rank)',
          x: uniform.map((p) => pct(p.size)),
          y: uniform.map((p) => p.error),
          color: PALETTE[0],
        },
        {
          name: 'energy per layer (--energy)',
          x: byEnergy.map((p) => pct(p.size)),
          y: byEnergy.map((p) => p.error),
          color: PALETTE[1],
          dashed: true,
        },
        {
          name: 'global budget (--ratio)',
          x: budget.map((p) => pct(p.size)),
          y: budget.map((p) => p.error),
          color: PALETTE[2],
          mode: 'points',
        },
      ],
      {
        title: 'lr compress on stories260K: size against error',
        width: 450,
        x: { label: 'stored parameters, % of the 35 matrices', min: 0, max: 100 },
        y: { label: 'relative error ‖W − PQ‖F / ‖W‖F', min: 0 },
      },
    );
    const orig = runs[0]!.originalParams;
    const otherBytes = [...model.tensors.values()]
      .filter((t) => !Ws.has(t.name))
      .reduce((s, t) => s + (t.dataOffsets[1] - t.dataOffsets[0]), 0);
    const rows = budget.map((p, i) => {
      const r = runs[i]!;
      const lowRank = r.layers.filter((l) => l.lowRank).length;
      const sameSizeUniform = uniform.reduce((best, u) =>
        Math.abs(u.size - p.size) < Math.abs(best.size - p.size) ? u : best,
      );
      return [
        `--ratio ${p.setting}`,
        `${pct(p.size).toFixed(1)}%`,
        p.error.toFixed(4),
        `${sameSizeUniform.error.toFixed(4)} (rank ${sameSizeUniform.setting}, ${pct(sameSizeUniform.size).toFixed(0)}%)`,
        `${lowRank} / ${r.layers.length}`,
        formatBytes(4 * r.compressedParams + otherBytes),
      ];
    });
    const half = budget[1]!;
    ctx.say(
      `peft    stories260K: lr compress --ratio ${half.setting} keeps ${pct(half.size).toFixed(0)}% of ${orig.toLocaleString('en-US')} projection parameters at relative error ${half.error.toFixed(3)} (${COMPRESS_RATIOS.length} budgets in ${formatSeconds(spent)})`,
    );
    return `
<div class="plots">
${tailPlot}
${curvePlot}
</div>
<p class="note">The truncated SVD is the best rank-r approximation (Eckart–Young), so the left plot is the squared error of compressing one matrix to rank r. The curves on the right come from the same singular values; the points are actual runs of <code>lowRankCompress</code>, which chooses ranks across the whole model, step by step, by error removed per parameter. At --ratio ${COMPRESS_RATIOS[1]} the error recomputed from the expanded weights is ${checked.toFixed(6)} against ${mid.relativeError.toFixed(6)} reported.</p>
${htmlTable(['budget', 'stored', 'rel. error', 'one rank for all, nearest size', 'low-rank layers', 'file (F32)'], rows)}
<p class="note">Reproduce: <code>lr compress --model assets/stories260K --ratio 0.5 --out small</code>, then <code>lr decompress --model small --out dense</code>; <code>lr peft init --method pissa --model assets/stories260K --rank 8 --out adapter</code> writes a PiSSA adapter in Hugging Face PEFT format with its residual model.</p>`;
  },
};
