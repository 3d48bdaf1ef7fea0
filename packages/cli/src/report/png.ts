import { deflateSync } from 'node:zlib';

// CRC-32 (ISO 3309, polynomial 0xEDB88320, reflected), as the PNG spec (§5.5) requires
// over each chunk's type and data. The table is built once on first use.
let crcTable: Uint32Array | undefined;

function table(): Uint32Array {
  if (crcTable) return crcTable;
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  crcTable = t;
  return t;
}

/**
 * CRC-32 of `bytes[start, end)` continuing from `crc` (0 to start).
 *
 * @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function crc32(bytes: Uint8Array, crc = 0, start = 0, end = bytes.length): number {
  const t = table();
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 0, 4, 8 + data.length));
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Filters one scanline with the PNG filter (§9.2) whose output has the smallest sum of
 * absolute values as signed bytes, the heuristic the PNG spec (§12.8) recommends.
 */
function filterRow(cur: Uint8Array, prev: Uint8Array, out: Uint8Array, at: number): void {
  const w = cur.length;
  let best = 0;
  let bestCost = Infinity;
  const scratch = new Uint8Array(w);
  for (let f = 0; f < 5; f++) {
    let cost = 0;
    for (let i = 0; i < w; i++) {
      const a = i > 0 ? cur[i - 1]! : 0;
      const b = prev[i]!;
      const c = i > 0 ? prev[i - 1]! : 0;
      const pred =
        f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >>> 1 : paeth(a, b, c);
      const v = (cur[i]! - pred) & 0xff;
      cost += v < 128 ? v : 256 - v;
    }
    if (cost < bestCost) {
      bestCost = cost;
      best = f;
    }
  }
  out[at] = best;
  for (let i = 0; i < w; i++) {
    const a = i > 0 ? cur[i - 1]! : 0;
    const b = prev[i]!;
    const c = i > 0 ? prev[i - 1]! : 0;
    const pred =
      best === 0
        ? 0
        : best === 1
          ? a
          : best === 2
            ? b
            : best === 3
              ? (a + b) >>> 1
              : paeth(a, b, c);
    scratch[i] = (cur[i]! - pred) & 0xff;
  }
  out.set(scratch, at + 1);
}

/**
 * Encodes an 8-bit greyscale image as PNG (colour type 0, bit depth 8, no interlace): IHDR,
 * one zlib IDAT (node:zlib `deflateSync`), IEND. Each scanline gets the adaptive filter of
 * PNG spec §12.8.
 *
 * @param pixels row-major grey levels, `width·height` bytes (0 = black)
 * @returns the PNG file bytes
 * @throws {RangeError} if the dimensions are not positive integers below 2³¹ or do not match `pixels`
 * @example writeFileSync('a.png', encodePngGray(new Uint8Array(4).fill(128), 2, 2))
 */
export function encodePngGray(pixels: Uint8Array, width: number, height: number): Uint8Array {
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isSafeInteger(v) || v <= 0 || v > 0x7fffffff) {
      throw new RangeError(`${name}: expected a positive integer below 2^31, got ${v}`);
    }
  }
  if (pixels.length !== width * height) {
    throw new RangeError(
      `pixels: expected ${width}×${height} = ${width * height} bytes, got ${pixels.length}`,
    );
  }
  const raw = new Uint8Array(height * (width + 1));
  let prev: Uint8Array = new Uint8Array(width);
  for (let y = 0; y < height; y++) {
    const cur = pixels.subarray(y * width, (y + 1) * width);
    filterRow(cur, prev, raw, y * (width + 1));
    prev = cur;
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const idat = new Uint8Array(deflateSync(raw, { level: 9 }));
  const parts = [
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Maps real values to grey levels: `lo` → 0, `hi` → 255, clamped, rounded.
 *
 * @param values row-major values (length width·height)
 * @param lo value shown black; default the minimum of `values`
 * @param hi value shown white; default the maximum of `values`
 */
export function toGray(values: ArrayLike<number>, lo?: number, hi?: number): Uint8Array {
  let min = lo;
  let max = hi;
  if (min === undefined || max === undefined) {
    let a = Infinity;
    let b = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (x < a) a = x;
      if (x > b) b = x;
    }
    min ??= a;
    max ??= b;
  }
  const out = new Uint8Array(values.length);
  const scale = max > min ? 255 / (max - min) : 0;
  for (let i = 0; i < values.length; i++) {
    const g = Math.round((values[i]! - min) * scale);
    out[i] = Math.min(255, Math.max(0, g));
  }
  return out;
}
