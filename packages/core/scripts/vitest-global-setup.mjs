// Vitest global setup (root vitest.config.ts): builds the embedded WebAssembly module of
// @lr/core when src/kernels/wasm/_binary.generated.js is missing or older than the
// AssemblyScript sources, so `npm test` works straight after `pnpm install`.
import { buildWasm } from './build-wasm.mjs';

export default async function setup() {
  await buildWasm({ quiet: true });
}
