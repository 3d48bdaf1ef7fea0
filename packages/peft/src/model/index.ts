export {
  ADAPTER_FILES,
  type AdapterModule,
  type LoadedAdapter,
  type LoraFactors,
  PEFT_PREFIX,
  readAdapter,
  type WriteAdapterOptions,
  writeAdapter,
} from './adapter.js';
export {
  type AdapterConfigOptions,
  adapterConfig,
  initLoraWeights,
  loraScaling,
  serializeAdapterConfig,
} from './adapterConfig.js';
export {
  encodeTensor,
  type LoadTensorOptions,
  loadTensor,
  readTensorBytes,
  tensorInfo,
  WEIGHT_DTYPES,
} from './loadTensor.js';
export {
  MODEL_FILES,
  type ModelInfo,
  type ModelShard,
  type ModelTensorInfo,
  openModel,
} from './openModel.js';
export {
  DEFAULT_TARGET_MODULES,
  defaultTargets,
  matchesTarget,
  selectTargets,
  type TargetModule,
  type TargetPattern,
  targetModulesForConfig,
} from './selectTargets.js';
export {
  type FileWriter,
  type MemoryStore,
  type ModelSink,
  type ModelStore,
  memoryStore,
  openWriter,
  subSink,
} from './store.js';
export {
  type ModelTensorPlan,
  type RewriteModelOptions,
  rewriteModel,
  type WriteModelOptions,
  writeModel,
} from './writeModel.js';
