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

/** Commander parser for a finite number > 0 (`--reg`, `--lambda`). */
export function parsePositiveNumber(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || !(v > 0)) {
    throw new InvalidArgumentError('expected a positive number.');
  }
  return v;
}

/** Commander parser for a finite number ≥ 0 (`--lambda`). */
export function parseNonNegativeNumber(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || !(v >= 0)) {
    throw new InvalidArgumentError('expected a non-negative number.');
  }
  return v;
}

/** Commander parser for a fraction strictly between 0 and 1 (`--holdout`). */
export function parseOpenFraction(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || !(v > 0 && v < 1)) {
    throw new InvalidArgumentError('expected a number strictly between 0 and 1.');
  }
  return v;
}
