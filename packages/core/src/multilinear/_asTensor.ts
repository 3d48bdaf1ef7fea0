// Wraps raw C-order float64 parts as a Tensor (a Matrix when 2-d).
import { Matrix } from '../matrix.js';
import { Tensor } from '../tensor.js';
import type { _RawTensor } from './_modeProduct.js';

export function _asTensor(x: _RawTensor): Tensor {
  return x.shape.length === 2
    ? new Matrix(x.data, x.shape[0]!, x.shape[1]!)
    : new Tensor(x.data, x.shape);
}
