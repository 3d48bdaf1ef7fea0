import { gunzipSync } from 'node:zlib';
import { type Matrix, vstack, zeros } from '@lr/core';
import {
  CoreAdapterLinear,
  collectCovariance,
  corda,
  DenseLinear,
  evaluateClassifier,
  loldu,
  lora,
  Mlp,
  olora,
  pissa,
  svfit,
  type TrainableLinear,
  trainableFromInit,
  trainClassifier,
} from '@lr/peft';

/** The digits table: pixels scaled to [0, 1] and labels. */
export interface Digits {
  X: Matrix;
  labels: number[];
}

/** Reads scikit-learn's digits.csv.gz (64 pixel columns 0…16, label last, no header). */
export function readDigits(gz: Uint8Array): Digits {
  const text = new TextDecoder().decode(gunzipSync(gz));
  const rows = text.split('\n').filter((l) => l.trim() !== '');
  const X = zeros(rows.length, 64);
  const labels: number[] = [];
  rows.forEach((line, i) => {
    const v = line.split(',').map(Number);
    if (v.length !== 65 || v.some((x) => !Number.isFinite(x))) {
      throw new Error(`digits: line ${i + 1} is not 64 pixels and a label`);
    }
    for (let j = 0; j < 64; j++) X.set(i, j, v[j]! / 16);
    labels.push(v[64]!);
  });
  return { X, labels };
}

/** The same images transposed (8×8 pixel grid flipped about its diagonal): the new task. */
export function transposeImages(X: Matrix): Matrix {
  const out = zeros(X.rows, 64);
  for (let i = 0; i < X.rows; i++) {
    for (let r = 0; r < 8; r++)
      for (let c = 0; c < 8; c++) out.set(i, c * 8 + r, X.get(i, r * 8 + c));
  }
  return out;
}

function rowsOf(X: Matrix, idx: readonly number[]): Matrix {
  return vstack(idx.map((i) => X.row(i)));
}

/** The fine-tuning methods compared (all on every layer of the pretrained MLP). */
export const FINETUNE_METHODS = [
  'full',
  'lora',
  'lora-wta',
  'pissa',
  'olora',
  'corda-ipm',
  'corda-kpm',
  'flora',
  'svfit',
  'loldu',
] as const;
export type FinetuneMethod = (typeof FINETUNE_METHODS)[number];

/** One method's outcome. */
export interface FinetuneRow {
  method: FinetuneMethod;
  trainableParameters: number;
  /** Mean training loss of the first epoch (convergence speed). */
  firstEpochLoss: number;
  finalLoss: number;
  /** Accuracy on held-out images of the new task. */
  accuracy: number;
  /** Accuracy on held-out images of the pretraining task afterwards (forgetting). */
  oldTaskAccuracy: number;
  /** Training loss after every epoch. */
  lossCurve: number[];
  /** Numbers the adapted layers cache for backward on one batch of 32 (activation memory). */
  cachedActivations: number;
  seconds: number;
}

/** Options of {@link runFinetuneExperiment}. */
export interface FinetuneOptions {
  /** Hidden width of the MLP 64 → h → h → 10; default 64. */
  hidden?: number;
  /** Adapter rank (LoRA family, FLoRA, LoLDU); default 4. */
  rank?: number;
  pretrainEpochs?: number;
  epochs?: number;
  lr?: number;
  seed?: number;
  methods?: readonly FinetuneMethod[];
}

/**
 * Pretrains an MLP on the digits, then adapts it to the transposed digits with each
 * method at the same rank, against full fine-tuning. Deterministic for a seed.
 */
