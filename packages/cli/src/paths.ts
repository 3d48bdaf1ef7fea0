import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The @lr/cli package directory (holding package.json and assets/), found by walking up
 * from this module: `src/` when run from the sources, `dist/` when built.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@lr/cli') {
          root = dir;
          return dir;
        }
      } catch {
        // not our package.json: keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error('cannot find the @lr/cli package directory (package.json with name @lr/cli)');
}

/** The version in @lr/cli's package.json. */
export function packageVersion(): string {
  return (
    JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/** The data shipped with the CLI (`assets/`): the tour's image and model. */
export function assetsDir(): string {
  return join(packageRoot(), 'assets');
}
