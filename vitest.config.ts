import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the sources: every `@lr/<pkg>` resolves to `packages/<pkg>/src/index.ts`.
const root = fileURLToPath(new URL('.', import.meta.url));
const alias = readdirSync(`${root}packages`)
  .filter((d) => existsSync(`${root}packages/${d}/src/index.ts`))
  .map((d) => ({
    find: new RegExp(`^@lr/${d}$`),
    replacement: `${root}packages/${d}/src/index.ts`,
  }));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tooling/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // Builds @lr/core's embedded WebAssembly when it is missing or stale.
    globalSetup: ['./packages/core/scripts/vitest-global-setup.mjs'],
    // Fixed fast-check seed: every property test is deterministic.
    setupFiles: ['./tooling/scripts/vitest-setup.mjs'],
  },
});