export function runFinetuneExperiment(
  data: Digits,
  options: FinetuneOptions = {},
): {
  pretrainAccuracy: number;
  zeroShotAccuracy: number;
  rows: FinetuneRow[];
} {
  const hidden = options.hidden ?? 64;
  const rank = options.rank ?? 4;
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 10;
  const lr = options.lr ?? 3e-3;
  const methods = options.methods ?? FINETUNE_METHODS;
  // Deterministic 70/30 split: every third image (i % 10 ≥ 7) is held out.
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < data.X.rows; i++) (i % 10 >= 7 ? test : train).push(i);
  const yTrain = train.map((i) => data.labels[i]!);
  const yTest = test.map((i) => data.labels[i]!);
  const oldTrain = rowsOf(data.X, train);
  const oldTest = rowsOf(data.X, test);
  const moved = transposeImages(data.X);
  const newTrain = rowsOf(moved, train);
  const newTest = rowsOf(moved, test);

  const base = new Mlp([
    DenseLinear.init(64, hidden, seed + 1),
    DenseLinear.init(hidden, hidden, seed + 2),
    DenseLinear.init(hidden, 10, seed + 3),
  ]);
  trainClassifier(base, oldTrain, yTrain, { epochs: options.pretrainEpochs ?? 30, lr, seed });
  const pretrainAccuracy = evaluateClassifier(base, oldTest, yTest).accuracy;
  const zeroShotAccuracy = evaluateClassifier(base, newTest, yTest).accuracy;
  const weights = base.layers.map((l) => l.effectiveWeight());
  const biases = base.layers.map((l) => Array.from((l as DenseLinear).bias ?? []));

  // Inputs of every layer on a data set (for CorDA's covariances).
  const layerInputs = (X: Matrix): Matrix[] => {
    const inputs: Matrix[] = [];
    let h = X;
    base.layers.forEach((layer, i) => {
      inputs.push(h);
      h = layer.forward(h, { train: false });
      if (i < base.layers.length - 1) {
        const r = zeros(h.rows, h.cols);
        for (let a = 0; a < h.rows; a++)
          for (let b = 0; b < h.cols; b++) r.set(a, b, Math.max(0, h.get(a, b)));
        h = r;
      }
    });
    return inputs;
  };
  const newInputs = layerInputs(newTrain);
  const oldInputs = layerInputs(oldTrain);

  const build = (method: FinetuneMethod, i: number): TrainableLinear => {
    const W = weights[i]!;
    const bias = biases[i]!;
    const r = Math.min(rank, W.rows, W.cols);
    switch (method) {
      case 'full':
        return new DenseLinear(W, bias);
      case 'lora':
        return trainableFromInit(W, lora(W, { rank: r, alpha: r, seed: seed + 10 + i }), { bias });
      case 'lora-wta':
        // WTA-CRS: the layer keeps 8 of each batch's 32 activation rows for its backward.
        return trainableFromInit(W, lora(W, { rank: r, alpha: r, seed: seed + 10 + i }), {
          bias,
          wtaCrs: { k: 8, seed: seed + 40 + i },
        });
      case 'pissa':
        return trainableFromInit(W, pissa(W, { rank: r, alpha: r }), { bias });
      case 'olora':
        return trainableFromInit(W, olora(W, { rank: r, alpha: r }), { bias });
      case 'corda-ipm':
      case 'corda-kpm': {
        // IPM adapts along the new task's directions; KPM preserves the old task's.
        const X = method === 'corda-ipm' ? newInputs[i]! : oldInputs[i]!;
        const { covariance } = collectCovariance(X);
        const mode = method === 'corda-ipm' ? 'ipm' : 'kpm';
        return trainableFromInit(W, corda(W, covariance, { rank: r, alpha: r, mode }), { bias });
      }
      case 'flora': {
        // Core r×r (zero at init) between two random factors drawn like LoRA's A.
        const a = lora(W, { rank: r, alpha: r, seed: seed + 20 + i });
        const b = lora(W.T, { rank: r, alpha: r, seed: seed + 30 + i });
        return new CoreAdapterLinear(W, a.A, zeros(r, r), b.A.T, { scaling: 1, bias });
      }
      case 'svfit':
        return trainableFromInit(W, svfit(W), { bias });
      case 'loldu':
        return trainableFromInit(W, loldu(W, { rank: r, alpha: r }), { bias });
    }
  };

  const rows: FinetuneRow[] = [];
  for (const method of methods) {
    const model = new Mlp(base.layers.map((_, i) => build(method, i)));
    const res = trainClassifier(model, newTrain, yTrain, { epochs, lr, seed: seed + 100 });
    rows.push({
      method,
      trainableParameters: res.trainableParameters,
      firstEpochLoss: res.history[0]?.loss ?? Number.NaN,
      finalLoss: res.history.at(-1)?.loss ?? Number.NaN,
      accuracy: evaluateClassifier(model, newTest, yTest).accuracy,
      oldTaskAccuracy: evaluateClassifier(model, oldTest, yTest).accuracy,
      lossCurve: res.history.map((h) => h.loss),
      cachedActivations: (() => {
        model.forward(rowsOf(newTrain, [...Array(32).keys()]), true);
        return model.layers.reduce((t, l) => t + l.cachedActivations, 0);
      })(),
      seconds: res.seconds,
    });
  }
  return { pretrainAccuracy, zeroShotAccuracy, rows };
}
