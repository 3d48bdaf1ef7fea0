import { FormatError, InvalidArgumentError, UnsupportedError } from '../errors.js';
import { asMatrix, Matrix } from '../matrix.js';
import { CooMatrix } from '../sparse/coo.js';
import { assertOneOf, describe, optionsObject } from '../validate.js';
import { checkedProduct, decodeUtf8 } from './_bytes.js';
import { LineCursor } from './_lines.js';

// The Matrix Market exchange format (Boisvert, Pozo, Remington, "The Matrix Market
// Exchange Formats: Initial Design", NISTIR 5935, 1996): a banner line
// "%%MatrixMarket matrix <coordinate|array> <field> <symmetry>", comment lines starting
// with '%', a size line, then one entry per line: "i j [value]" (1-based) for coordinate,
// one value per line in column-major order for array.

/** The field qualifier of a Matrix Market file (`double` is read as `real`). */
export type MatrixMarketField = 'real' | 'integer' | 'pattern' | 'double';

/** The symmetry qualifier of a Matrix Market file. */
export type MatrixMarketSymmetry = 'general' | 'symmetric' | 'skew-symmetric';

/** A parsed Matrix Market file. */
export interface MatrixMarketData {
  format: 'coordinate' | 'array';
  field: MatrixMarketField;
  symmetry: MatrixMarketSymmetry;
  rows: number;
  cols: number;
  /**
   * Number of entries stored in the file: the size line's count for coordinate, the
   * number of values for array (rows·cols, or the stored triangle when symmetric).
   */
  nnz: number;
  /**
   * Coordinate format: the entries, 0-based, in file order; for symmetric and
   * skew-symmetric files each off-diagonal entry (i, j) is followed by its mirror (j, i)
   * (negated when skew). Pattern entries have value 1.
   */
  coo?: CooMatrix;
  /** Array format: the full dense matrix (float64), mirrored when symmetric. */
  dense?: Matrix;
}

/** Options of {@link writeMatrixMarket}. */
export interface WriteMatrixMarketOptions {
  /**
   * `'symmetric'` writes only the lower triangle and requires a square, exactly symmetric
   * matrix; default `'general'`.
   */
  symmetry?: 'general' | 'symmetric';
  /** `'integer'` requires integer values; default `'real'`. */
  field?: 'real' | 'integer';
  /** Text written as comment lines after the banner (each line prefixed with '%'); default none. */
  comment?: string;
}

const REAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?$/;
const NONFINITE = /^([+-]?)(inf|infinity|nan)$/i;
const INTEGER = /^[+-]?\d+$/;
const INDEX = /^\d+$/;
const MAX_DIM = 2147483647;

function parseValue(token: string, integer: boolean, line: number): number {
  if (integer) {
    if (!INTEGER.test(token))
      throw new FormatError(
        `MatrixMarket: line ${line}: expected an integer value, got ${JSON.stringify(token)}`,
      );
    return Number(token);
  }
  if (REAL.test(token)) return Number(token.replace(/[dD]/, 'e'));
  const m = NONFINITE.exec(token);
  if (m) {
    if (m[2]!.toLowerCase() === 'nan') return Number.NaN;
    return m[1] === '-' ? -Infinity : Infinity;
  }
  throw new FormatError(
    `MatrixMarket: line ${line}: expected a real value, got ${JSON.stringify(token.slice(0, 40))}`,
  );
}

function tokens(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/[ \t]+/);
}

/**
 * Parses a Matrix Market file: coordinate (sparse) or array (dense), fields real, double,
 * integer and pattern, symmetries general, symmetric and skew-symmetric. Symmetric
 * storage is expanded to both triangles. Entries on either side of the diagonal are
 * accepted and mirrored (as scipy's `mmread` does). The declared entry count is bounded
 * by the input length before anything is allocated.
 *
 * @param input the file as text or UTF-8 bytes (not modified)
 * @returns the header fields and a {@link CooMatrix} (coordinate) or {@link Matrix} (array)
 * @throws {FormatError} naming the line for a missing or wrong banner, a bad size line,
 *   a wrong entry count, an index out of range, a non-numeric value, or a non-square
 *   symmetric matrix
 * @throws {UnsupportedError} for complex or hermitian matrices, or dimensions above 2³¹ − 1
 *   in coordinate format
 * @throws {InvalidArgumentError} if `input` is neither a string nor a Uint8Array
 * @example
 * const { coo } = readMatrixMarket('%%MatrixMarket matrix coordinate real general\n2 2 1\n1 2 3.5\n');
 * coo!.toDense().toArray(); // [[0, 3.5], [0, 0]]
 * @see https://math.nist.gov/MatrixMarket/formats.html
 */
