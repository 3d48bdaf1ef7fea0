import { allocate, type DType } from '../dtype.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { asMatrix, Matrix } from '../matrix.js';
import { describe } from '../validate.js';
import { copyMatrixInto } from './_copy.js';

function checkList(fname: string, mats: unknown): Matrix[] {
  if (!Array.isArray(mats))
    throw new InvalidArgumentError(`mats: expected an array of matrices, got ${describe(mats)}`);
  if (mats.length === 0)
    throw new InvalidArgumentError(`${fname}: expected at least one matrix, got an empty array`);
  return mats.map((m, k) => asMatrix(`mats[${k}]`, m));
}

function commonDtype(ms: readonly Matrix[]): DType {
  return ms.every((m) => m.dtype === 'float32') ? 'float32' : 'float64';
}

/**
 * Concatenates matrices side by side, [A₁ A₂ … A_k] (numpy `hstack`).
 *
 * @param mats one or more matrices (any strides) with equal row counts
 * @returns a new rows×(Σ cols) Matrix, float32 only if every input is float32
 * @throws {InvalidArgumentError} if `mats` is not a non-empty array of matrices
 * @throws {ShapeError} if the row counts differ
 * @example hstack([A, B])
 */
export function hstack(mats: readonly Matrix[]): Matrix {
  const ms = checkList('hstack', mats);
  const rows = ms[0]!.rows;
  let cols = 0;
  ms.forEach((m, k) => {
    if (m.rows !== rows)
      throw new ShapeError(
        `hstack: mats[${k}] has ${m.rows} rows, expected ${rows} (the rows of mats[0])`,
      );
    cols += m.cols;
  });
  const out = new Matrix(allocate(commonDtype(ms), rows * cols), rows, cols);
  let c0 = 0;
  for (const m of ms) {
    copyMatrixInto(m, out.data, c0, cols, 1);
    c0 += m.cols;
  }
  return out;
}

/**
 * Stacks matrices on top of each other, [A₁; A₂; …; A_k] (numpy `vstack`).
 *
 * @param mats one or more matrices (any strides) with equal column counts
 * @returns a new (Σ rows)×cols Matrix, float32 only if every input is float32
 * @throws {InvalidArgumentError} if `mats` is not a non-empty array of matrices
 * @throws {ShapeError} if the column counts differ
 * @example vstack([A, B])
 */
export function vstack(mats: readonly Matrix[]): Matrix {
  const ms = checkList('vstack', mats);
  const cols = ms[0]!.cols;
  let rows = 0;
  ms.forEach((m, k) => {
    if (m.cols !== cols)
      throw new ShapeError(
        `vstack: mats[${k}] has ${m.cols} columns, expected ${cols} (the columns of mats[0])`,
      );
    rows += m.rows;
  });
  const out = new Matrix(allocate(commonDtype(ms), rows * cols), rows, cols);
  let r0 = 0;
  for (const m of ms) {
    copyMatrixInto(m, out.data, r0 * cols, cols, 1);
    r0 += m.rows;
  }
  return out;
}
