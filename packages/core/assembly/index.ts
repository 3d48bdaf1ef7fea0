// Entry point of the lr WebAssembly kernels (compiled by scripts/build-wasm.mjs). Every
// export works on caller-managed linear memory: no allocation, no data segments, no start
// function, so one module can be instantiated in many threads over one shared memory.
export { daxpy, ddot, dgemv, saxpy, sdot, sgemv } from './blas';
export { dgemm, dgemmWorkspaceBytes } from './dgemm';
export { sgemm, sgemmWorkspaceBytes } from './sgemm';
