import { gemm, InvalidArgumentError, Matrix, Rng, type Seed, ShapeError, zeros } from '@lr/core';
import { crsSelect } from '@lr/sketch';
import { asMatrixView, gradView, type Param, param } from './param.js';

/**
 * A linear layer y = x·W_effᵀ + b with analytic backward. `forward` caches what
 * `backward` needs; `backward(dy)` adds the parameter gradients into each `Param.grad`
 * and returns dL/dx.
 */
export interface TrainableLinear {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** The trainable parameters (frozen weights are not listed). */
  readonly parameters: readonly Param[];
  forward(x: Matrix, options?: { train?: boolean }): Matrix;
  backward(dy: Matrix): Matrix;
  /** W_eff = W + ΔW as a dense [out, in] matrix (for tests and merging). */
  effectiveWeight(): Matrix;
  /** Numbers cached between forward and backward in the last training step. */
  readonly cachedActivations: number;
}

function copyOf(m: Matrix): Matrix {
  return m.clone('float64');
}

function addBias(y: Matrix, bias: Float64Array | undefined): void {
  if (!bias) return;
  for (let i = 0; i < y.rows; i++)
    for (let j = 0; j < y.cols; j++) y.set(i, j, y.get(i, j) + bias[j]!);
}

function biasGrad(dy: Matrix, grad: Float64Array): void {
  for (let i = 0; i < dy.rows; i++) for (let j = 0; j < dy.cols; j++) grad[j]! += dy.get(i, j);
}

function checkInput(x: Matrix, inFeatures: number): void {
  if (x.cols !== inFeatures) {
    throw new ShapeError(`forward: expected inputs with ${inFeatures} features, got ${x.cols}`);
  }
}

/** Full fine-tuning: W (and the bias) trainable. */
export class DenseLinear implements TrainableLinear {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly parameters: Param[];
  private readonly W: Param;
  private readonly b?: Param;
  private x?: Matrix;
  cachedActivations = 0;

  /** @param W initial [out, in] weight (copied); @param bias optional [out] */
  constructor(W: Matrix, bias?: ArrayLike<number>) {
    this.outFeatures = W.rows;
    this.inFeatures = W.cols;
    this.W = param('weight', W);
    this.parameters = [this.W];
    if (bias) {
      if (bias.length !== W.rows)
        throw new ShapeError(`bias: expected ${W.rows} entries, got ${bias.length}`);
      this.b = param('bias', Matrix.fromData(Float64Array.from(bias), W.rows, 1));
      this.parameters.push(this.b);
    }
  }

  /** A layer with PyTorch's nn.Linear init: U(−1/√in, 1/√in) for W and b. */
  static init(inFeatures: number, outFeatures: number, seed?: Seed, withBias = true): DenseLinear {
    const rng = Rng.from(seed);
    const bound = 1 / Math.sqrt(inFeatures);
    const W = zeros(outFeatures, inFeatures);
    for (let i = 0; i < outFeatures; i++)
      for (let j = 0; j < inFeatures; j++) W.set(i, j, rng.uniformIn(-bound, bound));
    const b = withBias
      ? Array.from({ length: outFeatures }, () => rng.uniformIn(-bound, bound))
      : undefined;
    return new DenseLinear(W, b);
  }

  get bias(): Float64Array | undefined {
    return this.b?.value;
  }

  forward(x: Matrix, options: { train?: boolean } = {}): Matrix {
    checkInput(x, this.inFeatures);
    const y = zeros(x.rows, this.outFeatures);
    gemm(x, asMatrixView(this.W), y, { transB: true });
    addBias(y, this.b?.value);
    if (options.train !== false) {
      this.x = x;
      this.cachedActivations = x.rows * x.cols;
    }
    return y;
  }

  backward(dy: Matrix): Matrix {
    const x = this.x;
    if (!x) throw new InvalidArgumentError('backward: call forward first');
    gemm(dy, x, gradView(this.W), { transA: true, beta: 1 });
    if (this.b) biasGrad(dy, this.b.grad);
    const dx = zeros(dy.rows, this.inFeatures);
    gemm(dy, asMatrixView(this.W), dx);
    return dx;
  }

  effectiveWeight(): Matrix {
    return copyOf(asMatrixView(this.W));
  }
}

