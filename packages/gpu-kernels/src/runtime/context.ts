/// <reference types="@webgpu/types" />
import {
  InvalidArgumentError,
  LrError,
  Matrix,
  ShapeError,
  Tensor,
  UnsupportedError,
} from '@lr/core';
import { BufferUsage, MapMode } from './constants.js';
import { GPU_DTYPE_BYTES, type GpuDType, GpuTensor } from './gpuTensor.js';
import { workgroupGrid } from './grid.js';
import { fromHalfBits, toHalfBits } from './half.js';

/** Where the `GPU` object came from. */
export type GpuSource = 'navigator' | 'webgpu-package' | 'injected';

/** Adapter identity, copied to a plain object (Dawn's `GPUAdapterInfo` has getters only). */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for a software / fallback adapter when the implementation says so. */
  isFallbackAdapter: boolean;
}

/** Why and when the device was lost. */
export interface GpuLostInfo {
  reason: string;
  message: string;
}

/** Values a {@link GpuContext.upload} accepts. */
export type Uploadable = Matrix | Tensor | Float32Array | Float64Array | Uint32Array | number[];

/** Options of {@link GpuContext.upload}. */
export interface UploadOptions {
  /** Shape for typed arrays and number arrays; default `[length]`. Ignored for tensors. */
  shape?: readonly number[];
  /** Element type on the GPU; default `'float32'` (`'uint32'` for a Uint32Array). */
  dtype?: GpuDType;
  /** Debug label of the buffer. */
  label?: string;
}

/** One binding of a dispatch (group 0, binding = position in the list). */
export type Binding = GpuTensor | GPUBuffer | ArrayBufferView;

/** What {@link GpuContext.dispatch} runs. */
export interface DispatchSpec {
  /** WGSL source. */
  code: string;
  /** Entry point; default `'main'`. */
  entryPoint?: string;
  /** Pipeline-overridable constants (`override` declarations). */
  constants?: Record<string, number>;
  /**
   * Group-0 bindings in binding order: a {@link GpuTensor} or `GPUBuffer` binds as a
   * storage buffer; an `ArrayBufferView` (e.g. a `Uint32Array` of sizes) is copied into a
   * fresh uniform buffer, destroyed after the submit.
   */
  bindings: readonly Binding[];
  /**
   * Workgroup counts `[x, y, z]`, or a single total that is spread over a 2-D/3-D grid
   * under `maxComputeWorkgroupsPerDimension` (see {@link workgroupGrid}); such shaders
   * must linearise `workgroup_id` with `num_workgroups` and guard the tail.
   */
  workgroups: number | readonly [number, number?, number?];
  /** Debug label. */
  label?: string;
}

/** Counters for diagnostics and tests. */
export interface GpuStats {
  dispatches: number;
  pipelinesCompiled: number;
  pipelineCacheHits: number;
  uploads: number;
  downloads: number;
}

/** @internal options the context needs from `getGpu`. */
export interface _ContextInit {
  gpu: GPU;
  adapter: GPUAdapter;
  device: GPUDevice;
  source: GpuSource;
  checkErrors: boolean;
  onLost?: (info: GpuLostInfo) => void;
}

function describeArg(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

function copyLimits(limits: GPUSupportedLimits): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  // Dawn exposes limits as prototype getters: walk the prototype chain, not own keys.
  let o: object | null = limits;
  while (o && o !== Object.prototype) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (k === 'constructor' || k in out) continue;
      const v = (limits as unknown as Record<string, unknown>)[k];
      if (typeof v === 'number') out[k] = v;
    }
    o = Object.getPrototypeOf(o);
  }
  return Object.freeze(out);
}

