#!/usr/bin/env node
// Checks that every published lr package installs and works on its own, as a user gets it
// from npm: `pnpm pack` each non-private package under packages/ (pnpm rewrites
// `workspace:` ranges to versions), install all the tarballs together with one
// `npm install` into an empty project outside the workspace, then load each package from
// ESM and from CommonJS, check its exports, run its bins with --version and, unless
// --no-publint, lint the packed package with publint.
//
// Run after `pnpm build`:
//   node tooling/scripts/check-packs.mjs [--only @lr/core,@lr/cli] [--no-publint] [--keep]
// Prints one line per package (ok/fail) and exits 1 if any package fails.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const USAGE = `usage: node tooling/scripts/check-packs.mjs [--only <name,...>] [--no-publint] [--keep] [--verbose]
  --only      check only these packages (their @lr dependencies are still packed and installed)
  --no-publint  skip publint (it is fetched with npx, so it needs the registry)
  --keep      keep the temporary directory and print its path
  --verbose   print the commands and their output
  --root      the workspace to check (default: this repository)`;

function parseArgs(argv) {
  const opts = { only: null, publint: true, keep: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') opts.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a.startsWith('--only=')) opts.only = a.slice(7).split(',').filter(Boolean);
    else if (a === '--no-publint') opts.publint = false;
    else if (a === '--keep') opts.keep = true;
    // --root: another workspace, for testing this script on a fixture workspace
    else if (a === '--root') root = resolve(argv[++i] ?? '.');
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`unknown argument ${a}\n${USAGE}`);
      process.exit(2);
    }
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));

// Child processes must not inherit the workspace's package-manager context (pnpm sets
// npm_config_* and npm_package_* for scripts); keep only settings a user's own npm would
// also see: registry, proxies, certificates, cache.
const KEEP_NPM = new Set([
  'npm_config_registry',
  'npm_config_cache',
  'npm_config_proxy',
  'npm_config_https_proxy',
  'npm_config_noproxy',
  'npm_config_strict_ssl',
  'npm_config_cafile',
  'npm_config_userconfig',
]);
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => {
    const key = k.toLowerCase();
    if (KEEP_NPM.has(key)) return true;
    return !(
      key.startsWith('npm_') ||
      key.startsWith('pnpm_') ||
      key === 'node_options' ||
      key === 'init_cwd'
    );
  }),
);

function run(cmd, args, { cwd, timeout = 120_000, input } = {}) {
  if (opts.verbose)
    console.log(
      `$ (cd ${cwd}) ${cmd} ${args.map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`,
    );
  const r = spawnSync(cmd, args, {
    cwd,
    env: childEnv,
    encoding: 'utf8',
    timeout,
    input,
    maxBuffer: 64 << 20,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (opts.verbose && out.trim()) console.log(out.trimEnd());
  const status = r.error
    ? r.error.code === 'ETIMEDOUT'
      ? `timed out after ${timeout / 1000} s`
      : r.error.message
    : r.status;
  return { ok: !r.error && r.status === 0, status, stdout: r.stdout ?? '', out };
}

function lastLines(text, n = 8) {
  return text
    .trim()
    .split('\n')
    .slice(-n)
    .map((l) => `    ${l}`)
    .join('\n');
}

// ------------------------------------------------------------------ discover packages

function discover() {
  const dir = join(root, 'packages');
  const pkgs = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (manifest.private) continue;
    pkgs.push({ name: manifest.name, dir: join(dir, name), manifest });
  }
  return pkgs;
}

/** Every file a manifest points at: main, module, types, bin and all export targets. */
function entryFiles(manifest) {
  const files = new Set();
  for (const k of ['main', 'module', 'types', 'typings'])
    if (typeof manifest[k] === 'string') files.add(manifest[k]);
  if (typeof manifest.bin === 'string') files.add(manifest.bin);
  else if (manifest.bin) for (const f of Object.values(manifest.bin)) files.add(f);
  const walk = (node) => {
    if (typeof node === 'string') {
      if (!node.includes('*')) files.add(node);
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(manifest.exports);
  return [...files];
}

function lrDeps(manifest) {
  return Object.keys({
    ...manifest.dependencies,
    ...manifest.peerDependencies,
    ...manifest.optionalDependencies,
  }).filter((d) => d.startsWith('@lr/'));
}

// ------------------------------------------------------------------ per-package probes

// Runs inside the temp project. Prints one JSON line: the export names and, for core, the
// result of a 2×2 product. Same body for ESM and CJS so their answers can be compared.
function probeBody(name) {
  const core =
    name === '@lr/core'
      ? `const A = m.Matrix.from([[1, 2], [3, 4]]);
       const B = m.Matrix.from([[5, 6], [7, 8]]);
       const C = m.matmul(A, B);
       if (!(C instanceof m.Matrix)) throw new Error('matmul did not return a Matrix');
       extra.product = C.toArray();`
      : '';
  return `const extra = {};
    const names = Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort();
    ${core}
    console.log(JSON.stringify({ names, ...extra }));`;
}

function probe(name, projectDir, kind) {
  const code =
    kind === 'esm'
      ? `import * as m from '${name}';\n${probeBody(name)}`
      : `const m = require('${name}');\n${probeBody(name)}`;
  const args = kind === 'esm' ? ['--input-type=module', '-e', code] : ['-e', code];
  const r = run(process.execPath, args, { cwd: projectDir, timeout: 60_000 });
  if (!r.ok)
    return { error: `${kind.toUpperCase()} load failed (${r.status}):\n${lastLines(r.out)}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return { error: `${kind.toUpperCase()} probe printed no JSON:\n${lastLines(r.out)}` };
  }
}

