import { readFileSync } from 'node:fs';
import { decodeSafetensor, LrError, Matrix, randn, readSafetensors } from '@lr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { popcount32 } from '../src/bitserial/_popcount.js';
import {
  type BipolarMatrix,
  bipolarCodes,
  bitSerialMatmul,
  bitSerialMatmulCpu,
  bitSerialMatmulTensors,
  dequantizeBipolar,
  quantizeBipolar,
  uploadBipolar,
} from '../src/bitserial/index.js';
import type { GpuContext } from '../src/runtime/context.js';
import { getGpu } from '../src/runtime/getGpu.js';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const WEIGHTS = '/work/shared/data/weights/stories260K/model.safetensors';
const U32 = 2 ** -24; // float32 unit roundoff

function expectCode(fn: () => unknown, code: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(LrError);
  expect((err as LrError).code).toBe(code);
}

async function expectCodeAsync(p: Promise<unknown>, code: string): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(LrError);
  expect((err as LrError).code).toBe(code);
}

/** Exact integer dots Σ_k qa[m,k]·qb[n,k] per segment of `seg` columns (naive). */
function naiveIntDots(qa: BipolarMatrix, qb: BipolarMatrix, seg: number): number[] {
  const a = bipolarCodes(qa);
  const b = bipolarCodes(qb);
  const K = qa.cols;
  const nSeg = K === 0 ? 0 : Math.ceil(K / seg);
  const out: number[] = [];
  for (let m = 0; m < qa.rows; m++)
    for (let n = 0; n < qb.rows; n++)
      for (let s = 0; s < nSeg; s++) {
        let acc = 0;
        for (let k = s * seg; k < Math.min(K, (s + 1) * seg); k++)
          acc += a[m * K + k]! * b[n * K + k]!;
        out.push(acc);
      }
  return out;
}

/** float64 dequantised product Â·B̂ᵀ and Σ|terms| per entry (for rounding bounds). */
function dequantProduct(qa: BipolarMatrix, qb: BipolarMatrix): { c: number[]; abs: number[] } {
  const A = dequantizeBipolar(qa);
  const B = dequantizeBipolar(qb);
  const c: number[] = [];
  const abs: number[] = [];
  for (let m = 0; m < qa.rows; m++)
    for (let n = 0; n < qb.rows; n++) {
      let s = 0;
      let t = 0;
      for (let k = 0; k < qa.cols; k++) {
        const p = A.get(m, k) * B.get(n, k);
        s += p;
        t += Math.abs(p);
      }
      c.push(s);
      abs.push(t);
    }
  return { c, abs };
}

describe('popcount32', () => {
  it('matches a bit-by-bit count', () => {
    const words = [0, 1, 0xffffffff, 0x80000000, 0x55555555, 0xdeadbeef, 0x7fffffff, 12345678];
    for (const w of words) {
      let n = 0;
      for (let i = 0; i < 32; i++) n += (w >>> i) & 1;
      expect(popcount32(w)).toBe(n);
    }
  });
});