/** @internal */
export function _adapterInfo(adapter: GPUAdapter): GpuAdapterInfo {
  const i = (adapter as { info?: Partial<GPUAdapterInfo> }).info ?? {};
  const a = adapter as { isFallbackAdapter?: boolean };
  return {
    vendor: String(i.vendor ?? ''),
    architecture: String(i.architecture ?? ''),
    device: String(i.device ?? ''),
    description: String(i.description ?? ''),
    isFallbackAdapter: Boolean(
      (i as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? a.isFallbackAdapter ?? false,
    ),
  };
}

/**
 * A WebGPU device plus what the kernels need around it: uploads and downloads of
 * `@lr/core` tensors, a compute-pipeline cache keyed by WGSL source + entry point +
 * constants, a dispatch helper that respects `maxComputeWorkgroupsPerDimension`, and
 * device-lost tracking. Create one with `await getGpu()`; `dispose()` when done.
 *
 * @example
 * const ctx = await getGpu();
 * const a = ctx.upload(Matrix.from([[1, 2], [3, 4]], 'float32'));
 * const back = await ctx.downloadMatrix(a); // 2×2 float32 Matrix
 * ctx.dispose();
 */
export class GpuContext {
  /** The device all buffers and pipelines live on. */
  readonly device: GPUDevice;
  /** The adapter the device came from. */
  readonly adapter: GPUAdapter;
  /** The `GPU` object (kept referenced: Dawn in Node must outlive its devices). */
  readonly gpu: GPU;
  /** Adapter identity. */
  readonly info: GpuAdapterInfo;
  /** The device's limits as a plain object. */
  readonly limits: Readonly<Record<string, number>>;
  /** Features enabled on the device. */
  readonly features: ReadonlySet<string>;
  /** Features the adapter offers (a superset of `features`). */
  readonly adapterFeatures: ReadonlySet<string>;
  /** Where the `GPU` object came from. */
  readonly source: GpuSource;
  /** Resolves when the device is lost (including by `dispose()`). */
  readonly lost: Promise<GpuLostInfo>;
  /** Counters: dispatches, pipelines compiled, cache hits, uploads, downloads. */
  readonly stats: GpuStats = {
    dispatches: 0,
    pipelinesCompiled: 0,
    pipelineCacheHits: 0,
    uploads: 0,
    downloads: 0,
  };
  private readonly _checkErrors: boolean;
  private readonly _pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private _lostInfo: GpuLostInfo | null = null;
  private readonly _pending = new Set<(e: Error) => void>();
  private _disposed = false;

  /** @internal use `getGpu()`. */
  constructor(init: _ContextInit) {
    this.gpu = init.gpu;
    this.adapter = init.adapter;
    this.device = init.device;
    this.source = init.source;
    this._checkErrors = init.checkErrors;
    this.info = _adapterInfo(init.adapter);
    this.limits = copyLimits(init.device.limits);
    this.features = new Set([...init.device.features] as string[]);
    this.adapterFeatures = new Set([...init.adapter.features] as string[]);
    this.lost = init.device.lost.then((i) => {
      const info = { reason: String(i.reason ?? 'unknown'), message: String(i.message ?? '') };
      this._lostInfo = info;
      for (const fail of this._pending) fail(lostError(info));
      this._pending.clear();
      if (!this._disposed) init.onLost?.(info);
      return info;
    });
  }

  /** True when the device has `shader-f16` enabled (f16 kernels are available). */
  get hasF16(): boolean {
    return this.features.has('shader-f16');
  }

  /** True once the device is lost or the context disposed. */
  get isLost(): boolean {
    return this._disposed || this._lostInfo !== null;
  }

  /** `maxComputeWorkgroupsPerDimension` of the device. */
  get maxWorkgroupsPerDimension(): number {
    return this.limits.maxComputeWorkgroupsPerDimension ?? 65535;
  }

  /** @throws {LrError} `UNSUPPORTED` when the device is lost or disposed. */
  assertAlive(): void {
    if (this._disposed) throw new UnsupportedError('GPU context: used after dispose()');
    if (this._lostInfo) {
      throw new UnsupportedError(
        `GPU device lost (${this._lostInfo.reason}): ${this._lostInfo.message || 'no message'}; create a new context with getGpu()`,
      );
    }
  }

  /** Throws `UNSUPPORTED` when `dtype` is `float16` and the device lacks `shader-f16`. */
  assertDType(dtype: GpuDType): void {
    if (dtype === 'float16' && !this.hasF16) {
      throw new UnsupportedError(
        `float16: the adapter (${this.info.description || this.info.vendor || 'unknown'}) has no 'shader-f16' feature`,
      );
    }
  }

  /** A new zero-filled tensor of `shape`. */
  empty(shape: readonly number[], dtype: GpuDType = 'float32', label?: string): GpuTensor {
    this.assertAlive();
    this.assertDType(dtype);
    let n = 1;
    for (const d of shape) {
      if (!Number.isSafeInteger(d) || d < 0) {
        throw new InvalidArgumentError(`shape: expected non-negative integers, got [${shape}]`);
      }
      n *= d;
    }
    const bytes = Math.max(4, Math.ceil((n * GPU_DTYPE_BYTES[dtype]) / 4) * 4);
    const max = this.limits.maxStorageBufferBindingSize ?? 134217728;
    if (bytes > max) {
      throw new UnsupportedError(
        `shape [${shape}]: ${bytes} bytes exceed maxStorageBufferBindingSize ${max}`,
      );
    }
    const buffer = this.device.createBuffer({
      size: bytes,
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      label: label ?? `lr:${dtype}[${shape.join(',')}]`,
    });
    return new GpuTensor(buffer, shape, dtype);
  }

  /**
   * Copies a tensor, matrix or array to a new {@link GpuTensor} (row-major, any input
   * strides; float64 is rounded to float32, or to float16 with `dtype: 'float16'`).
   *
   * @throws {UnsupportedError} `float16` without `shader-f16`, or a buffer over the limits
   * @throws {ShapeError} when `shape` does not match the array length
   */
  upload(value: Uploadable, options: UploadOptions = {}): GpuTensor {
    this.assertAlive();
    let shape: readonly number[];
    let flat: ArrayLike<number>;
    if (value instanceof Tensor) {
      shape = value.shape;
      flat = contiguousCopy(value);
    } else if (
      value instanceof Float32Array ||
      value instanceof Float64Array ||
      value instanceof Uint32Array ||
      Array.isArray(value)
    ) {
      shape = options.shape ?? [value.length];
      let n = 1;
      for (const d of shape) n *= d;
      if (n !== value.length) {
        throw new ShapeError(
          `upload: shape [${shape}] has ${n} elements, the array has ${value.length}`,
        );
      }
      flat = value;
    } else {
      throw new InvalidArgumentError(
        `upload: expected a Tensor, Matrix, Float32Array, Float64Array, Uint32Array or number[], got ${describeArg(value)}`,
      );
    }
    const dtype = options.dtype ?? (value instanceof Uint32Array ? 'uint32' : 'float32');
    const t = this.empty(shape, dtype, options.label);
    this.write(t, flat);
    this.stats.uploads++;
    return t;
  }

  /** Overwrites the elements of `t` with `values` (length must equal `t.size`). */
  write(t: GpuTensor, values: ArrayLike<number>): void {
    this.assertAlive();
    if (values.length !== t.size) {
      throw new ShapeError(`write: tensor has ${t.size} elements, got ${values.length}`);
    }
    if (t.size === 0) return;
    let bytes: ArrayBufferView;
    if (t.dtype === 'float16') {
      const h = new Uint16Array(t.size + (t.size & 1));
      for (let i = 0; i < t.size; i++) h[i] = toHalfBits(values[i]!);
      bytes = h;
    } else if (t.dtype === 'uint32') {
      bytes = values instanceof Uint32Array ? values : Uint32Array.from(values);
    } else {
      bytes = values instanceof Float32Array ? values : Float32Array.from(values);
    }
    this.device.queue.writeBuffer(t.buffer, 0, bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Reads a tensor back: a `Float32Array` (float32 / float16, widened) or a `Uint32Array`
   * (uint32) of `t.size` elements, row-major.
   */
  async download(t: GpuTensor): Promise<Float32Array | Uint32Array> {
    this.assertAlive();
    if (t.destroyed) throw new InvalidArgumentError('download: the GpuTensor was destroyed');
    const size = Math.max(4, Math.ceil(t.byteLength / 4) * 4);
    const staging = this.device.createBuffer({
      size,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
      label: 'lr:staging',
    });
    try {
      const enc = this.device.createCommandEncoder();
      enc.copyBufferToBuffer(t.buffer, 0, staging, 0, size);
      this.device.queue.submit([enc.finish()]);
      await this._raceLost(staging.mapAsync(MapMode.READ));
      const raw = staging.getMappedRange().slice(0);
      staging.unmap();
      this.stats.downloads++;
      if (t.dtype === 'uint32') return new Uint32Array(raw, 0, t.size);
      if (t.dtype === 'float32') return new Float32Array(raw, 0, t.size);
      const h = new Uint16Array(raw, 0, t.size);
      const out = new Float32Array(t.size);
      for (let i = 0; i < t.size; i++) out[i] = fromHalfBits(h[i]!);
      return out;
    } finally {
      staging.destroy();
    }
  }

  /** Reads a 2-D tensor back as a float32 {@link Matrix} (1-D: a 1×n row). */
  async downloadMatrix(t: GpuTensor): Promise<Matrix> {
    if (t.shape.length > 2) {
      throw new ShapeError(`downloadMatrix: expected a 1-D or 2-D tensor, got [${t.shape}]`);
    }
    const data = await this.download(t);
    const f = data instanceof Float32Array ? data : Float32Array.from(data);
    return t.shape.length === 2
      ? Matrix.fromData(f, t.rows, t.cols)
      : Matrix.fromData(f, 1, t.size);
  }

  /**
   * The compute pipeline for `code` / `entryPoint` / `constants` (layout `'auto'`),
   * compiled once and cached for the life of the context.
   *
   * @throws {InvalidArgumentError} when the WGSL does not compile (the message carries
   *   the compiler's messages)
   */
  pipeline(
    code: string,
    entryPoint = 'main',
    constants?: Record<string, number>,
  ): Promise<GPUComputePipeline> {
    this.assertAlive();
    const keys = constants ? Object.keys(constants).sort() : [];
    const key = `${entryPoint}\u0000${keys.map((k) => `${k}=${constants![k]}`).join(',')}\u0000${code}`;
    const hit = this._pipelines.get(key);
    if (hit) {
      this.stats.pipelineCacheHits++;
      return hit;
    }
    const p = this._compile(code, entryPoint, constants);
    this._pipelines.set(key, p);
    p.catch(() => this._pipelines.delete(key));
    return p;
  }

  private async _compile(
    code: string,
    entryPoint: string,
    constants?: Record<string, number>,
  ): Promise<GPUComputePipeline> {
    // A scope keeps Dawn from printing the compiler's errors as uncaptured errors.
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ code });
    const scope = this.device.popErrorScope().catch(() => null);
    try {
      const compute: GPUProgrammableStage = { module, entryPoint };
      if (constants && Object.keys(constants).length > 0) compute.constants = constants;
      const p = await this._raceLost(
        this.device.createComputePipelineAsync({ layout: 'auto', compute }),
      );
      this.stats.pipelinesCompiled++;
      return p;
    } catch (e) {
      if (e instanceof LrError) throw e;
      let msgs = '';
      await scope;
      try {
        const info = await module.getCompilationInfo();
        msgs = info.messages
          .filter((m) => m.type === 'error')
          .map((m) => `${m.lineNum}:${m.linePos} ${m.message}`)
          .join('; ');
      } catch {
        /* no compilation info */
      }
      throw new InvalidArgumentError(
        `WGSL pipeline '${entryPoint}' failed: ${(e as Error)?.message ?? e}${msgs ? ` (${msgs})` : ''}`,
      );
    }
  }

  /**
   * Encodes and submits one compute dispatch. Resolves once the commands are submitted
   * and (with `checkErrors`, the default) validated; it does not wait for the GPU to
   * finish — a following `download` does.
   *
   * @throws {UnsupportedError} a workgroup count over `maxComputeWorkgroupsPerDimension`
   * @throws {InvalidArgumentError} a WGSL or binding validation error
   */
  async dispatch(spec: DispatchSpec): Promise<void> {
    this.assertAlive();
    const max = this.maxWorkgroupsPerDimension;
    let wg: [number, number, number];
    if (typeof spec.workgroups === 'number') wg = workgroupGrid(spec.workgroups, max);
    else wg = [spec.workgroups[0], spec.workgroups[1] ?? 1, spec.workgroups[2] ?? 1];
    for (const w of wg) {
      if (!Number.isSafeInteger(w) || w < 0) {
        throw new InvalidArgumentError(`workgroups: expected non-negative integers, got [${wg}]`);
      }
      if (w > max) {
        throw new UnsupportedError(
          `workgroups [${wg}]: a dimension exceeds maxComputeWorkgroupsPerDimension ${max}; pass a total to spread it over a grid`,
        );
      }
    }
    if (wg[0] * wg[1] * wg[2] === 0) return;
    const pipeline = await this.pipeline(spec.code, spec.entryPoint ?? 'main', spec.constants);
    this.assertAlive();
    const temps: GPUBuffer[] = [];
    const entries: GPUBindGroupEntry[] = spec.bindings.map((b, i) => {
      if (b instanceof GpuTensor) {
        if (b.destroyed) throw new InvalidArgumentError(`bindings[${i}]: GpuTensor was destroyed`);
        return { binding: i, resource: { buffer: b.buffer } };
      }
      if (ArrayBuffer.isView(b)) {
        const size = Math.max(16, Math.ceil(b.byteLength / 16) * 16);
        const u = this.device.createBuffer({
          size,
          usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
          label: `${spec.label ?? 'lr'}:uniform`,
        });
        this.device.queue.writeBuffer(u, 0, b.buffer, b.byteOffset, b.byteLength);
        temps.push(u);
        return { binding: i, resource: { buffer: u } };
      }
      return { binding: i, resource: { buffer: b as GPUBuffer } };
    });
    if (this._checkErrors) this.device.pushErrorScope('validation');
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries,
    });
    const enc = this.device.createCommandEncoder({ label: spec.label });
    const pass = enc.beginComputePass({ label: spec.label });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(wg[0], wg[1], wg[2]);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    this.stats.dispatches++;
    for (const t of temps) t.destroy();
    if (this._checkErrors) {
      const err = await this._raceLost(this.device.popErrorScope());
      if (err) {
        throw new InvalidArgumentError(
          `dispatch${spec.label ? ` '${spec.label}'` : ''}: ${err.message}`,
        );
      }
    }
  }

  /** Resolves when all work submitted so far has finished on the GPU. */
  async finish(): Promise<void> {
    this.assertAlive();
    await this._raceLost(this.device.queue.onSubmittedWorkDone());
  }

  /** Destroys the device (and with it every buffer). Idempotent. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this._pipelines.clear();
    this.device.destroy();
  }

  /**
   * Rejects with `UNSUPPORTED` if the device is lost before `p` settles. Pending
   * operations sit in a set that the lost handler drains, so nothing accumulates on the
   * (usually never-settling) `lost` promise.
   */
  private _raceLost<T>(p: Promise<T>): Promise<T> {
    if (this._lostInfo) return Promise.reject(lostError(this._lostInfo));
    return new Promise<T>((resolve, reject) => {
      const fail = (e: Error) => reject(e);
      this._pending.add(fail);
      p.then(
        (v) => {
          this._pending.delete(fail);
          resolve(v);
        },
        (e) => {
          this._pending.delete(fail);
          reject(e);
        },
      );
    });
  }
}

function lostError(info: GpuLostInfo): UnsupportedError {
  return new UnsupportedError(
    `GPU device lost (${info.reason}) during a GPU operation: ${info.message || 'no message'}`,
  );
}

function contiguousCopy(t: Tensor): Float64Array | Float32Array {
  if (t.isContiguous()) {
    const n = t.size;
    return t.data.subarray(t.offset, t.offset + n) as Float64Array | Float32Array;
  }
  const n = t.size;
  const out = new Float64Array(n);
  const shape = t.shape;
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  for (let i = 0; i < n; i++) {
    let p = t.offset;
    for (let k = 0; k < nd; k++) p += idx[k]! * t.strides[k]!;
    out[i] = t.data[p]!;
    for (let k = nd - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}
