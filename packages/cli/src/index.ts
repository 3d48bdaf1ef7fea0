export {
  BENCHMARK_NAMES,
  type BenchmarkName,
  type BenchOptions,
  type BenchResult,
  DEFAULT_BENCH_SIZE,
  runBenchmark,
} from './commands/bench.js';
export {
  CLUSTER_METHODS,
  type ClusterMethod,
  type ClusterOptions,
  type ClusterRun,
  type ClusterTable,
  clusterMatrix,
  detectMetadataLine,
  type LabelColumn,
  readClusterTable,
  standardizeColumns,
} from './commands/cluster.js';
export {
  BIAS_BASELINE,
  type BiasModel,
  COMPLETE_DEFAULTS,
  COMPLETE_METHODS,
  type CompleteMethod,
  type CompletionRun,
  type CompletionRunOptions,
  detectRatingColumns,
  fitBiasBaseline,
  type HeldOutPrediction,
  rmseOn,
  runCompletion,
} from './commands/complete.js';
export { fileInfo } from './commands/info.js';
export {
  marginalError,
  OT_METHODS,
  type OtMethod,
  type OtOptions,
  type OtRun,
  solveOt,
  solveOtGrid,
} from './commands/ot.js';
export {
  computeSvd,
  RANDOMIZED_DEFAULTS,
  type SvdCommandOptions,
  type SvdCommandResult,
} from './commands/svd.js';
export { runTour, type TourOptions } from './commands/tour.js';
export { CliError } from './errors.js';
export {
  type Digits,
  FINETUNE_METHODS,
  type FinetuneMethod,
  type FinetuneOptions,
  type FinetuneRow,
  readDigits,
  runFinetuneExperiment,
  transposeImages,
} from './experiments/finetune.js';
export {
  type CompressionExperimentOptions,
  type CompressionRow,
  type ModelBytes,
  runCompressionExperiment,
} from './experiments/llmCompression.js';
export { checkOutputs, type OutputFile, type WriteOptions, writeOutputs } from './io/atomic.js';
export {
  type FileKind,
  fileKind,
  type LoadedTensor,
  listTensors,
  loadTensor,
  type TensorInfo,
} from './io/read.js';
export type { MainIo, Writer } from './io/types.js';
export { main } from './main.js';
export { type BuildReportOptions, buildReport, type Report } from './report/build.js';
export { htmlTable, type PageContent, type RenderedSection, renderPage } from './report/html.js';
export { crc32, encodePngGray, toGray } from './report/png.js';
export type { ReportContext, ReportFile, ReportSection, Timing } from './report/section.js';
export { ReportRegistry } from './report/section.js';
export {
  BUILTIN_SECTIONS,
  type ClusterScore,
  clusteringSection,
  compareSolvers,
  completionSection,
  findMovieLens,
  firstUsers,
  IMAGE_RANKS,
  imageSection,
  irisScores,
  LLAMA_PROJECTIONS,
  MOVIELENS_TOUR_USERS,
  overviewSection,
  PHASE_TRANSITION,
  type PhasePoint,
  phaseTransition,
  reportSections,
  syntheticRatings,
  TOUR_CLUSTER_METHODS,
  TRANSPORT_PROBLEM,
  timingSection,
  transportProblem,
  transportSection,
  type WeightSpectrum,
  weightSpectra,
  weightsSection,
} from './report/sections/index.js';
export {
  type AxisOptions,
  type BarData,
  barPlot,
  escapeXml,
  formatTick,
  linearTicks,
  linePlot,
  logTicks,
  PALETTE,
  type PlotOptions,
  type Series,
  scatterPlot,
} from './report/svg.js';
export { energy, energyRank, stableRank, tailError } from './spectrum.js';
