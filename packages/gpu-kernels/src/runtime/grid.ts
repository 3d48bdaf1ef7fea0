import { UnsupportedError } from '@lr/core';

/**
 * Spreads `count` workgroups over a 2-D (or 3-D) dispatch grid so that no dimension
 * exceeds `maxPerDimension` (the device's `maxComputeWorkgroupsPerDimension`, 65535 by
 * default in WebGPU). Shaders recover the linear workgroup index as
 * `wid.x + wid.y * nwg.x + wid.z * nwg.x * nwg.y` (with `@builtin(num_workgroups) nwg`)
 * and return early when it is ≥ `count`.
 *
 * @param count total number of workgroups wanted (≥ 0)
 * @param maxPerDimension largest size of one dispatch dimension
 * @returns `[x, y, z]` with x·y·z ≥ count and x·y·z − count < x·y
 * @throws {UnsupportedError} when even a full 3-D grid cannot hold `count`
 * @example
 * workgroupGrid(100_000, 65535); // [50000, 2, 1]
 */
export function workgroupGrid(count: number, maxPerDimension: number): [number, number, number] {
  if (count <= maxPerDimension) return [Math.max(count, 1), 1, 1];
  const y = Math.ceil(count / maxPerDimension);
  if (y <= maxPerDimension) return [Math.ceil(count / y), y, 1];
  const z = Math.ceil(count / (maxPerDimension * maxPerDimension));
  if (z > maxPerDimension) {
    throw new UnsupportedError(
      `dispatch: ${count} workgroups exceed the device limit of ${maxPerDimension}³`,
    );
  }
  return [maxPerDimension, maxPerDimension, z];
}
