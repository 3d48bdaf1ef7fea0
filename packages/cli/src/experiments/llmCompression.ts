import {
  decodeSafetensor,
  gemm,
  type Matrix,
  readSafetensors,
  svd,
  type Tensor,
  zeros,
} from '@lr/core';
import {
  collectCovariance,
  compareLogits,
  corda,
  dequantizeNf,
  eora,
  expandCompressed,
  Llama,
  type LlamaConfig,
  llamaLinearShapes,
  lowRankCompress,
  lqDecompose,
  parseLlamaConfig,
  quantizeNf,
} from '@lr/peft';

/** One compressed variant of the model, compared with the original on held-out samples. */
export interface CompressionRow {
  variant: string;
  /** Storage of the 35 linear weights in bits per parameter (32 for the float32 original). */
  bitsPerParam: number;
  /** Mean next-token KL(original ‖ variant) in nats over the held-out positions. */
  kl: number;
  top1Agreement: number;
}

/** Options of {@link runCompressionExperiment}. */
export interface CompressionExperimentOptions {
  /** Sampled sequences for calibration and for evaluation; default 6 each. */
  sequences?: number;
  /** Tokens per sampled sequence; default 64. */
  length?: number;
  /** Rank of the low-rank corrections (EoRA, LQ-LoRA); default 2. */
  rank?: number;
  /** Rank of the CorDA adapters; default 8. */
  cordaRank?: number;
  /** Iteration cap of LQ-LoRA; default 100 (the paper's). */
  lqMaxIter?: number;
  seed?: number;
}

/** The stories260K model read from a folder's bytes. */
export interface ModelBytes {
  config: string;
  safetensors: Uint8Array;
}

function loadTensors(bytes: Uint8Array): Map<string, Tensor> {
  const file = readSafetensors(bytes);
  return new Map(file.tensors.map((e) => [e.name, decodeSafetensor(e)]));
}

function linearNames(cfg: LlamaConfig): string[] {
  const names: string[] = [];
  for (let l = 0; l < cfg.numLayers; l++) {
    for (const [m] of llamaLinearShapes(cfg)) names.push(`model.layers.${l}.${m}`);
  }
  return names;
}

function vstack(parts: Matrix[]): Matrix {
  const rows = parts.reduce((s, m) => s + m.rows, 0);
  const out = zeros(rows, parts[0]!.cols);
  let r0 = 0;
  for (const m of parts) {
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < m.cols; j++) out.set(r0 + i, j, m.get(i, j));
    r0 += m.rows;
  }
  return out;
}

function product(P: Matrix, Q: Matrix): Matrix {
  const out = zeros(P.rows, Q.cols);
  gemm(P, Q, out);
  return out;
}

function addInto(A: Matrix, B: Matrix): Matrix {
  const out = zeros(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.cols; j++) out.set(i, j, A.get(i, j) + B.get(i, j));
  return out;
}

/** Best rank-r approximation of E as P·Q (plain SVD of the error, EoRA's baseline). */
function svdCorrection(E: Matrix, r: number): Matrix {
  const { U, S, Vt } = svd(E);
  if (!U || !Vt) throw new Error('svd: vectors expected');
  const out = zeros(E.rows, E.cols);
  for (let k = 0; k < r; k++) {
    for (let i = 0; i < E.rows; i++) {
      const u = U.get(i, k) * S[k]!;
      for (let j = 0; j < E.cols; j++) out.set(i, j, out.get(i, j) + u * Vt.get(k, j));
    }
  }
  return out;
}

/**
 * Compresses stories260K's 35 linear layers several ways at about the same storage and
 * compares each model with the original on sequences sampled from the original:
 * NormalFloat quantisation alone, NF3 plus a rank-r correction (plain SVD of the error,
 * EoRA with calibration activations, LQ-LoRA's alternation), SVD truncation and LORD
 * (data-aware, global budget) with float16 factors; then CorDA KPM against IPM (what the
 * residual model without its adapter preserves) and MatFormer-style FFN slices.
 */
