// Types of the module that `packages/core/scripts/build-wasm.mjs` writes beside this file
// (`_binary.generated.js`, gitignored; `pnpm build`, `pnpm typecheck` and the test setup
// generate it). Committed so that type-checking does not depend on the build.

/** The WebAssembly SIMD kernels (assembly/index.ts) over an imported memory, base64. */
export declare const WASM_SIMD: string;

/** The same kernels over an imported shared memory (for worker threads), base64. */
export declare const WASM_SIMD_THREADS: string;

/** SHA-256 of the sources and compiler flags the modules were built from. */
export declare const WASM_INPUTS_SHA256: string;
