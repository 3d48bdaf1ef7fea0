export {
  type CsvData,
  type ReadCsvOptions,
  readCsv,
  type WriteCsvOptions,
  writeCsv,
} from './csv.js';
export { decodeF8E4M3, decodeF8E5M2 } from './float8.js';
export {
  bf16ToF32,
  decodeBf16,
  decodeF16,
  encodeBf16,
  encodeF16,
  f16ToF32,
  f32ToBf16,
  f32ToF16,
} from './half.js';
export {
  type MatrixMarketData,
  type MatrixMarketField,
  type MatrixMarketSymmetry,
  readMatrixMarket,
  type WriteMatrixMarketOptions,
  writeMatrixMarket,
} from './matrix-market.js';
export { type NpyArray, type NpyDType, readNpy, type WriteNpyOptions, writeNpy } from './npy.js';
export {
  type DecodeSafetensorOptions,
  decodeSafetensor,
  parseSafetensorsHeader,
  readSafetensors,
  SAFETENSORS_ITEMSIZE,
  SAFETENSORS_MAX_HEADER,
  type SafetensorsDType,
  type SafetensorsEntry,
  type SafetensorsFile,
  type SafetensorsHeader,
  type SafetensorsRawTensor,
  type SafetensorsTensorInfo,
  safetensorsHeaderLength,
  type WriteSafetensorsOptions,
  writeSafetensors,
} from './safetensors.js';
