// The control block at the start of the shared memory through which the main thread hands
// GEMM jobs to the workers (Int32 word indices; two f64 slots at byte 128). Shared by the
// pool (TypeScript) and the worker source (a string), which interpolates these numbers.

/** Bumped once per job; workers sleep on it with Atomics.wait. */
export const SEQ = 0;
/** Chunks not yet claimed: a thread claims chunk `TOTAL − r` when Atomics.sub returns r > 0. */
export const REM = 1;
/** Chunks finished in the current job. */
export const DONE = 2;
/** Workers that have started. */
export const READY = 3;
/** Threads allowed: a worker whose index is ≥ LIMIT exits when it wakes. */
export const LIMIT = 4;
/** Chunks in the current job. */
export const TOTAL = 5;
/** 0: dgemm, 1: sgemm. */
export const KIND = 6;
export const M = 7;
export const N = 8;
export const K = 9;
export const A = 10;
export const ARS = 11;
export const ACS = 12;
export const B = 13;
export const BRS = 14;
export const BCS = 15;
export const C = 16;
export const CRS = 17;
export const CCS = 18;
/** 0: chunks are row blocks of C, 1: column blocks. */
export const SPLIT = 19;
/** Rows (or columns) per chunk. */
export const CHUNK = 20;
/** Byte address of slot 0's workspace, and bytes between slots. */
export const WS_BASE = 21;
export const WS_STRIDE = 22;
/** Set by a thread whose chunk threw; the job is then redone on one thread. */
export const ERROR = 23;
/** Chunks run by workers since the pool started (a diagnostic; never reset). */
export const BY_WORKERS = 24;
/** Float64 indices of α and β (bytes 128 and 136). */
export const ALPHA = 16;
export const BETA = 17;
/** Int32 words the views cover. */
export const WORDS = 64;
