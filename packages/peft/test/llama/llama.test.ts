import { readFileSync } from 'node:fs';
import { decodeSafetensor, LrError, readSafetensors, type Tensor } from '@lr/core';
import { compareLogits, Llama, parseLlamaConfig } from '@lr/peft';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../../../../../shared/data/weights/stories260K/', import.meta.url);
const config = parseLlamaConfig(JSON.parse(readFileSync(new URL('config.json', DIR), 'utf8')));
const file = readSafetensors(new Uint8Array(readFileSync(new URL('model.safetensors', DIR))));
const tensors = new Map<string, Tensor>();
for (const entry of file.tensors) tensors.set(entry.name, decodeSafetensor(entry));
const fixture = JSON.parse(
  readFileSync(new URL('fixtures/llama_logits.json', import.meta.url), 'utf8'),
) as {
  tokens: number[];
  interleaved: { rows: number[]; logits: number[][] };
  half: { rows: number[]; logits: number[][] };
};

describe('Llama forward pass on stories260K', () => {
  it('reads the config', () => {
    expect(config).toMatchObject({ hiddenSize: 64, numHeads: 8, numKvHeads: 4, headDim: 8 });
  });

  for (const style of ['interleaved', 'half'] as const) {
    it(`matches an independent numpy forward pass (${style} rotary pairs, float64)`, () => {
      const model = Llama.fromTensors(config, tensors, { dtype: 'float64', ropeStyle: style });
      const logits = model.forward(fixture.tokens);
      const ref = fixture[style];
      ref.rows.forEach((r, i) => {
        const want = ref.logits[i]!;
        const got = logits.rowArray(r);
        let err = 0;
        let norm = 0;
        for (let j = 0; j < want.length; j++) {
          err = Math.max(err, Math.abs(got[j]! - want[j]!));
          norm = Math.max(norm, Math.abs(want[j]!));
        }
        // 5 layers of O(d) sums in float64: far below 1e3·eps relative.
        expect(err / norm).toBeLessThan(1e3 * Number.EPSILON);
      });
    });
  }

  it('float32 agrees with float64 to single precision and tokens agree', () => {
    const m64 = Llama.fromTensors(config, tensors, { dtype: 'float64', ropeStyle: 'interleaved' });
    const m32 = Llama.fromTensors(config, tensors, { dtype: 'float32', ropeStyle: 'interleaved' });
    const c = compareLogits(m64.forward(fixture.tokens), m32.forward(fixture.tokens));
    expect(c.kl).toBeLessThan(1e-8);
    expect(c.top1Agreement).toBe(1);
  });

  it('attention is causal: a later token does not change earlier logits', () => {
    const m = Llama.fromTensors(config, tensors, { dtype: 'float64', ropeStyle: 'interleaved' });
    const a = m.forward([1, 5, 9, 300]);
    const b = m.forward([1, 5, 9, 17]);
    expect(compareLogits(a.rowRange(0, 3), b.rowRange(0, 3)).maxKl).toBe(0);
    expect(compareLogits(a.rowRange(3, 4), b.rowRange(3, 4)).maxKl).toBeGreaterThan(0);
  });

  it('generates deterministically from a seed, greedily at temperature 0', () => {
    const m = Llama.fromTensors(config, tensors, { ropeStyle: 'interleaved' });
    const a = m.generate({ maxTokens: 20, seed: 3 });
    expect(a).toHaveLength(21);
    expect(m.generate({ maxTokens: 20, seed: 3 })).toEqual(a);
    // Incremental decoding (key/value cache) agrees with the full forward at every step.
    const m64 = Llama.fromTensors(config, tensors, { dtype: 'float64', ropeStyle: 'interleaved' });
    const g = m64.generate({ prompt: [1, 40, 7], maxTokens: 30, temperature: 0 });
    const logits = m64.forward(g);
    for (let t = 2; t < g.length - 1; t++) {
      const row = logits.rowArray(t);
      expect(g[t + 1]).toBe(row.indexOf(Math.max(...row)));
    }
  });

  it('captures linear-layer inputs for calibration', () => {
    const m = Llama.fromTensors(config, tensors, { ropeStyle: 'interleaved' });
    const seen = new Map<string, [number, number]>();
    m.forward([1, 2, 3], { capture: (name, x) => seen.set(name, [x.rows, x.cols]) });
    expect(seen.size).toBe(35);
    expect(seen.get('model.layers.4.mlp.down_proj')).toEqual([3, 172]);
  });

  it('rejects bad input with LrError codes', () => {
    const m = Llama.fromTensors(config, tensors);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof LrError ? e.code : String(e);
      }
      return 'no error';
    };
    expect(code(() => m.forward([1, 512]))).toBe('INVALID_ARGUMENT');
    expect(code(() => m.forward([1.5]))).toBe('INVALID_ARGUMENT');
    expect(code(() => m.forward(new Array(513).fill(1)))).toBe('INVALID_ARGUMENT');
    const missing = new Map(tensors);
    missing.delete('model.norm.weight');
    expect(code(() => Llama.fromTensors(config, missing))).toBe('INVALID_ARGUMENT');
    const bad = new Map(tensors);
    bad.set(
      'model.norm.weight',
      tensors.get('model.layers.0.input_layernorm.weight')!.reshape([8, 8]),
    );
    expect(code(() => Llama.fromTensors(config, bad))).toBe('SHAPE_MISMATCH');
    expect(code(() => parseLlamaConfig({ ...JSON.parse('{}'), hidden_size: 64 }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(code(() => parseLlamaConfig({ model_type: 'gpt2' }))).toBe('INVALID_ARGUMENT');
    const nan = new Map(tensors);
    const w = tensors.get('model.layers.1.mlp.up_proj.weight')!.clone('float64');
    w.data[5] = Number.NaN;
    nan.set('model.layers.1.mlp.up_proj.weight', w);
    expect(code(() => Llama.fromTensors(config, nan))).toBe('NON_FINITE');
  });
});