let publintReady = false;

function checkPackage(pkg, projectDir, tarball) {
  const problems = [];
  const notes = [];
  const installed = join(projectDir, 'node_modules', ...pkg.name.split('/'));
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));

  // the packed manifest must not leak workspace protocols or point at missing files
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [d, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|file):/.test(range))
        problems.push(`${field}.${d} is "${range}" in the packed manifest`);
    }
  }
  for (const f of entryFiles(manifest)) {
    if (!existsSync(join(installed, f)))
      problems.push(`manifest points at ${f}, which is not in the tarball`);
  }
  if (!existsSync(join(installed, 'README.md'))) notes.push('no README.md');

  const esm = probe(pkg.name, projectDir, 'esm');
  const cjs = probe(pkg.name, projectDir, 'cjs');
  for (const r of [esm, cjs]) if (r.error) problems.push(r.error);
  if (!esm.error && !cjs.error) {
    if (esm.names.length === 0) problems.push('ESM module has no exports');
    const onlyEsm = esm.names.filter((n) => !cjs.names.includes(n));
    const onlyCjs = cjs.names.filter((n) => !esm.names.includes(n));
    if (onlyEsm.length || onlyCjs.length) {
      problems.push(
        `ESM and CJS exports differ (ESM only: ${onlyEsm.join(', ') || '–'}; CJS only: ${onlyCjs.join(', ') || '–'})`,
      );
    }
    if (pkg.name === '@lr/core') {
      const want = JSON.stringify([
        [19, 22],
        [43, 50],
      ]);
      for (const [kind, r] of [
        ['ESM', esm],
        ['CJS', cjs],
      ]) {
        if (JSON.stringify(r.product) !== want)
          problems.push(`${kind} matmul 2×2 gave ${JSON.stringify(r.product)}, expected ${want}`);
      }
    }
    notes.push(`${esm.names.length} exports`);
  }

  const bins =
    typeof manifest.bin === 'string'
      ? { [manifest.name.split('/').pop()]: manifest.bin }
      : (manifest.bin ?? {});
  for (const bin of Object.keys(bins)) {
    const exe = join(projectDir, 'node_modules', '.bin', bin);
    if (!existsSync(exe)) {
      problems.push(`bin ${bin} was not linked into node_modules/.bin`);
      continue;
    }
    const r = run(exe, ['--version'], { cwd: projectDir, timeout: 30_000 });
    if (!r.ok) problems.push(`\`${bin} --version\` failed (${r.status}):\n${lastLines(r.out)}`);
    else if (!r.out.includes(manifest.version))
      problems.push(`\`${bin} --version\` printed "${r.out.trim()}", expected ${manifest.version}`);
    else notes.push(`${bin} --version ok`);
  }

  if (publintReady) {
    // publint lints the tarball itself: export targets, formats, types conditions (--strict:
    // warnings fail too, as in the `test:build` script of the TanStack packages)
    const r = run('npx', ['-y', 'publint@0.3', 'run', tarball, '--strict'], {
      cwd: projectDir,
      timeout: 180_000,
    });
    if (!r.ok) problems.push(`publint --strict:\n${lastLines(r.out, 20)}`);
    else {
      const n = (r.out.split(/^Suggestions:$/m)[1] ?? '')
        .split('\n')
        .filter((l) => /^\d+\. /.test(l)).length;
      notes.push(
        n
          ? `publint ok, ${n} suggestion${n > 1 ? 's' : ''} (--verbose shows them)`
          : 'publint clean',
      );
    }
  }
  return { problems, notes };
}

// ------------------------------------------------------------------ main

