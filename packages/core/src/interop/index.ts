export { type DataDims, type FromDataDimsOptions, fromDataDims, toDataDims } from './dataDims.js';
export {
  type FromMlMatrixOptions,
  fromMlMatrix,
  type MlMatrixLike,
  toMlMatrix,
} from './mlMatrix.js';
