import { assertFiniteArray, assertOneOf, InvalidArgumentError, ShapeError, Tensor } from '@lr/core';

/**
 * Layouts of a batch of multichannel sequences: `'BLH'` = [batch, L, H] (PyTorch's
 * batch-first, channels-last; S4's `transposed=False`), `'BHL'` = [batch, H, L]
 * (S4's default `transposed=True`). A 2-d tensor is one sequence: [L, H] or [H, L].
 */
export type SequenceLayout = 'BLH' | 'BHL';

/** Sequences read into one contiguous (b, h, l) float64 buffer. Internal. */
export interface _Sequences {
  batch: number;
  L: number;
  H: number;
  /** values at ((b·H + h)·L + l) */
  data: Float64Array;
  /** the input's shape (for the output) */
  shape: number[];
  layout: SequenceLayout;
}

/** Validates and reads `u` (any strides, float32 or float64). Internal. */
export function _readSequences(
  name: string,
  u: unknown,
  H: number,
  layoutOpt: unknown,
): _Sequences {
  const layout = assertOneOf('options.layout', layoutOpt ?? 'BLH', ['BLH', 'BHL'] as const);
  if (!(u instanceof Tensor)) {
    throw new InvalidArgumentError(
      `${name}: expected a Tensor of shape [batch, L, H] or [batch, H, L] (see layout)`,
    );
  }
  if (u.ndim !== 2 && u.ndim !== 3) {
    throw new ShapeError(
      `${name}: expected a 2-d or 3-d tensor (${layout === 'BLH' ? '[batch,] L, H' : '[batch,] H, L'}), got shape [${u.shape.join(', ')}]`,
    );
  }
  const shape = [...u.shape];
  const three = u.ndim === 3;
  const batch = three ? shape[0]! : 1;
  const d1 = shape[three ? 1 : 0]!;
  const d2 = shape[three ? 2 : 1]!;
  const L = layout === 'BLH' ? d1 : d2;
  const h = layout === 'BLH' ? d2 : d1;
  if (h !== H) {
    throw new ShapeError(
      `${name}: layout ${layout} needs ${H} channels on axis ${layout === 'BLH' ? (three ? 2 : 1) : three ? 1 : 0}, got shape [${shape.join(', ')}]`,
    );
  }
  if (L < 1)
    throw new ShapeError(
      `${name}: expected a sequence length L ≥ 1, got shape [${shape.join(', ')}]`,
    );
  if (batch < 1)
    throw new ShapeError(`${name}: expected batch ≥ 1, got shape [${shape.join(', ')}]`);
  const data = new Float64Array(batch * H * L);
  const src = u.data;
  const s = u.strides;
  const sb = three ? s[0]! : 0;
  const s1 = s[three ? 1 : 0]!;
  const s2 = s[three ? 2 : 1]!;
  const sl = layout === 'BLH' ? s1 : s2;
  const sh = layout === 'BLH' ? s2 : s1;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < H; c++) {
      const base = u.offset + b * sb + c * sh;
      const o = (b * H + c) * L;
      for (let l = 0; l < L; l++) data[o + l] = src[base + l * sl]!;
    }
  }
  assertFiniteArray(name, data);
  return { batch, L, H, data, shape, layout };
}

/** Writes (b, h, l) values back into a fresh float64 tensor of the input's layout. Internal. */
export function _writeSequences(seq: _Sequences, y: Float64Array): Tensor {
  const { batch, L, H, layout, shape } = seq;
  if (layout === 'BHL') return new Tensor(y, shape);
  const out = new Float64Array(batch * L * H);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < H; c++) {
      const o = (b * H + c) * L;
      const t = b * L * H + c;
      for (let l = 0; l < L; l++) out[t + l * H] = y[o + l]!;
    }
  }
  return new Tensor(out, shape);
}
