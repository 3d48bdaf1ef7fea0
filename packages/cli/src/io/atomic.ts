import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { asInputError, CliError } from '../errors.js';

/** One file to write. */
export interface OutputFile {
  /** Absolute path, or relative to the caller's working directory. */
  path: string;
  bytes: Uint8Array | string;
}

/** Options of {@link writeOutputs}. */
export interface WriteOptions {
  /** Overwrite existing files; default false (an existing file is an error). */
  force?: boolean;
  /** Paths that must never be written, even with `force` (the command's inputs). */
  inputs?: readonly string[];
  /** Label for messages: paths are shown relative to it when given. */
  display?: (path: string) => string;
}

/**
 * Throws a {@link CliError} (exit 2) if any of `paths` exists and `force` is false, or is
 * one of `inputs`. Call before long work so it is not wasted.
 */
export function checkOutputs(paths: readonly string[], options: WriteOptions = {}): void {
  const show = options.display ?? ((p: string) => p);
  const inputs = new Set((options.inputs ?? []).map((p) => resolve(p)));
  for (const p of paths) {
    if (inputs.has(resolve(p)))
      throw new CliError(`${show(p)}: refusing to overwrite an input file`);
    if (!options.force && existsSync(p)) {
      throw new CliError(`${show(p)}: already exists (use --force to overwrite)`);
    }
  }
}

/**
 * Writes each file to a temporary file in the same directory (created if needed), flushes
 * it, and renames it over the target, so a reader never sees a half-written file and an
 * interrupted run leaves the old file intact. Existing files are refused unless `force`.
 *
 * @throws {CliError} when a target exists (without `force`), is an input, or cannot be written
 */
export function writeOutputs(files: readonly OutputFile[], options: WriteOptions = {}): void {
  const show = options.display ?? ((p: string) => p);
  checkOutputs(
    files.map((f) => f.path),
    options,
  );
  for (const f of files) {
    const dir = dirname(f.path);
    const tmp = join(
      dir,
      `.${basename(f.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
    );
    try {
      mkdirSync(dir, { recursive: true });
      const fd = openSync(tmp, 'wx', 0o644);
      try {
        const data = typeof f.bytes === 'string' ? Buffer.from(f.bytes, 'utf8') : f.bytes;
        let at = 0;
        while (at < data.length) at += writeSync(fd, data, at, data.length - at);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, f.path);
    } catch (err) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // the temporary file was never created (e.g. the directory is not one)
      }
      throw asInputError(show(f.path), err);
    }
  }
}