function main() {
  const t0 = performance.now();
  const all = discover();
  const byName = new Map(all.map((p) => [p.name, p]));
  let targets = all;
  if (opts.only) {
    const missing = opts.only.filter((n) => !byName.has(n));
    if (missing.length) {
      console.error(
        `--only: no public package named ${missing.join(', ')} (found: ${[...byName.keys()].join(', ')})`,
      );
      process.exit(2);
    }
    targets = opts.only.map((n) => byName.get(n));
  }
  // pack the targets and, transitively, the lr packages they depend on
  const toPack = new Map();
  const visit = (p) => {
    if (toPack.has(p.name)) return;
    toPack.set(p.name, p);
    for (const d of lrDeps(p.manifest)) {
      const dep = byName.get(d);
      if (dep) visit(dep);
    }
  };
  targets.forEach(visit);

  const results = new Map(); // name → { problems, notes }
  const fail = (name, msg) => results.set(name, { problems: [msg], notes: [] });

  for (const p of toPack.values()) {
    const unbuilt = entryFiles(p.manifest).filter((f) => !existsSync(join(p.dir, f)));
    if (unbuilt.length)
      fail(p.name, `not built: missing ${unbuilt.join(', ')} (run \`pnpm build\` first)`);
  }

  const tmp = mkdtempSync(join(tmpdir(), 'lr-packs-'));
  const tarDir = join(tmp, 'tarballs');
  const projectDir = join(tmp, 'project');
  mkdirSync(tarDir);
  mkdirSync(projectDir);
  const tarballs = new Map();
  try {
    for (const p of toPack.values()) {
      if (results.has(p.name)) continue;
      const r = run('pnpm', ['pack', '--json', '--pack-destination', tarDir], {
        cwd: p.dir,
        timeout: 120_000,
      });
      let file = null;
      try {
        file = JSON.parse(r.stdout).filename;
      } catch {
        // older pnpm printed the path on the last line instead of JSON
        file = r.stdout.trim().split('\n').pop();
      }
      if (!r.ok || !file || !existsSync(resolve(p.dir, file)))
        fail(p.name, `pnpm pack failed (${r.status}):\n${lastLines(r.out)}`);
      else tarballs.set(p.name, resolve(p.dir, file));
    }

    // A dependency that failed to pack makes its dependents untestable.
    for (const p of toPack.values()) {
      const broken = lrDeps(p.manifest).filter(
        (d) => results.has(d) || (toPack.has(d) && !tarballs.has(d)),
      );
      if (broken.length && !results.has(p.name))
        fail(p.name, `depends on ${broken.join(', ')}, which could not be packed`);
    }

    const installable = [...tarballs.keys()].filter((n) => !results.has(n));
    if (installable.length) {
      // One install for everything. Each lr package comes from its tarball, and the
      // overrides pin every nested @lr/* dependency to that same tarball, so nothing named
      // @lr/* is ever fetched from the registry (third-party deps are).
      const deps = Object.fromEntries(
        installable.map((n) => [n, `file:${relative(projectDir, tarballs.get(n))}`]),
      );
      const overrides = Object.fromEntries(installable.map((n) => [n, `$${n}`]));
      writeFileSync(
        join(projectDir, 'package.json'),
        `${JSON.stringify({ name: 'lr-pack-check', version: '0.0.0', private: true, dependencies: deps, overrides }, null, 2)}\n`,
      );
      const r = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: projectDir,
        timeout: 300_000,
      });
      if (!r.ok) {
        for (const n of installable)
          fail(n, `npm install of the tarballs failed (${r.status}):\n${lastLines(r.out, 15)}`);
      } else {
        // every installed @lr/* must come from our tarballs, never from the registry
        const lock = JSON.parse(readFileSync(join(projectDir, 'package-lock.json'), 'utf8'));
        for (const [path, entry] of Object.entries(lock.packages ?? {})) {
          const m = /(?:^|\/)node_modules\/(@lr\/[^/]+)$/.exec(path);
          if (m && entry.resolved && !String(entry.resolved).startsWith('file:')) {
            const owner = installable.includes(m[1]) ? m[1] : installable[0];
            fail(owner, `${path} was installed from ${entry.resolved}, not from the local tarball`);
          }
        }
        if (opts.publint) {
          const r = run('npx', ['-y', 'publint@0.3', '--version'], {
            cwd: projectDir,
            timeout: 180_000,
          });
          publintReady = r.ok;
          if (!r.ok)
            console.log(`note: publint could not be fetched with npx (${r.status}); skipping it`);
        }
        for (const p of targets) {
          if (results.has(p.name)) continue;
          try {
            results.set(p.name, checkPackage(p, projectDir, tarballs.get(p.name)));
          } catch (e) {
            fail(p.name, `check crashed: ${e?.stack ?? e}`);
          }
        }
      }
    }
  } finally {
    if (opts.keep) console.log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }

  let failed = 0;
  for (const p of targets) {
    const r = results.get(p.name) ?? { problems: ['not checked'], notes: [] };
    const version = p.manifest.version;
    if (r.problems.length) {
      failed++;
      console.log(`fail  ${p.name}@${version}`);
      for (const msg of r.problems) console.log(`  - ${msg}`);
    } else {
      console.log(`ok    ${p.name}@${version}  (${r.notes.join('; ')})`);
    }
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`${targets.length - failed}/${targets.length} packages ok in ${secs} s`);
  process.exit(failed ? 1 : 0);
}

main();
