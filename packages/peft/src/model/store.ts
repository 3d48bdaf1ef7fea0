import { FormatError, InvalidArgumentError } from '@lr/core';

/**
 * Read access to the files of one model folder, by file name (`config.json`,
 * `model.safetensors`, `model-00001-of-00002.safetensors`, …). Browser-safe: back it with
 * `fetch` + HTTP ranges, a `File` list, or memory ({@link memoryStore}); the `lr` command
 * backs it with `node:fs`.
 *
 * `read` must reject when the file does not exist. `readRange` and `size` go together: when
 * both are given, tensors are read one at a time (memory ≈ the largest tensor); otherwise a
 * whole shard is read once and kept while its tensors are loaded.
 */
export interface ModelStore {
  /** The whole file. Rejects (any error) when it does not exist. */
  read(name: string): Promise<Uint8Array>;
  /** Bytes `[start, end)` of the file. */
  readRange?(name: string, start: number, end: number): Promise<Uint8Array>;
  /** The file's length in bytes. */
  size?(name: string): Promise<number>;
  /** File names in the folder (no subfolders); lets {@link openModel} avoid probing. */
  list?(): Promise<string[]>;
  /** Shown in error messages, e.g. the folder path. */
  readonly label?: string;
}

/** A file opened for sequential writing by {@link ModelSink.create}. */
export interface FileWriter {
  write(chunk: Uint8Array): Promise<void> | void;
  close(): Promise<void> | void;
}

/**
 * Write access to an output folder. `write` stores a whole file; the optional `create`
 * streams one (the residual-model writer then holds one tensor at a time, not a shard).
 * Names may contain `/` for a subfolder (`residual_model/model.safetensors`).
 */
export interface ModelSink {
  write(name: string, data: Uint8Array | string): Promise<void> | void;
  create?(name: string): Promise<FileWriter> | FileWriter;
}

/** An in-memory {@link ModelStore} and {@link ModelSink} over one map of files. */
export interface MemoryStore extends ModelStore, ModelSink {
  /** The files, name → bytes (strings are stored UTF-8 encoded). */
  readonly files: Map<string, Uint8Array>;
  /** A store of the files under `prefix/` (e.g. `residual_model`), names relative to it. */
  sub(prefix: string): MemoryStore;
}

/**
 * A model folder in memory: reads, ranged reads and writes on a `Map`. Handy in the browser
 * (files from an `<input type=file>`) and in tests.
 *
 * @param files initial files, name → bytes or text
 * @returns a store that is also a sink; written files appear in `files`
 * @example
 * const mem = memoryStore({ 'config.json': '{}', 'model.safetensors': bytes });
 * const model = await openModel(mem);
 */
export function memoryStore(
  files: Record<string, Uint8Array | string> | Map<string, Uint8Array> = {},
): MemoryStore {
  const map =
    files instanceof Map
      ? files
      : new Map(
          Object.entries(files).map(([k, v]) => [
            k,
            typeof v === 'string' ? new TextEncoder().encode(v) : v,
          ]),
        );
  return memoryView(map, '');
}

function memoryView(map: Map<string, Uint8Array>, prefix: string): MemoryStore {
  const key = (name: string) => prefix + name;
  const get = (name: string): Uint8Array => {
    const b = map.get(key(name));
    if (b === undefined) throw new FormatError(`${name}: no such file`);
    return b;
  };
  return {
    files: map,
    label: prefix ? prefix.slice(0, -1) : 'memory',
    async read(name) {
      return get(name);
    },
    async readRange(name, start, end) {
      const b = get(name);
      if (!(start >= 0 && end >= start && end <= b.length))
        throw new InvalidArgumentError(
          `readRange: [${start}, ${end}) is outside ${name} (${b.length} bytes)`,
        );
      return b.subarray(start, end);
    },
    async size(name) {
      return get(name).length;
    },
    async list() {
      return [...map.keys()]
        .filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/'))
        .map((k) => k.slice(prefix.length));
    },
    write(name, data) {
      map.set(key(name), typeof data === 'string' ? new TextEncoder().encode(data) : data.slice());
    },
    create(name) {
      const chunks: Uint8Array[] = [];
      return {
        write(chunk) {
          chunks.push(chunk.slice());
        },
        close() {
          const total = chunks.reduce((s, c) => s + c.length, 0);
          const out = new Uint8Array(total);
          let at = 0;
          for (const c of chunks) {
            out.set(c, at);
            at += c.length;
          }
          map.set(key(name), out);
        },
      };
    },
    sub(p) {
      return memoryView(map, `${prefix}${p.replace(/\/+$/, '')}/`);
    },
  };
}

/** A sink that writes under `prefix/` of another sink. */
export function subSink(sink: ModelSink, prefix: string): ModelSink {
  const p = `${prefix.replace(/\/+$/, '')}/`;
  return {
    write: (name, data) => sink.write(p + name, data),
    ...(sink.create ? { create: (name: string) => sink.create!(p + name) } : {}),
  };
}

/** Opens `name` on `sink` for streaming, falling back to buffering and one `write`. */
export async function openWriter(sink: ModelSink, name: string): Promise<FileWriter> {
  if (sink.create) return sink.create(name);
  const chunks: Uint8Array[] = [];
  return {
    write(chunk) {
      chunks.push(chunk.slice());
    },
    async close() {
      const total = chunks.reduce((s, c) => s + c.length, 0);
      const out = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      await sink.write(name, out);
    },
  };
}
