import {
  AbortedError,
  assertFiniteArray,
  InvalidArgumentError,
  type Matrix,
  NonFiniteError,
  Rng,
  type Seed,
  ShapeError,
  vstack,
  zeros,
} from '@lr/core';
import { Adam, type AdamOptions } from './adam.js';
import type { TrainableLinear } from './layers.js';
import type { Param } from './param.js';
import { zeroGrad } from './param.js';

/** A multilayer perceptron: linear layers with ReLU between them, logits out. */
export class Mlp {
  /** The layers; replace one with an adapter layer to fine-tune it. */
  readonly layers: TrainableLinear[];
  private masks: Uint8Array[] = [];

  constructor(layers: TrainableLinear[]) {
    if (layers.length === 0) throw new InvalidArgumentError('Mlp: expected at least one layer');
    for (let i = 1; i < layers.length; i++) {
      if (layers[i]!.inFeatures !== layers[i - 1]!.outFeatures) {
        throw new ShapeError(
          `Mlp: layer ${i} takes ${layers[i]!.inFeatures} features but layer ${i - 1} gives ${layers[i - 1]!.outFeatures}`,
        );
      }
    }
    this.layers = layers;
  }

  /** The trainable parameters of every layer. */
  get parameters(): Param[] {
    return this.layers.flatMap((l) => [...l.parameters]);
  }

  /** Logits [n, classes]. With `train`, caches what {@link backward} needs. */
  forward(x: Matrix, train = false): Matrix {
    let h = x;
    this.masks = [];
    this.layers.forEach((layer, i) => {
      h = layer.forward(h, { train });
      if (i < this.layers.length - 1) {
        const mask = new Uint8Array(h.rows * h.cols);
        const out = zeros(h.rows, h.cols);
        for (let r = 0; r < h.rows; r++) {
          for (let c = 0; c < h.cols; c++) {
            const v = h.get(r, c);
            if (v > 0) {
              out.set(r, c, v);
              mask[r * h.cols + c] = 1;
            }
          }
        }
        if (train) this.masks.push(mask);
        h = out;
      }
    });
    return h;
  }

  /** Backpropagates dL/dlogits through every layer, accumulating parameter gradients. */
  backward(dLogits: Matrix): void {
    let g = dLogits;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      g = this.layers[i]!.backward(g);
      if (i > 0) {
        const mask = this.masks[i - 1]!;
        const next = zeros(g.rows, g.cols);
        for (let r = 0; r < g.rows; r++) {
          for (let c = 0; c < g.cols; c++) if (mask[r * g.cols + c]) next.set(r, c, g.get(r, c));
        }
        g = next;
      }
    }
  }
}

/** Mean softmax cross-entropy of logits against integer labels, and its gradient. */
export function crossEntropy(
  logits: Matrix,
  labels: ArrayLike<number>,
): { loss: number; grad: Matrix; correct: number } {
  const n = logits.rows;
  const k = logits.cols;
  if (labels.length !== n) throw new ShapeError(`labels: expected ${n}, got ${labels.length}`);
  const grad = zeros(n, k);
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= k) {
      throw new InvalidArgumentError(`labels[${i}]: expected a class in [0, ${k}), got ${y}`);
    }
    let max = Number.NEGATIVE_INFINITY;
    let arg = 0;
    for (let j = 0; j < k; j++) {
      const v = logits.get(i, j);
      if (v > max) {
        max = v;
        arg = j;
      }
    }
    if (!Number.isFinite(max)) throw new NonFiniteError(`logits row ${i} is not finite`);
    if (arg === y) correct++;
    let z = 0;
    for (let j = 0; j < k; j++) z += Math.exp(logits.get(i, j) - max);
    loss += Math.log(z) + max - logits.get(i, y);
    for (let j = 0; j < k; j++)
      grad.set(i, j, (Math.exp(logits.get(i, j) - max) / z - (j === y ? 1 : 0)) / n);
  }
  return { loss: loss / n, grad, correct };
}

