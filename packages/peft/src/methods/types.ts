import type { Matrix } from '@lr/core';

/** The adapter methods `lr peft init` knows, as recorded in `init_lora_weights`. */
export type AdapterMethod =
  | 'lora'
  | 'pissa'
  | 'olora'
  | 'corda'
  | 'eora'
  | 'svfit'
  | 'loldu'
  | 'lq';

/**
 * What every weight-level adapter initialiser returns, for one `nn.Linear` weight W of
 * shape [out, in]. The adapter is always expressible as plain LoRA factors so that PEFT
 * loads it: ΔW = scaling · B · A. Methods that move part of W into the adapter also return
 * the residual base weight, with `residual + scaling · B · A = W` to rounding.
 */
export interface AdapterInit {
  method: AdapterMethod;
  /** lora_A.weight, shape [r, in]. */
  A: Matrix;
  /** lora_B.weight, shape [out, r]. */
  B: Matrix;
  /** The LoRA scaling s (alpha / r, or alpha / √r with rsLoRA). */
  scaling: number;
  /** The rank r actually used (may be chosen by energy). */
  rank: number;
  /** lora_alpha as written to adapter_config.json. */
  alpha: number;
  /** The new base weight W_res (same shape as W) when the method changes the base; else undefined. */
  residual?: Matrix;
  /** Diagnostics: energy kept (Σ kept σ² / Σ σ²) where meaningful, relative error, etc. */
  diagnostics: AdapterDiagnostics;
}

export interface AdapterDiagnostics {
  /** Fraction of ‖W‖_F² carried by the adapter at init (0 for plain LoRA). */
  energy: number;
  /** ‖W − (residual + s·B·A)‖_F / ‖W‖_F: the identity error (or ‖W − base‖ for LoRA, i.e. 0). */
  relativeError: number;
  /** Number of trainable parameters this method trains (e.g. r·(in+out) for LoRA, r for SVFit). */
  trainableParameters: number;
  /** Free-form extra numbers (iterations, damping used, bits chosen, ...). */
  [extra: string]: number | string | boolean | number[] | undefined;
}

/**
 * The LoRA rank and scaling options shared by the initialisers. Defaults are PEFT's
 * `LoraConfig` (r = 8, lora_alpha = 8, use_rslora = false) unless a method says otherwise.
 */
export interface AdapterRankOptions {
  /** LoRA rank r, an integer in [1, min(out, in)]. */
  rank?: number;
  /** lora_alpha (> 0); the scaling is alpha / r, or alpha / √r with `useRslora`. */
  alpha?: number;
  /** PEFT `use_rslora`: scaling alpha / √r instead of alpha / r; default false. */
  useRslora?: boolean;
}
