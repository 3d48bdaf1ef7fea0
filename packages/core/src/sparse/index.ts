export { CooMatrix } from './coo.js';
export { type CsrFromDenseOptions, CsrMatrix } from './csr.js';
export { csrOperator } from './csrOperator.js';
export { spmm, spmmT } from './spmm.js';
export { spmv, spmvT } from './spmv.js';
