// Shared by the GPU test files: points Dawn at SwiftShader when no Vulkan driver is set
// (Debian's chromium ships the ICD), then opens one context per test file. There is no
// skip: without an adapter `openGpu()` rejects and every GPU test fails loudly.
import { existsSync } from 'node:fs';
import { type GpuContext, getGpu } from '../src/index.js';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

/**
 * Dawn toggle for the kernel tests: skip the zero-initialisation of workgroup memory.
 * WGSL guarantees it, but SwiftShader compiles it very slowly for the 256-invocation
 * tiled GEMM (measured 8–13 s per pipeline instead of 1.5 s on this machine). Our kernels
 * write every workgroup word before reading it, so results are identical. The runtime
 * tests run on a default device (and run attention there, which uses workgroup memory).
 */
export const FAST_COMPILE = ['enable-dawn-features=disable_workgroup_init'];

let ctx: Promise<GpuContext> | null = null;

/** The file's shared context (created on first use). */
export function openGpu(): Promise<GpuContext> {
  ctx ??= getGpu({ timeoutMs: 20_000, createOptions: FAST_COMPILE });
  return ctx;
}

/** Disposes the shared context (call in afterAll). */
export async function closeGpu(): Promise<void> {
  if (ctx) (await ctx.catch(() => null))?.dispose();
  ctx = null;
}
