/// <reference types="@webgpu/types" />
import { InvalidArgumentError, UnsupportedError } from '@lr/core';
import { GpuContext, type GpuLostInfo, type GpuSource } from './context.js';

/** Options of {@link getGpu}. Defaults in brackets. */
export interface GetGpuOptions {
  /**
   * A `GPU` object to use instead of `navigator.gpu` / the `webgpu` package (tests inject
   * fakes here). [none]
   */
  gpu?: GPU;
  /**
   * Milliseconds to wait for `requestAdapter` and for `requestDevice` each before failing
   * with `UNSUPPORTED` — a broken driver can leave these promises pending forever. [10000]
   */
  timeoutMs?: number;
  /** Adapter preference passed to `requestAdapter`. [implementation default] */
  powerPreference?: GPUPowerPreference;
  /**
   * Device features: `'auto'` enables `shader-f16`, `subgroups` and `timestamp-query`
   * where the adapter offers them; a list requests exactly those (missing ones fail
   * with `UNSUPPORTED`). ['auto']
   */
  features?: 'auto' | readonly string[];
  /**
   * `'adapter'` raises the compute-related limits (storage buffer size, workgroup storage,
   * invocations per workgroup, storage buffers per stage) to the adapter's maxima;
   * `'default'` keeps WebGPU's defaults. ['adapter']
   */
  limits?: 'adapter' | 'default';
  /**
   * Options for the `webgpu` package's `create()` in Node (Dawn toggles such as
   * `'enable-dawn-features=allow_unsafe_apis'`). Ignored in browsers. [[]]
   */
  createOptions?: readonly string[];
  /**
   * Wrap each dispatch in a validation error scope and turn errors into exceptions (one
   * extra round trip per dispatch; turn off for benchmarks). [true]
   */
  checkErrors?: boolean;
  /** Called once if the device is lost while the context is alive. [none] */
  onLost?: (info: GpuLostInfo) => void;
}

const DEFAULTS = {
  timeoutMs: 10_000,
  features: 'auto' as const,
  limits: 'adapter' as const,
  checkErrors: true,
};

/** Features `'auto'` enables when the adapter has them. */
export const AUTO_FEATURES: readonly string[] = ['shader-f16', 'subgroups', 'timestamp-query'];

