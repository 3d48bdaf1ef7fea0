import { isAbsolute, relative, resolve } from 'node:path';
import type { Io } from './io/types.js';
import { createProgress, type Progress } from './progress.js';

/** What every command gets from {@link main}: its streams, paths and progress. */
export interface CommandContext {
  readonly io: Io;
  /** Name of the command being run (for error messages). */
  readonly current: string | undefined;
  /** Records the command being parsed (for error messages). */
  enter(name: string): void;
  /** Runs a command's body, recording its name for error messages. */
  run(name: string, body: () => void | Promise<void>): void | Promise<void>;
  /** Writes `text` and a newline to stdout. */
  out(text: string): void;
  /** Progress on stderr, shown only when stderr is a terminal. */
  progress(): Progress;
  /** Absolute path of `path` against the working directory. */
  resolve(path: string): string;
  /** `path` as shown in messages: relative to the working directory when inside it. */
  display(path: string): string;
}

/** Builds the context for one run of {@link main}. */
export function createContext(io: Io): CommandContext {
  let current: string | undefined;
  return {
    io,
    get current() {
      return current;
    },
    enter(name) {
      current = name;
    },
    run(name, body) {
      current = name;
      return body();
    },
    out(text) {
      io.stdout.write(`${text}\n`);
    },
    progress() {
      return createProgress(io.stderr);
    },
    resolve(path) {
      return resolve(io.cwd, path);
    },
    display(path) {
      const abs = resolve(io.cwd, path);
      const rel = relative(io.cwd, abs);
      return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
    },
  };
}
