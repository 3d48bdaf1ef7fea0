// One table of hostile inputs thrown at every parser: each must either parse or throw an
// LrError (FORMAT for bad content, INVALID_ARGUMENT for a wrong argument type), never
// another exception, never hang.
import {
  parseSafetensorsHeader,
  readCsv,
  readMatrixMarket,
  readNpy,
  readSafetensors,
  safetensorsHeaderLength,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectLrError, lrErrorOf } from './_helpers.js';

const BINARY: [string, (b: Uint8Array) => unknown][] = [
  ['readSafetensors', readSafetensors],
  ['parseSafetensorsHeader', (b) => parseSafetensorsHeader(b)],
  ['safetensorsHeaderLength', (b) => safetensorsHeaderLength(b)],
  ['readNpy', readNpy],
];
const TEXT: [string, (b: Uint8Array | string) => unknown][] = [
  ['readMatrixMarket', readMatrixMarket],
  ['readCsv', (b) => readCsv(b)],
];

const WRONG_TYPES: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['a number', 42],
  ['a plain array', [1, 2, 3]],
  ['a Float32Array', new Float32Array(4)],
  ['an ArrayBuffer', new ArrayBuffer(8)],
  ['an object', { length: 8 }],
];

describe('hostile inputs for every parser', () => {
  for (const [name, parse] of [...BINARY, ...TEXT] as [string, (b: unknown) => unknown][]) {
    it(`${name} rejects wrong argument types with INVALID_ARGUMENT`, () => {
      for (const [, value] of WRONG_TYPES) expectLrError(() => parse(value), 'INVALID_ARGUMENT');
    });

    it(`${name}: random bytes parse or throw an LrError`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
          const err = lrErrorOf(() => parse(bytes));
          if (err) expect(['FORMAT', 'UNSUPPORTED']).toContain(err.code);
        }),
        { numRuns: 500 },
      );
    });
  }

  for (const [name, parse] of BINARY) {
    it(`${name} rejects a string argument (bytes are required)`, () => {
      expectLrError(() => parse('%%MatrixMarket' as unknown as Uint8Array), 'INVALID_ARGUMENT');
    });
  }

  it('big inputs of one repeated character finish quickly and fail cleanly', () => {
    const junk = ['{', '[', '(', '"', "'", ',', '\n', ' ', '%', '9'];
    for (const c of junk) {
      const text = c.repeat(200_000);
      const bytes = new TextEncoder().encode(text);
      for (const [, parse] of BINARY) lrErrorOf(() => parse(bytes));
      for (const [, parse] of TEXT) lrErrorOf(() => parse(text));
    }
  });
});
