import { ReportRegistry } from '../section.js';
import { imageSection } from './image.js';
import { overviewSection } from './overview.js';
import { timingSection } from './timing.js';
import { weightsSection } from './weights.js';

export { IMAGE_RANKS, imageSection } from './image.js';
export { overviewSection, PACKAGES } from './overview.js';
export { timingSection } from './timing.js';
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
  timingSection,
] as const;

/**
 * The sections `lr tour` renders. Other packages add theirs here:
 * `reportSections.register({ id, title, intro, order, render })`.
 */
export const reportSections = new ReportRegistry(BUILTIN_SECTIONS);
