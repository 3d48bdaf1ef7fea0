import {
  add,
  decodeSafetensor,
  Matrix,
  matmul,
  readSafetensors,
  sub,
  svd,
  type Tensor,
  vstack,
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
  mixNMatchTensors,
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

/** Best rank-r approximation of E (plain SVD of the error, EoRA's baseline). */
function svdCorrection(E: Matrix, r: number): Matrix {
  const { U, S, Vt } = svd(E);
  if (!U || !Vt) throw new Error('svd: vectors expected');
  const US = U.colRange(0, r).clone('float64');
  for (let k = 0; k < r; k++) for (let i = 0; i < US.rows; i++) US.set(i, k, US.get(i, k) * S[k]!);
  return matmul(US, Vt.rowRange(0, r));
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
  const Wm = new Map(
    names.map((n) => [n, Matrix.fromTensor(tensors.get(`${n}.weight`)!).clone('float64')]),
  );
  const totalParams = names.reduce((s, n) => s + Wm.get(n)!.rows * Wm.get(n)!.cols, 0);

  const compare = (variant: Llama): { kl: number; top1Agreement: number } => {
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
  const evaluate = (replace: Map<string, Matrix>) => {
    const t2 = new Map(tensors);
    for (const [n, m] of replace) t2.set(`${n}.weight`, m);
    return compare(Llama.fromTensors(cfg, t2, { dtype: 'float64', ropeStyle: 'interleaved' }));
  };

  const rows: CompressionRow[] = [];
  const record = (variant: string, bits: number, replace: Map<string, Matrix>) => {
    rows.push({ variant, bitsPerParam: bits / totalParams, ...evaluate(replace) });
  };

  // Quantisation alone and NF3 + rank-r corrections (16-bit factors).
  record('original (float64 copy)', 32 * totalParams, new Map(Wm));
  for (const bits of [8, 4, 3]) {
    const rep = new Map<string, Matrix>();
    let total = 0;
    for (const n of names) {
      const q = quantizeNf(Wm.get(n)!, { bits });
      rep.set(n, dequantizeNf(q) as Matrix);
      total += q.totalBits;
    }
    record(`NF${bits} (block 64, double-quantised scales)`, total, rep);
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
      svdRep.set(n, add(q, svdCorrection(sub(w, q), rank)));
      const e = eora(w, q, X.get(n)!, { rank, compareSvd: false });
      eoraRep.set(n, add(q, matmul(e.B, e.A)));
    }
    record(`NF3 + rank-${rank} SVD of the error`, nf3Bits + corrBits, svdRep);
    record(`NF3 + rank-${rank} EoRA (calibrated)`, nf3Bits + corrBits, eoraRep);
    const lqRep = new Map<string, Matrix>();
    let lqBits = 0;
    for (const n of names) {
      const r = lqDecompose(Wm.get(n)!, { rank, bits: 3, seed, maxIter: options.lqMaxIter ?? 100 });
      lqRep.set(n, add(r.Q, matmul(r.L1, r.L2)));
      lqBits += r.bitsPerParam * Wm.get(n)!.rows * Wm.get(n)!.cols;
    }
    record(`LQ-LoRA (NF3 + rank ${rank})`, lqBits, lqRep);
  }
  // Low-rank alone with float16 factors at the NF3 + correction budget.
  const ratio = (nf3Bits + corrBits) / (16 * totalParams);
  const weights = new Map(names.map((n) => [n, Wm.get(n)!]));
  const plain = lowRankCompress(weights, { ratio, budgetWeighting: 'relative' });
  record(
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
  record(
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

  // MatFormer slices: every FFN keeps its first k units (mixNMatchTensors), a smaller model.
  const matformer: { width: number; kl: number; top1Agreement: number }[] = [];
  for (const div of [2, 4]) {
    const k = Math.floor(cfg.intermediateSize / div);
    const sliced = mixNMatchTensors(tensors, k);
    const small = Llama.fromTensors({ ...cfg, intermediateSize: k }, sliced, {
      dtype: 'float64',
      ropeStyle: 'interleaved',
    });
    matformer.push({ width: k, ...compare(small) });
  }
  return {
    rows,
    corda: cordaRows,
    matformer,
    calibrationTokens: nSeq * length,
    evaluationTokens: nSeq * length,
  };
}