export function runCompressionExperiment(
  model: ModelBytes,
  options: CompressionExperimentOptions = {},
): {
  rows: CompressionRow[];
  corda: { mode: 'kpm' | 'ipm'; rank: number; kl: number; top1Agreement: number }[];
  matformer: { width: number; kl: number; top1Agreement: number }[];
  calibrationTokens: number;
  evaluationTokens: number;
} {
  const cfg = parseLlamaConfig(JSON.parse(model.config));
  const tensors = loadTensors(model.safetensors);
  const nSeq = options.sequences ?? 6;
  const length = options.length ?? 64;
  const rank = options.rank ?? 2;
  const cordaRank = options.cordaRank ?? 8;
  const seed = options.seed ?? 0;
  const ref = Llama.fromTensors(cfg, tensors, { dtype: 'float64', ropeStyle: 'interleaved' });
  const sample = (s: number) => ref.generate({ maxTokens: length - 1, seed: s });
  const calib = Array.from({ length: nSeq }, (_, i) => sample(seed + 1000 + i));
  const evalSeqs = Array.from({ length: nSeq }, (_, i) => sample(seed + 2000 + i));
  const refLogits = evalSeqs.map((t) => ref.forward(t));

  // Calibration inputs of every linear layer.
  const captured = new Map<string, Matrix[]>();
  for (const t of calib) {
    ref.forward(t, {
      capture: (name, x) => {
        const list = captured.get(name) ?? [];
        list.push(x);
        captured.set(name, list);
      },
    });
  }
  const names = linearNames(cfg);
  const X = new Map(names.map((n) => [n, vstack(captured.get(n)!)]));
  const Wm = new Map<string, Matrix>();
  for (const n of names) {
    const t = tensors.get(`${n}.weight`)!;
    const m = zeros(t.shape[0]!, t.shape[1]!);
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < m.cols; j++)
        m.set(i, j, t.data[t.offset + i * t.strides[0]! + j * t.strides[1]!]!);
    Wm.set(n, m);
  }
  const totalParams = names.reduce((s, n) => s + Wm.get(n)!.rows * Wm.get(n)!.cols, 0);

  const evaluate = (replace: Map<string, Matrix>): { kl: number; top1Agreement: number } => {
    const t2 = new Map(tensors);
    for (const [n, m] of replace) t2.set(`${n}.weight`, m);
    const variant = Llama.fromTensors(cfg, t2, { dtype: 'float64', ropeStyle: 'interleaved' });
    let kl = 0;
    let agree = 0;
    let count = 0;
    evalSeqs.forEach((t, i) => {
      const c = compareLogits(refLogits[i]!, variant.forward(t));
      kl += c.kl * c.positions;
      agree += c.top1Agreement * c.positions;
      count += c.positions;
    });
    return { kl: kl / count, top1Agreement: agree / count };
  };

  const rows: CompressionRow[] = [];
  const add = (variant: string, bits: number, replace: Map<string, Matrix>) => {
    rows.push({ variant, bitsPerParam: bits / totalParams, ...evaluate(replace) });
  };

  // Quantisation alone and NF3 + rank-r corrections (16-bit factors).
  add('original (float64 copy)', 32 * totalParams, new Map(Wm));
  for (const bits of [8, 4, 3]) {
    const rep = new Map<string, Matrix>();
    let total = 0;
    for (const n of names) {
      const q = quantizeNf(Wm.get(n)!, { bits });
      rep.set(n, dequantizeNf(q) as Matrix);
      total += q.totalBits;
    }
    add(`NF${bits} (block 64, double-quantised scales)`, total, rep);
  }
  const nf3 = new Map<string, Matrix>();
  let nf3Bits = 0;
  let corrBits = 0;
  for (const n of names) {
    const q = quantizeNf(Wm.get(n)!, { bits: 3 });
    nf3.set(n, dequantizeNf(q) as Matrix);
    nf3Bits += q.totalBits;
    const w = Wm.get(n)!;
    corrBits += 16 * rank * (w.rows + w.cols);
  }
  {
    const svdRep = new Map<string, Matrix>();
    const eoraRep = new Map<string, Matrix>();
    for (const n of names) {
      const w = Wm.get(n)!;
      const q = nf3.get(n)!;
      const err = zeros(w.rows, w.cols);
      for (let i = 0; i < w.rows; i++)
        for (let j = 0; j < w.cols; j++) err.set(i, j, w.get(i, j) - q.get(i, j));
      svdRep.set(n, addInto(q, svdCorrection(err, rank)));
      const e = eora(w, q, X.get(n)!, { rank, compareSvd: false });
      eoraRep.set(n, addInto(q, product(e.B, e.A)));
    }
    add(`NF3 + rank-${rank} SVD of the error`, nf3Bits + corrBits, svdRep);
    add(`NF3 + rank-${rank} EoRA (calibrated)`, nf3Bits + corrBits, eoraRep);
    const lqRep = new Map<string, Matrix>();
    let lqBits = 0;
    for (const n of names) {
      const r = lqDecompose(Wm.get(n)!, { rank, bits: 3, seed, maxIter: options.lqMaxIter ?? 100 });
      lqRep.set(n, addInto(r.Q, product(r.L1, r.L2)));
      lqBits += r.bitsPerParam * Wm.get(n)!.rows * Wm.get(n)!.cols;
    }
    add(`LQ-LoRA (NF3 + rank ${rank})`, lqBits, lqRep);
  }
  // Low-rank alone with float16 factors at the NF3 + correction budget.
  const ratio = (nf3Bits + corrBits) / (16 * totalParams);
  const weights = new Map(names.map((n) => [n, Wm.get(n)!]));
  const plain = lowRankCompress(weights, { ratio, budgetWeighting: 'relative' });
  add(
    `SVD truncation, global budget (f16 factors, ratio ${ratio.toFixed(2)})`,
    16 * plain.compressedParams,
    expandCompressed(plain),
  );
  const covariances = new Map(
    names.map((n) => [n, collectCovariance(X.get(n)!, { scale: 'none' }).covariance]),
  );
  const aware = lowRankCompress(weights, {
    ratio,
    budgetWeighting: 'relative',
    dataAware: { covariances },
  });
  add(
    `LORD data-aware, global budget (f16 factors)`,
    16 * aware.compressedParams,
    expandCompressed(aware),
  );

  // CorDA: the residual model with the adapter removed shows what each mode leaves alone.
  const cordaRows: { mode: 'kpm' | 'ipm'; rank: number; kl: number; top1Agreement: number }[] = [];
  for (const mode of ['kpm', 'ipm'] as const) {
    const rep = new Map<string, Matrix>();
    for (const n of names) {
      const w = Wm.get(n)!;
      const r = Math.min(cordaRank, w.rows, w.cols);
      const a = corda(w, collectCovariance(X.get(n)!).covariance, { rank: r, mode });
      rep.set(n, a.residual!);
    }
    cordaRows.push({ mode, rank: cordaRank, ...evaluate(rep) });
  }

  // MatFormer-style slices: keep the first k FFN units (zeroing the rest is the same model).
  const matformer: { width: number; kl: number; top1Agreement: number }[] = [];
  for (const div of [2, 4]) {
    const k = Math.floor(cfg.intermediateSize / div);
    const rep = new Map<string, Matrix>();
    for (let l = 0; l < cfg.numLayers; l++) {
      for (const m of ['gate_proj', 'up_proj', 'down_proj']) {
        const n = `model.layers.${l}.mlp.${m}`;
        const w = Wm.get(n)!;
        const out = zeros(w.rows, w.cols);
        for (let i = 0; i < w.rows; i++) {
          for (let j = 0; j < w.cols; j++) {
            const keep = m === 'down_proj' ? j < k : i < k;
            if (keep) out.set(i, j, w.get(i, j));
          }
        }
        rep.set(n, out);
      }
    }
    matformer.push({ width: k, ...evaluate(rep) });
  }
  return {
    rows,
    corda: cordaRows,
    matformer,
    calibrationTokens: nSeq * length,
    evaluationTokens: nSeq * length,
  };
}
