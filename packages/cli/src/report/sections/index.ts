import { ReportRegistry } from '../section.js';
import { clusteringSection } from './clustering.js';
import { completionSection } from './completion.js';
import { finetuneSection } from './finetune.js';
import { gpuSection } from './gpu.js';
import { imageSection } from './image.js';
import { kernelsSection } from './kernels.js';
import { overviewSection } from './overview.js';
import { peftSection } from './peft.js';
import { ssmSection } from './ssm.js';
import { timingSection } from './timing.js';
import { transportSection } from './transport.js';
import { weightsSection } from './weights.js';

export {
  type ClusterScore,
  clusteringSection,
  irisScores,
  TOUR_CLUSTER_METHODS,
} from './clustering.js';
export {
  completionSection,
  findMovieLens,
  firstUsers,
  MOVIELENS_TOUR_USERS,
  PHASE_TRANSITION,
  type PhasePoint,
  phaseTransition,
  syntheticRatings,
} from './completion.js';
export { IMAGE_RANKS, imageSection } from './image.js';
export { KERNEL_SIZES, type KernelPoint, kernelSweep, kernelsSection } from './kernels.js';
export { overviewSection, PACKAGES } from './overview.js';
export { timingSection } from './timing.js';
export {
  compareSolvers,
  TRANSPORT_PROBLEM,
  transportProblem,
  transportSection,
} from './transport.js';
export {
  LLAMA_PROJECTIONS,
  type WeightSpectrum,
  weightSpectra,
  weightsSection,
} from './weights.js';

/** The built-in sections of the tour, in order. */
export const BUILTIN_SECTIONS = [
  overviewSection,
  imageSection,
  weightsSection,
  peftSection,
  finetuneSection,
  completionSection,
  clusteringSection,
  transportSection,
  ssmSection,
  gpuSection,
  kernelsSection,
  timingSection,
] as const;

/**
 * The sections `lr tour` renders. Other packages add theirs here:
 * `reportSections.register({ id, title, intro, order, render })`.
 */
export const reportSections = new ReportRegistry(BUILTIN_SECTIONS);