export function readMatrixMarket(input: string | Uint8Array): MatrixMarketData {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) text = decodeUtf8(input, 'MatrixMarket: input');
  else
    throw new InvalidArgumentError(
      `input: expected a string or a Uint8Array, got ${describe(input)}`,
    );
  const lines = new LineCursor(text);

  const banner = lines.next() ?? '';
  const b = tokens(banner).map((s) => s.toLowerCase());
  if (b[0] !== '%%matrixmarket') {
    throw new FormatError(
      `MatrixMarket: line 1: expected the banner "%%MatrixMarket matrix <format> <field> <symmetry>"`,
    );
  }
  if (b.length !== 5) {
    throw new FormatError(
      `MatrixMarket: line 1: the banner needs 4 qualifiers after %%MatrixMarket, got ${b.length - 1}`,
    );
  }
  const [, object, format, field, symmetry] = b as [string, string, string, string, string];
  if (object !== 'matrix')
    throw new FormatError(`MatrixMarket: line 1: unknown object "${object}" (expected "matrix")`);
  if (format !== 'coordinate' && format !== 'array') {
    throw new FormatError(
      `MatrixMarket: line 1: unknown format "${format}" (expected coordinate or array)`,
    );
  }
  if (field === 'complex')
    throw new UnsupportedError('MatrixMarket: complex matrices are not supported');
  if (symmetry === 'hermitian')
    throw new UnsupportedError('MatrixMarket: hermitian matrices are not supported');
  if (field !== 'real' && field !== 'integer' && field !== 'pattern' && field !== 'double') {
    throw new FormatError(
      `MatrixMarket: line 1: unknown field "${field}" (expected real, double, integer or pattern)`,
    );
  }
  if (symmetry !== 'general' && symmetry !== 'symmetric' && symmetry !== 'skew-symmetric') {
    throw new FormatError(
      `MatrixMarket: line 1: unknown symmetry "${symmetry}" (expected general, symmetric or skew-symmetric)`,
    );
  }
  if (field === 'pattern' && (format === 'array' || symmetry === 'skew-symmetric')) {
    throw new FormatError(
      `MatrixMarket: line 1: a pattern matrix cannot be ${format === 'array' ? 'in array format' : 'skew-symmetric'}`,
    );
  }

  // Skip comments and blank lines up to the size line.
  let sizeLine: string | undefined;
  for (;;) {
    sizeLine = lines.next();
    if (sizeLine === undefined)
      throw new FormatError(
        `MatrixMarket: line ${lines.lineNo + 1}: the file ends before the size line`,
      );
    const t = sizeLine.trimStart();
    if (t !== '' && !t.startsWith('%')) break;
  }
  const sizeNo = lines.lineNo;
  const size = tokens(sizeLine);
  const want = format === 'coordinate' ? 3 : 2;
  if (
    size.length !== want ||
    !size.every((s) => INDEX.test(s) && Number.isSafeInteger(Number(s)))
  ) {
    throw new FormatError(
      `MatrixMarket: line ${sizeNo}: expected the size line "${format === 'coordinate' ? 'rows cols entries' : 'rows cols'}" of non-negative integers, got ${JSON.stringify(sizeLine.slice(0, 60))}`,
    );
  }
  const [rows, cols] = size.map(Number) as [number, number];
  if (symmetry !== 'general' && rows !== cols) {
    throw new FormatError(
      `MatrixMarket: line ${sizeNo}: a ${symmetry} matrix must be square, got ${rows}×${cols}`,
    );
  }
  const integer = field === 'integer';
  const fieldOut = field as MatrixMarketField;
  const symOut = symmetry as MatrixMarketSymmetry;

  /** The next non-blank, non-comment line's tokens, or undefined at the end. */
  const nextEntry = (): string[] | undefined => {
    for (;;) {
      const line = lines.next();
      if (line === undefined) return undefined;
      const t = tokens(line);
      if (t.length > 0 && !t[0]!.startsWith('%')) return t;
    }
  };
  const noMore = (declared: number): void => {
    if (nextEntry() !== undefined) {
      throw new FormatError(
        `MatrixMarket: line ${lines.lineNo}: more entries than the ${declared} declared on line ${sizeNo}`,
      );
    }
  };

  if (format === 'array') {
    const n = rows;
    const count =
      symmetry === 'general'
        ? checkedProduct([rows, cols])
        : symmetry === 'symmetric'
          ? (n * (n + 1)) / 2
          : (n * (n - 1)) / 2;
    // Each value needs at least one character and a line break.
    if (count < 0 || count > (lines.remaining + 1) / 2) {
      throw new FormatError(
        `MatrixMarket: line ${sizeNo}: ${rows}×${cols} declares ${count < 0 ? 'too many' : count} values, more than the remaining ${lines.remaining} characters can hold`,
      );
    }
    const data = new Float64Array(rows * cols);
    let k = 0;
    for (let j = 0; j < cols; j++) {
      const i0 = symmetry === 'general' ? 0 : symmetry === 'symmetric' ? j : j + 1;
      for (let i = i0; i < rows; i++, k++) {
        const t = nextEntry();
        if (t === undefined) {
          throw new FormatError(
            `MatrixMarket: line ${lines.lineNo}: the file ends after ${k} of the ${count} values declared on line ${sizeNo}`,
          );
        }
        if (t.length !== 1)
          throw new FormatError(
            `MatrixMarket: line ${lines.lineNo}: expected one value per line, got ${t.length}`,
          );
        const v = parseValue(t[0]!, integer, lines.lineNo);
        data[i * cols + j] = v;
        if (symmetry === 'symmetric') data[j * cols + i] = v;
        else if (symmetry === 'skew-symmetric') data[j * cols + i] = -v;
      }
    }
    noMore(count);
    return {
      format: 'array',
      field: fieldOut,
      symmetry: symOut,
      rows,
      cols,
      nnz: count,
      dense: new Matrix(data, rows, cols),
    };
  }

  const nnz = Number(size[2]);
  if (rows > MAX_DIM || cols > MAX_DIM) {
    throw new UnsupportedError(
      `MatrixMarket: line ${sizeNo}: dimensions ${rows}×${cols} exceed the sparse index limit 2^31 − 1`,
    );
  }
  // Each entry needs at least "i j" (+ " v" unless pattern) and a line break.
  const minChars = field === 'pattern' ? 4 : 6;
  if (nnz > (lines.remaining + 1) / minChars) {
    throw new FormatError(
      `MatrixMarket: line ${sizeNo}: declares ${nnz} entries, more than the remaining ${lines.remaining} characters can hold`,
    );
  }
  const perLine = field === 'pattern' ? 2 : 3;
  const row = new Int32Array(nnz);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let offDiagonal = 0;
  for (let k = 0; k < nnz; k++) {
    const t = nextEntry();
    if (t === undefined) {
      throw new FormatError(
        `MatrixMarket: line ${lines.lineNo}: the file ends after ${k} of the ${nnz} entries declared on line ${sizeNo}`,
      );
    }
    const no = lines.lineNo;
    if (t.length !== perLine) {
      throw new FormatError(
        `MatrixMarket: line ${no}: expected ${perLine} fields (${perLine === 2 ? 'i j' : 'i j value'}), got ${t.length}`,
      );
    }
    const i = index(t[0]!, rows, 'row', no);
    const j = index(t[1]!, cols, 'column', no);
    const v = field === 'pattern' ? 1 : parseValue(t[2]!, integer, no);
    if (symmetry === 'skew-symmetric' && i === j && v !== 0) {
      throw new FormatError(
        `MatrixMarket: line ${no}: a skew-symmetric matrix has a zero diagonal, got ${v} at (${i + 1}, ${j + 1})`,
      );
    }
    row[k] = i;
    col[k] = j;
    val[k] = v;
    if (i !== j) offDiagonal++;
  }
  noMore(nnz);
  let coo: CooMatrix;
  if (symmetry === 'general' || offDiagonal === 0) {
    coo = new CooMatrix(rows, cols, row, col, val);
  } else {
    const total = nnz + offDiagonal;
    const r2 = new Int32Array(total);
    const c2 = new Int32Array(total);
    const v2 = new Float64Array(total);
    const sign = symmetry === 'skew-symmetric' ? -1 : 1;
    let q = 0;
    for (let k = 0; k < nnz; k++) {
      r2[q] = row[k]!;
      c2[q] = col[k]!;
      v2[q++] = val[k]!;
      if (row[k] !== col[k]) {
        r2[q] = col[k]!;
        c2[q] = row[k]!;
        v2[q++] = sign * val[k]!;
      }
    }
    coo = new CooMatrix(rows, cols, r2, c2, v2);
  }
  return { format: 'coordinate', field: fieldOut, symmetry: symOut, rows, cols, nnz, coo };
}