/** Options of {@link LoraLinear}. */
export interface LoraLinearOptions {
  /** LoRA scaling s; default 1. */
  scaling?: number;
  /** Frozen bias [out]. */
  bias?: ArrayLike<number>;
  /**
   * WTA-CRS (#20) for the weight-gradient products: keep only `k` of the batch's rows of
   * the cached activations, chosen in the forward pass with pᵢ ∝ ‖xᵢ‖ (the output gradient
   * is not known yet), so the layer stores k·in numbers instead of n·in. The gradient
   * estimate stays unbiased. Default: off (exact gradients).
   */
  wtaCrs?: { k: number; seed?: Seed };
}

/**
 * A frozen base W with a trainable low-rank update: y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ + b. Gradients
 * for A and B never form the out×in update (#25): with g = dL/dy and u = x·Aᵀ,
 * dB = s·gᵀu, dA = s·(g·B)ᵀx, dx = g·W + s·(g·B)·A, all O(n·d·r) beyond the frozen g·W.
 */
export class LoraLinear implements TrainableLinear {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly parameters: Param[];
  readonly scaling: number;
  private readonly W: Matrix;
  private readonly bias?: Float64Array;
  private readonly A: Param;
  private readonly B: Param;
  private readonly wta?: { k: number; rng: Rng };
  private x?: Matrix;
  private u?: Matrix;
  private rowsKept?: { rows: Int32Array; scales: Float64Array };
  cachedActivations = 0;

  /** @param W frozen [out, in] base (copied) @param A [r, in] @param B [out, r] */
  constructor(W: Matrix, A: Matrix, B: Matrix, options: LoraLinearOptions = {}) {
    if (A.cols !== W.cols || B.rows !== W.rows || A.rows !== B.cols) {
      throw new ShapeError(
        `LoraLinear: W ${W.rows}×${W.cols}, A ${A.rows}×${A.cols}, B ${B.rows}×${B.cols} do not fit (A [r, in], B [out, r])`,
      );
    }
    this.outFeatures = W.rows;
    this.inFeatures = W.cols;
    this.W = copyOf(W);
    this.scaling = options.scaling ?? 1;
    if (options.bias) this.bias = Float64Array.from(options.bias);
    this.A = param('lora_A', A);
    this.B = param('lora_B', B);
    this.parameters = [this.A, this.B];
    if (options.wtaCrs) this.wta = { k: options.wtaCrs.k, rng: Rng.from(options.wtaCrs.seed) };
  }

  get rank(): number {
    return this.A.rows;
  }

  forward(x: Matrix, options: { train?: boolean } = {}): Matrix {
    checkInput(x, this.inFeatures);
    const y = zeros(x.rows, this.outFeatures);
    gemm(x, this.W, y, { transB: true });
    const u = zeros(x.rows, this.rank);
    gemm(x, asMatrixView(this.A), u, { transB: true });
    gemm(u, asMatrixView(this.B), y, { transB: true, alpha: this.scaling, beta: 1 });
    addBias(y, this.bias);
    if (options.train === false) return y;
    if (this.wta && this.wta.k < x.rows) {
      const norms = new Float64Array(x.rows);
      for (let i = 0; i < x.rows; i++) {
        let s = 0;
        for (let j = 0; j < x.cols; j++) s += x.get(i, j) ** 2;
        norms[i] = Math.sqrt(s);
      }
      const sel = crsSelect(norms, this.wta.k, 'wta-crs', this.wta.rng);
      // Keep only the sampled rows of x and u, pre-scaled: Σᵢ gᵢᵀxᵢ ≈ Σₜ scaleₜ·g_{sₜ}ᵀx_{sₜ}.
      const k = sel.selected.length;
      const xs = zeros(k, x.cols);
      const us = zeros(k, this.rank);
      for (let t = 0; t < k; t++) {
        const i = sel.selected[t]!;
        const s = sel.scales[t]!;
        for (let j = 0; j < x.cols; j++) xs.set(t, j, s * x.get(i, j));
        for (let j = 0; j < this.rank; j++) us.set(t, j, s * u.get(i, j));
      }
      this.x = xs;
      this.u = us;
      this.rowsKept = { rows: sel.selected, scales: sel.scales };
      this.cachedActivations = k * (x.cols + this.rank);
    } else {
      this.x = x;
      this.u = u;
      this.rowsKept = undefined;
      this.cachedActivations = x.rows * (x.cols + this.rank);
    }
    return y;
  }