/** Limits `limits: 'adapter'` raises to the adapter's maxima. */
export const RAISED_LIMITS: readonly string[] = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxStorageBuffersPerShaderStage',
];

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UnsupportedError(`${what} did not answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

type WebgpuModule = { create: (opts: string[]) => GPU };

async function nodeGpu(createOptions: readonly string[]): Promise<GPU> {
  // A non-literal specifier keeps bundlers from resolving the optional Node-only package;
  // browsers never reach this line (they have navigator.gpu or fail above it).
  const name = 'webgpu';
  let mod: WebgpuModule;
  try {
    mod = (await import(/* @vite-ignore */ name)) as WebgpuModule;
  } catch (e) {
    throw new UnsupportedError(
      `no WebGPU: navigator.gpu is absent and the optional 'webgpu' package could not be loaded (${(e as Error)?.message ?? e}); in Node install 'webgpu'`,
    );
  }
  try {
    return mod.create([...createOptions]);
  } catch (e) {
    throw new UnsupportedError(
      `no WebGPU: the 'webgpu' package failed to start (${(e as Error)?.message ?? e})`,
    );
  }
}

/**
 * Opens a WebGPU device: `navigator.gpu` in browsers (and Deno), else the optional
 * `webgpu` npm package (Dawn) in Node, loaded with a dynamic import only then. With no
 * GPU, Dawn uses SwiftShader when the runner sets
 * `VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json` (Debian's `chromium`
 * package ships it; `libvulkan1` is needed too).
 *
 * Never hangs: `requestAdapter` and `requestDevice` are each bounded by `timeoutMs`.
 *
 * @param options see {@link GetGpuOptions}
 * @returns a {@link GpuContext}; call `dispose()` when done
 * @throws {UnsupportedError} (`UNSUPPORTED`) no WebGPU, no adapter, a timeout, a
 *   requested feature missing, or `requestDevice` failing
 * @throws {InvalidArgumentError} a bad option
 * @example
 * import { getGpu, gemm } from '@lr/gpu-kernels';
 * import { randn } from '@lr/core';
 * const ctx = await getGpu();
 * const C = await gemm(ctx, randn(64, 32, { seed: 1 }), randn(32, 16, { seed: 2 }));
 * ctx.dispose();
 */
export async function getGpu(options: GetGpuOptions = {}): Promise<GpuContext> {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  if (!(typeof timeoutMs === 'number' && timeoutMs > 0)) {
    throw new InvalidArgumentError(`timeoutMs: expected a positive number, got ${timeoutMs}`);
  }
  const features = options.features ?? DEFAULTS.features;
  const limitsMode = options.limits ?? DEFAULTS.limits;
  if (limitsMode !== 'adapter' && limitsMode !== 'default') {
    throw new InvalidArgumentError(`limits: expected 'adapter' or 'default', got ${limitsMode}`);
  }

  let gpu: GPU;
  let source: GpuSource;
  if (options.gpu) {
    gpu = options.gpu;
    source = 'injected';
  } else {
    const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
    if (nav?.gpu) {
      gpu = nav.gpu;
      source = 'navigator';
    } else if (typeof (globalThis as { window?: unknown }).window !== 'undefined') {
      throw new UnsupportedError(
        'no WebGPU: navigator.gpu is absent (this browser or context does not expose WebGPU; it needs a secure context)',
      );
    } else {
      gpu = await nodeGpu(options.createOptions ?? []);
      source = 'webgpu-package';
    }
  }

  const adapterOpts: GPURequestAdapterOptions = {};
  if (options.powerPreference) adapterOpts.powerPreference = options.powerPreference;
  let adapter: GPUAdapter | null;
  try {
    adapter = await withTimeout(gpu.requestAdapter(adapterOpts), timeoutMs, 'requestAdapter');
  } catch (e) {
    if (e instanceof UnsupportedError) throw e;
    throw new UnsupportedError(
      `no WebGPU adapter: requestAdapter failed (${(e as Error)?.message ?? e})`,
    );
  }
  if (!adapter) {
    throw new UnsupportedError(
      source === 'webgpu-package'
        ? 'no WebGPU adapter: requestAdapter returned null (no GPU driver; for CPU emulation install libvulkan1 + chromium and set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)'
        : 'no WebGPU adapter: requestAdapter returned null',
    );
  }

  const has = new Set([...adapter.features] as string[]);
  let requiredFeatures: string[];
  if (features === 'auto') requiredFeatures = AUTO_FEATURES.filter((f) => has.has(f));
  else {
    const missing = features.filter((f) => !has.has(f));
    if (missing.length > 0) {
      throw new UnsupportedError(`features: the adapter lacks ${missing.join(', ')}`);
    }
    requiredFeatures = [...features];
  }
  const requiredLimits: Record<string, number> = {};
  if (limitsMode === 'adapter') {
    for (const k of RAISED_LIMITS) {
      const v = (adapter.limits as unknown as Record<string, unknown>)[k];
      if (typeof v === 'number') requiredLimits[k] = v;
    }
  }

  let device: GPUDevice;
  try {
    device = await withTimeout(
      adapter.requestDevice({
        requiredFeatures: requiredFeatures as GPUFeatureName[],
        requiredLimits,
        label: 'lr-gpu-kernels',
      }),
      timeoutMs,
      'requestDevice',
    );
  } catch (e) {
    if (e instanceof UnsupportedError) throw e;
    throw new UnsupportedError(`requestDevice failed: ${(e as Error)?.message ?? e}`);
  }
  return new GpuContext({
    gpu,
    adapter,
    device,
    source,
    checkErrors: options.checkErrors ?? DEFAULTS.checkErrors,
    onLost: options.onLost,
  });
}