function index(token: string, n: number, what: string, line: number): number {
  if (!INDEX.test(token))
    throw new FormatError(
      `MatrixMarket: line ${line}: expected a ${what} index, got ${JSON.stringify(token.slice(0, 40))}`,
    );
  const i = Number(token);
  if (i < 1 || i > n)
    throw new FormatError(
      `MatrixMarket: line ${line}: ${what} index ${token} is out of range 1…${n}`,
    );
  return i - 1;
}

function formatReal(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/**
 * Writes a matrix in Matrix Market format: a dense {@link Matrix} as `array` (values in
 * column-major order), a {@link CooMatrix} as `coordinate` (entries in stored order,
 * 1-based). Real values use the shortest representation that reads back to the same
 * double (`nan`, `inf`, `-inf` and `-0` included).
 *
 * @param A a Matrix (any strides) or a CooMatrix (not modified)
 * @param options `symmetry`, `field`, `comment` (see {@link WriteMatrixMarketOptions})
 * @returns the file text, ending with a newline
 * @throws {InvalidArgumentError} if `A` is neither, an option is invalid, `'symmetric'` is
 *   asked for a matrix that is not square and symmetric, or `'integer'` for non-integers
 * @example
 * writeMatrixMarket(Matrix.from([[1, 2], [2, 3]]), { symmetry: 'symmetric' });
 * // '%%MatrixMarket matrix array real symmetric\n2 2\n1\n2\n3\n'
 * @see https://math.nist.gov/MatrixMarket/formats.html
 */
export function writeMatrixMarket(
  A: Matrix | CooMatrix,
  options?: WriteMatrixMarketOptions,
): string {
  const opts = optionsObject('options', options);
  const symmetry = assertOneOf('options.symmetry', opts.symmetry ?? 'general', [
    'general',
    'symmetric',
  ] as const);
  const field = assertOneOf('options.field', opts.field ?? 'real', ['real', 'integer'] as const);
  if (opts.comment !== undefined && typeof opts.comment !== 'string') {
    throw new InvalidArgumentError(
      `options.comment: expected a string, got ${describe(opts.comment)}`,
    );
  }
  const fmt = (v: number, where: string): string => {
    if (field === 'real') return formatReal(v);
    if (!Number.isInteger(v))
      throw new InvalidArgumentError(
        `A: ${where} is ${describe(v)}, not an integer (field 'integer')`,
      );
    return BigInt(v).toString();
  };
  const isCoo = A instanceof CooMatrix;
  const M = isCoo ? undefined : asMatrix('A', A);
  const rows = isCoo ? A.rows : M!.rows;
  const cols = isCoo ? A.cols : M!.cols;
  if (symmetry === 'symmetric' && rows !== cols) {
    throw new InvalidArgumentError(`A: a symmetric matrix must be square, got ${rows}×${cols}`);
  }
  const out: string[] = [
    `%%MatrixMarket matrix ${isCoo ? 'coordinate' : 'array'} ${field} ${symmetry}`,
  ];
  if (opts.comment !== undefined) {
    for (const line of opts.comment.split(/\r?\n|\r/)) out.push(`%${line}`);
  }
  const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

  if (M !== undefined) {
    out.push(`${rows} ${cols}`);
    for (let j = 0; j < cols; j++) {
      for (let i = symmetry === 'symmetric' ? j : 0; i < rows; i++) {
        const v = M.get(i, j);
        if (symmetry === 'symmetric' && !same(v, M.get(j, i))) {
          throw new InvalidArgumentError(
            `A: not symmetric: A[${i}][${j}] = ${v} but A[${j}][${i}] = ${M.get(j, i)}`,
          );
        }
        out.push(fmt(v, `A[${i}][${j}]`));
      }
    }
    return `${out.join('\n')}\n`;
  }

  const coo = A as CooMatrix;
  const entries: string[] = [];
  if (symmetry === 'general') {
    for (let k = 0; k < coo.nnz; k++) {
      entries.push(`${coo.row[k]! + 1} ${coo.col[k]! + 1} ${fmt(coo.values[k]!, `entry ${k}`)}`);
    }
  } else {
    // Sum duplicates, check symmetry, write the lower triangle in order of first appearance.
    const sums = new Map<string, number>();
    const order: [number, number][] = [];
    for (let k = 0; k < coo.nnz; k++) {
      const key = `${coo.row[k]},${coo.col[k]}`;
      const prev = sums.get(key);
      if (prev === undefined) order.push([coo.row[k]!, coo.col[k]!]);
      sums.set(key, (prev ?? 0) + coo.values[k]!);
    }
    for (const [i, j] of order) {
      const v = sums.get(`${i},${j}`)!;
      const w = sums.get(`${j},${i}`) ?? 0;
      if (!same(v, w))
        throw new InvalidArgumentError(
          `A: not symmetric: entry (${i}, ${j}) is ${v} but (${j}, ${i}) is ${w}`,
        );
      if (i >= j) entries.push(`${i + 1} ${j + 1} ${fmt(v, `entry (${i}, ${j})`)}`);
    }
  }
  out.push(`${rows} ${cols} ${entries.length}`);
  return `${out.join('\n')}\n${entries.map((e) => `${e}\n`).join('')}`;
}
