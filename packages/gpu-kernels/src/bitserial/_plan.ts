import { InvalidArgumentError, ShapeError } from '@lr/core';
import { assertBipolarMatrix, type BipolarMatrix } from './quantizeBipolar.js';

/**
 * The shared loop plan of the CPU and GPU bit-serial products: C = A·Bᵀ with A `[M, K]`,
 * B `[N, K]`. Columns are cut into segments at every scale-group boundary of either operand;
 * each segment is summed in integers and scaled once by s_A·s_B.
 * @internal
 */
export interface BitSerialPlan {
  M: number;
  N: number;
  K: number;
  /** ⌈K/32⌉ packed words per row. */
  words: number;
  /** Columns per segment (the finer group size; K for one scale per row in both). */
  segSize: number;
  /** Number of segments ⌈K/segSize⌉ (0 when K = 0). */
  nSeg: number;
  /** Words per segment (segSize/32, or `words` when nSeg = 1). */
  segWords: number;
}

/** Validates both operands and builds the plan. @internal */
export function planBitSerial(qa: BipolarMatrix, qb: BipolarMatrix): BitSerialPlan {
  assertBipolarMatrix('qa', qa);
  assertBipolarMatrix('qb', qb);
  return planLayout(qa, qb);
}

/** Operand layout fields the plan needs. @internal */
export interface OperandLayout {
  rows: number;
  cols: number;
  groupSize: number;
}

/** Builds the plan from already validated layouts (checks K and group nesting). @internal */
export function planLayout(qa: OperandLayout, qb: OperandLayout): BitSerialPlan {
  if (qa.cols !== qb.cols)
    throw new ShapeError(
      `qb: expected ${qa.cols} columns to match qa (C = A·Bᵀ contracts over K), got shape [${qb.rows}, ${qb.cols}]`,
    );
  const K = qa.cols;
  const fine = Math.min(qa.groupSize, qb.groupSize);
  const coarse = Math.max(qa.groupSize, qb.groupSize);
  if (K > 0 && coarse < K && coarse % fine !== 0)
    throw new InvalidArgumentError(
      `qa, qb: group sizes ${qa.groupSize} and ${qb.groupSize} do not nest (the larger must be a multiple of the smaller)`,
    );
  const words = Math.ceil(K / 32);
  const nSeg = K === 0 ? 0 : Math.ceil(K / fine);
  return {
    M: qa.rows,
    N: qb.rows,
    K,
    words,
    segSize: fine,
    nSeg,
    segWords: nSeg <= 1 ? words : fine / 32,
  };
}