describe('quantizeBipolar', () => {
  it('stores odd codes in [−(2^b−1), 2^b−1], absmax scales and zero pad bits, for b = 1..8', () => {
    const W = randn(6, 45, { seed: 3 });
    for (let bits = 1; bits <= 8; bits++) {
      const q = quantizeBipolar(W, { bits });
      const qmax = 2 ** bits - 1;
      expect(q.wordsPerRow).toBe(2);
      expect(q.planes.length).toBe(bits * 6 * 2);
      const codes = bipolarCodes(q);
      for (const v of codes) {
        expect(Math.abs(v % 2)).toBe(1);
        expect(Math.abs(v)).toBeLessThanOrEqual(qmax);
      }
      for (let r = 0; r < 6; r++) {
        let amax = 0;
        for (let k = 0; k < 45; k++) amax = Math.max(amax, Math.abs(W.get(r, k)));
        expect(q.scales[r]).toBe(Math.fround(amax / qmax));
        // the absmax element gets the extreme code; every code is the nearest odd one
        for (let k = 0; k < 45; k++) {
          const y = W.get(r, k) / q.scales[r]!;
          const c = codes[r * 45 + k]!;
          const dist = Math.abs(y - c);
          expect(dist).toBeLessThanOrEqual(1 + 1e-12);
          if (Math.abs(y) <= qmax) {
            for (const other of [c - 2, c + 2])
              if (Math.abs(other) <= qmax)
                expect(dist).toBeLessThanOrEqual(Math.abs(y - other) + 1e-12);
          }
        }
      }
      for (let p = 0; p < bits * 6; p++) expect(q.planes[p * 2 + 1]! >>> 13).toBe(0);
      // dequantisation is s·q exactly
      const D = dequantizeBipolar(q);
      for (let r = 0; r < 6; r++)
        for (let k = 0; k < 45; k++) expect(D.get(r, k)).toBe(q.scales[r]! * codes[r * 45 + k]!);
    }
  });

  it('reads a bipolar code as Σ 2^i·(2β_i − 1) over its bit planes', () => {
    const q = quantizeBipolar(Matrix.from([[-7, -5, -3, -1, 1, 3, 5, 7]]), { bits: 3 });
    expect(q.scales[0]).toBe(1);
    expect(Array.from(bipolarCodes(q))).toEqual([-7, -5, -3, -1, 1, 3, 5, 7]);
    // u = (q + 7)/2 = 0..7: plane i holds bit i of u
    expect(q.planes[0]).toBe(0b10101010);
    expect(q.planes[1]).toBe(0b11001100);
    expect(q.planes[2]).toBe(0b11110000);
  });

  it('error falls with every extra bit; mse scales never lose to absmax; groups help', () => {
    const W = randn(8, 256, { seed: 11 });
    let prev = Infinity;
    for (let bits = 1; bits <= 8; bits++) {
      const abs = quantizeBipolar(W, { bits });
      const mse = quantizeBipolar(W, { bits, scaleMethod: 'mse' });
      const grp = quantizeBipolar(W, { bits, groupSize: 32 });
      expect(abs.relativeError).toBeLessThan(prev);
      expect(mse.relativeError).toBeLessThanOrEqual(abs.relativeError);
      expect(grp.relativeError).toBeLessThanOrEqual(abs.relativeError);
      prev = abs.relativeError;
    }
    // 1 bit: the mse scale is the L2-optimal mean|x| (sign quantisation): error √(1 − 2/π)
    const one = quantizeBipolar(randn(1, 20000, { seed: 5 }), { bits: 1, scaleMethod: 'mse' });
    expect(one.relativeError).toBeCloseTo(Math.sqrt(1 - 2 / Math.PI), 2);
  });

  it('runs the documented examples', () => {
    const q = quantizeBipolar(
      Matrix.from([
        [0.5, -1, 0.25],
        [2, 0, -2],
      ]),
      { bits: 2 },
    );
    expect(Array.from(q.scales)).toEqual([Math.fround(1 / 3), Math.fround(2 / 3)]);
    expect(Array.from(bipolarCodes(q))).toEqual([1, -3, 1, 3, 1, -3]);
    expect(
      dequantizeBipolar(quantizeBipolar(Matrix.from([[3, -1]]), { bits: 2 })).toArray(),
    ).toEqual([[3, -1]]);
    expect(
      Array.from(bipolarCodes(quantizeBipolar(Matrix.from([[1, -1, 0.3]]), { bits: 1 }))),
    ).toEqual([1, -1, 1]);
  });

  it('all-zero rows get scale 0 and dequantise to 0', () => {
    const q = quantizeBipolar(
      Matrix.from([
        [0, 0, 0],
        [1, 2, 3],
      ]),
      { bits: 2 },
    );
    expect(q.scales[0]).toBe(0);
    expect(dequantizeBipolar(q).toArray()[0]).toEqual([0, 0, 0]);
    expect(q.relativeError).toBeLessThan(1);
  });

  it('quantisation error on a real weight matrix (stories260K) falls with bits', () => {
    const file = readSafetensors(new Uint8Array(readFileSync(WEIGHTS)));
    const W = decodeSafetensor(file.get('model.layers.0.mlp.down_proj.weight')!) as Matrix;
    expect(W.shape).toEqual([64, 172]);
    const errs = [];
    for (let bits = 1; bits <= 8; bits++) {
      const e = quantizeBipolar(W, { bits }).relativeError;
      errs.push(e);
      if (bits > 1) expect(e).toBeLessThan(errs[bits - 2]!);
    }
    // absmax steps are s = max|w|/(2^b − 1): from 4 bits on, each bit roughly halves the error
    for (let bits = 5; bits <= 8; bits++) {
      const ratio = errs[bits - 1]! / errs[bits - 2]!;
      expect(ratio).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(0.6);
    }
  });
});

