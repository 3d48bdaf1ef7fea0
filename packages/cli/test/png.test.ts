import { inflateSync } from 'node:zlib';
import { Rng } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { crc32, encodePngGray, toGray } from '../src/report/png.js';
import { decodePngGray } from './helpers.js';

describe('crc32', () => {
  it('matches the CRC-32 check value and known chunk CRCs', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    // CRC of an IEND chunk's type (no data) is the well-known AE 42 60 82
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });
  it('continues across pieces', () => {
    const b = new TextEncoder().encode('hello, png world');
    expect(crc32(b.subarray(5), crc32(b.subarray(0, 5)))).toBe(crc32(b));
  });
});

describe('encodePngGray', () => {
  const rng = new Rng(7);
  const cases: [string, number, number, (i: number) => number][] = [
    ['1×1', 1, 1, () => 200],
    ['noise 37×23', 37, 23, () => rng.int(256)],
    ['gradient 64×48', 64, 48, (i) => (i % 64) * 4],
    ['constant 10×3', 10, 3, () => 0],
    ['vertical ramp 5×70', 5, 70, (i) => Math.floor(i / 5) * 3],
  ];
  for (const [name, w, h, f] of cases) {
    it(`round-trips ${name}`, () => {
      const px = Uint8Array.from({ length: w * h }, (_, i) => f(i));
      const png = encodePngGray(px, w, h);
      const d = decodePngGray(png);
      expect(d.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
      expect([d.width, d.height, d.bitDepth, d.colorType]).toEqual([w, h, 8, 0]);
      expect(Array.from(d.pixels)).toEqual(Array.from(px));
    });
  }

  it('stores zlib data that node:zlib inflates to filter byte + scanline per row', () => {
    const w = 16;
    const h = 9;
    const px = Uint8Array.from({ length: w * h }, (_, i) => (i * 7) & 0xff);
    const png = encodePngGray(px, w, h);
    const dv = new DataView(png.buffer, png.byteOffset);
    // IHDR is 8 + 25 bytes; IDAT follows
    const idatLen = dv.getUint32(33);
    expect(String.fromCharCode(...png.subarray(37, 41))).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect(raw.length).toBe(h * (w + 1));
    for (let y = 0; y < h; y++) expect(raw[y * (w + 1)]).toBeLessThanOrEqual(4);
  });

  it('picks filters that help smooth images compress', () => {
    const w = 256;
    const px = Uint8Array.from({ length: w * w }, (_, i) => ((i % w) + Math.floor(i / w)) & 0xff);
    expect(encodePngGray(px, w, w).length).toBeLessThan(2000);
  });

  it('rejects bad dimensions', () => {
    expect(() => encodePngGray(new Uint8Array(4), 0, 4)).toThrow(RangeError);
    expect(() => encodePngGray(new Uint8Array(4), 2, 3)).toThrow(/expected 2×3 = 6 bytes/);
    expect(() => encodePngGray(new Uint8Array(4), 2.5, 2)).toThrow(RangeError);
  });
});

describe('toGray', () => {
  it('maps [lo, hi] to [0, 255], clamping and rounding', () => {
    expect(Array.from(toGray([-5, 0, 127.4, 127.6, 255, 300], 0, 255))).toEqual([
      0, 0, 127, 128, 255, 255,
    ]);
  });
  it('defaults to the data range', () => {
    expect(Array.from(toGray([2, 3, 4]))).toEqual([0, 128, 255]);
    expect(Array.from(toGray([1, 1]))).toEqual([0, 0]);
  });
});
