import {
  decodeSafetensor,
  FormatError,
  InvalidArgumentError,
  readSafetensors,
  type SafetensorsFile,
} from '@lr/core';

/** Loaded weights: name lookup by exact name or by `.name` suffix under an optional prefix. Internal. */
export class _Weights {
  readonly file: SafetensorsFile;
  readonly prefix: string;
  constructor(bytes: Uint8Array, prefix: string | undefined) {
    if (!(bytes instanceof Uint8Array))
      throw new InvalidArgumentError('bytes: expected the Uint8Array of a .safetensors file');
    this.file = readSafetensors(bytes);
    if (prefix !== undefined && typeof prefix !== 'string')
      throw new InvalidArgumentError('options.prefix: expected a string');
    this.prefix = prefix ?? '';
  }

  /** The entry called `prefix + name`, or the unique one whose name ends with `.name`. */
  private find(name: string) {
    const exact = this.file.get(this.prefix + name);
    if (exact) return exact;
    if (this.prefix !== '') return undefined;
    const hits = this.file.tensors.filter((t) => t.name.endsWith(`.${name}`));
    if (hits.length > 1) {
      throw new FormatError(
        `tensor '${name}': ${hits.length} candidates (${hits
          .slice(0, 3)
          .map((t) => t.name)
          .join(', ')}…); pass options.prefix to choose one layer`,
      );
    }
    return hits[0];
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /**
   * The values of tensor `name` as float64, checked against `shape` after dropping
   * leading 1s (so [1, H, M, 2] matches [H, M, 2]); `undefined` when absent and optional.
   */
  get(name: string, shape: number[], optional = false): Float64Array | undefined {
    const e = this.find(name);
    if (!e) {
      if (optional) return undefined;
      throw new FormatError(
        `tensor '${this.prefix}${name}' not found (expected shape [${shape.join(', ')}])`,
      );
    }
    const s = [...e.shape];
    while (s.length > shape.length && s[0] === 1) s.shift();
    if (s.length !== shape.length || s.some((d, i) => d !== shape[i])) {
      throw new FormatError(
        `tensor '${e.name}': expected shape [${shape.join(', ')}], got [${e.shape.join(', ')}]`,
      );
    }
    const t = decodeSafetensor(e, { dtype: 'float64' });
    const out = t.toFloat64Array();
    for (let i = 0; i < out.length; i++) {
      const v = out[i]!;
      if (v - v !== 0) throw new FormatError(`tensor '${e.name}': non-finite value ${v} at ${i}`);
    }
    return out;
  }

  /** The first dimension (after leading 1s) of tensor `name`, or throws. */
  dims(name: string): number[] {
    const e = this.find(name);
    if (!e) throw new FormatError(`tensor '${this.prefix}${name}' not found`);
    const s = [...e.shape];
    return s;
  }
}
