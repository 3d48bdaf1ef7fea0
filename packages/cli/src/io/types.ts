/** A stream the CLI writes text to: `process.stdout`, or a capture in tests. */
export interface Writer {
  write(chunk: string): unknown;
  /** True for a terminal: progress is shown only then. */
  isTTY?: boolean;
  columns?: number;
}

/** Where {@link main} reads and writes; every field defaults to the process's own. */
export interface MainIo {
  stdout?: Writer;
  stderr?: Writer;
  /** Directory relative paths resolve against; default `process.cwd()`. */
  cwd?: string;
  /** Environment (`LR_DEBUG=1` prints stacks); default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** {@link MainIo} with every field resolved. */
export interface Io {
  stdout: Writer;
  stderr: Writer;
  cwd: string;
  env: Record<string, string | undefined>;
}
