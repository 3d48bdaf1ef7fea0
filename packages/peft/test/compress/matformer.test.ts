import { Matrix, randn, type Tensor } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  type Ffn,
  ffnForward,
  matformerSlice,
  matformerWidths,
  mixNMatch,
  mixNMatchTensors,
} from '../../src/compress/index.js';
import { codeOf, EPS64, fro, froDiff, storiesWeights } from './helpers.js';

/** The prefix submodel built by copying the first k hidden units into fresh arrays. */
function prefixCopy(f: Ffn, k: number): Ffn {
  const rows = (M: Matrix, n: number) => Matrix.from(M.toArray().slice(0, n));
  const cols = (M: Matrix, n: number) => Matrix.from(M.toArray().map((r) => r.slice(0, n)));
  return {
    up: rows(f.up, k),
    gate: f.gate ? rows(f.gate, k) : null,
    down: cols(f.down, k),
    upBias: f.upBias ? Float64Array.from(f.upBias.slice(0, k)) : null,
    gateBias: f.gateBias ? Float64Array.from(f.gateBias.slice(0, k)) : null,
    downBias: f.downBias ?? null,
  };
}

describe('MatFormer', () => {
  const ws = storiesWeights();
  const layer = (i: number): Ffn => ({
    up: ws.get(`model.layers.${i}.mlp.up_proj.weight`)!,
    gate: ws.get(`model.layers.${i}.mlp.gate_proj.weight`)!,
    down: ws.get(`model.layers.${i}.mlp.down_proj.weight`)!,
  });

  it('the slice (views) equals the copied prefix submodel on stories260K SwiGLU layers', () => {
    const X = randn(9, 64, { seed: 4 });
    for (const k of matformerWidths(172)) {
      const f = layer(1);
      const s = matformerSlice(f, k);
      expect(s.up.data).toBe(f.up.data); // a view, no copy
      expect(s.down.shape).toEqual([64, k]);
      const a = ffnForward(s, X);
      const b = ffnForward(prefixCopy(f, k), X);
      expect(froDiff(a, b)).toBeLessThanOrEqual(10 * 172 * EPS64 * fro(b));
    }
    expect(matformerWidths(172)).toEqual([172, 86, 43, 21]);
    // the full width is the whole model
    const f = layer(0);
    expect(ffnForward(matformerSlice(f, 172), X).data).toEqual(ffnForward(f, X).data);
  });

  it('ReLU FFN with biases: slice equals prefix; hidden units beyond k are what the slice drops', () => {
    const f: Ffn = {
      up: randn(16, 5, { seed: 1 }),
      upBias: randn(1, 16, { seed: 2 }).data as Float64Array,
      down: randn(5, 16, { seed: 3 }),
      downBias: randn(1, 5, { seed: 4 }).data as Float64Array,
    };
    const X = randn(7, 5, { seed: 5 });
    const s = matformerSlice(f, 6);
    expect(froDiff(ffnForward(s, X), ffnForward(prefixCopy(f, 6), X))).toBeLessThan(1e-13);
    // zeroing the down columns ≥ k of the full model gives the same output
    const down0 = f.down.clone();
    for (let i = 0; i < 5; i++) for (let j = 6; j < 16; j++) down0.set(i, j, 0);
    expect(froDiff(ffnForward(s, X), ffnForward({ ...f, down: down0 }, X))).toBeLessThan(1e-13);
  });

  it("Mix'n'Match: per-layer widths, on FFN objects and on a checkpoint's tensors", () => {
    const layers = [0, 1, 2, 3, 4].map(layer);
    const widths = [172, 86, 43, 86, 21];
    const sub = mixNMatch(layers, widths);
    sub.forEach((f, i) => {
      expect(f.up.rows).toBe(widths[i]);
    });
    const t = mixNMatchTensors(ws as Map<string, Tensor>, widths);
    expect([...t.keys()]).toEqual([...ws.keys()]);
    const X = randn(3, 64, { seed: 8 });
    for (let i = 0; i < 5; i++) {
      const f: Ffn = {
        up: t.get(`model.layers.${i}.mlp.up_proj.weight`) as Matrix,
        gate: t.get(`model.layers.${i}.mlp.gate_proj.weight`) as Matrix,
        down: t.get(`model.layers.${i}.mlp.down_proj.weight`) as Matrix,
      };
      expect(f.down.shape).toEqual([64, widths[i]]);
      expect(froDiff(ffnForward(f, X), ffnForward(sub[i]!, X))).toBeLessThan(1e-12);
    }
    expect(t.get('model.layers.0.self_attn.q_proj.weight')).toBe(
      ws.get('model.layers.0.self_attn.q_proj.weight'),
    );
  });

  it('bad input gives documented codes', () => {
    const f = layer(0);
    expect(codeOf(() => matformerSlice(f, 0))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => matformerSlice(f, 173))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => matformerSlice({ ...f, down: f.up }, 4))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => mixNMatch([f, f], [4]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => ffnForward(f, randn(2, 63)))).toBe('SHAPE_MISMATCH');
    const bad = randn(2, 64);
    bad.data[0] = Number.NaN;
    expect(codeOf(() => ffnForward(f, bad))).toBe('NON_FINITE');
  });
});