/** Loss and accuracy of a classifier on a data set (no caching, no gradients). */
export function evaluateClassifier(
  model: Mlp,
  X: Matrix,
  labels: ArrayLike<number>,
): { loss: number; accuracy: number } {
  const { loss, correct } = crossEntropy(model.forward(X, false), labels);
  return { loss, accuracy: X.rows ? correct / X.rows : 0 };
}

/** Options of {@link trainClassifier}. */
export interface TrainClassifierOptions extends AdamOptions {
  /** Passes over the data; default 20. */
  epochs?: number;
  /** Mini-batch size; default 32. */
  batchSize?: number;
  /** Shuffling seed. */
  seed?: Seed;
  /** Held-out set evaluated after every epoch. */
  validation?: { X: Matrix; labels: ArrayLike<number> };
  /** Called after every epoch. */
  onProgress?: (p: { epoch: number; epochs: number; loss: number }) => void;
  signal?: AbortSignal;
}

/** One epoch's numbers. */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's mini-batches. */
  loss: number;
  trainAccuracy: number;
  validationLoss?: number;
  validationAccuracy?: number;
}

/** Result of {@link trainClassifier}. */
export interface TrainClassifierResult {
  history: EpochRecord[];
  /** Loss of every mini-batch step, in order (for convergence plots). */
  stepLosses: number[];
  trainableParameters: number;
  seconds: number;
}

/**
 * Trains the model's trainable parameters (frozen weights stay fixed) with Adam/AdamW on
 * softmax cross-entropy, in shuffled mini-batches.
 * @example
 * const model = new Mlp([DenseLinear.init(64, 32, 1), DenseLinear.init(32, 10, 2)]);
 * const { history } = trainClassifier(model, X, y, { epochs: 10, lr: 1e-2, seed: 0 });
 */
export function trainClassifier(
  model: Mlp,
  X: Matrix,
  labels: ArrayLike<number>,
  options: TrainClassifierOptions = {},
): TrainClassifierResult {
  const epochs = options.epochs ?? 20;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isSafeInteger(epochs) || epochs < 0)
    throw new InvalidArgumentError(`epochs: expected an integer ≥ 0, got ${epochs}`);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new InvalidArgumentError(`batchSize: expected an integer ≥ 1, got ${batchSize}`);
  if (labels.length !== X.rows)
    throw new ShapeError(`labels: expected ${X.rows}, got ${labels.length}`);
  // Fail before any training rather than on the first batch that holds the bad value.
  if (X.cols !== model.layers[0]!.inFeatures) {
    throw new ShapeError(`X: expected ${model.layers[0]!.inFeatures} features, got ${X.cols}`);
  }
  assertFiniteArray('X', X.toFloat64Array());
  const params = model.parameters;
  const opt = new Adam(params, options);
  const rng = Rng.from(options.seed);
  const start = performance.now();
  const history: EpochRecord[] = [];
  const stepLosses: number[] = [];
  const order = Array.from({ length: X.rows }, (_, i) => i);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    if (options.signal?.aborted) throw new AbortedError('trainClassifier: aborted');
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let lossSum = 0;
    let correct = 0;
    let batches = 0;
    for (let b0 = 0; b0 < order.length; b0 += batchSize) {
      const idx = order.slice(b0, b0 + batchSize);
      const xb = vstack(idx.map((i) => X.row(i)));
      const yb = idx.map((i) => labels[i]!);
      zeroGrad(params);
      const logits = model.forward(xb, true);
      const ce = crossEntropy(logits, yb);
      model.backward(ce.grad);
      opt.step();
      lossSum += ce.loss;
      correct += ce.correct;
      batches++;
      stepLosses.push(ce.loss);
    }
    const rec: EpochRecord = {
      epoch,
      loss: lossSum / Math.max(1, batches),
      trainAccuracy: correct / Math.max(1, X.rows),
    };
    if (options.validation) {
      const v = evaluateClassifier(model, options.validation.X, options.validation.labels);
      rec.validationLoss = v.loss;
      rec.validationAccuracy = v.accuracy;
    }
    history.push(rec);
    options.onProgress?.({ epoch, epochs, loss: rec.loss });
  }
  return {
    history,
    stepLosses,
    trainableParameters: params.reduce((s, p) => s + p.value.length, 0),
    seconds: (performance.now() - start) / 1000,
  };
}
