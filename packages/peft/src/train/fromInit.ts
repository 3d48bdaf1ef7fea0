import { type Matrix, ShapeError } from '@lr/core';
import type { LolduResult } from '../methods/loldu.js';
import type { SvfitResult } from '../methods/svfit.js';
import type { AdapterInit } from '../methods/types.js';
import {
  DiagonalAdapterLinear,
  LoraLinear,
  type LoraLinearOptions,
  type TrainableLinear,
} from './layers.js';

/** Options of {@link trainableFromInit}. */
export interface TrainableFromInitOptions {
  /** Frozen bias [out] of the layer. */
  bias?: ArrayLike<number>;
  /** WTA-CRS activation sampling (LoRA-form layers only); see {@link LoraLinearOptions}. */
  wtaCrs?: LoraLinearOptions['wtaCrs'];
}

/**
 * The trainable layer an initialiser's result describes, over its frozen base: SVFit and
 * LoLDU train only their r numbers (singular values, pivots) in a
 * {@link DiagonalAdapterLinear}; every other method trains A and B in a
 * {@link LoraLinear} over `residual` (PiSSA, OLoRA, CorDA, EoRA) or over W itself (LoRA).
 * @param W the original weight [out, in]; the base is `init.residual` when present
 * @example
 * const layer = trainableFromInit(W, pissa(W, { rank: 8 }));
 * layer.effectiveWeight(); // = W at init, to rounding
 */
export function trainableFromInit(
  W: Matrix,
  init: AdapterInit,
  options: TrainableFromInitOptions = {},
): TrainableLinear {
  const base = init.residual ?? W;
  if (base.rows !== W.rows || base.cols !== W.cols) {
    throw new ShapeError(
      `trainableFromInit: residual is ${base.rows}×${base.cols}, W is ${W.rows}×${W.cols}`,
    );
  }
  if (init.method === 'svfit') {
    const s = init as SvfitResult;
    return new DiagonalAdapterLinear(base, s.Vt, s.U, s.S, { bias: options.bias });
  }
  if (init.method === 'loldu') {
    const l = init as LolduResult;
    return new DiagonalAdapterLinear(base, l.U, l.L, l.z, {
      scaling: l.scaling,
      bias: options.bias,
    });
  }
  return new LoraLinear(base, init.A, init.B, {
    scaling: init.scaling,
    bias: options.bias,
    wtaCrs: options.wtaCrs,
  });
}