  backward(dy: Matrix): Matrix {
    const x = this.x;
    const u = this.u;
    if (!x || !u) throw new InvalidArgumentError('backward: call forward first');
    const s = this.scaling;
    const A = asMatrixView(this.A);
    const B = asMatrixView(this.B);
    // gB = g·B [n, r]: needed for dA and dx.
    const gB = zeros(dy.rows, this.rank);
    gemm(dy, B, gB);
    if (this.rowsKept) {
      const { rows } = this.rowsKept;
      const k = rows.length;
      const g = zeros(k, dy.cols);
      const gb = zeros(k, this.rank);
      for (let t = 0; t < k; t++) {
        const i = rows[t]!;
        for (let j = 0; j < dy.cols; j++) g.set(t, j, dy.get(i, j));
        for (let j = 0; j < this.rank; j++) gb.set(t, j, gB.get(i, j));
      }
      gemm(g, u, gradView(this.B), { transA: true, alpha: s, beta: 1 });
      gemm(gb, x, gradView(this.A), { transA: true, alpha: s, beta: 1 });
    } else {
      gemm(dy, u, gradView(this.B), { transA: true, alpha: s, beta: 1 });
      gemm(gB, x, gradView(this.A), { transA: true, alpha: s, beta: 1 });
    }
    const dx = zeros(dy.rows, this.inFeatures);
    gemm(dy, this.W, dx);
    gemm(gB, A, dx, { alpha: s, beta: 1 });
    return dx;
  }

  effectiveWeight(): Matrix {
    const W = copyOf(this.W);
    gemm(asMatrixView(this.B), asMatrixView(this.A), W, { alpha: this.scaling, beta: 1 });
    return W;
  }
}

/**
 * A frozen base W plus ΔW = s·B·diag(z)·A with A [r, in] and B [out, r] frozen and only
 * the r numbers z trainable: SVFit (B = U_r, A = V_rᵀ, z = σ) and LoLDU (B = P·L_r,
 * A = U_r, z = D_r).
 */
export class DiagonalAdapterLinear implements TrainableLinear {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly parameters: Param[];
  readonly scaling: number;
  private readonly W: Matrix;
  private readonly A: Matrix;
  private readonly B: Matrix;
  private readonly bias?: Float64Array;
  private readonly z: Param;
  private u?: Matrix;
  cachedActivations = 0;

  constructor(
    W: Matrix,
    A: Matrix,
    B: Matrix,
    z: ArrayLike<number>,
    options: { scaling?: number; bias?: ArrayLike<number> } = {},
  ) {
    if (A.cols !== W.cols || B.rows !== W.rows || A.rows !== B.cols || z.length !== A.rows) {
      throw new ShapeError(
        'DiagonalAdapterLinear: expected A [r, in], B [out, r], z [r] fitting W [out, in]',
      );
    }
    this.inFeatures = W.cols;
    this.outFeatures = W.rows;
    this.W = copyOf(W);
    this.A = copyOf(A);
    this.B = copyOf(B);
    this.scaling = options.scaling ?? 1;
    if (options.bias) this.bias = Float64Array.from(options.bias);
    this.z = param('z', Matrix.fromData(Float64Array.from(z), z.length, 1));
    this.parameters = [this.z];
  }

  forward(x: Matrix, options: { train?: boolean } = {}): Matrix {
    checkInput(x, this.inFeatures);
    const y = zeros(x.rows, this.outFeatures);
    gemm(x, this.W, y, { transB: true });
    const u = zeros(x.rows, this.A.rows);
    gemm(x, this.A, u, { transB: true });
    const uz = zeros(x.rows, this.A.rows);
    for (let i = 0; i < x.rows; i++)
      for (let j = 0; j < this.A.rows; j++) uz.set(i, j, u.get(i, j) * this.z.value[j]!);
    gemm(uz, this.B, y, { transB: true, alpha: this.scaling, beta: 1 });
    addBias(y, this.bias);
    if (options.train !== false) {
      this.u = u;
      this.cachedActivations = u.rows * u.cols;
    }
    return y;
  }

