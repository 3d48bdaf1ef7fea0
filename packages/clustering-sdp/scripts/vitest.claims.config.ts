import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Runs scripts/*.claims.ts (not part of the test suite): the claim tables of the README.
// cd /work/main && npx vitest run --config packages/clustering-sdp/scripts/vitest.claims.config.ts
const root = fileURLToPath(new URL('../../../', import.meta.url));
const alias = readdirSync(`${root}packages`)
  .filter((d) => existsSync(`${root}packages/${d}/src/index.ts`))
  .map((d) => ({
    find: new RegExp(`^@lr/${d}$`),
    replacement: `${root}packages/${d}/src/index.ts`,
  }));

export default defineConfig({
  root,
  resolve: { alias },
  test: { include: ['packages/clustering-sdp/scripts/*.claims.ts'], testTimeout: 3_600_000 },
});
