export { fold } from './fold.js';
export { type HosvdOptions, type HosvdResult, hosvd } from './hosvd.js';
export { modeProduct } from './modeProduct.js';
export { type TuckerOptions, type TuckerResult, tucker } from './tucker.js';
export { tuckerReconstruct } from './tuckerReconstruct.js';
export { unfold } from './unfold.js';
