#!/usr/bin/env node
// Compiles the AssemblyScript kernels in ../assembly into two WebAssembly modules and
// embeds them, base64-encoded, in ../src/kernels/wasm/_binary.generated.js, so the package
// carries its WebAssembly inside its JavaScript (no .wasm file to fetch or resolve).
//
//   node scripts/build-wasm.mjs           rebuild if the sources or flags changed
//   node scripts/build-wasm.mjs --force   rebuild unconditionally
//   node scripts/build-wasm.mjs --wat DIR also write the text formats to DIR
//
// The two modules differ only in their memory import: a plain memory (one thread) and a
// shared memory declared with the threads feature (worker threads over a
// SharedArrayBuffer). Both must have no data segment, no start function and no import but
// env.memory: the runtime instantiates the same module once per thread over one memory,
// and an active data segment would be re-applied on every instantiation.
//
// Staleness is decided by a SHA-256 of the sources, this script and the compiler version,
// written into the generated file (robust to the timestamps a git checkout leaves).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const assemblyDir = join(pkg, 'assembly');
const outFile = join(pkg, 'src/kernels/wasm/_binary.generated.js');

const COMMON = [
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '0',
  '--converge',
  '--noAssert',
  '--runtime',
  'stub',
  '--enable',
  'simd',
  '--importMemory',
  '--noExportMemory',
  '--initialMemory',
  '1',
];
const VARIANTS = {
  WASM_SIMD: [],
  WASM_SIMD_THREADS: ['--enable', 'threads', '--sharedMemory', '--maximumMemory', '65536'],
};
const REQUIRED_EXPORTS = [
  'dgemm',
  'sgemm',
  'dgemv',
  'sgemv',
  'ddot',
  'sdot',
  'daxpy',
  'saxpy',
  'dgemmWorkspaceBytes',
  'sgemmWorkspaceBytes',
];

function sources() {
  return readdirSync(assemblyDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(assemblyDir, f));
}

function inputsHash(ascVersion) {
  const h = createHash('sha256');
  h.update(`asc ${ascVersion}\n${JSON.stringify([COMMON, VARIANTS])}\n`);
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const f of sources()) h.update(`${f.slice(assemblyDir.length)}\n`).update(readFileSync(f));
  return h.digest('hex');
}

function currentHash() {
  if (!existsSync(outFile)) return null;
  const m = /WASM_INPUTS_SHA256 =\s*'([0-9a-f]{64})'/.exec(readFileSync(outFile, 'utf8'));
  return m ? m[1] : null;
}

// Section ids of the WebAssembly binary format (core spec §5.5): 8 start, 11 data.
function checkModule(name, bytes) {
  if (!WebAssembly.validate(bytes)) throw new Error(`${name}: the module does not validate`);
  const mod = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(mod);
  if (imports.length !== 1 || imports[0].module !== 'env' || imports[0].name !== 'memory')
    throw new Error(`${name}: expected only the import env.memory, got ${JSON.stringify(imports)}`);
  const exports = new Set(WebAssembly.Module.exports(mod).map((e) => e.name));
  for (const e of REQUIRED_EXPORTS)
    if (!exports.has(e)) throw new Error(`${name}: missing export ${e}`);
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[p++];
      size |= (b & 127) << shift;
      if (b < 128) break;
    }
    if (id === 8) throw new Error(`${name}: has a start function`);
    if (id === 11) throw new Error(`${name}: has a data segment`);
    p += size;
  }
}

/**
 * Builds the modules when the generated file is missing or stale.
 * @param {{ force?: boolean, quiet?: boolean, watDir?: string }} [options]
 * @returns {Promise<{ built: boolean, file: string }>}
 */
export async function buildWasm(options = {}) {
  const { force = false, quiet = false, watDir } = options;
  const asc = (await import('assemblyscript/asc')).default;
  const hash = inputsHash(asc.version);
  if (!force && !watDir && currentHash() === hash) return { built: false, file: outFile };
  const started = Date.now();
  const out = {};
  for (const [name, flags] of Object.entries(VARIANTS)) {
    const outputs = {};
    const stderr = [];
    const args = [join(assemblyDir, 'index.ts'), ...COMMON, ...flags, '--outFile', 'out.wasm'];
    if (watDir) args.push('--textFile', 'out.wat');
    const { error } = await asc.main(args, {
      stdout: { write: () => true },
      stderr: { write: (s) => stderr.push(String(s)) },
      writeFile: (file, contents) => {
        outputs[file] = contents;
      },
    });
    if (error) throw new Error(`asc failed for ${name}: ${error.message}\n${stderr.join('')}`);
    const bytes = outputs['out.wasm'];
    if (!(bytes instanceof Uint8Array)) throw new Error(`asc wrote no binary for ${name}`);
    checkModule(name, bytes);
    out[name] = bytes;
    if (watDir) {
      mkdirSync(watDir, { recursive: true });
      writeFileSync(join(watDir, `${name}.wat`), outputs['out.wat']);
    }
  }
  const b64 = (u8) => Buffer.from(u8).toString('base64');
  const text = `// Generated by packages/core/scripts/build-wasm.mjs from packages/core/assembly/*.ts.
// Do not edit; do not commit (gitignored). Rebuilt by \`pnpm build\`, \`pnpm typecheck\` and
// the test setup whenever the sources change.

/** The WebAssembly SIMD kernels over an imported memory (${out.WASM_SIMD.length} bytes), base64. */
export const WASM_SIMD =
  '${b64(out.WASM_SIMD)}';

/** The same kernels over an imported shared memory (${out.WASM_SIMD_THREADS.length} bytes), base64. */
export const WASM_SIMD_THREADS =
  '${b64(out.WASM_SIMD_THREADS)}';

/** SHA-256 of the sources and compiler flags the modules were built from. */
export const WASM_INPUTS_SHA256 =
  '${hash}';
`;
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, text);
  if (!quiet) {
    const sizes = Object.entries(out)
      .map(([k, v]) => `${k} ${v.length} B`)
      .join(', ');
    console.log(`build-wasm: ${sizes} in ${Date.now() - started} ms → ${outFile}`);
  }
  return { built: true, file: outFile };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const watAt = argv.indexOf('--wat');
  buildWasm({
    force: argv.includes('--force'),
    watDir: watAt >= 0 ? resolve(argv[watAt + 1] ?? 'wat') : undefined,
  }).then(
    (r) => {
      if (!r.built) console.log(`build-wasm: up to date (${r.file})`);
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
