import { InvalidArgumentError } from '@lr/core';
import type { Param } from './param.js';

/** Options of {@link Adam}; defaults are PyTorch's `torch.optim.Adam`. */
export interface AdamOptions {
  /** Learning rate; default 1e-3. */
  lr?: number;
  /** β₁, β₂; default [0.9, 0.999]. */
  betas?: [number, number];
  /** Default 1e-8. */
  eps?: number;
  /**
   * Decoupled weight decay (AdamW, Loshchilov & Hutter): p ← p − lr·λ·p before the Adam
   * step. Default 0 (plain Adam); PyTorch's AdamW uses 0.01.
   */
  weightDecay?: number;
}

/** Adam / AdamW over a list of {@link Param}s, with bias correction as in PyTorch. */
export class Adam {
  readonly lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly wd: number;
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(
    private readonly params: readonly Param[],
    options: AdamOptions = {},
  ) {
    this.lr = options.lr ?? 1e-3;
    [this.b1, this.b2] = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.wd = options.weightDecay ?? 0;
    for (const [name, v, lo, hi] of [
      ['lr', this.lr, 0, Infinity],
      ['betas[0]', this.b1, 0, 1],
      ['betas[1]', this.b2, 0, 1],
      ['eps', this.eps, 0, Infinity],
      ['weightDecay', this.wd, 0, Infinity],
    ] as const) {
      if (!(v >= lo && v < hi) || (name === 'lr' && v === 0)) {
        throw new InvalidArgumentError(`${name}: expected a number in [${lo}, ${hi}), got ${v}`);
      }
    }
    this.m = params.map((p) => new Float64Array(p.value.length));
    this.v = params.map((p) => new Float64Array(p.value.length));
  }

  /** One update from the gradients currently in `Param.grad`. */
  step(): void {
    this.t++;
    const c1 = 1 - this.b1 ** this.t;
    const c2 = 1 - this.b2 ** this.t;
    const stepSize = this.lr / c1;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      const m = this.m[k]!;
      const v = this.v[k]!;
      const x = p.value;
      const g = p.grad;
      for (let i = 0; i < x.length; i++) {
        if (this.wd) x[i]! -= this.lr * this.wd * x[i]!;
        m[i] = this.b1 * m[i]! + (1 - this.b1) * g[i]!;
        v[i] = this.b2 * v[i]! + (1 - this.b2) * g[i]! * g[i]!;
        x[i]! -= (stepSize * m[i]!) / (Math.sqrt(v[i]! / c2) + this.eps);
      }
    }
  }
}
