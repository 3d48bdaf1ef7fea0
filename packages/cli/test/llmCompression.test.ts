import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCompressionExperiment } from '../src/experiments/llmCompression.js';

const dir = new URL('../assets/stories260K/', import.meta.url);
const model = {
  config: readFileSync(new URL('config.json', dir), 'utf8'),
  safetensors: new Uint8Array(readFileSync(new URL('model.safetensors', dir))),
};

describe('compressing stories260K, judged by next-token KL against the original', () => {
  it('orders the methods as the papers say, at equal storage', () => {
    const r = runCompressionExperiment(model, { sequences: 2, length: 32, lqMaxIter: 20 });
    const kl = (prefix: string) => {
      const row = r.rows.find((x) => x.variant.startsWith(prefix));
      if (!row) throw new Error(`no row ${prefix}`);
      return row.kl;
    };
    const orig = r.rows[0]!;
    expect(orig.kl).toBe(0);
    expect(orig.top1Agreement).toBe(1);
    // Fewer bits, larger divergence.
    expect(kl('NF8')).toBeLessThan(kl('NF4'));
    expect(kl('NF4')).toBeLessThan(kl('NF3 ('));
    // A rank-2 correction helps; EoRA's activation weighting helps more than plain SVD (#32).
    expect(kl('NF3 + rank-2 SVD')).toBeLessThan(kl('NF3 ('));
    expect(kl('NF3 + rank-2 EoRA')).toBeLessThan(kl('NF3 + rank-2 SVD'));
    // LQ-LoRA's alternation beats quantisation alone at the same bits (#11).
    expect(kl('LQ-LoRA')).toBeLessThan(kl('NF3 ('));
    // Data-aware LORD beats plain truncation at the same parameter budget (#31).
    expect(kl('LORD')).toBeLessThan(kl('SVD truncation'));
    // Equal storage within 1 %: the comparisons above are fair.
    const bits = r.rows.filter((x) => x.variant.includes('rank')).map((x) => x.bitsPerParam);
    for (const b of bits) expect(Math.abs(b / bits[0]! - 1)).toBeLessThan(0.01);
    // CorDA KPM leaves the context's principal directions in the base: removing its adapter
    // hurts far less than removing IPM's (#43).
    const [kpm, ipm] = r.corda;
    expect(kpm!.mode).toBe('kpm');
    expect(kpm!.kl).toBeLessThan(ipm!.kl);
    // MatFormer prefix slices are real smaller models (d_ff 86 and 43 of 172)
    expect(r.matformer.map((m) => m.width)).toEqual([86, 43]);
    for (const m of r.matformer) expect(m.kl).toBeGreaterThan(0);
  });
});
