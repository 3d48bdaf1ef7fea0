import { InvalidArgumentError } from 'commander';

/** Commander parser for an integer ≥ 1 (`--rank`, `--size`). */
export function parsePositiveInt(value: string): number {
  if (
    !/^\d+$/.test(value.trim()) ||
    !(Number(value) >= 1) ||
    !Number.isSafeInteger(Number(value))
  ) {
    throw new InvalidArgumentError('expected a positive integer.');
  }
  return Number(value);
}

/** Commander parser for an integer ≥ 0 (`--oversample`, `--niter`, `--seed`). */
export function parseNonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('expected a non-negative integer.');
  }
  return Number(value);
}

/** Commander parser accepting one of `choices`. */
export function parseChoice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}.`);
    }
    return value as T;
  };
}
