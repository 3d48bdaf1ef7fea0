import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // The declarations use WebGPU's GPU* types: point consumers at @webgpu/types.
  dts: { banner: '/// <reference types="@webgpu/types" />' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
});
