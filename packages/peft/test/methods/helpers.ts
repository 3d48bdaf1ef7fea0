import { readFileSync } from 'node:fs';
import {
  decodeSafetensor,
  gemm,
  LrError,
  type LrErrorCode,
  Matrix,
  matmul,
  normFro,
  readSafetensors,
} from '@lr/core';
import { expect } from 'vitest';

const FILE = new URL(
  '../../../../../shared/data/weights/stories260K/model.safetensors',
  import.meta.url,
);
const file = readSafetensors(new Uint8Array(readFileSync(FILE)));

/** A real float32 weight of the TinyStories-260K Llama, as a Matrix. */
export function weight(name: string): Matrix {
  const e = file.get(name);
  if (!e) throw new Error(`no tensor ${name}`);
  return decodeSafetensor(e) as Matrix;
}

/** The layer-0 projections used throughout: q_proj 64×64, gate_proj 172×64, down_proj 64×172. */
export const Q_PROJ = 'model.layers.0.self_attn.q_proj.weight';
export const GATE_PROJ = 'model.layers.0.mlp.gate_proj.weight';
export const DOWN_PROJ = 'model.layers.0.mlp.down_proj.weight';
export const WEIGHTS = [Q_PROJ, GATE_PROJ, DOWN_PROJ] as const;

function rmsNormRows(X: Matrix, g: Float64Array | Float32Array, eps = 1e-5): Matrix {
  const out = new Matrix(new Float64Array(X.rows * X.cols), X.rows, X.cols);
  for (let i = 0; i < X.rows; i++) {
    let ss = 0;
    for (let j = 0; j < X.cols; j++) ss += X.get(i, j) ** 2;
    const f = 1 / Math.sqrt(ss / X.cols + eps);
    for (let j = 0; j < X.cols; j++) out.data[i * X.cols + j] = X.get(i, j) * f * g[j]!;
  }
  return out;
}

/**
 * Real-ish calibration inputs, one row per vocabulary token (512 rows): the RMS-normalised
 * token embeddings times layer 0's input_layernorm (the exact input of the first
 * attention projections for a one-token context), times post_attention_layernorm for the
 * MLP (ignoring the attention residual), and silu(x·gateᵀ)⊙(x·upᵀ) for down_proj.
 */
export function calibration(name: string): Matrix {
  const E = weight('model.embed_tokens.weight');
  if (name.includes('self_attn')) {
    return rmsNormRows(E, weight('model.layers.0.input_layernorm.weight').data as Float32Array);
  }
  const X = rmsNormRows(
    E,
    weight('model.layers.0.post_attention_layernorm.weight').data as Float32Array,
  );
  if (!name.includes('down_proj')) return X;
  const G = matmul(X, weight(GATE_PROJ).T);
  const U = matmul(X, weight('model.layers.0.mlp.up_proj.weight').T);
  for (let i = 0; i < G.data.length; i++) {
    const g = G.data[i]!;
    G.data[i] = (g / (1 + Math.exp(-g))) * U.data[i]!;
  }
  return G;
}

/** Tolerance of a relative identity error: 10·max(m, n)·ε (LAPACK-style). */
export function identityTol(W: Matrix): number {
  return 10 * Math.max(W.rows, W.cols) * Number.EPSILON;
}

/** ‖X − Y‖_F / ‖Z‖_F. */
export function relDiff(X: Matrix, Y: Matrix, Z: Matrix = Y): number {
  const D = X.clone('float64');
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) D.data[i * X.cols + j] = D.data[i * X.cols + j]! - Y.get(i, j);
  return normFro(D) / normFro(Z);
}

/** s·B·A as a new matrix. */
export function product(B: Matrix, A: Matrix, s = 1): Matrix {
  const P = new Matrix(new Float64Array(B.rows * A.cols), B.rows, A.cols);
  gemm(B, A, P, { alpha: s });
  return P;
}

/** base + s·B·A, measured independently of the library's diagnostics. */
export function reconstruct(base: Matrix, B: Matrix, A: Matrix, s: number): Matrix {
  const P = base.clone('float64');
  gemm(B, A, P, { alpha: s, beta: 1 });
  return P;
}

/** Expects `fn` to throw an LrError with `code`. */
export function expectCode(fn: () => unknown, code: LrErrorCode): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a throw').toBeInstanceOf(LrError);
  expect((err as LrError).code).toBe(code);
}

/** A copy with one entry replaced. */
export function withEntry(W: Matrix, i: number, j: number, v: number): Matrix {
  const C = W.clone('float64');
  C.set(i, j, v);
  return C;
}
