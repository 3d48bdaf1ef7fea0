import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSafetensor, Matrix, readSafetensors, svd } from '@lr/core';
import { formatSeconds } from '../../format.js';
import { energy, energyRank, stableRank } from '../../spectrum.js';
import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';
import { barPlot, escapeXml, linePlot, PALETTE } from '../svg.js';

/** Projection names of a Llama block, in the order they are shown. */
export const LLAMA_PROJECTIONS = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] as const;

const WEIGHT_NAME =
  /^model\.layers\.(\d+)\.(?:self_attn|mlp)\.(q|k|v|o|gate|up|down)_proj\.weight$/;

/** Spectrum summary of one weight matrix. */
export interface WeightSpectrum {
  name: string;
  layer: number;
  projection: string;
  rows: number;
  cols: number;
  /** Singular values, descending. */
  S: Float64Array;
  stableRank: number;
  /** Smallest k keeping 90% / 99% of Σσ². */
  rank90: number;
  rank99: number;
}

/**
 * Singular value spectra of every attention and MLP projection of a Llama-style
 * safetensors checkpoint (`model.layers.{i}.self_attn.{q,k,v,o}_proj.weight`,
 * `model.layers.{i}.mlp.{gate,up,down}_proj.weight`), in layer then projection order.
 */
export function weightSpectra(
  bytes: Uint8Array,
  onMatrix?: (done: number, total: number) => void,
): WeightSpectrum[] {
  const file = readSafetensors(bytes);
  const picked = file.tensors
    .map((t) => ({ t, m: WEIGHT_NAME.exec(t.name) }))
    .filter(
      (x): x is { t: (typeof file.tensors)[number]; m: RegExpExecArray } =>
        x.m !== null && x.t.shape.length === 2,
    )
    .map(({ t, m }) => ({ t, layer: Number(m[1]), projection: m[2]! }))
    .sort(
      (a, b) =>
        a.layer - b.layer ||
        LLAMA_PROJECTIONS.indexOf(a.projection as (typeof LLAMA_PROJECTIONS)[number]) -
          LLAMA_PROJECTIONS.indexOf(b.projection as (typeof LLAMA_PROJECTIONS)[number]),
    );
  return picked.map(({ t, layer, projection }, i) => {
    onMatrix?.(i + 1, picked.length);
    const W = Matrix.fromTensor(decodeSafetensor(t));
    const S = svd(W, { valuesOnly: true }).S;
    const total = energy(S);
    return {
      name: t.name,
      layer,
      projection,
      rows: W.rows,
      cols: W.cols,
      S,
      stableRank: stableRank(S, total),
      rank90: energyRank(S, 0.9, total) ?? S.length,
      rank99: energyRank(S, 0.99, total) ?? S.length,
    };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * The model section: how low-rank the weights of a real (tiny) language model are, the
 * question behind LoRA-style compression and adapters.
 */
export const weightsSection: ReportSection = {
  id: 'weights',
  title: 'Spectra of a language model’s weights',
  order: 30,
  intro:
    'Low-rank compression and LoRA-family adapters (PiSSA, CorDA, …) rest on how fast the singular values of weight matrices decay. Here are the spectra of every attention (q, k, v, o) and MLP (gate, up, down) projection of stories260K, a 260K-parameter Llama trained on TinyStories, read straight from its safetensors file.',
  render(ctx) {
    const dir = join(ctx.assetsDir, 'stories260K');
    const bytes = ctx.time(
      'read model.safetensors',
      () => new Uint8Array(readFileSync(join(dir, 'model.safetensors'))),
    );
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const spectra = ctx.time('SVD of every weight matrix', () =>
      weightSpectra(bytes, (d, t) => ctx.progress.update('weight spectra', d, t)),
    );
    const tSvd = ctx.timings.at(-1)!.seconds;
    if (spectra.length === 0)
      throw new Error('no Llama projection weights found in model.safetensors');
    const layers = [...new Set(spectra.map((w) => w.layer))].sort((a, b) => a - b);
    const colorOf = (p: string) =>
      PALETTE[LLAMA_PROJECTIONS.indexOf(p as (typeof LLAMA_PROJECTIONS)[number]) % PALETTE.length]!;
    const seen = new Set<string>();
    const lines = spectra.map((w) => {
      const first = !seen.has(w.projection);
      seen.add(w.projection);
      const k = w.S.length;
      return {
        name: w.projection,
        x: Array.from({ length: k }, (_, i) => (i + 1) / k),
        y: Array.from(w.S, (s) => s / w.S[0]!),
        color: colorOf(w.projection),
        legend: first,
      };
    });
    const spectrumPlot = linePlot(lines, {
      title: `Normalized spectra of all ${spectra.length} projections`,
      width: 450,
      x: { label: 'i / min(m, n)', min: 0, max: 1 },
      y: { label: 'σᵢ / σ₁ (log scale)', log: true },
    });
    const present = LLAMA_PROJECTIONS.filter((p) => seen.has(p));
    const bars = barPlot(
      {
        categories: layers.map((l) => `layer ${l}`),
        series: present.map((p) => ({
          name: p,
          color: colorOf(p),
          values: layers.map((l) => {
            const w = spectra.find((x) => x.layer === l && x.projection === p);
            return w ? (100 * w.rank90) / Math.min(w.rows, w.cols) : Number.NaN;
          }),
        })),
      },
      {
        title: 'Rank keeping 90% of the energy, % of full rank',
        width: 450,
        y: { label: '% of min(m, n)', min: 0, max: 100 },
      },
    );
    const fractions = spectra.map((w) => w.rank90 / Math.min(w.rows, w.cols));
    const params = spectra.reduce((s, w) => s + w.rows * w.cols, 0);
    const params90 = spectra.reduce((s, w) => s + w.rank90 * (w.rows + w.cols), 0);
    const rows = spectra.map((w) => [
      w.name.replace(/^model\.layers\./, 'layers.'),
      `${w.rows}×${w.cols}`,
      w.S[0]!.toFixed(3),
      w.stableRank.toFixed(2),
      w.rank90,
      w.rank99,
      `${((100 * w.rank90) / Math.min(w.rows, w.cols)).toFixed(0)}%`,
    ]);
    const ratio = params90 / params;
    const verdict =
      ratio >= 0.6
        ? ': most of these weights are far from low-rank, so truncating them loses information, while a low-rank <em>update</em> (LoRA) to them stays cheap'
        : ratio >= 0.3
          ? ': a modest saving, at the cost of the last 10% of the energy'
          : ': these weights are strongly low-rank, and truncated factors compress them well';
    const lo = Math.min(...fractions);
    const hi = Math.max(...fractions);
    const med = median(fractions);
    ctx.say(
      `model   stories260K: ${spectra.length} weight matrices (${layers.length} layers × ${present.join(' ')}) in ${formatSeconds(tSvd)}; 90% energy needs ${(100 * lo).toFixed(0)}–${(100 * hi).toFixed(0)}% of full rank (median ${(100 * med).toFixed(0)}%)`,
    );
    const cfg = [
      'hidden_size',
      'intermediate_size',
      'num_hidden_layers',
      'num_attention_heads',
      'num_key_value_heads',
      'vocab_size',
    ]
      .filter((k) => config[k] !== undefined)
      .map((k) => `${k} ${escapeXml(String(config[k]))}`)
      .join(', ');
    return `
<p>Model: ${cfg}. All ${spectra.length} singular value decompositions (values only) took ${formatSeconds(tSvd)}.</p>
<div class="plots">
${spectrumPlot}
${bars}
</div>
<p class="note">Energy is Σσᵢ² = ‖W‖<sub>F</sub>²; the rank keeping 90% of it is the smallest k with Σ<sub>i≤k</sub> σᵢ² ≥ 0.9‖W‖<sub>F</sub>². Storing every matrix at that rank as two factors would take ${params90.toLocaleString('en-US')} numbers against ${params.toLocaleString('en-US')} (${((100 * params90) / params).toFixed(0)}%)${verdict}. The stable rank ‖W‖<sub>F</sub>²/σ₁² is a noise-robust lower bound on the rank.</p>
<details><summary>Every matrix</summary>
${htmlTable(['tensor', 'shape', 'σ₁', 'stable rank', 'rank 90%', 'rank 99%', '90% / full'], rows)}
</details>
<p class="note">Weights: Karpathy’s llama2.c <code>stories260K</code>, MIT licence. Reproduce one with <code>lr svd assets/stories260K/model.safetensors --tensor model.layers.0.mlp.up_proj.weight</code>.</p>`;
  },
};
