import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { FileWriter, ModelSink, ModelStore } from '@lr/peft';
import { CliError } from '../errors.js';

/**
 * A {@link ModelStore} over a folder on disk: whole reads, ranged reads (so tensors are
 * read one at a time), sizes and a listing of the plain files.
 *
 * @param dir absolute folder path
 * @param label how the folder is named in messages
 * @throws {CliError} when `dir` is not a folder
 */
export function folderStore(dir: string, label: string): ModelStore {
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(dir);
  } catch {
    throw new CliError(`${label}: no such folder`);
  }
  if (!st.isDirectory()) throw new CliError(`${label}: not a folder (expected a model folder)`);
  const path = (name: string) => {
    if (name.includes('/') || name.includes('\\') || name === '..' || name === '.')
      throw new CliError(`${label}: refusing to read ${JSON.stringify(name)} outside the folder`);
    return join(dir, name);
  };
  return {
    label,
    read: async (name) => new Uint8Array(await readFile(path(name))),
    async readRange(name, start, end) {
      const fh = await open(path(name), 'r');
      try {
        const out = new Uint8Array(end - start);
        let at = 0;
        while (at < out.length) {
          const { bytesRead } = await fh.read(out, at, out.length - at, start + at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        return at === out.length ? out : out.subarray(0, at);
      } finally {
        await fh.close();
      }
    },
    size: async (name) => (await stat(path(name))).size,
    list: async () =>
      (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name),
  };
}

/** Files of a model folder other than weights and index, copied into a residual or merged model. */
export function sideFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter(
      (e) =>
        e.isFile() &&
        !e.name.startsWith('.') &&
        !e.name.endsWith('.safetensors') &&
        e.name !== 'model.safetensors.index.json' &&
        e.name !== 'config.json' &&
        /\.(json|txt|model|tiktoken|jinja)$/.test(e.name),
    )
    .map((e) => e.name);
}

/** An output folder built in a temporary folder beside the target and renamed at the end. */
export interface OutputFolder {
  /** Where files go while the command runs (names may contain `/`). */
  readonly sink: ModelSink;
  /** The temporary folder. */
  readonly tmp: string;
  /** Renames the temporary folder onto the target (replacing it under `force`). */
  commit(): void;
  /** Removes the temporary folder and any parent folders this created. */
  abort(): void;
}

/** Options of {@link outputFolder}. */
export interface OutputFolderOptions {
  /** Replace an existing target; default false. */
  force?: boolean;
  /** Input folders: the target may be none of them, nor contain one. */
  inputs?: readonly string[];
  /** The target as shown in messages. */
  label: string;
}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

/**
 * Checks the target folder and creates a temporary one beside it. Every file the command
 * writes goes there; {@link OutputFolder.commit} renames it into place at the end, and
 * {@link OutputFolder.abort} removes it, so a failed run leaves no partial output folder.
 *
 * @throws {CliError} when the target exists (without `force`), is an input, or holds one
 */
export function outputFolder(target: string, options: OutputFolderOptions): OutputFolder {
  const abs = resolve(target);
  for (const input of options.inputs ?? []) {
    if (inside(resolve(input), abs))
      throw new CliError(`${options.label}: refusing to write over an input folder`);
  }
  if (existsSync(abs) && !options.force)
    throw new CliError(`${options.label}: already exists (use --force to replace it)`);
  const parent = dirname(abs);
  const created = mkdirSync(parent, { recursive: true });
  const tmp = join(
    parent,
    `.${basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  mkdirSync(tmp);
  const dirs = new Set<string>([tmp]);
  const ensure = async (name: string) => {
    if (name.split('/').some((p) => p === '..' || p === '.' || p === ''))
      throw new CliError(`${options.label}: bad output file name ${JSON.stringify(name)}`);
    const file = join(tmp, ...name.split('/'));
    const d = dirname(file);
    if (!dirs.has(d)) {
      await mkdir(d, { recursive: true });
      dirs.add(d);
    }
    return file;
  };
  const sink: ModelSink = {
    async write(name, data) {
      await writeFile(await ensure(name), data, { flag: 'wx' });
    },
    async create(name): Promise<FileWriter> {
      const fh = await open(await ensure(name), 'wx', 0o644);
      return {
        async write(chunk) {
          let at = 0;
          while (at < chunk.length)
            at += (await fh.write(chunk, at, chunk.length - at)).bytesWritten;
        },
        async close() {
          await fh.sync();
          await fh.close();
        },
      };
    },
  };
  let done = false;
  return {
    sink,
    tmp,
    commit() {
      if (done) return;
      if (existsSync(abs)) {
        // --force: move the old folder aside first, so the target is never half-replaced
        const old = `${tmp}.old`;
        renameSync(abs, old);
        renameSync(tmp, abs);
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(tmp, abs);
      }
      done = true;
    },
    abort() {
      if (done) return;
      done = true;
      rmSync(tmp, { recursive: true, force: true });
      if (created) {
        // remove the parents this run created, innermost first, if still empty
        for (let d = parent; inside(d, created); d = dirname(d)) {
          try {
            if (readdirSync(d).length > 0) break;
            rmdirSync(d);
          } catch {
            break;
          }
          if (d === created) break;
        }
      }
    },
  };
}

/** The part of `process` that {@link withOutputFolder} uses for Ctrl-C (tests pass a fake). */
export interface SignalHost {
  readonly pid: number;
  once(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  removeListener(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  kill(pid: number, signal: NodeJS.Signals): unknown;
}

/**
 * Runs `body` with an output folder: commits on success, removes everything on error, and
 * on Ctrl-C (SIGINT) or SIGTERM removes the temporary folder before the process dies of
 * the signal as it would have.
 */
export async function withOutputFolder<T>(
  target: string,
  options: OutputFolderOptions,
  body: (out: OutputFolder) => Promise<T>,
  host: SignalHost = process,
): Promise<T> {
  const out = outputFolder(target, options);
  const onSignal = (signal: NodeJS.Signals) => {
    out.abort();
    host.removeListener('SIGINT', onSignal);
    host.removeListener('SIGTERM', onSignal);
    host.kill(host.pid, signal); // no listener left: the default action ends the process
  };
  host.once('SIGINT', onSignal);
  host.once('SIGTERM', onSignal);
  try {
    const value = await body(out);
    out.commit();
    return value;
  } catch (err) {
    out.abort();
    throw err;
  } finally {
    host.removeListener('SIGINT', onSignal);
    host.removeListener('SIGTERM', onSignal);
  }
}