  backward(dy: Matrix): Matrix {
    const u = this.u;
    if (!u) throw new InvalidArgumentError('backward: call forward first');
    const gB = zeros(dy.rows, this.A.rows);
    gemm(dy, this.B, gB);
    const r = this.A.rows;
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let i = 0; i < dy.rows; i++) s += u.get(i, j) * gB.get(i, j);
      this.z.grad[j]! += this.scaling * s;
    }
    for (let i = 0; i < dy.rows; i++)
      for (let j = 0; j < r; j++) gB.set(i, j, gB.get(i, j) * this.z.value[j]!);
    const dx = zeros(dy.rows, this.inFeatures);
    gemm(dy, this.W, dx);
    gemm(gB, this.A, dx, { alpha: this.scaling, beta: 1 });
    return dx;
  }

  effectiveWeight(): Matrix {
    const W = copyOf(this.W);
    const Bz = copyOf(this.B);
    for (let i = 0; i < Bz.rows; i++)
      for (let j = 0; j < Bz.cols; j++) Bz.set(i, j, Bz.get(i, j) * this.z.value[j]!);
    gemm(Bz, this.A, W, { alpha: this.scaling, beta: 1 });
    return W;
  }
}

/**
 * FLoRA (#46) on a 2-D weight: ΔW = s·B·G·A with a trainable r×r core G between trainable
 * factors A [r, in] and B [out, r] (the N-d case keeps one factor per mode; a linear layer
 * has two). Exact at init when G = 0.
 */
export class CoreAdapterLinear implements TrainableLinear {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly parameters: Param[];
  readonly scaling: number;
  private readonly W: Matrix;
  private readonly bias?: Float64Array;
  private readonly A: Param;
  private readonly G: Param;
  private readonly B: Param;
  private x?: Matrix;
  private u?: Matrix;
  private v?: Matrix;
  cachedActivations = 0;

  constructor(
    W: Matrix,
    A: Matrix,
    G: Matrix,
    B: Matrix,
    options: { scaling?: number; bias?: ArrayLike<number> } = {},
  ) {
    const r = G.rows;
    if (G.cols !== r || A.rows !== r || B.cols !== r || A.cols !== W.cols || B.rows !== W.rows) {
      throw new ShapeError(
        'CoreAdapterLinear: expected A [r, in], G [r, r], B [out, r] fitting W [out, in]',
      );
    }
    this.inFeatures = W.cols;
    this.outFeatures = W.rows;
    this.W = copyOf(W);
    this.scaling = options.scaling ?? 1;
    if (options.bias) this.bias = Float64Array.from(options.bias);
    this.A = param('flora_A', A);
    this.G = param('flora_core', G);
    this.B = param('flora_B', B);
    this.parameters = [this.A, this.G, this.B];
  }

  forward(x: Matrix, options: { train?: boolean } = {}): Matrix {
    checkInput(x, this.inFeatures);
    const r = this.G.rows;
    const y = zeros(x.rows, this.outFeatures);
    gemm(x, this.W, y, { transB: true });
    const u = zeros(x.rows, r);
    gemm(x, asMatrixView(this.A), u, { transB: true });
    const v = zeros(x.rows, r);
    gemm(u, asMatrixView(this.G), v, { transB: true });
    gemm(v, asMatrixView(this.B), y, { transB: true, alpha: this.scaling, beta: 1 });
    addBias(y, this.bias);
    if (options.train !== false) {
      this.x = x;
      this.u = u;
      this.v = v;
      this.cachedActivations = x.rows * (x.cols + 2 * r);
    }
    return y;
  }

  backward(dy: Matrix): Matrix {
    const { x, u, v } = this;
    if (!x || !u || !v) throw new InvalidArgumentError('backward: call forward first');
    const s = this.scaling;
    const r = this.G.rows;
    gemm(dy, v, gradView(this.B), { transA: true, alpha: s, beta: 1 });
    const gB = zeros(dy.rows, r);
    gemm(dy, asMatrixView(this.B), gB);
    gemm(gB, u, gradView(this.G), { transA: true, alpha: s, beta: 1 });
    const gG = zeros(dy.rows, r);
    gemm(gB, asMatrixView(this.G), gG);
    gemm(gG, x, gradView(this.A), { transA: true, alpha: s, beta: 1 });
    const dx = zeros(dy.rows, this.inFeatures);
    gemm(dy, this.W, dx);
    gemm(gG, asMatrixView(this.A), dx, { alpha: s, beta: 1 });
    return dx;
  }

  effectiveWeight(): Matrix {
    const r = this.G.rows;
    const BG = zeros(this.outFeatures, r);
    gemm(asMatrixView(this.B), asMatrixView(this.G), BG);
    const W = copyOf(this.W);
    gemm(BG, asMatrixView(this.A), W, { alpha: this.scaling, beta: 1 });
    return W;
  }
}
