import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { main } from '../src/main.js';

/** Result of one in-process run of `lr`. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `lr argv…` in-process with captured streams (not TTYs). */
export async function run(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; tty?: boolean } = {},
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: {
      write: (s: string) => {
        stdout += s;
      },
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
      },
      isTTY: options.tty ?? false,
    },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

/** A fresh temporary directory and a function that removes it. */
export function tempDir(prefix = 'lr-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Asserts the shape of a bad-input failure: exit 2, exactly one line on stderr, no stack. */
export function isOneLineError(r: RunResult): boolean {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  return (
    r.code === 2 &&
    lines.length === 1 &&
    r.stderr.endsWith('\n') &&
    !/\n\s+at /.test(r.stderr) &&
    lines[0]!.startsWith('lr: ')
  );
}

// ---- an independent PNG decoder (greyscale 8-bit, all five filters), for checking ----

function crc32Ref(bytes: Uint8Array): number {
  // bitwise CRC-32, no table: deliberately a different implementation from src/report/png.ts
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  pixels: Uint8Array;
  chunks: string[];
}

/** Decodes an 8-bit greyscale PNG, checking signature, chunk CRCs and chunk order. */
export function decodePngGray(png: Uint8Array): DecodedPng {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  sig.forEach((b, i) => {
    if (png[i] !== b) throw new Error(`bad PNG signature at byte ${i}`);
  });
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  const chunks: string[] = [];
  const idat: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = -1;
  while (at < png.length) {
    const len = dv.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    const crc = dv.getUint32(at + 8 + len);
    if (crc !== crc32Ref(png.subarray(at + 4, at + 8 + len))) throw new Error(`bad CRC in ${type}`);
    chunks.push(type);
    if (type === 'IHDR') {
      const h = new DataView(data.buffer, data.byteOffset, data.byteLength);
      width = h.getUint32(0);
      height = h.getUint32(4);
      bitDepth = data[8]!;
      colorType = data[9]!;
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  if (at !== png.length) throw new Error('trailing bytes after the last chunk');
  const z = new Uint8Array(idat.reduce((s, d) => s + d.length, 0));
  let o = 0;
  for (const d of idat) {
    z.set(d, o);
    o += d.length;
  }
  const raw = new Uint8Array(inflateSync(z));
  if (raw.length !== height * (width + 1))
    throw new Error(`inflated ${raw.length} bytes, expected ${height * (width + 1)}`);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (width + 1)]!;
    for (let x = 0; x < width; x++) {
      const v = raw[y * (width + 1) + 1 + x]!;
      const a = x > 0 ? pixels[y * width + x - 1]! : 0;
      const b = y > 0 ? pixels[(y - 1) * width + x]! : 0;
      const c = x > 0 && y > 0 ? pixels[(y - 1) * width + x - 1]! : 0;
      let pred: number;
      if (f === 0) pred = 0;
      else if (f === 1) pred = a;
      else if (f === 2) pred = b;
      else if (f === 3) pred = Math.floor((a + b) / 2);
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`bad filter type ${f} on row ${y}`);
      pixels[y * width + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, bitDepth, colorType, pixels, chunks };
}

/**
 * Checks that `svg` is one well-formed `<svg xmlns=…>` element: tags balance, attributes
 * are quoted, entities are the five XML ones or numeric. Returns the names of the elements opened, in order.
 */
export function checkSvg(svg: string): string[] {
  if (!svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'))
    throw new Error('not an <svg> with the SVG namespace');
  const stack: string[] = [];
  const names: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    const text = svg.slice(last, m.index);
    if (/[<>]/.test(text))
      throw new Error(`stray markup in text: ${JSON.stringify(text.slice(0, 40))}`);
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(text + m[3]))
      throw new Error('bad entity');
    last = m.index + m[0].length;
    const [, close, name, , self] = m;
    if (close) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
    } else {
      if (!self) stack.push(name!);
      names.push(name!);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (svg.slice(last).trim() !== '') throw new Error('text after </svg>');
  return names;
}