describe('bitSerialMatmulCpu', () => {
  it('is integer-exact and equals the float64 dequantised product, every bit pair 1..8 × 1..8', () => {
    const A = randn(5, 77, { seed: 1 });
    const B = randn(7, 77, { seed: 2 });
    for (let ba = 1; ba <= 8; ba++) {
      const qa = quantizeBipolar(A, { bits: ba });
      for (let bb = 1; bb <= 8; bb++) {
        const qb = quantizeBipolar(B, { bits: bb });
        const r = bitSerialMatmulCpu(qa, qb, { returnAccumulators: true });
        expect(r.segments).toBe(1);
        expect(Array.from(r.accumulators!)).toEqual(naiveIntDots(qa, qb, 77));
        const ref = dequantProduct(qa, qb);
        for (let i = 0; i < ref.c.length; i++)
          expect(Math.abs(r.c.data[i]! - ref.c[i]!)).toBeLessThanOrEqual(
            80 * 2 ** -53 * ref.abs[i]!,
          );
      }
    }
  });

  it('handles scale groups (nested sizes) segment by segment', () => {
    const A = randn(4, 200, { seed: 7 });
    const B = randn(3, 200, { seed: 8 });
    const cases: [number | undefined, number | undefined][] = [
      [64, 32],
      [32, 64],
      [undefined, 64],
      [96, undefined],
      [64, 64],
    ];
    for (const [ga, gb] of cases) {
      const qa = quantizeBipolar(A, { bits: 3, groupSize: ga });
      const qb = quantizeBipolar(B, { bits: 5, groupSize: gb });
      const r = bitSerialMatmulCpu(qa, qb, { returnAccumulators: true });
      const seg = Math.min(qa.groupSize, qb.groupSize);
      expect(r.segmentSize).toBe(seg);
      expect(Array.from(r.accumulators!)).toEqual(naiveIntDots(qa, qb, seg));
      const ref = dequantProduct(qa, qb);
      for (let i = 0; i < ref.c.length; i++)
        expect(Math.abs(r.c.data[i]! - ref.c[i]!)).toBeLessThanOrEqual(
          250 * 2 ** -53 * ref.abs[i]!,
        );
    }
  });

  it('handles empty and one-column shapes', () => {
    const q0 = quantizeBipolar(new Matrix(new Float64Array(0), 3, 0), { bits: 2 });
    const r0 = bitSerialMatmulCpu(q0, q0);
    expect(r0.c.toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const q1 = quantizeBipolar(Matrix.from([[2], [-1]]), { bits: 1 });
    expect(bitSerialMatmulCpu(q1, q1).c.toArray()).toEqual([
      [4, -2],
      [-2, 1],
    ]);
  });

  it('rejects bad input with documented codes', () => {
    const W = randn(3, 40, { seed: 1 });
    expectCode(() => quantizeBipolar(W, { bits: 0 }), 'INVALID_ARGUMENT');
    expectCode(() => quantizeBipolar(W, { bits: 9 }), 'INVALID_ARGUMENT');
    expectCode(() => quantizeBipolar(W, { bits: 2.5 }), 'INVALID_ARGUMENT');
    expectCode(() => quantizeBipolar(W, {} as never), 'INVALID_ARGUMENT');
    expectCode(() => quantizeBipolar(W, { bits: 2, groupSize: 20 }), 'INVALID_ARGUMENT');
    expectCode(() => quantizeBipolar(W, { bits: 2, groupSize: 0 }), 'INVALID_ARGUMENT');
    expectCode(
      () => quantizeBipolar(W, { bits: 2, scaleMethod: 'best' as never }),
      'INVALID_ARGUMENT',
    );
    expectCode(() => quantizeBipolar([[1, 2]] as never, { bits: 2 }), 'INVALID_ARGUMENT');
    const bad = W.clone() as Matrix;
    bad.set(1, 7, Number.NaN);
    expectCode(() => quantizeBipolar(bad, { bits: 2 }), 'NON_FINITE');
    bad.set(1, 7, Infinity);
    expectCode(() => quantizeBipolar(bad, { bits: 2 }), 'NON_FINITE');
    bad.set(1, 7, 1e300); // finite, but its scale does not fit in float32
    expectCode(() => quantizeBipolar(bad, { bits: 2 }), 'INVALID_ARGUMENT');

    const qa = quantizeBipolar(W, { bits: 2 });
    const qb = quantizeBipolar(randn(3, 41, { seed: 2 }), { bits: 2 });
    expectCode(() => bitSerialMatmulCpu(qa, qb), 'SHAPE_MISMATCH');
    const g64 = quantizeBipolar(randn(2, 300, { seed: 3 }), { bits: 2, groupSize: 64 });
    const g96 = quantizeBipolar(randn(2, 300, { seed: 4 }), { bits: 2, groupSize: 96 });
    expectCode(() => bitSerialMatmulCpu(g64, g96), 'INVALID_ARGUMENT');
    expectCode(() => bitSerialMatmulCpu({ ...qa, bits: 9 }, qa), 'INVALID_ARGUMENT');
    expectCode(
      () => bitSerialMatmulCpu({ ...qa, planes: qa.planes.subarray(1) }, qa),
      'INVALID_ARGUMENT',
    );
    const dirty = { ...qa, planes: qa.planes.slice() };
    dirty.planes[1] |= 1 << 31; // a pad bit past column 40
    expectCode(() => bitSerialMatmulCpu(dirty, qa), 'INVALID_ARGUMENT');
    const nanScale = { ...qa, scales: qa.scales.slice() };
    nanScale.scales[0] = Number.NaN;
    expectCode(() => bitSerialMatmulCpu(nanScale, qa), 'NON_FINITE');
    expectCode(() => bitSerialMatmulCpu(null as never, qa), 'INVALID_ARGUMENT');
  });
});

describe('bitSerialMatmul (WebGPU)', () => {
  let ctx: GpuContext;
  beforeAll(async () => {
    // Test-only: point Dawn at SwiftShader when nothing else is configured. No adapter
    // makes getGpu throw UNSUPPORTED, which fails these tests (they do not skip).
    process.env.VK_ICD_FILENAMES ??= SWIFTSHADER;
    ctx = await getGpu();
  }, 60_000);
  afterAll(() => ctx?.dispose());

  it('matches the CPU reference exactly in integers, every bit pair, odd sizes', async () => {
    const A = randn(19, 77, { seed: 21 });
    const B = randn(21, 77, { seed: 22 });
    for (let ba = 1; ba <= 8; ba++) {
      const qa = quantizeBipolar(A, { bits: ba });
      for (let bb = 1; bb <= 8; bb++) {
        const qb = quantizeBipolar(B, { bits: bb });
        const g = await bitSerialMatmul(ctx, qa, qb, { returnAccumulators: true });
        const cpu = bitSerialMatmulCpu(qa, qb, { returnAccumulators: true });
        expect(Array.from(g.accumulators!)).toEqual(Array.from(cpu.accumulators!));
        const ref = dequantProduct(qa, qb);
        for (let i = 0; i < ref.c.length; i++)
          expect(Math.abs(g.c.data[i]! - ref.c[i]!)).toBeLessThanOrEqual(4 * U32 * ref.abs[i]!);
      }
    }
  });

  it('crosses K chunks and scale-group segments (K = 300, groups 32/64/96)', async () => {
    const A = randn(33, 300, { seed: 31 });
    const B = randn(18, 300, { seed: 32 });
    const cases: [number | undefined, number | undefined][] = [
      [undefined, undefined],
      [96, 32],
      [64, undefined],
      [32, 64],
    ];
    for (const [ga, gb] of cases) {
      const qa = quantizeBipolar(A, { bits: 4, groupSize: ga });
      const qb = quantizeBipolar(B, { bits: 3, groupSize: gb });
      const g = await bitSerialMatmul(ctx, qa, qb, { returnAccumulators: true });
      const seg = Math.min(qa.groupSize, qb.groupSize);
      expect(g.segmentSize).toBe(seg);
      expect(Array.from(g.accumulators!)).toEqual(naiveIntDots(qa, qb, seg));
      const ref = dequantProduct(qa, qb);
      const tol = (g.segments + 3) * U32;
      for (let i = 0; i < ref.c.length; i++)
        expect(Math.abs(g.c.data[i]! - ref.c[i]!)).toBeLessThanOrEqual(tol * ref.abs[i]!);
    }
  });

  it('runs on device tensors (GPU-level API)', async () => {
    const qa = quantizeBipolar(
      Matrix.from([
        [1, -3],
        [3, 3],
      ]),
      { bits: 2 },
    );
    const qb = quantizeBipolar(Matrix.from([[1, 1]]), { bits: 1 });
    const a = uploadBipolar(ctx, qa);
    const b = uploadBipolar(ctx, qb);
    const r = await bitSerialMatmulTensors(ctx, a, b);
    expect(r.c.shape).toEqual([2, 1]);
    expect(Array.from(await ctx.download(r.c))).toEqual([-2, 6]);
    for (const t of [a.planes, a.scales, b.planes, b.scales, r.c]) t.destroy();
  });

  it('rejects bad input before dispatching', async () => {
    const qa = quantizeBipolar(randn(3, 40, { seed: 1 }), { bits: 2 });
    const qb = quantizeBipolar(randn(3, 41, { seed: 2 }), { bits: 2 });
    await expectCodeAsync(bitSerialMatmul(ctx, qa, qb), 'SHAPE_MISMATCH');
    await expectCodeAsync(bitSerialMatmul(ctx, { ...qa, bits: 0 }, qa), 'INVALID_ARGUMENT');
    const a = uploadBipolar(ctx, qa);
    await expectCodeAsync(bitSerialMatmulTensors(ctx, a, { ...a, bits: 3 }), 'SHAPE_MISMATCH');
    a.planes.destroy();
    a.scales.destroy();
  });
});
